"""carepath: clinical pathways as code. The public API: load, loads, program, run, run_batch, check,
diff, render, review, test_scenarios.

Nothing is imported eagerly: the error types, the stages (and Lark with them) load on first use,
so that `import carepath` and `carepath --version` start quickly.
"""
from __future__ import annotations

from importlib import import_module
from weakref import WeakKeyDictionary

TYPE_CHECKING = False  # typing itself costs a few milliseconds of start-up; type checkers read this as True
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any, Iterable, Iterator, Mapping, Sequence

    from .engine import Program, Result
    from .engine.batch import BatchLine
    from .model import Pathway
    from .comparison import Comparison
    from .scenarios import Report
    from .scenarios.needs import NeedsAll
    from .errors import CarepathError, CaseError, Diagnostic, PathwayDefect, PathwayError, SourceFile, Span

__version__ = "0.1.0"

_programs: "WeakKeyDictionary[Pathway, Program]" = WeakKeyDictionary()
_HOMES = {"Pathway": ".model", "Program": ".engine", "Result": ".engine", "BatchLine": ".engine.batch",
          **{name: ".errors" for name in ("CarepathError", "CaseError", "Diagnostic", "PathwayDefect", "PathwayError",
                                          "SourceFile", "Span")}}


def __getattr__(name: str) -> Any:
    """The public classes and error types, imported from their stage on first use (then kept here,
    so that later reads do not come back through this function)."""
    if name in _HOMES:
        found = globals()[name] = getattr(import_module(_HOMES[name], __name__), name)
        return found
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load(path: str | Path) -> Pathway:
    """Read, parse and resolve a pathway file; raise PathwayError with every problem found."""
    from .model import load as load_file

    return load_file(path)


def loads(text: str, name: str = "<string>") -> Pathway:
    """Parse and resolve pathway text given as a string."""
    from .errors import SourceFile
    from .model import load_source

    return load_source(SourceFile(name, text))


def program(pathway: Pathway) -> Program:
    """The pathway compiled for running, built once per loaded pathway."""
    from .engine import Program

    if pathway not in _programs:
        _programs[pathway] = Program(pathway)
    return _programs[pathway]


def _loaded(pathway: Pathway | str | Path) -> Pathway:
    """A pathway given as itself or as a file name."""
    from pathlib import Path

    return load(pathway) if isinstance(pathway, (str, Path)) else pathway


def run(pathway: Pathway | str | Path, case: Mapping[str, Any], source: SourceFile | None = None) -> Result:
    """Run one case (a mapping of fact names to values) through a pathway."""
    return program(_loaded(pathway)).run(case, source)


def run_batch(pathway: Pathway | str | Path, lines: Iterable[bytes | str],
              name: str = "<batch>") -> Iterator[BatchLine]:
    """Run one JSON case per line (blank lines skipped), yielding each line's result or errors."""
    from .engine.batch import run_lines

    return run_lines(program(_loaded(pathway)), lines, name)


def needs_all(pathway: Pathway | str | Path, case: Mapping[str, Any], timeout: float | None = None) -> "NeedsAll":
    """Every missing fact that could still change a recommendation for this case (not only the first stop's),
    asked of the solver; `timeout` is the limit in seconds on one question (default 5)."""
    from .scenarios.needs import needs_all as ask

    return ask(_loaded(pathway), case, None if timeout is None else max(1, round(timeout * 1000)))


def check(pathway: Pathway | str | Path, timeout: float | None = None) -> list[Diagnostic]:
    """Every finding about a pathway (structure, decisions, reachability, invariants), by position;
    `timeout` is the limit in seconds on one solver question (default 5)."""
    from .checks import check as run_checks

    return run_checks(_loaded(pathway), timeout)


def render(pathway: Pathway | str | Path, format: str = "dot", case: Mapping[str, Any] | Result | None = None,
           findings: Sequence[Diagnostic] | None = None, section: str | None = None,
           timeout: float | None = None, population: str | Path | None = None) -> str | bytes:
    """Draw a pathway (or one section) as dot, mermaid or svg text or png bytes, with a case's path or
    findings marked, or weighted by a population's results (the file `run --population` wrote);
    `timeout`: seconds Graphviz may take for svg and png."""
    from .diagram import draw
    from .engine import Result

    pathway = _loaded(pathway)
    if case is not None and not isinstance(case, Result):
        case = run(pathway, case)
    weights = None
    if population is not None:
        from .population.weights import weigh

        weights = weigh(pathway, str(population))
    return draw(pathway, format, case, findings or (), section, timeout, weights)


def diff(old: Pathway | str | Path, new: Pathway | str | Path, limit: int = 20,
         timeout: float | None = None) -> "Comparison":
    """Compare two versions on every valid case: proven the same, or each difference (at most `limit` of
    each kind) with a condition, the codes gained and lost, and a witness; `timeout`: seconds per solver
    question (default 5)."""
    from .comparison import compare
    from .solver import TIMEOUT_MS

    timeout_ms = TIMEOUT_MS if timeout is None else max(1, int(timeout * 1000))
    return compare(_loaded(old), _loaded(new), limit, timeout_ms)


def review(pathway: Pathway | str | Path, scenarios: Iterable[str | Path] = (),
           case: Mapping[str, Any] | Result | None = None, since: Pathway | str | Path | None = None) -> str:
    """The review page (self-contained HTML): flowcharts, node details, checks, scenarios, a case's route,
    and with `since` (an earlier version) what `diff` finds changed."""
    from .engine import Result
    from .review_page import page

    pathway = _loaded(pathway)
    if case is not None and not isinstance(case, Result):
        case = run(pathway, case)
    files = list(scenarios)
    report = test_scenarios(pathway, files) if files else None
    changes = diff(since, pathway) if since is not None else None
    return page(pathway, check(pathway), report, case, __version__, changes)


def test_scenarios(pathway: Pathway | str | Path, files: Iterable[str | Path]) -> "Report":
    """Run scenario files against a pathway: each scenario passes or fails, plus coverage."""
    from .scenarios import test_scenarios as run_files

    return run_files(pathway, files)


test_scenarios.__test__ = False  # not a pytest test, although its name starts with test_

__all__ = ["load", "loads", "run", "run_batch", "needs_all", "check", "diff", "program", "render", "review",
           "test_scenarios", "Pathway",
           "Result", "BatchLine", "Diagnostic", "Span", "SourceFile", "CarepathError", "PathwayError",
           "PathwayDefect", "CaseError", "__version__"]
