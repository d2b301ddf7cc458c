"""Stage 2, the model: a resolved, type-checked pathway and its decision graph."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import PathwayError, SourceFile
from ..syntax import ast, parse, paused_gc, read_source
from .resolve import Tables, declared_units, resolve, successors

if TYPE_CHECKING:
    import networkx


@dataclass(frozen=True, eq=False)
class Pathway:
    """A loaded pathway: its document, every name resolved, and (on first use) its graph."""

    document: ast.Document
    tables: Tables
    source: SourceFile = field(repr=False)

    @property
    def name(self) -> str:
        """The pathway's name from its header."""
        return self.document.header.name

    @property
    def version(self) -> str | None:
        """The pathway's version from its header."""
        return self.document.header.version

    @property
    def facts(self) -> dict[str, ast.Fact]:
        """Declared facts by name, in source order."""
        return self.tables.facts

    @property
    def derived(self) -> dict[str, ast.Derived]:
        """Derived values by name, in source order."""
        return self.tables.derived

    @property
    def units(self) -> dict[str, str]:
        """The declared unit of each fact and derived value that has one, by name."""
        return declared_units(self.facts, self.derived)

    @property
    def nodes(self) -> dict[str, ast.Node]:
        """Steps and decisions by name, in source order."""
        return self.tables.nodes

    @property
    def sources(self) -> dict[str, ast.Source]:
        """Declared sources by name, in source order."""
        return self.tables.sources

    def source_title(self, name: str) -> str:
        """How a reader knows a declared source: its title, else its reference."""
        source = self.sources[name]
        return source.title or source.reference

    @property
    def start(self) -> str:
        """The name of the first node."""
        return self.tables.start

    @cached_property
    def graph(self) -> "networkx.DiGraph":
        """The decision graph (built on first use, so running a case never imports networkx)."""
        from .graph import build_graph

        with paused_gc():
            return build_graph(self)


def load_source(source: SourceFile) -> Pathway:
    """Parse and resolve a source file into a Pathway, or raise PathwayError."""
    with paused_gc():
        document = parse(source)
        return Pathway(document, resolve(document), source)


CASE_SUFFIXES = (".json", ".jsonl", ".yaml", ".yml")


def load(path: str | Path) -> Pathway:
    """Read, parse and resolve a pathway file; one named like a case or scenario file gets a hint
    that the arguments may be swapped."""
    try:
        return load_source(read_source(path))
    except PathwayError as exc:
        if Path(path).suffix.lower() not in CASE_SUFFIXES:
            raise
        first, *rest = exc.diagnostics
        raise PathwayError([replace(first, hint=swapped_hint(path)), *rest]) from None


def swapped_hint(path: str | Path) -> str:
    """The hint for a case or scenario file given where the pathway belongs."""
    return (f"{Path(path).name} looks like a case or scenario file, read here as the PATHWAY: the pathway "
            "(.dsl) comes first, e.g. `carepath run pathway.dsl case.json`")


__all__ = ["Pathway", "load", "load_source", "successors"]
