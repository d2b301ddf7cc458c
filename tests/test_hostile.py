"""Hostile input and hostile environments (issue 14), each failure class through the CLI: outputs
that would destroy an input or a device, signals, line ends, terminal and XML injection, the
parser cache, YAML oddities, write errors, size limits, and the messages and exit codes.

The bad-input table lives in test_bad_input.py; docs/robustness.md lists both."""
from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from carepath.engine.batch import MAX_LINE
from carepath.engine.cases import MAX_CASE_BYTES
from carepath.errors import SHOWN_PER_KIND
from carepath.scenarios.load import MAX_SCENARIO_BYTES
from carepath.syntax.grammar import MAX_PARENTHESES, grammar_path

from test_bad_input import CASE, PATHWAY, ROOT, SMALL, _files, _write, assert_refused, carepath, folder  # noqa: F401

CARE = [sys.executable, "-m", "carepath"]  # the installed script's entry point (carepath.launch)
WITH_GAP = ('pathway p "P"\nsource s "S"\nfact n: integer 0..10\nfact smoker: yes | no | former\nstart a\n'
            'decide a "A"\n  when n > 5 -> b\n  when n < 3 and smoker is no -> b\nstep b "B"\n'
            '  recommend r "R" cite s\n  stop\n')
SCENARIO = "scenarios:\n  - name: {name}\n    case: {{}}\n    expect:\n      status: needs_input\n"


def cli(*arguments, **options) -> subprocess.CompletedProcess:
    """Run carepath as a real process (what signals, closed descriptors and /dev/full need)."""
    return subprocess.run([*CARE, *map(str, arguments)], capture_output=True, timeout=300, **options)


# --- 1-3: -o never destroys an input, a device or a read-only file -------------------------------

def _inputs_as_outputs(folder: Path):
    """(arguments, the input the output names) for each command that takes -o or --junit."""
    pathway = _write(folder, "p.dsl", PATHWAY)
    case = _write(folder, "c.json", CASE)
    batch = _write(folder, "in.jsonl", CASE.replace("\n", " ") + "\n")
    scenarios = _write(folder, "p.scenarios.yaml", SCENARIO.format(name="s"))
    return [
        (["graph", "p.dsl", "-o", "p.dsl"], pathway),
        (["run", "p.dsl", "c.json", "--json", "-o", "c.json"], case),
        (["run", "p.dsl", "--batch", "in.jsonl", "-o", "in.jsonl"], batch),
        (["test", "p.dsl", "--junit", "p.scenarios.yaml"], scenarios),
        (["test", "p.dsl", "p.scenarios.yaml", "--junit", "p.dsl"], pathway),
        (["render", "p.dsl", "--format", "dot", "-o", "p.dsl"], pathway),
        (["check", "p.dsl", "-o", "p.dsl"], pathway),
    ]


@pytest.mark.parametrize("index", range(7))
def test_an_output_that_is_an_input_is_refused(folder, index):
    """-o (or --junit) naming an input: exit 2, the input untouched, no file left behind."""
    arguments, target = _inputs_as_outputs(folder)[index]
    before = target.read_bytes()
    files = _files(folder)
    result = carepath(*arguments)
    assert_refused(result, None)
    assert "is one of this command's inputs" in result.stderr
    assert target.read_bytes() == before
    assert _files(folder) == files


@pytest.mark.parametrize("how", ["symlink", "hard link", "other spelling"])
def test_an_input_reached_by_another_path_is_refused(folder, how):
    """The same file through a symlink, a hard link or `./dir/../` is still the input."""
    pathway = _write(folder, "p.dsl", PATHWAY)
    (folder / "d").mkdir()
    name = {"symlink": "alias.dsl", "hard link": "hard.dsl", "other spelling": "./d/../p.dsl"}[how]
    if how == "symlink":
        (folder / name).symlink_to("p.dsl")
    elif how == "hard link":
        os.link(pathway, folder / name)
    result = carepath("graph", "p.dsl", "-o", name)
    assert_refused(result, None)
    assert pathway.read_text() == PATHWAY


