"""Stage 3, execution: reading a case (JSON or YAML, safely) and validating it against the declared facts."""
from __future__ import annotations

import json
import re
from datetime import date
from fractions import Fraction
from functools import lru_cache
from typing import Any, Callable, Mapping

from ..errors import CaseError, Diagnostic, SourceFile, Span, UsageError, did_you_mean, error
from ..syntax import ast, decode, read_input
from ..syntax.printer import show
from ..expr.dates import NotADate, parse_date
from ..expr.numbers import MAX_NUMBER_LENGTH, NotANumber, decimal_of, from_python, parse_decimal, show_number

MAX_SHOWN = 40
MAX_CASE_BYTES = 1024 * 1024  # a case is a few facts; YAML reads at ~100 KB/s, so this is seconds


def read_case(path: str) -> tuple[dict[str, Any], SourceFile]:
    """Read a case file (`-` for stdin) into a mapping of fact names to values."""
    try:
        data = read_input(path, "case file", MAX_CASE_BYTES)
    except UsageError as exc:
        raise CaseError(exc.diagnostics) from None
    source = decode("<stdin>" if path == "-" else path, data, MAX_CASE_BYTES)
    return parse_case(source), source


def parse_case(source: SourceFile) -> dict[str, Any]:
    """Parse case text: JSON when the name ends in .json or the text starts with `{`, else YAML."""
    is_json = source.name.endswith(".json") or source.text.lstrip().startswith("{")
    return _mapping(source, _parse_json(source) if is_json else _parse_yaml(source))


def parse_json_case(source: SourceFile) -> dict[str, Any]:
    """Parse a case written in JSON (one line of a batch, say)."""
    return _mapping(source, _parse_json(source))


def _mapping(source: SourceFile, data: Any) -> dict[str, Any]:
    """The parsed data, which must be a mapping of fact names to values."""
    if not isinstance(data, dict):
        raise CaseError(error(f"a case must be a mapping of fact names to values, not {_kind(data)}",
                              Span(source, 1, 1, 1, 2), kind="case"))
    return data


class _GivenTwice(Exception):
    """A key that appears twice in one JSON object."""


class _TooLong(Exception):
    """An integer literal longer than any fact's value could be."""


def _unique_pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object's pairs as a dict, refusing a key given twice (json keeps the last silently)."""
    seen = dict(items)
    if len(seen) < len(items):
        raise _GivenTwice(_first_repeat(k for k, _ in items))
    return seen


def _no_constant(name: str) -> None:
    """NaN and Infinity are not JSON numbers."""
    raise ValueError(f"{name} is not a number a case may contain")


def _bounded_int(text: str) -> int:
    """An integer literal, refused past MAX_NUMBER_LENGTH digits (before int() meets its own limit)."""
    if len(text) > MAX_NUMBER_LENGTH:
        raise _TooLong(text)
    return int(text)


def _exact_decimal(text: str) -> Any:
    """A JSON number with a fraction or exponent, read exactly from its text (`76.8` is 384/5)."""
    if len(text) > MAX_NUMBER_LENGTH:
        raise _TooLong(text)
    return decimal_of(text)


# One strict decoder, built once: json.loads with hooks builds a new decoder per call, which
# cost more than decoding a case line. Numbers are read from their text, never through a float.
_STRICT_JSON = json.JSONDecoder(object_pairs_hook=_unique_pairs, parse_constant=_no_constant,
                                parse_int=_bounded_int, parse_float=_exact_decimal)


def _parse_json(source: SourceFile) -> Any:
    """Strict JSON: no NaN or Infinity, no duplicate keys."""
    try:
        return _STRICT_JSON.decode(source.text)
    except _GivenTwice as exc:
        key = exc.args[0]
        raise CaseError(error(f"fact `{key}` is given twice", _key_span(source, key), kind="case")) from None
    except _TooLong as exc:
        text = exc.args[0]
        raise CaseError(_too_long(_span_at(source, source.text.find(text), len(text)), len(text))) from None
    except json.JSONDecodeError as exc:
        raise CaseError(json_problem(source, exc)) from None
    except RecursionError:
        raise CaseError(error(TOO_DEEP, Span(source, 1, 1, 1, 2), kind="case")) from None
    except ValueError as exc:
        raise CaseError(error(f"invalid JSON: {exc}", Span(source, 1, 1, 1, 2), kind="case")) from None


