"""carepath: clinical pathways as code. The public API: load, loads, run, run_batch (check and render to come)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping
from weakref import WeakKeyDictionary

from .engine import Program, Result
from .engine.batch import BatchLine, run_lines
from .errors import CarepathError, CaseError, Diagnostic, PathwayError, SourceFile, Span
from .model import Pathway, load_source
from .model import load as _load_file

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


def run_batch(pathway: Pathway, lines: Iterable[bytes | str], name: str = "<batch>") -> Iterator[BatchLine]:
    """Run one JSON case per line (blank lines skipped), yielding each line's result or errors."""
    return run_lines(program(pathway), lines, name)


__all__ = ["load", "loads", "run", "run_batch", "program", "BatchLine", "Pathway", "Result", "Diagnostic", "Span",
           "CarepathError", "PathwayError", "CaseError", "__version__"]
