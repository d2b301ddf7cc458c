"""Every command and snippet in README.md and docs/**/*.md runs as written, so the docs cannot rot.

Which blocks run (any Markdown file added to README.md or docs/ is picked up by itself):

- fenced ```sh / ```bash blocks: run by bash (`set -e`, so every line must succeed) in a fresh
  copy of the checkout, with `carepath` on PATH and `.venv` pointing at the running environment;
- fenced ```python blocks: run by this Python in the same copy;
- fenced ```yaml blocks with a `scenarios:` key: written beside `pathway.dsl` in the copy and run
  by `carepath test pathway.dsl FILE`: they must load and their scenarios pass.

The blocks of one file share one copy and run in order, so a later block may use an earlier one's
output. Other fences (```text, ```json, ```dsl, none) are illustrations and are not run.

A block that must not run here is marked by an HTML comment on the line just before its fence,
which Markdown does not display:

    <!-- doc-test: skip (needs network access to a package index) -->   a reason is required
    <!-- doc-test: exit 1 -->   the block's last command is documented to exit with this code
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
RUNNERS = {"sh": "shell", "bash": "shell", "python": "python", "yaml": "scenarios"}
MARKER = re.compile(r"<!--\s*doc-test:\s*(?P<word>skip|exit)\b\s*(?P<rest>.*?)\s*-->")
FENCE = re.compile(r"^(?P<fence>```+|~~~+)\s*(?P<info>[\w+-]*)")
IGNORED_IN_COPY = shutil.ignore_patterns(".venv", ".git", "__pycache__", ".pytest_cache", ".hypothesis",
                                         "*.egg-info", "build", "dist")
TIMEOUT = 300
# A block that installs would re-point the environment running these tests at the throw-away copy.
INSTALLS = re.compile(r"setup\.sh|pip install")


@dataclass(frozen=True)
class Block:
    """One fenced code block of a Markdown file, with its doc-test marker."""
    doc: Path
    line: int
    language: str
    text: str
    marker: tuple[str, str] | None

    @property
    def runner(self) -> str | None:
        """How the block runs, or None when it is an illustration."""
        runner = RUNNERS.get(self.language)
        if runner == "scenarios" and not re.search(r"^scenarios:", self.text, re.MULTILINE):
            return None
        return runner

    @property
    def name(self) -> str:
        """The block's place, as pytest shows it."""
        return f"{self.doc.relative_to(ROOT)}:{self.line}"


def blocks(doc: Path) -> list[Block]:
    """The fenced code blocks of a Markdown file, in order."""
    found, lines, index = [], doc.read_text(encoding="utf-8").splitlines(), 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        end = next((i for i in range(index + 1, len(lines))
                    if lines[i].startswith(opening["fence"]) and not lines[i].strip("`~ ")), len(lines))
        marker = MARKER.search(lines[index - 1]) if index else None
        found.append(Block(doc, index + 1, opening["info"].lower(), "\n".join(lines[index + 1:end]) + "\n",
                           (marker["word"], marker["rest"].strip("() ")) if marker else None))
        index = end + 1
    return found


RUNNABLE = [block for doc in DOCS for block in blocks(doc) if block.runner]