TOO_DEEP = "the case is nested too deeply to read; a case is a flat mapping of fact names to values"


def _too_long(span: Span | None, length: int) -> Diagnostic:
    """A number literal too long to be meant (and past what int() will convert)."""
    return error(f"a number may have at most {MAX_NUMBER_LENGTH} characters; this one has {length}", span,
                 kind="case")


def _first_repeat(keys) -> str:
    """The first key that has been seen before."""
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            return key
        seen.add(key)
    raise ValueError("no key repeats")


def _parse_yaml(source: SourceFile) -> Any:
    """YAML through the safe loader only: no tags that build objects, no duplicate keys."""
    import yaml

    try:
        loader = yaml_loader()(source.text)
        node = loader.get_single_node()
        if isinstance(node, yaml.MappingNode):
            _refuse_duplicate_keys(source, node)
        return loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise CaseError(yaml_problem(source, exc, "case")) from None
    except RecursionError:
        raise CaseError(error(TOO_DEEP, Span(source, 1, 1, 1, 2), kind="case")) from None
    except ValueError as exc:
        raise CaseError(error(f"invalid YAML: {exc}", Span(source, 1, 1, 1, 2), kind="case")) from None


def json_problem(source: SourceFile, exc: json.JSONDecodeError) -> Diagnostic:
    """A JSON syntax error at its place; a comma before `}` or `]` is named a trailing comma, at the
    comma; a non-ASCII digit is named as such."""
    comma = len(source.text[:exc.pos].rstrip()) - 1
    if source.text[exc.pos:exc.pos + 1] in ("}", "]") and comma >= 0 and source.text[comma] == ",":
        return error("invalid JSON: trailing comma: JSON allows no comma after the last item",
                     _span_at(source, comma, 1), kind="case", hint="remove this comma")
    char = source.text[exc.pos:exc.pos + 1]
    message = "numbers are written with the ASCII digits 0-9" if char.isdigit() and not char.isascii() else exc.msg
    return error(f"invalid JSON: {message}", Span(source, exc.lineno, exc.colno, exc.lineno, exc.colno + 1),
                 kind="case")


@lru_cache(maxsize=1)
def yaml_problem(source: SourceFile, exc: Exception, kind: str) -> Diagnostic:
    """A YAML error (cases, scenario files) at the place its mark points to; a tab that indents a
    line (YAML forbids it) is named as such."""
    mark = getattr(exc, "problem_mark", None)
    span = Span(source, mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2) if mark else None
    if span is None and isinstance(getattr(exc, "position", None), int):  # a ReaderError: a bad character
        line, column = source.position(exc.position)
        span = Span(source, line, column, line, column + 1)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    line = source.line(mark.line + 1) if mark else ""
    if "\t" in _indentation(line):
        return error("invalid YAML: a tab indents this line; YAML allows only spaces there", span, kind=kind,
                     hint="use spaces to indent, not tabs")
    if mark and line[mark.column:mark.column + 1] == "\t":
        return error("invalid YAML: a tab cannot stand here", span, kind=kind,
                     hint="use spaces, or quote a value that contains a tab")
    return error(f"invalid YAML: {problem}", span, kind=kind)


def _indentation(line: str) -> str:
    """The whitespace a line starts with."""
    return line[:len(line) - len(line.lstrip())]


# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution), not PyYAML's YAML 1.1:
# `no`, `on`, `0101`, `1:05`, `6_5` and `2024-01-01` are text, so no value changes silently.
# The merge key `<<` is kept: scenario files share facts with it.
_CORE_RESOLVERS = (
    ("tag:yaml.org,2002:merge", r"^(?:<<)$", "<"),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("tag:yaml.org,2002:float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                                r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+.0123456789"),
)


