"""Stage 3 over a population, summed up: how many rows took each edge, stopped where for which
facts, and received each code, read from a result file for `render --population`."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlglot import exp

from ..errors import UsageError, error
from ..syntax import ast
from . import INPUT_FORMATS

NEEDED_COLUMNS = ("status", "route", "needs", "codes")


@dataclass
class Weights:
    """A population's results in counts (rows in error count only in `statuses`)."""

    statuses: Counter = field(default_factory=Counter)
    edges: Counter = field(default_factory=Counter)
    finished: Counter = field(default_factory=Counter)
    stopped: Counter = field(default_factory=Counter)
    needs: dict[str, Counter] = field(default_factory=dict)
    codes: Counter = field(default_factory=Counter)

    @property
    def cases(self) -> int:
        """Every row."""
        return sum(self.statuses.values())

    @property
    def walked(self) -> int:
        """Rows that ran (not in error)."""
        return self.cases - self.statuses["error"]

    def add(self, pathway, status: str, route: list[str], needs: list[str], codes: list[str], count: int) -> None:
        """Count `count` rows with this result."""
        self.statuses[status] += count
        if status == "error" or not route:
            return
        self.edges.update({edge: count for edge in zip(route, route[1:])})
        last = route[-1]
        if status == "needs_input":
            self.stopped[last] += count
            self.needs.setdefault(last, Counter()).update({fact: count for fact in needs})
        else:
            self.finished[last] += count
        self.codes.update({pair: count for pair in _emitters(pathway, route, codes)})


def _emitters(pathway, route: list[str], codes: list[str]) -> list[tuple[str, str]]:
    """(step, code) of each emitted code: codes come in route order, and within a step in the
    order of its recommendations."""
    found, at = [], 0
    for name in route:
        node = pathway.nodes[name]
        for rec in node.recommendations if isinstance(node, ast.Step) else ():
            if at < len(codes) and codes[at] == rec.code:
                found.append((name, rec.code))
                at += 1
    return found


def weigh(pathway, results: str) -> Weights:
    """Count a result file (Parquet or JSON Lines, as `run --population` writes it)."""
    import duckdb

    suffix = Path(results).suffix.lower()
    if suffix not in INPUT_FORMATS or suffix == ".csv":
        raise UsageError(error(f"{results}: give the .parquet or .jsonl file that `run --population` wrote"))
    if not Path(results).is_file():
        raise UsageError(error(f"{results}: no such file"))
    reader = exp.Anonymous(this="read_parquet" if suffix == ".parquet" else "read_json",
                           expressions=[exp.Literal.string(results)])
    columns = [exp.column(exp.to_identifier(name, quoted=True)) for name in NEEDED_COLUMNS]
    grouped = exp.select(*columns, exp.Count(this=exp.Star())).from_(reader).group_by(*columns)
    weights = Weights()
    try:
        rows = duckdb.connect().execute(grouped.sql(dialect="duckdb")).fetchall()
    except duckdb.Error as exc:
        raise UsageError(error(f"{results}: cannot read the results (columns {', '.join(NEEDED_COLUMNS)}): "
                               f"{str(exc).strip().splitlines()[0]}")) from None
    for status, route, needs, codes, count in rows:
        unknown = [n for n in route or () if n not in pathway.nodes]
        if unknown:
            raise UsageError(error(f"{results}: the results name node `{unknown[0]}`, which this pathway lacks; "
                                   "were they made by another pathway?"))
        weights.add(pathway, status, list(route or ()), list(needs or ()), list(codes or ()), count)
    return weights
