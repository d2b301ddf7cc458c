"""The VS Code extension's TextMate grammar, run by the engine VS Code uses (vscode-textmate with
vscode-oniguruma, driven by editors/vscode/test/tokenize.js), against every .dsl file in the repository."""
from __future__ import annotations

import json
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

import pytest

from carepath.errors import PathwayError
from carepath.fmt.stream import full_parser, full_tree, tokens
from carepath.syntax import read_source

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "editors" / "vscode"
HARNESS = EXTENSION / "test"
ROOT_SCOPE = "source.carepath"
LITERAL_WORDS = {"true": "constant.language.", "false": "constant.language."}
SKIPPED_FOLDERS = {".venv", "node_modules", ".git"}


def _harness_missing() -> str | None:
    """Why the tokenizer cannot run here, or None."""
    if shutil.which("node") is None:
        return "node is not installed (./setup.sh installs it with apt-get)"
    if not (HARNESS / "node_modules" / "vscode-textmate").is_dir():
        return "vscode-textmate is not installed in editors/vscode/test (./setup.sh runs npm install there)"
    return None


pytestmark = pytest.mark.skipif(_harness_missing() is not None, reason=_harness_missing() or "")


def dsl_files() -> list[Path]:
    """Every .dsl file of the repository."""
    return sorted(p for p in ROOT.rglob("*.dsl") if not SKIPPED_FOLDERS & set(p.relative_to(ROOT).parts))


@lru_cache(maxsize=1)
def tokenized() -> dict[str, list]:
    """Every .dsl file tokenized in one node process: file -> [line, start, end, text, scopes]."""
    files = [str(p) for p in dsl_files()]
    done = subprocess.run(["node", str(HARNESS / "tokenize.js"), *files], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def tokenize_text(tmp_path: Path, text: str) -> list:
    """Tokens of one text."""
    path = tmp_path / "sample.dsl"
    path.write_text(text)
    done = subprocess.run(["node", str(HARNESS / "tokenize.js"), str(path)], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)[str(path)]


@lru_cache(maxsize=1)
def grammar_words() -> frozenset[str]:
    """The grammar's keywords: its word-like literals and the words of its named keyword terminals."""
    words = {t.pattern.value for t in full_parser().terminals if t.pattern.type == "str" and
             t.pattern.value.isidentifier()}
    return frozenset(words | {"first", "match", "emergency", "urgent"})


def expected_prefix(word: str) -> str:
    """The scope a keyword must have."""
    return LITERAL_WORDS.get(word, "keyword.")


def test_there_are_pathways_to_tokenize():
    """The repository's pathways are found (pathway.dsl among them)."""
    assert ROOT / "pathway.dsl" in dsl_files()


@pytest.mark.parametrize("path", dsl_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_token_is_scoped(path: Path):
    """No visible text is left with only the file's root scope; nothing in a file that parses is invalid."""
    found = tokenized()[str(path)]
    unscoped = [t for t in found if t[3].strip() and t[4] == [ROOT_SCOPE]]
    assert unscoped == []
    if _parses(path):
        assert [t for t in found if any(s.startswith("invalid.") for s in t[4])] == []


@pytest.mark.parametrize("path", dsl_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_keywords_are_keywords_and_names_are_not(path: Path):
    """Each token the parser reads as a keyword has a keyword scope there; each NAME has none."""
    if not _parses(path):
        pytest.skip(f"{path.name} is a deliberately broken pathway")
    source = read_source(path)
    by_place = {(t[0], t[1]): t for t in tokenized()[str(path)]}
    lines = source.text.split("\n")
    wrong = []
    for token, _, _ in tokens(full_tree(source)):
        line = token.line - 1
        start = len(lines[line][:token.column - 1].encode("utf-16-le")) // 2
        scopes = _scopes_at(by_place, tokenized()[str(path)], line, start)
        word = str(token).split()[0]
        if word in grammar_words() and token.type != "NAME":
            if not any(s.startswith(expected_prefix(word)) for s in scopes):
                wrong.append((token.line, token.column, str(token), scopes))
        elif token.type == "NAME" and any(s.startswith("keyword.") for s in scopes):
            wrong.append((token.line, token.column, str(token), scopes))
    assert wrong == []


def test_every_keyword_of_the_grammar_is_highlighted(tmp_path: Path):
    """Each keyword alone on a line (so those no pathway uses yet are covered too); `at` and `quote`
    are keywords only inside a citation (`cite s at "..." quote "..."`), so they are tested there."""
    words = sorted(grammar_words() - {"first", "match", "at", "quote"}) + ["first match"]
    found = tokenize_text(tmp_path, "\n".join(words) + "\n")
    scopes = {t[3]: t[4] for t in found if t[3].strip()}
    assert {w: scopes.get(w) for w in words if not any(s.startswith(expected_prefix(w.split()[0]))
                                                      for s in scopes.get(w, []))} == {}


def test_citation_keywords_are_keywords_inside_a_citation(tmp_path: Path):
    """`at` and `quote` before a string are keywords; elsewhere they may be names."""
    found = tokenize_text(tmp_path, 'cite s at "section 2" quote "text"\n')
    scopes = {t[3]: t[4][-1] for t in found if t[3].strip()}
    assert scopes["at"].startswith("keyword.") and scopes["quote"].startswith("keyword.")


def test_strings_comments_and_names_keep_keywords_inside_them(tmp_path: Path):
    """A keyword inside a string, a comment or a longer name is not highlighted as a keyword."""
    found = tokenize_text(tmp_path, 'step step_when "when stop" # decide\n')
    scopes = {t[3]: t[4][-1] for t in found if t[3].strip()}
    assert scopes["step"].startswith("keyword.")
    assert scopes["step_when"] == "entity.name.function.carepath"
    assert scopes["when stop"] == "string.quoted.double.carepath"
    assert scopes["# decide"] == "comment.line.number-sign.carepath"


def _scopes_at(by_place: dict, found: list, line: int, start: int) -> list[str]:
    """The scopes of the TextMate token covering a position."""
    if (line, start) in by_place:
        return by_place[(line, start)][4]
    return next((t[4] for t in found if t[0] == line and t[1] <= start < t[2]), [])


def _parses(path: Path) -> bool:
    """Whether a file is a pathway the parser reads."""
    try:
        full_tree(read_source(path))
        return True
    except PathwayError:
        return False