@lru_cache(maxsize=1)
def yaml_loader():
    """A safe loader that resolves plain scalars by the YAML 1.2 core schema and reads numbers exactly.

    Hexadecimal, octal and leading-zero integers are refused with their place: YAML 1.1 readers
    take `0101` for 65, so such a value means different things to different tools. Every value it
    cannot build (an explicit tag on the wrong text: `!!timestamp 1`, `!!bool x`) is a located error."""
    import yaml

    class CoreLoader(yaml.SafeLoader):
        """The safe loader with YAML 1.2 core-schema resolution and exact numbers."""

        yaml_implicit_resolvers: dict = {}

        def construct_object(self, node, deep=False):
            try:
                return super().construct_object(node, deep)
            except (TypeError, KeyError, AttributeError, ValueError, OverflowError):
                tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
                raise yaml.constructor.ConstructorError(
                    None, None, f"`{tag}` cannot be read from this text", node.start_mark) from None

        def construct_yaml_int(self, node):
            return _core_number(node, self)

        def construct_yaml_float(self, node):
            return _core_number(node, self)

    for tag, pattern, first in _CORE_RESOLVERS:
        CoreLoader.add_implicit_resolver(tag, re.compile(pattern), list(first))
    CoreLoader.add_constructor("tag:yaml.org,2002:int", CoreLoader.construct_yaml_int)
    CoreLoader.add_constructor("tag:yaml.org,2002:float", CoreLoader.construct_yaml_float)
    return CoreLoader


def _core_number(node, loader) -> Any:
    """A YAML number scalar as an exact int or Fraction; forms that readers disagree on are refused."""
    import yaml

    text = node.value
    problem = None
    if len(text) > MAX_NUMBER_LENGTH:
        problem = _too_long(None, len(text)).message
    elif re.fullmatch(r"[-+]?0[0-9]+(\.[0-9]*)?([eE].*)?|0[ox].*", text):
        problem = (f"`{text}` is ambiguous: YAML 1.1 reads it as octal or hexadecimal, YAML 1.2 as decimal; "
                   f"write the number in plain decimal digits without a leading zero, or quote it")
    elif not re.fullmatch(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?", text):
        problem = f"`{text}` is not a finite number"
    if problem is None:
        try:
            return parse_decimal(text.rstrip(".") if text.endswith(".") else text)
        except NotANumber as exc:
            problem = str(exc)
    raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark)


def _refuse_duplicate_keys(source: SourceFile, node) -> None:
    """PyYAML keeps the last of two equal keys; a case must say each fact once."""
    seen: set[str] = set()
    for key, _ in node.value:
        if not isinstance(key.value, str):
            line, column = key.start_mark.line + 1, key.start_mark.column + 1
            raise CaseError(error("a key must be a fact name, not a list or a mapping",
                                  Span(source, line, column, line, column + 1), kind="case"))
        if key.value in seen:
            line, column = key.start_mark.line + 1, key.start_mark.column + 1
            raise CaseError(error(f"fact `{key.value}` is given twice",
                                  Span(source, line, column, line, column + len(str(key.value))), kind="case"))
        seen.add(key.value)


def _key_span(source: SourceFile | None, key: str) -> Span | None:
    """Where a fact's key stands in the case text (JSON or YAML), if it can be found."""
    if source is None:
        return None
    start = _key_offsets(source).get(key)
    if start is None:
        return None
    return _span_at(source, start, len(key) + (2 if source.text[start] in "\"'" else 0))


# A key as a case text writes it: "quoted", 'quoted', or bare at the start of a YAML line.
_KEY = re.compile(r'"([^"\\\n]*(?:\\.[^"\\\n]*)*)"\s*:|\'([^\'\n]*)\'\s*:'
                  r'|(?m:^[ \t]*([^\s"\'#:{}\[\],][^:\n"\'{}]*?)[ \t]*:)')


