"""Stage 4, scenarios: a scenario file (YAML, safe loader) read into scenarios checked against a pathway.

Every mistake is collected and reported at its `file:line:col` (from the YAML node marks), not
first-error-wins: unknown keys, wrong types, unknown facts or values, codes no step recommends,
nodes the pathway does not have, duplicate names.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from ..engine import COMPLETE, NEEDS_INPUT
from ..engine.cases import fact_problem, type_error, yaml_loader, yaml_problem
from ..errors import CarepathError, Diagnostic, SourceFile, Span, UsageError, did_you_mean, error, source_order
from ..model import Pathway, load
from ..syntax import ast, read_source

FILE_KEYS = ("pathway", "defaults", "scenarios")
SCENARIO_KEYS = ("name", "source", "quote", "case", "expect")
EXPECT_KEYS = ("status", "present", "absent", "needs", "path", "urgency", "values")
URGENCIES = ("emergency", "urgent", "routine")
STATUSES = (COMPLETE, NEEDS_INPUT)
SUFFIX = ".scenarios.yaml"
MAX_SCENARIO_BYTES = 2 * 1024 * 1024  # YAML reads at ~200 KB/s: a scenario file of this size takes ~10 s


class ScenarioError(CarepathError):
    """A scenario file that cannot be read or does not fit its pathway: an input error, exit 2."""


@dataclass(frozen=True)
class Expect:
    """What a scenario expects of its run; None or empty means 'not checked'."""

    status: str | None = None
    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    needs: tuple[str, ...] | None = None
    path: tuple[str, ...] = ()
    urgency: tuple[tuple[str, str], ...] = ()
    values: tuple[tuple[str, Any], ...] = ()  # (derived value or fact, expected value; None: not known)


@dataclass(frozen=True)
class Scenario:
    """One named case with its expectations; `facts` are the defaults merged under the case."""

    name: str
    facts: Mapping[str, Any]
    expect: Expect
    source: str | None = None
    quote: str | None = None
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ScenarioFile:
    """A loaded scenario file: the pathway it tests and its scenarios in file order."""

    source: SourceFile
    pathway: Pathway
    scenarios: tuple[Scenario, ...]


def default_scenarios(pathway_path: str | Path) -> Path:
    """The scenario file that sits next to a pathway: pathway.dsl -> pathway.scenarios.yaml."""
    path = Path(pathway_path)
    return path.with_name(path.stem + SUFFIX)


def scenario_files(pathway_path: str | Path, files: Iterable[str]) -> list[str]:
    """The files given, or else the scenario file next to the pathway (a usage error if none)."""
    if files:
        return list(files)
    default = default_scenarios(pathway_path)
    if not default.is_file():
        raise UsageError(error(f"no scenario files given, and {default} does not exist"))
    return [str(default)]


def default_pathway(scenario_path: str | Path) -> Path:
    """The pathway a scenario file tests when it names none: x.scenarios.yaml -> x.dsl."""
    path = Path(scenario_path)
    stem = path.name[: -len(SUFFIX)] if path.name.endswith(SUFFIX) else path.stem
    return path.with_name(stem + ".dsl")


def load_scenarios(path: str | Path, pathway: Pathway | None = None) -> ScenarioFile:
    """Read a scenario file; without `pathway`, load the one the file names (or `<stem>.dsl`)."""
    source = read_source(path, "scenario file", MAX_SCENARIO_BYTES)
    loader, root = _compose(source)
    reader = _Reader(source, loader)
    keys = reader.mapping(root, "the scenario file", FILE_KEYS) if root is not None else {}
    if "scenarios" not in keys and (root is None or root.tag.endswith(":map")):
        span = reader.span(root) if root is not None else Span(source, 1, 1, 1, 2)
        reader.report(error("a scenario file needs a `scenarios:` list", span, kind="scenario"))
    pathway = _pathway_for(reader, Path(path), keys.get("pathway"), pathway)
    reader.bind(pathway)
    defaults = reader.facts(keys["defaults"][1], "defaults") if "defaults" in keys else {}
    scenarios = reader.scenarios(keys["scenarios"][1], defaults) if "scenarios" in keys else ()
    reader.raise_problems()
    return ScenarioFile(source, pathway, scenarios)


def _compose(source: SourceFile):
    """The YAML node tree (safe loader, YAML 1.2 core schema), and the loader that will construct its scalars."""
    import yaml

    loader = yaml_loader()(source.text)
    try:
        return loader, loader.get_single_node()
    except yaml.YAMLError as exc:
        raise ScenarioError(yaml_problem(source, exc, "scenario")) from None
    except RecursionError:
        raise ScenarioError(error("the file is nested too deeply to read", Span(source, 1, 1, 1, 2),
                                  kind="scenario")) from None


def _pathway_for(reader: "_Reader", path: Path, entry, given: Pathway | None) -> Pathway:
    """The pathway these scenarios test: the one given, which must match `pathway:` if named."""
    named = reader.string(entry[1], "pathway") if entry else None
    target = path.parent / named if named else default_pathway(path)
    if given is None:
        if not target.is_file():
            where = reader.span(entry[1]) if entry else Span(reader.source, 1, 1, 1, 2)
            reader.report(error(f"the pathway {target} does not exist", where, kind="scenario",
                                hint=None if entry else f"name it with `pathway:` (relative to {path.name})"))
            reader.raise_problems()
        return load(target)
    given_path = Path(given.source.name)
    if named and given_path.is_file() and (not target.is_file() or not target.samefile(given_path)):
        # One clear error: checking the scenarios against the wrong pathway would only add a
        # follow-on error for each of its facts, codes and nodes.
        reader.report(error(f"this file tests {target}, but the pathway given is {given_path}",
                            reader.span(entry[1]), kind="scenario",
                            hint=f"run it against its own pathway: carepath test {target} {path}"))
        reader.raise_problems()
    return given


class _Reader:
    """Walks the YAML nodes, constructing values and collecting located problems."""

    def __init__(self, source: SourceFile, loader):
        self.source, self.loader = source, loader
        self.problems: list[Diagnostic] = []
        self.pathway: Pathway | None = None

    def bind(self, pathway: Pathway) -> None:
        """The pathway whose facts, codes and nodes the scenarios may name."""
        self.pathway = pathway
        self.codes = {r.code for r in ast.recommendations(pathway.nodes.values())}

    def report(self, problem: Diagnostic) -> None:
        """Keep a problem; all are raised together at the end."""
        self.problems.append(problem)

    def raise_problems(self) -> None:
        """Raise every problem found so far, in file order."""
        if self.problems:
            raise ScenarioError(sorted(self.problems, key=source_order))

    def span(self, node) -> Span:
        """The span of a YAML node (the first line only, for a block that runs over several)."""
        start, end = node.start_mark, node.end_mark
        end_column = end.column + 1 if end.line == start.line else len(self.source.line(start.line + 1)) + 1
        return Span(self.source, start.line + 1, start.column + 1, start.line + 1, max(end_column, start.column + 2))

    def wrong(self, node, what: str, expected: str) -> None:
        """Report a node of the wrong kind."""
        self.report(error(f"{what} must be {expected}, not {_kind_of(node)}", self.span(node), kind="scenario"))

    def value(self, node) -> Any:
        """The Python value of a node, constructed by the safe loader (None when it refuses)."""
        import yaml

        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            self.report(yaml_problem(self.source, exc, "scenario"))
            return None

    def mapping(self, node, what: str, allowed: Iterable[str] | None = None) -> dict[str, tuple[Any, Any]]:
        """A mapping node's entries by key (key node, value node); unknown keys reported."""
        import yaml

        if not isinstance(node, yaml.MappingNode):
            self.wrong(node, what, "a mapping")
            return {}
        entries: dict[str, tuple[Any, Any]] = {}
        allowed = tuple(allowed) if allowed is not None else None
        for key, value in self.pairs(node, what):
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            if name is None:
                self.wrong(key, f"a key in {what}", "a name")
            elif allowed is not None and name not in allowed:
                self.report(error(f"unknown key `{name}` in {what}; expected one of {', '.join(allowed)}",
                                  self.span(key), kind="scenario", hint=did_you_mean(name, allowed)))
            else:
                entries[name] = (key, value)
        return entries

    def pairs(self, node, what: str) -> Iterator[tuple[Any, Any]]:
        """A mapping's pairs, merge keys (`<<: *anchor`) expanded first so written keys override them;
        a key written twice is reported and dropped (PyYAML would silently keep the last)."""
        import yaml

        written_count = sum(key.tag != "tag:yaml.org,2002:merge" for key, _ in node.value)
        self.loader.flatten_mapping(node)
        first_written = len(node.value) - written_count
        written: set[str] = set()
        for index, (key, value) in enumerate(node.value):
            if index >= first_written and isinstance(key, yaml.ScalarNode):
                if key.value in written:
                    self.report(error(f"`{key.value}` is given twice in {what}", self.span(key), kind="scenario"))
                    continue
                written.add(key.value)
            yield key, value

    def string(self, node, what: str) -> str | None:
        """A string scalar, or None (reported) when it is something else."""
        value = self.value(node)
        if isinstance(value, str) and value.strip():
            return value
        self.wrong(node, what, "a non-empty string")
        return None

    def names(self, node, what: str, known: Iterable[str], kind: str) -> tuple[str, ...]:
        """A list of names, each one of `known` (reported with a 'did you mean' otherwise)."""
        import yaml

        if not isinstance(node, yaml.SequenceNode):
            self.wrong(node, what, f"a list of {kind} names")
            return ()
        known = set(known)
        found = []
        for item in node.value:
            name = self.value(item) if isinstance(item, yaml.ScalarNode) else None
            if not isinstance(name, str):
                self.wrong(item, f"an entry of {what}", f"a {kind} name")
            elif name not in known:
                self.report(error(f"{what}: `{name}` is not a {kind} of this pathway", self.span(item),
                                  kind="scenario", hint=did_you_mean(name, known)))
            else:
                found.append(name)
        return tuple(found)

    def facts(self, node, what: str) -> dict[str, Any]:
        """Fact values by name, each checked against its declaration (null means absent)."""
        facts = {}
        for name, (key, value_node) in self.mapping(node, what).items():
            value = self.value(value_node)
            problem = fact_problem(self.pathway, name, value)
            if problem:
                message, hint, at_key = problem
                self.report(error(f"{what}: {message}", self.span(key if at_key else value_node),
                                  kind="scenario", hint=hint))
            else:
                facts[name] = value
        return facts

    def scenarios(self, node, defaults: dict[str, Any]) -> tuple[Scenario, ...]:
        """The scenario list, each scenario checked; names must be unique."""
        import yaml

        if not isinstance(node, yaml.SequenceNode):
            self.wrong(node, "`scenarios`", "a list of scenarios")
            return ()
        found: dict[str, Scenario] = {}
        for item in node.value:
            scenario = self.scenario(item, defaults)
            if scenario is None:
                continue
            if scenario.name in found:
                self.report(error(f"two scenarios are named {scenario.name!r}", scenario.span, kind="scenario"))
            found[scenario.name] = scenario
        return tuple(found.values())

    def scenario(self, node, defaults: dict[str, Any]) -> Scenario | None:
        """One scenario: name, optional source and quote, case facts, expectations."""
        import yaml

        entries = self.mapping(node, "a scenario", SCENARIO_KEYS)
        if isinstance(node, yaml.MappingNode) and "name" not in entries:
            self.report(error("a scenario needs a `name`", self.span(node), kind="scenario"))
        name = self.string(entries["name"][1], "a scenario's `name`") if "name" in entries else None
        text = {key: self.string(entries[key][1], f"`{key}`") for key in ("source", "quote") if key in entries}
        case = self.facts(entries["case"][1], "case") if "case" in entries else {}
        expect = self.expect(entries["expect"][1]) if "expect" in entries else Expect()
        if name is None:
            return None
        facts = {k: v for k, v in {**defaults, **case}.items() if v is not None}
        return Scenario(name, facts, expect, text.get("source"), text.get("quote"), self.span(node))

    def expect(self, node) -> Expect:
        """The expectations: status, codes present and absent, needs, nodes on the path."""
        entries = self.mapping(node, "`expect`", EXPECT_KEYS)
        status = None
        if "status" in entries:
            status = self.value(entries["status"][1])
            if status not in STATUSES:
                self.report(error(f"`status` must be {' or '.join(STATUSES)}, not {status!r}",
                                  self.span(entries["status"][1]), kind="scenario",
                                  hint=did_you_mean(str(status), STATUSES)))
        listed = {key: self.names(entries[key][1], f"`{key}`", known, kind) for key, known, kind in (
            ("present", self.codes, "recommendation code"), ("absent", self.codes, "recommendation code"),
            ("needs", self.pathway.facts, "fact"), ("path", self.pathway.nodes, "node")) if key in entries}
        both = set(listed.get("present", ())) & set(listed.get("absent", ()))
        if both:
            self.report(error(f"{', '.join(sorted(both))} cannot be both present and absent",
                              self.span(entries["absent"][1]), kind="scenario"))
        if status == COMPLETE and listed.get("needs"):
            self.report(error("`needs` lists facts, but `status` is complete", self.span(entries["needs"][1]),
                              kind="scenario"))
        urgency = self.urgency(entries["urgency"][1]) if "urgency" in entries else ()
        values = self.expected_values(entries["values"][1]) if "values" in entries else ()
        return Expect(status, listed.get("present", ()), listed.get("absent", ()), listed.get("needs"),
                      listed.get("path", ()), urgency, values)

    def urgency(self, node) -> tuple[tuple[str, str], ...]:
        """`urgency: {CODE: emergency | urgent | routine}`: the urgency each code must be emitted with."""
        found = []
        for code, (key, value_node) in self.mapping(node, "`urgency`").items():
            level = self.value(value_node)
            if code not in self.codes:
                self.report(error(f"`urgency`: `{code}` is not a recommendation code of this pathway",
                                  self.span(key), kind="scenario", hint=did_you_mean(code, self.codes)))
            elif level not in URGENCIES:
                self.report(error(f"`urgency` of `{code}` must be {', '.join(URGENCIES)}, not {level!r}",
                                  self.span(value_node), kind="scenario", hint=did_you_mean(str(level), URGENCIES)))
            else:
                found.append((code, level))
        return tuple(found)

    def expected_values(self, node) -> tuple[tuple[str, Any], ...]:
        """`values: {score: 4, band: high}`: derived values (or facts) and the values the run must give them."""
        found = []
        declared = {**self.pathway.facts, **self.pathway.derived}
        for name, (key, value_node) in self.mapping(node, "`values`").items():
            value = self.value(value_node)
            if name not in declared:
                self.report(error(f"`values`: `{name}` is neither a derived value nor a fact", self.span(key),
                                  kind="scenario", hint=did_you_mean(str(name), declared)))
                continue
            reason = None if value is None else type_error(declared[name].type, value)
            if reason:
                self.report(error(f"`values`: `{name}`: {reason}", self.span(value_node), kind="scenario"))
                continue
            found.append((name, value))
        return tuple(found)


def _kind_of(node) -> str:
    """A YAML node's kind in words."""
    import yaml

    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return "null" if node.tag.endswith(":null") else f"the scalar {node.value!r}"