@pytest.fixture(scope="module")
def checkouts(tmp_path_factory):
    """One fresh copy of the checkout per Markdown file, with `.venv` linked to this environment."""
    copies: dict[Path, Path] = {}

    def copy_for(doc: Path) -> Path:
        if doc not in copies:
            target = tmp_path_factory.mktemp("checkout") / "carepath"
            shutil.copytree(ROOT, target, ignore=IGNORED_IN_COPY, symlinks=True)
            (target / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
            copies[doc] = target
        return copies[doc]

    return copy_for


def environment() -> dict[str, str]:
    """The environment of a documented command: this environment's scripts first on PATH."""
    scripts = str(Path(sys.executable).parent)
    return {**os.environ, "PATH": scripts + os.pathsep + os.environ.get("PATH", ""), "NO_COLOR": "1"}


def command_for(block: Block, checkout: Path) -> list[str]:
    """The argument list that runs a block inside a checkout copy."""
    if block.runner == "shell":
        return ["bash", "-e", "-o", "pipefail", "-c", block.text]
    if block.runner == "python":
        return [sys.executable, "-c", block.text]
    scenario_file = checkout / f"doc-{block.line}.scenarios.yaml"
    scenario_file.write_text(block.text, encoding="utf-8")
    return [sys.executable, "-m", "carepath.cli", "test", "pathway.dsl", scenario_file.name]


def expected_exit(block: Block) -> int:
    """The exit code a block must end with: 0, or the one its marker documents."""
    return int(block.marker[1]) if block.marker and block.marker[0] == "exit" else 0


@pytest.mark.parametrize("block", RUNNABLE, ids=[block.name for block in RUNNABLE])
def test_documented_block_runs_as_written(block: Block, checkouts) -> None:
    """The block runs in a fresh checkout copy and ends with its documented exit code."""
    if block.marker and block.marker[0] == "skip":
        pytest.skip(f"{block.name} is marked not runnable here: {block.marker[1]}")
    assert not INSTALLS.search(block.text), (
        f"{block.name} installs carepath; mark it <!-- doc-test: skip (reason) --> (tests/test_doc_examples.py)")
    checkout = checkouts(block.doc)
    done = subprocess.run(command_for(block, checkout), cwd=checkout, env=environment(), capture_output=True,
                          text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    assert done.returncode == expected_exit(block), (
        f"{block.name} exited {done.returncode}\n--- block\n{block.text}--- stdout\n{done.stdout[-3000:]}"
        f"--- stderr\n{done.stderr[-3000:]}")


def test_skip_markers_give_a_reason() -> None:
    """A block marked not runnable says why, so that a reader knows what is not checked."""
    unexplained = [b.name for doc in DOCS for b in blocks(doc) if b.marker == ("skip", "")]
    assert not unexplained, f"doc-test skip markers without a reason: {unexplained}"


def test_every_doc_with_commands_is_exercised() -> None:
    """The commands the README shows are among the runnable blocks (the harness finds them)."""
    readme = [b for b in RUNNABLE if b.doc.name == "README.md" and b.marker is None]
    assert any("carepath run" in b.text for b in readme)
    assert any(b.runner == "python" for b in readme)


def test_fence_reader_finds_languages_and_markers(tmp_path: Path) -> None:
    """The block reader: language, line, text, a marker on the line before, nested ``` text."""
    doc = tmp_path / "x.md"
    doc.write_text("intro\n<!-- doc-test: skip (needs a server) -->\n```sh\ncurl x\n```\n"
                   "````python\nprint('```')\n````\n```\nplain\n```\n", encoding="utf-8")
    found = blocks(doc)
    assert [(b.line, b.language, b.marker) for b in found] == [
        (3, "sh", ("skip", "needs a server")), (6, "python", None), (9, "", None)]
    assert found[1].text == "print('```')\n" and found[2].runner is None


def test_readme_python_snippet_prints_codes(checkouts) -> None:
    """The README's Python snippet runs a complete case and prints its recommendation codes."""
    snippet = next(b for b in RUNNABLE if b.doc.name == "README.md" and b.runner == "python")
    done = subprocess.run([sys.executable, "-c", snippet.text], cwd=checkouts(snippet.doc), env=environment(),
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr
    assert "complete" in done.stdout and "continue_pt" in done.stdout, done.stdout


def test_documented_results_show_the_flagship_version() -> None:
    """Result excerpts in the docs name pathway.dsl's current version, not an old one."""
    from carepath import load

    version = load(ROOT / "pathway.dsl").version
    shown = {(doc.name, found) for doc in DOCS for found in re.findall(
        r'"name":\s*"lbp_after_pt",\s*"version":\s*"([^"]*)"', doc.read_text(encoding="utf-8"))}
    assert shown and {found for _, found in shown} == {version}, shown