@lru_cache(maxsize=4)
def _key_offsets(source: SourceFile) -> dict[str, int]:
    """The offset of each key's first appearance, found in one pass over the text: looking every
    key up with its own search made 20,000 unknown keys cost minutes."""
    offsets: dict[str, int] = {}
    for match in _KEY.finditer(source.text):
        group = next(g for g in (1, 2, 3) if match.group(g) is not None)
        offsets.setdefault(match.group(group), match.start(group) - (group != 3))
    return offsets


def _span_at(source: SourceFile, start: int, length: int) -> Span | None:
    """The span of `length` characters from offset `start` of the case text (None for offset -1)."""
    if start < 0:
        return None
    line, column = source.position(start)
    return Span(source, line, column, line, column + length)


def _kind(value: Any) -> str:
    """A value's JSON kind in words."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float, Fraction)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)):
        return "a list"
    return "a mapping" if isinstance(value, dict) else type(value).__name__


def _shown(value: Any) -> str:
    """A short, safe rendering of a scalar value for messages."""
    if isinstance(value, (dict, list, tuple)):
        return _kind(value)
    text = json.dumps(value) if isinstance(value, (str, bool)) else \
        show_number(value) if isinstance(value, (int, Fraction)) else str(value)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "..."


class CaseRules:
    """A pathway's rules for cases, prepared once: a type test per fact and the compiled requires."""

    def __init__(self, pathway, scope):
        self.pathway = pathway
        self.fits = {name: fits(fact.type) for name, fact in pathway.facts.items()}
        self.dates = frozenset(name for name, fact in pathway.facts.items() if isinstance(fact.type, ast.DateType))
        self.sets = frozenset(name for name, fact in pathway.facts.items() if isinstance(fact.type, ast.SetType))
        self.requires = [(r, scope.compile(r.condition), scope.reads(r.condition))
                         for r in pathway.document.requires]

    def validate(self, case: Mapping[str, Any], source: SourceFile | None = None) -> dict[str, Any]:
        """Check a case against the pathway's facts; return its facts with nulls dropped."""
        problems: list[Diagnostic] = []
        facts: dict[str, Any] = {}
        fits_ = self.fits
        for key, value in case.items():
            if type(value) is float or type(value) is Fraction:
                value = from_python(value)
            test = fits_.get(key)
            if test is None or (value is not None and not test(value)):
                problem = fact_problem(self.pathway, key, value)
                if problem:
                    problems.append(error(problem[0], _key_span(source, str(key)), kind="case", hint=problem[1]))
                    continue
                if key in self.dates:
                    value = parse_date(value)  # ISO 8601 text, checked just above
                elif key in self.sets and value is not None:
                    value = frozenset(value)  # a list of distinct values, checked just above
            if value is not None:
                facts[key] = value
        if problems:
            raise CaseError(problems)
        return facts

    def check_requires(self, env: dict[str, Any], source: SourceFile | None) -> None:
        """Every `require` holds for the case (one that needs a missing fact is not judged)."""
        problems = [self._broken(require, names, env, source)
                    for require, holds, names in self.requires if holds(env) is False]
        if problems:
            raise CaseError(problems)

    def _broken(self, require: ast.Require, names: list[str], env: dict[str, Any],
                source: SourceFile | None) -> Diagnostic:
        """The diagnostic for a case that breaks a `require`."""
        values = ", ".join(f"{n} = {_shown(env[n])}" for n in names if n in env and n in self.pathway.facts)
        return Diagnostic(
            "error", f"the case breaks `require {show(require.condition)}` ({values})",
            _key_span(source, names[0]) if names else None, kind="case",
            hint=f"the constraint is declared at {require.span.location()}" if require.span else None)


