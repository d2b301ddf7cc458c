"""`carepath render`: formats, stdout, atomic writes, the missing-Graphviz and missing-checker errors."""
from __future__ import annotations

import os
import pty
import subprocess

import pytest
from click.testing import CliRunner

import carepath
from carepath.cli import main
from carepath.errors import Diagnostic
from render_support import CAREPATH, PATHWAYS, ROOT, cli

SECTIONS = PATHWAYS / "sections.dsl"


@pytest.mark.parametrize("suffix, start", [(".dot", b"digraph "), (".gv", b"digraph "), (".svg", b"<?xml"),
                                           (".png", b"\x89PNG"), (".mmd", b"%% ")])
def test_format_follows_the_extension(tmp_path, suffix, start):
    target = tmp_path / f"out{suffix}"
    done = cli("render", "pathway.dsl", "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert target.read_bytes().startswith(start)


def test_format_option_wins_over_the_extension(tmp_path):
    target = tmp_path / "chart.txt"
    assert cli("render", "pathway.dsl", "--format", "mermaid", "-o", str(target)).returncode == 0
    assert target.read_text().splitlines()[1] == "flowchart TB"


@pytest.mark.parametrize("format_, name", [("svg", "x.png"), ("png", "x.svg"), ("dot", "x.mmd"), ("mermaid", "x.gv")])
def test_a_format_the_extension_contradicts_is_refused(tmp_path, format_, name):
    """`--format svg -o x.png` would write SVG into a file named .png: refused, nothing written."""
    target = tmp_path / name
    done = cli("render", "pathway.dsl", "--format", format_, "-o", str(target))
    assert done.returncode == 2 and not target.exists()
    assert f"says {name.split('.')[1].replace('gv', 'dot').replace('mmd', 'mermaid')}, but --format asks for {format_}".encode() \
        in done.stderr


def test_stdout_is_dot_by_default_and_for_dash():
    for args in ([], ["-o", "-"]):
        done = cli("render", "pathway.dsl", *args)
        assert done.returncode == 0 and done.stdout == carepath.render(carepath.load(ROOT / "pathway.dsl")).encode()


def test_an_unknown_extension_is_a_usage_error(tmp_path):
    done = cli("render", "pathway.dsl", "-o", str(tmp_path / "chart.pdf"))
    assert done.returncode == 2
    assert b"cannot tell the format from the extension `.pdf`" in done.stderr and b"Traceback" not in done.stderr


def test_png_to_a_terminal_is_refused():
    leader, follower = pty.openpty()
    try:
        done = subprocess.run([str(CAREPATH), "render", "pathway.dsl", "--format", "png"], cwd=ROOT,
                              stdout=follower, stderr=subprocess.PIPE, check=False)
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 2
    assert b"stdout is a terminal" in done.stderr and b"-o FILE" in done.stderr


def test_png_to_a_pipe_is_written():
    done = cli("render", "pathway.dsl", "--format", "png")
    assert done.returncode == 0 and done.stdout.startswith(b"\x89PNG")


@pytest.fixture
def no_graphviz(tmp_path):
    """An environment whose PATH holds no `dot` program."""
    empty = tmp_path / "bin"
    empty.mkdir()
    return {"PATH": str(empty)}


@pytest.mark.parametrize("format_", ["svg", "png"])
def test_without_graphviz_images_fail_naming_the_package(no_graphviz, format_, tmp_path):
    done = cli("render", "pathway.dsl", "--format", format_, "-o", str(tmp_path / "out"), env=no_graphviz)
    assert done.returncode == 2
    assert b"apt-get install graphviz" in done.stderr and b"Traceback" not in done.stderr


@pytest.mark.parametrize("format_", ["dot", "mermaid"])
def test_without_graphviz_text_formats_still_work(no_graphviz, format_):
    done = cli("render", "pathway.dsl", "--format", format_, env=no_graphviz)
    assert done.returncode == 0 and done.stdout


@pytest.mark.parametrize("args", [["--format", "png"], ["--case", "missing.json"]], ids=["no-dot", "bad-case"])
def test_a_failing_render_leaves_an_existing_output_intact(no_graphviz, tmp_path, args):
    target = tmp_path / "chart.png"
    target.write_bytes(b"the previous chart")
    done = cli("render", "pathway.dsl", "-o", str(target), *args, env=no_graphviz)
    assert done.returncode == 2
    assert target.read_bytes() == b"the previous chart"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin", "chart.png"]


def test_case_overlay_from_the_command_line(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text("collapse: false\nweakness: true\n")
    done = cli("render", str(SECTIONS), "--case", str(case))
    assert done.returncode == 0
    assert b"case: complete" in done.stdout and b'"(start)" -> "screen" [color="#2b8a3e"' in done.stdout


def test_a_case_that_needs_input_is_drawn_up_to_where_it_stopped():
    done = cli("render", str(SECTIONS), "--case", "-", input=b'{"collapse": false, "weakness": false}')
    assert done.returncode == 0
    assert b"case: needs_input" in done.stdout and b'"timing" -> "(needs) timing" [' in done.stdout


def test_findings_come_from_carepath_check(monkeypatch):
    calls = []

    def check(pathway):
        calls.append(pathway.name)
        return [Diagnostic("warning", "step `early` is unreachable", pathway.nodes["early"].span)]

    monkeypatch.setattr(carepath, "check", check, raising=False)
    result = CliRunner().invoke(main, ["render", str(SECTIONS), "--findings", "--format", "mermaid"])
    assert result.exit_code == 0, result.output
    assert calls == ["sections"]
    assert "finding_early>" in result.output and "unreachable" in result.output


def test_a_new_output_file_gets_the_usual_permissions(tmp_path):
    target = tmp_path / "chart.dot"
    assert cli("render", "pathway.dsl", "-o", str(target), env={}, preexec_fn=lambda: os.umask(0o022)).returncode == 0
    assert target.stat().st_mode & 0o777 == 0o644