def test_a_symlinked_output_writes_the_file_it_names(folder):
    """-o link writes through the link: the link stays a link, the file it names gets the output."""
    (folder / "link.txt").symlink_to("real.txt")
    result = carepath("graph", str(ROOT / "pathway.dsl"), "-o", "link.txt")
    assert result.exit_code == 0, result.stderr
    assert (folder / "link.txt").is_symlink()
    assert (folder / "real.txt").read_text().startswith("lbp_after_pt")


def test_a_device_output_is_written_through_not_replaced(folder):
    """-o /dev/null stays the character device (a rename would replace the node, as root)."""
    before = os.stat("/dev/null")
    result = carepath("graph", str(ROOT / "pathway.dsl"), "-o", "/dev/null")
    assert result.exit_code == 0, result.stderr
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_dev_stdout_as_output_reaches_a_pipe():
    """-o /dev/stdout with stdout a pipe: the link leads to a pipe, which is written through."""
    result = cli("graph", ROOT / "pathway.dsl", "-o", "/dev/stdout")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"lbp_after_pt")


def test_a_fifo_output_is_written_through(folder):
    """-o FIFO: the reader gets the output through the FIFO, which is still a FIFO."""
    fifo = folder / "out.fifo"
    os.mkfifo(fifo)
    writer = subprocess.Popen([*CARE, "graph", str(ROOT / "pathway.dsl"), "-o", str(fifo)], stderr=subprocess.PIPE)
    with open(fifo, "rb") as reader:
        data = reader.read()
    assert writer.wait(timeout=120) == 0, writer.stderr.read()
    assert data.startswith(b"lbp_after_pt")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_read_only_output_is_refused(folder):
    """A read-only file is refused (even as root, where the rename would succeed)."""
    target = _write(folder, "graph.txt", "keep me\n")
    target.chmod(0o444)
    result = carepath("graph", str(ROOT / "pathway.dsl"), "-o", "graph.txt")
    assert_refused(result, None)
    assert "read-only" in result.stderr
    assert target.read_text() == "keep me\n"


def test_a_folder_as_output_and_an_empty_name_are_refused(folder):
    """-o DIR and -o '' are usage errors that say so (not 'Device or resource busy')."""
    (folder / "d").mkdir()
    assert "is a folder" in carepath("graph", str(ROOT / "pathway.dsl"), "-o", "d").stderr
    result = carepath("graph", str(ROOT / "pathway.dsl"), "-o", "")
    assert_refused(result, None)
    assert "output file name is empty" in result.stderr
    assert _files(folder) == {folder / "d"}


def test_a_250_character_output_name_works(folder):
    """The temporary file's name is short, so any name the file system takes works."""
    name = "g" * 250 + ".txt"
    result = carepath("graph", str(ROOT / "pathway.dsl"), "-o", name)
    assert result.exit_code == 0, result.stderr
    assert _files(folder) == {folder / name}


# --- 4: generated folders appear whole, and never mix with what was there ------------------------

DEFECT = str(ROOT / "tests" / "fixtures" / "defects" / "unreachable_behind_stop.dsl")
TRIAGE = str(ROOT / "tests" / "fixtures" / "pathways" / "triage.dsl")