def fits(type_: ast.Type) -> Callable[[Any], bool]:
    """A quick test that a value has a declared type; when it says no, type_error says why."""
    if isinstance(type_, ast.BooleanType):
        return lambda value: value is True or value is False
    if isinstance(type_, ast.DateType):
        return lambda value: type(value) is date
    if isinstance(type_, ast.SetType):
        members = frozenset(type_.values)
        return lambda value: type(value) is frozenset and value <= members
    if isinstance(type_, ast.EnumType):
        values = frozenset(type_.values)
        return lambda value: type(value) is str and value in values
    if isinstance(type_, ast.IntegerType):
        if type_.low is None:
            return lambda value: type(value) is int
        low, high = type_.low, type_.high
        return lambda value: type(value) is int and low <= value <= high
    if type_.low is None:
        return lambda value: type(value) is int or type(value) is Fraction
    low, high = type_.low, type_.high
    return lambda value: (type(value) is int or type(value) is Fraction) and low <= value <= high


def fact_problem(pathway, key: Any, value: Any) -> tuple[str, str | None, bool] | None:
    """Why a key and value do not fit the declared facts: (message, hint, about the key rather
    than the value), or None."""
    if not isinstance(key, str) or key not in pathway.facts:
        if isinstance(key, str) and key in pathway.derived:
            return f"`{key}` is a derived value; the pathway computes it, a case cannot give it", None, True
        shown = key if isinstance(key, str) and len(key) <= MAX_SHOWN else _shown(key)
        return f"unknown fact `{shown}`", did_you_mean(str(key), pathway.facts), True
    if value is None:
        return None
    reason = type_error(pathway.facts[key].type, value)
    return (f"fact `{key}`: {reason}", None, False) if reason else None


def type_error(type_: ast.Type, value: Any) -> str | None:
    """Why a value is not of a declared type, or None when it is."""
    if isinstance(type_, ast.BooleanType):
        return None if isinstance(value, bool) else f"expected true or false, got {_shown(value)}"
    if isinstance(type_, ast.DateType):
        try:
            parse_date(value)
        except NotADate as exc:
            return str(exc)
        return None
    if isinstance(type_, ast.SetType):
        return _set_error(type_, value)
    if isinstance(type_, ast.EnumType):
        if isinstance(value, str) and value in type_.values:
            return None
        hint = did_you_mean(value, type_.values) if isinstance(value, str) else None
        return f"expected one of {', '.join(type_.values)}, got {_shown(value)}" + (f" ({hint})" if hint else "")
    return _number_error(type_, value)


def _set_error(type_: ast.SetType, value: Any) -> str | None:
    """Why a value is not a list of distinct values of a set type."""
    if not isinstance(value, (list, tuple, set, frozenset)):
        return f"expected a list of values from {', '.join(type_.values)}, got {_shown(value)}"
    for item in value:
        if not isinstance(item, str) or item not in type_.values:
            hint = did_you_mean(item, type_.values) if isinstance(item, str) else None
            return f"{_shown(item)} is not one of {', '.join(type_.values)}" + (f" ({hint})" if hint else "")
    if isinstance(value, (list, tuple)) and len(set(value)) != len(value):
        return f"a value is listed twice in {_shown(value)}"
    return None


def _number_error(type_: ast.IntegerType | ast.NumberType, value: Any) -> str | None:
    """Why a value is not a finite number of the right kind within its range."""
    integer = isinstance(type_, ast.IntegerType)
    value = from_python(value)
    if isinstance(value, str) and any(c.isdigit() and not c.isascii() for c in value):
        return f"numbers are written with the ASCII digits 0-9, got {_shown(value)}"
    if isinstance(value, bool) or not isinstance(value, (int, Fraction)):
        if isinstance(value, float):
            return f"expected a finite number, got {_shown(value)}"
        return f"expected {'an integer' if integer else 'a number'}, got {_shown(value)}"
    if integer and not isinstance(value, int):
        return f"expected a whole number, got {_shown(value)}"
    if type_.low is not None and not type_.low <= value <= type_.high:
        return f"{_shown(value)} is outside the declared range {show_number(type_.low)}..{show_number(type_.high)}"
    return None


