"""carepath: clinical pathways as code. The public API: load, loads, run, check, render, test_scenarios."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence
from weakref import WeakKeyDictionary

from .engine import Program, Result
from .errors import CarepathError, CaseError, Diagnostic, PathwayDefect, PathwayError, SourceFile, Span
from .model import Pathway, load_source
from .model import load as _load_file

if TYPE_CHECKING:
    from .scenarios import Report

__version__ = "0.1.0"

_programs: "WeakKeyDictionary[Pathway, Program]" = WeakKeyDictionary()


def load(path: str | Path) -> Pathway:
    """Read, parse and resolve a pathway file; raise PathwayError with every problem found."""
    return _load_file(path)


def loads(text: str, name: str = "<string>") -> Pathway:
    """Parse and resolve pathway text given as a string."""
    return load_source(SourceFile(name, text))


def program(pathway: Pathway) -> Program:
    """The pathway compiled for running, built once per loaded pathway."""
    if pathway not in _programs:
        _programs[pathway] = Program(pathway)
    return _programs[pathway]


def run(pathway: Pathway | str | Path, case: Mapping[str, Any], source: SourceFile | None = None) -> Result:
    """Run one case (a mapping of fact names to values) through a pathway."""
    if not isinstance(pathway, Pathway):
        pathway = load(pathway)
    return program(pathway).run(case, source)


def check(pathway: Pathway | str | Path) -> list[Diagnostic]:
    """Every finding about a pathway (structure, decisions, reachability, invariants), by position."""
    from .checks import check as run_checks

    return run_checks(pathway if isinstance(pathway, Pathway) else load(pathway))


def render(pathway: Pathway | str | Path, format: str = "dot", case: Mapping[str, Any] | Result | None = None,
           findings: Sequence[Diagnostic] | None = None) -> str | bytes:
    """Draw a pathway as dot, mermaid or svg text or png bytes, with a case's path or findings marked."""
    from .diagram import draw

    if not isinstance(pathway, Pathway):
        pathway = load(pathway)
    if case is not None and not isinstance(case, Result):
        case = run(pathway, case)
    return draw(pathway, format, case, findings or ())


def test_scenarios(pathway: Pathway | str | Path, files: Iterable[str | Path]) -> "Report":
    """Run scenario files against a pathway: each scenario passes or fails, plus coverage."""
    from .scenarios import test_scenarios as run_files

    return run_files(pathway, files)


test_scenarios.__test__ = False  # not a pytest test, although its name starts with test_

__all__ = ["load", "loads", "run", "check", "program", "render", "test_scenarios", "Pathway", "Result", "Diagnostic", "Span",
           "CarepathError", "PathwayError", "PathwayDefect", "CaseError", "__version__"]