@pytest.mark.parametrize("command", [["check", DEFECT, "--witnesses"], ["cases", TRIAGE, "--cover", "-o"]])
def test_a_generated_folder_is_fresh_and_a_non_empty_one_needs_force(folder, command):
    """A new folder is written; a non-empty one (a user's file, or stale output) is refused
    untouched; --force replaces it wholesale, so no stale file survives; no temporary is left."""
    first = carepath(*command, "out")
    assert first.exit_code in (0, 1), first.stderr
    written = sorted(p.name for p in (folder / "out").iterdir())
    assert written
    _write(folder / "out", written[0], "hand-edited\n")
    _write(folder / "out", "999-stale.json", "{}\n")
    again = carepath(*command, "out")
    assert_refused(again, None)
    assert "not empty" in again.stderr
    assert (folder / "out" / written[0]).read_text() == "hand-edited\n"
    forced = carepath(*command, "out", "--force")
    assert forced.exit_code in (0, 1), forced.stderr
    assert sorted(p.name for p in (folder / "out").iterdir()) == written
    assert (folder / "out" / written[0]).read_text() != "hand-edited\n"
    assert sorted(p.name for p in folder.iterdir()) == ["out"]


def test_an_empty_generated_folder_is_used(folder):
    """An existing empty folder is filled (it is replaced by the fresh one)."""
    (folder / "out").mkdir()
    result = carepath("check", DEFECT, "--witnesses", "out")
    assert result.exit_code in (0, 1), result.stderr
    assert [p.name for p in (folder / "out").iterdir()] == ["001-needs_input-line11.json"]


# --- 5, 23: signals, Ctrl-C and a closed pipe ----------------------------------------------------

@pytest.mark.parametrize("signum,code", [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)])
def test_a_stopping_signal_leaves_no_temporary_file(folder, signum, code):
    """A batch streaming into -o is stopped by a signal while it waits for input: the temporary
    file is removed, no output appears, and the exit code is 128 + the signal's number."""
    _write(folder, "p.dsl", PATHWAY)
    process = subprocess.Popen([*CARE, "run", "p.dsl", "--batch", "-", "-o", "out.jsonl"],
                               stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdin.write((CASE.replace("\n", " ") + "\n").encode() * 50)
    process.stdin.flush()
    deadline = time.monotonic() + 120
    while not list(folder.glob(".carepath-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(folder.glob(".carepath-*")), "the batch never started writing"
    process.send_signal(signum)
    assert process.wait(timeout=60) == code, process.stderr.read()
    process.stdin.close()
    assert sorted(p.name for p in folder.iterdir()) == ["p.dsl"]
    assert b"Traceback" not in process.stderr.read()


def test_a_closed_pipe_exits_141_without_a_traceback(folder):
    """`carepath graph big.dsl | head -c 10`: the reader goes away; exit 141 (SIGPIPE), silent."""
    steps = "".join(f'step s{i} "Step {i}" -> s{i + 1}\n' for i in range(10_000))
    _write(folder, "big.dsl", f'pathway p "P"\nstart s0\n{steps}step s10000 "End" stop\n')
    process = subprocess.Popen([*CARE, "graph", "big.dsl"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
    assert process.stdout.read(10)
    process.stdout.close()
    assert process.wait(timeout=120) == 141
    assert process.stderr.read() == b""


def test_dot_is_stopped_after_the_timeout_and_killed_with_carepath(folder):
    """A `dot` that hangs: --timeout stops it (exit 2, said so); SIGTERM to carepath kills it too."""
    fake = folder / "bin"
    fake.mkdir()
    _write(fake, "dot", f"#!/bin/sh\necho $$ > {folder}/dot.pid\nexec sleep 300\n").chmod(0o755)
    environment = {**os.environ, "PATH": f"{fake}{os.pathsep}{os.environ['PATH']}"}
    started = time.monotonic()
    result = cli("render", ROOT / "pathway.dsl", "--format", "svg", "--timeout", "1", "-o", "x.svg", env=environment)
    assert result.returncode == 2 and b"took more than 1 s" in result.stderr, result.stderr
    assert time.monotonic() - started < 200
    _assert_gone(int((folder / "dot.pid").read_text()))
    (folder / "dot.pid").unlink()
    process = subprocess.Popen([*CARE, "render", str(ROOT / "pathway.dsl"), "--format", "svg", "-o", "y.svg"],
                               env=environment, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not (folder / "dot.pid").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 143
    _assert_gone(int((folder / "dot.pid").read_text()))
    assert sorted(p.name for p in folder.iterdir()) == ["bin", "dot.pid"]


def _assert_gone(pid: int) -> None:
    """The process is dead (a zombie not yet reaped by init counts as dead)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        except FileNotFoundError:
            return
        if state in ("Z", "X"):
            return
        time.sleep(0.05)
    raise AssertionError(f"process {pid} still runs")


# --- 6: CR, CRLF and LF end lines alike; other separators are refused ----------------------------

def test_cr_and_crlf_files_give_the_graph_of_the_lf_file(folder):
    """Old-Mac CR, Windows CRLF and mixed line ends: the same graph, spans included."""
    plain = carepath("graph", _write(folder, "p.dsl", PATHWAY).name, "--json").stdout
    lines = PATHWAY.split("\n")
    mixed = "".join(line + ("\r", "\r\n", "\n")[i % 3] for i, line in enumerate(lines[:-1]))
    for text in (PATHWAY.replace("\n", "\r"), PATHWAY.replace("\n", "\r\n"), mixed):
        assert carepath("graph", _write(folder, "p.dsl", text).name, "--json").stdout == plain


def test_a_comment_ended_by_a_bare_cr_does_not_swallow_the_next_line(folder):
    """`# note\\rrequire n < 5`: the require is in force (a case breaking it is refused)."""
    text = WITH_GAP.replace("start a\n", "# a note\rrequire n < 5\rstart a\n")
    _write(folder, "p.dsl", text)
    result = carepath("run", "p.dsl", _write(folder, "c.json", '{"n": 7}').name)
    assert_refused(result, "c.json:1:2")
    assert "breaks `require n < 5`" in result.stderr


def test_an_error_in_a_cr_file_quotes_the_right_line(folder):
    """The line number and the quoted line of an error agree with what an editor shows."""
    text = WITH_GAP.replace("start a", "start nowhere").replace("\n", "\r")
    result = carepath("graph", _write(folder, "cr.dsl", text).name)
    assert_refused(result, "cr.dsl:5:7")
    assert "\n  start nowhere\n" in result.stderr


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c"])
def test_an_invisible_line_separator_is_refused_where_it_stands(folder, separator):
    """U+2028, U+2029, NEL, VT and FF end a line for some programs and not others: refused."""
    text = WITH_GAP.replace("# \n", "").replace("start a\n", f"# note{separator}require n < 5\nstart a\n")
    result = carepath("graph", _write(folder, "p.dsl", text).name)
    assert_refused(result, "p.dsl:5:7")
    assert f"U+{ord(separator):04X}" in result.stderr


def test_a_case_with_cr_line_ends_reads_like_the_lf_one(folder):
    """A YAML case saved with CR line ends gives the same facts (and the same errors' lines)."""
    _write(folder, "p.dsl", WITH_GAP)
    result = carepath("run", "p.dsl", _write(folder, "c.yaml", "n: 7\rsmoker: maybe\r").name)
    assert_refused(result, "c.yaml:2:1")


# --- 9, 10, 14: terminal and XML injection, lone surrogates -------------------------------------

HOSTILE = "\x1b[2J\x1b]0;owned\x07\u202egnp.exe\x9b hidden\u200b\U000e0041"


def test_terminal_controls_are_escaped_in_text_and_kept_in_json(folder):
    """A title, a step and a file name with escapes: text output and stderr show `\\x1b`, never
    the raw byte; JSON keeps the exact text."""
    text = PATHWAY.replace('"Any red flags', '"Any red flags ' + HOSTILE.replace("\x07", ""), 1)
    _write(folder, "p.dsl", text)
    shown = carepath("graph", "p.dsl")
    assert shown.exit_code == 0 and "\\x1b[2J" in shown.stdout and "\\u202e" in shown.stdout
    assert not any(c in shown.stdout for c in "\x1b\u202e\x9b\u200b\U000e0041")
    assert "\\u200b\\U000e0041" in shown.stdout
    exact = json.loads(carepath("graph", "p.dsl", "--json").stdout)
    assert any(HOSTILE.replace("\x07", "") in text for text in _strings(exact))
    missing = carepath("graph", "x" + HOSTILE + ".dsl")
    assert_refused(missing, None)
    assert "\x1b" not in missing.stderr and "\\x1b" in missing.stderr
    key = carepath("run", "p.dsl", _write(folder, "c.json", json.dumps({HOSTILE: 1})).name)
    assert key.exit_code == 2 and "\x1b" not in key.stderr and "\\x1b" in key.stderr


def _strings(data):
    """Every string inside parsed JSON."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


def test_scenario_names_with_controls_and_lone_surrogates_work_in_every_output(folder):
    """Text escapes them, JSON keeps them (as escapes), JUnit XML stays well-formed."""
    _write(folder, "p.dsl", WITH_GAP)
    _write(folder, "p.scenarios.yaml", SCENARIO.format(name='"bad \\x01\\x1b[2J \\ud800 \\u202e end"'))
    text = carepath("test", "p.dsl")
    assert text.exit_code == 0, text.stderr
    assert "passed: bad \\x01\\x1b[2J \\ud800 \\u202e end" in text.stdout
    data = cli("test", "p.dsl", "--json", cwd=folder)
    assert data.returncode == 0, data.stderr
    assert json.loads(data.stdout)["scenarios"][0]["name"] == "bad \x01\x1b[2J \ud800 \u202e end"
    junit = carepath("test", "p.dsl", "--junit", "junit.xml")
    assert junit.exit_code == 0, junit.stderr
    case = ET.parse(folder / "junit.xml").find(".//testcase")
    assert case.get("name") == "bad \\x01\\x1b[2J \\ud800 \u202e end"


# --- 11: the parser cache is never read from a shared folder ------------------------------------

PLANT = """
import os, pickle, sys
from lark import Lark
sys.path.insert(0, {src!r})
from carepath.syntax.grammar import PARSER_OPTIONS
Lark.open({grammar!r}, **PARSER_OPTIONS, cache=True)   # Lark's own cache: a file in TMPDIR
(name,) = [n for n in os.listdir({tmp!r}) if n.startswith(".lark_cache")]
class Payload:
    def __reduce__(self):
        return (open, ({marker!r}, "w"))
with open(os.path.join({tmp!r}, name), "wb") as f:
    f.write(b"0" * 64 + b"\\n")
    pickle.dump(Payload(), f)
"""


def test_a_pickle_planted_in_tmpdir_is_never_loaded(tmp_path):
    """Whoever writes Lark's predictable cache file in the shared TMPDIR first cannot make
    carepath unpickle it: carepath works, the planted code does not run, TMPDIR is not written."""
    shared, home = tmp_path / "tmp", tmp_path / "home"
    shared.mkdir()
    home.mkdir()
    marker = tmp_path / "planted-code-ran"
    environment = {**os.environ, "TMPDIR": str(shared), "HOME": str(home)}
    environment.pop("XDG_CACHE_HOME", None)
    plant = PLANT.format(src=str(ROOT / "src"), grammar=str(grammar_path()), tmp=str(shared), marker=str(marker))
    subprocess.run([sys.executable, "-c", plant], env=environment, check=True, timeout=120)
    planted = set(shared.iterdir())
    for _ in range(2):  # the first run fills the private cache, the second reads it
        result = cli("graph", ROOT / "pathway.dsl", env=environment)
        assert result.returncode == 0, result.stderr
        assert not marker.exists(), "carepath unpickled a file from the shared temporary folder"
    assert set(shared.iterdir()) == planted
    cache = home / ".cache" / "carepath"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700 and list(cache.iterdir())


def test_a_cache_folder_others_may_write_is_not_used(tmp_path):
    """A cache folder writable by the group or others is not trusted: no cache file is read or written."""
    cache = tmp_path / "cache"
    (cache / "carepath").mkdir(parents=True)
    (cache / "carepath").chmod(0o777)
    result = cli("graph", ROOT / "pathway.dsl", env={**os.environ, "XDG_CACHE_HOME": str(cache)})
    assert result.returncode == 0, result.stderr
    assert list((cache / "carepath").iterdir()) == []


# --- 12: YAML keys that are lists or maps, explicit tags -----------------------------------------

YAML_ODDITIES = {
    "a list as a key": ("? [a, b]\n: 1\n", "1:3"),
    "a map as a key": ("? {a: 1}\n: 1\n", "1:3"),
    "a flow list as a key": ("[n, smoker]: 1\n", "1:1"),
    "!!timestamp on a number": ("n: !!timestamp 1\n", "1:4"),
    "!!bool on a word": ("smoker: !!bool x\n", "1:9"),
    "!!int on a word": ("n: !!int x\n", "1:4"),
}


@pytest.mark.parametrize("name", sorted(YAML_ODDITIES))
def test_yaml_keys_and_tags_in_a_case_are_located(folder, name):
    """Refused at the key or the tag, never a traceback."""
    text, where = YAML_ODDITIES[name]
    _write(folder, "p.dsl", WITH_GAP)
    assert_refused(carepath("run", "p.dsl", _write(folder, "c.yaml", text).name), f"c.yaml:{where}")


@pytest.mark.parametrize("name", sorted(YAML_ODDITIES))
def test_yaml_keys_and_tags_in_a_scenario_file_are_located(folder, name):
    """The same in a scenario's case, at the right line of the scenario file."""
    text, where = YAML_ODDITIES[name]
    line, column = map(int, where.split(":"))
    case = "".join(f"      {row}\n" for row in text.splitlines())
    _write(folder, "p.dsl", WITH_GAP)
    _write(folder, "p.scenarios.yaml", f"scenarios:\n  - name: s\n    case:\n{case}    expect:\n      status: complete\n")
    assert_refused(carepath("test", "p.dsl"), f"p.scenarios.yaml:{line + 3}:{column + 6}")


# --- 15, 16: write errors and reading at most the limit ------------------------------------------

def test_a_full_disk_on_stdout_is_a_usage_error():
    """`carepath graph pathway.dsl > /dev/full`: exit 2, `No space left on device`, no traceback."""
    with open("/dev/full", "wb") as full:
        result = subprocess.run([*CARE, "graph", str(ROOT / "pathway.dsl")], stdout=full, stderr=subprocess.PIPE,
                                timeout=120)
    assert result.returncode == 2
    assert result.stderr.decode() == "error: cannot write to stdout: No space left on device\n"


@pytest.mark.parametrize("arguments", [["--version"], ["--help"], ["run", "--help"]])
def test_version_and_help_onto_a_full_disk_are_a_usage_error(arguments):
    """Text click writes itself (version, help) fails like a command's output: exit 2, no traceback."""
    with open("/dev/full", "wb") as full:
        result = subprocess.run([*CARE, *arguments], stdout=full, stderr=subprocess.PIPE, timeout=120)
    assert (result.returncode, result.stderr.decode()) == (2, "error: cannot write to stdout: No space left on device\n")


def test_version_into_a_closed_pipe_exits_141_quietly():
    """`carepath --version` into a pipe whose reader is gone: 141, as a command's output, no message."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        result = subprocess.run([*CARE, "--version"], stdout=writer, stderr=subprocess.PIPE, timeout=120)
    finally:
        os.close(writer)
    assert (result.returncode, result.stderr) == (141, b"")


def test_version_onto_a_closed_stdout_is_a_usage_error():
    """`carepath --version >&-`: exit 2 with a message, no traceback."""
    command = " ".join(f"'{a}'" for a in [*CARE, "--version"])
    result = subprocess.run(["sh", "-c", f"exec >&-; exec {command}"], stderr=subprocess.PIPE, timeout=120)
    assert result.returncode == 2 and b"cannot write to stdout" in result.stderr and b"Traceback" not in result.stderr


@pytest.mark.parametrize("arguments,message", [
    (["graph", "pathway.dsl"], "stdout is closed"),
    (["run", "pathway.dsl", "-"], "stdin is closed"),
    (["run", "pathway.dsl", "--batch", "-", "-o", os.devnull], "stdin is closed"),
])
def test_closed_stdout_or_stdin_is_a_usage_error(arguments, message):
    """`>&-` and `<&-`: exit 2 with a message, no traceback."""
    closing = "exec >&-" if "stdout" in message else "exec <&-"
    command = " ".join(f"'{a}'" for a in [*CARE, *arguments])
    result = subprocess.run(["sh", "-c", f"{closing}; exec {command}"], cwd=ROOT, stderr=subprocess.PIPE,
                            stdout=None if "stdout" in message else subprocess.PIPE, timeout=120)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr.decode() and b"Traceback" not in result.stderr


@pytest.mark.parametrize("role", ["pathway", "case", "case on stdin"])
def test_dev_zero_is_refused_at_the_limit_not_read_whole(role):
    """/dev/zero never ends: it is refused after limit + 1 bytes (this would hang otherwise)."""
    arguments = {"pathway": ["graph", "/dev/zero"], "case": ["run", ROOT / "pathway.dsl", "/dev/zero"],
                 "case on stdin": ["run", ROOT / "pathway.dsl", "-"]}[role]
    with open("/dev/zero", "rb") as zero:
        result = cli(*arguments, stdin=zero)
    assert result.returncode == 2
    assert b"is larger than the limit of" in result.stderr


def test_case_and_scenario_files_have_their_own_limits(folder):
    """YAML reads at ~100 KB/s, so case (1 MiB) and scenario (2 MiB) files are capped lower."""
    _write(folder, "p.dsl", WITH_GAP)
    big_case = _write(folder, "c.yaml", "n: 1\n" + "# pad\n" * (MAX_CASE_BYTES // 6 + 1))
    assert_refused(carepath("run", "p.dsl", big_case.name), None)
    _write(folder, "p.scenarios.yaml", SCENARIO.format(name="s") + "# pad\n" * (MAX_SCENARIO_BYTES // 6 + 1))
    result = carepath("test", "p.dsl")
    assert_refused(result, None)
    assert f"limit of {MAX_SCENARIO_BYTES:,} bytes" in result.stderr


# --- 17, 19: diagnostics and parsing cost in proportion to the input ----------------------------

def test_twenty_thousand_unknown_keys_are_counted_not_all_printed(folder):
    """20,000 unknown facts on one line: the first few shown, then one line counting the rest."""
    _write(folder, "p.dsl", WITH_GAP)
    keys = {f"unknown_{i}": 1 for i in range(20_000)}
    result = carepath("run", "p.dsl", _write(folder, "c.json", json.dumps(keys)).name)
    assert_refused(result, "c.json:1:2")
    assert result.stderr.count("error: unknown fact") == SHOWN_PER_KIND
    assert f"error: and {20_000 - SHOWN_PER_KIND:,} more case errors not shown" in result.stderr
    last_shown = json.dumps(keys).index(f'"unknown_{SHOWN_PER_KIND - 1}"') + 1
    assert f"c.json:1:{last_shown}: error: unknown fact" in result.stderr


MEASURE = """
import resource, sys
from carepath.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    print(exc.code, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, file=sys.stderr)
"""


def _peak_megabytes(folder, name: str) -> int:
    """The peak memory of `carepath graph NAME` in its own process (what the interpreter and the
    command's imports take is in it too: compare two of them, measured alike)."""
    result = subprocess.run([sys.executable, "-c", MEASURE, "graph", name, "-o", f"{name}.txt"], cwd=folder,
                            capture_output=True, text=True, timeout=300)
    code, megabytes = map(int, result.stderr.split()[-2:])
    assert code == 0, result.stderr
    return megabytes


def test_a_nine_megabyte_string_costs_memory_in_proportion(folder):
    """The STRING terminal matches a long literal without a repeat per character: 9 MB of string
    took 1.6 GB (45 MB took 8.2 GB); now well under 300 MB over the same command on a small file."""
    _write(folder, "small.dsl", 'pathway p "a"\nstart a\nstep a "A" stop\n')
    _write(folder, "p.dsl", 'pathway p "' + "a" * 9_000_000 + '"\nstart a\nstep a "A" stop\n')
    baseline, megabytes = (_peak_megabytes(folder, name) for name in ("small.dsl", "p.dsl"))
    assert megabytes - baseline < 300, f"{megabytes} MB for a 9 MB file, {baseline} MB for a small one"


def test_parentheses_past_the_limit_stop_the_parse_at_once(folder):
    """10 MB of `(`: refused at the first parenthesis past the limit (was minutes of parsing)."""
    depth = 5_000_000
    path = _write(folder, "p.dsl", SMALL.format(guard="(" * depth + "x" + ")" * depth))
    result = carepath("graph", path.name)
    assert_refused(result, f"p.dsl:5:{8 + MAX_PARENTHESES}")
    assert f"parentheses nested more than {MAX_PARENTHESES:,} deep" in result.stderr


# --- 21, 22: messages ----------------------------------------------------------------------------

def test_batch_errors_name_the_batch_line_and_show_facts_in_dsl_form(folder):
    """A case that falls through: `batch:line:`, the facts as DSL, the pathway's decision as a note."""
    _write(folder, "p.dsl", WITH_GAP)
    _write(folder, "in.jsonl", '{"n": 8, "smoker": "no"}\n\n{"n": 4, "smoker": "former"}\n')
    result = carepath("run", "p.dsl", "--batch", "in.jsonl")
    assert result.exit_code == 1
    assert ("in.jsonl:3:1: error: no branch of decision `a` holds for this case, "
            "where n == 4 and smoker is former\np.dsl:6:1: note:") in result.stderr
    assert "{'" not in result.stderr


def test_a_batch_line_of_exactly_one_mebibyte_is_accepted(folder):
    """The limit counts the line without its line end: MAX_LINE bytes run, MAX_LINE + 1 do not."""
    _write(folder, "p.dsl", WITH_GAP)
    case = '{"n": 8, "smoker": "no"}'
    fits, too_long = case + " " * (MAX_LINE - len(case)), case + " " * (MAX_LINE + 1 - len(case))
    _write(folder, "in.jsonl", f"{fits}\r\n{fits}\n{too_long}\n{fits}")
    result = carepath("run", "p.dsl", "--batch", "in.jsonl")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["status"] for row in rows] == ["complete", "complete", "error", "complete"]
    assert f"in.jsonl:3:1: error: the line is longer than {MAX_LINE:,} bytes" in result.stderr


def test_fail_under_nan_is_refused(folder):
    """--fail-under nan would make every comparison false and the gate silently pass."""
    _write(folder, "p.dsl", WITH_GAP)
    _write(folder, "p.scenarios.yaml", SCENARIO.format(name="s"))
    result = carepath("test", "p.dsl", "--fail-under", "nan")
    assert result.exit_code == 2
    assert "nan" in result.stderr


def test_a_huge_message_is_cut_on_the_terminal_and_whole_in_json(folder):
    """A 100,000-term `require` broken by a case: the message is cut to 1,000 characters."""
    condition = " or ".join(f"n == {i % 7}" for i in range(100_000))
    _write(folder, "p.dsl", WITH_GAP.replace("start a", f"require {condition}\nstart a"))
    result = carepath("run", "p.dsl", _write(folder, "c.json", '{"n": 9}').name)
    assert_refused(result, "c.json:1:2")
    assert len(result.stderr) < 3_000
    assert "more characters)" in result.stderr
