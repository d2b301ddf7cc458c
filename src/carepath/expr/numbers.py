"""Stage 3, execution: what a number is. Exact everywhere: an int, or a normalised Fraction.

A number in a pathway or a case is read from its literal text (`76.8` is 384/5, never a binary
float); arithmetic is exact rational arithmetic and prints exactly. The z3 encoding reads the
same values, so the checker and the executor agree on every number.
"""
from __future__ import annotations

import math
import re
from datetime import date
from fractions import Fraction
from functools import lru_cache
from typing import Any

import orjson

Number = int | Fraction
MAX_NUMBER_LENGTH = 40  # characters of a number literal, in a pathway or a case
MAX_BITS = 1 << 16  # a computed numerator or denominator beyond this is refused, not computed for minutes
DECIMAL = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


class NotANumber(ValueError):
    """Text that is not a plain ASCII decimal number."""


def normal(value: Fraction) -> Number:
    """A Fraction with denominator 1 as an int; any other Fraction unchanged."""
    return value.numerator if value.denominator == 1 else value


def parse_decimal(text: str) -> Number:
    """The exact value of ASCII decimal text (`76.8`, `-3`, `1e-200`): an int or a Fraction."""
    if len(text) > MAX_NUMBER_LENGTH:
        raise NotANumber(f"a number may have at most {MAX_NUMBER_LENGTH} characters; this one has {len(text)}")
    if not DECIMAL.fullmatch(text):
        raise NotANumber(f"`{text}` is not a decimal number written with the digits 0-9")
    whole, dot, fraction = text.partition(".")
    if "e" not in text and "E" not in text:  # the common `76.8`: one int and a power of ten
        return normal(Fraction(int(whole + fraction or "0"), 10 ** len(fraction))) if dot else int(whole)
    if _exponent_too_large(text):
        raise NotANumber(f"`{text}` has an exponent beyond what a pathway can compare")
    return normal(Fraction(text))


def _exponent_too_large(text: str) -> bool:
    """An exponent so large that the exact value would take megabytes (1e999999999)."""
    mantissa, _, exponent = text.lower().partition("e")
    return bool(exponent) and abs(int(exponent)) > 400


def from_python(value: Any) -> Any:
    """A value given through the Python API: a float becomes the exact decimal its repr shows."""
    if type(value) is float and math.isfinite(value):
        return decimal_of(repr(value))
    if type(value) is Fraction:
        return normal(value)
    return value


@lru_cache(maxsize=4096)
def decimal_of(text: str) -> Number:
    """parse_decimal, remembered: the values of a batch repeat (`37.5`, `0.5`), and a Fraction is immutable."""
    return parse_decimal(text)


def divide(a: Any, b: Any) -> Any:
    """`/`: exact rational division of two numbers (the solver divides its terms with it too)."""
    if type(a) is int and type(b) is int:
        return normal(Fraction(a, b))
    return a / b


def too_large(value: Number) -> bool:
    """Whether a computed value has grown past MAX_BITS (numerator or denominator)."""
    if type(value) is int:
        return value.bit_length() > MAX_BITS
    return value.numerator.bit_length() > MAX_BITS or value.denominator.bit_length() > MAX_BITS


def _decimal_places(value: Fraction) -> int | None:
    """The decimal places a fraction needs (its denominator is 2**a * 5**b: max(a, b)); None if infinite."""
    denominator = value.denominator
    twos = (denominator & -denominator).bit_length() - 1
    rest, fives = denominator >> twos, 0
    while rest % 5 == 0:
        rest //= 5
        fives += 1
    return max(twos, fives) if rest == 1 else None


def finite_decimal(value: Fraction) -> bool:
    """Whether a fraction has a finite decimal expansion."""
    return _decimal_places(value) is not None


def show_number(value: Number) -> str:
    """A number exactly, as the grammar writes it: `12`, `0.00001`, `-2.5`; `10/3` when no decimal is exact."""
    if isinstance(value, int):
        return str(int(value))
    places = _decimal_places(value)
    if places is None:
        return f"{value.numerator}/{value.denominator}"
    digits = str(abs(value.numerator) * (10 ** places // value.denominator)).rjust(places + 1, "0")
    return f"{'-' if value < 0 else ''}{digits[:-places]}.{digits[-places:]}"


def json_ready(data: Any) -> Any:
    """Data for orjson with every number exact: Fractions and very large ints as raw JSON number text.

    A Fraction without a finite decimal (10/3) has no JSON number; it becomes the string "10/3"."""
    if isinstance(data, dict):
        return {key: json_ready(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [json_ready(value) for value in data]
    if isinstance(data, frozenset):
        return sorted(data)
    if type(data) is Fraction:
        text = show_number(data)
        return text if "/" in text else orjson.Fragment(text.encode())
    if type(data) is int and not -(1 << 63) <= data < (1 << 64):
        return orjson.Fragment(str(data).encode())
    return data


def _raw_number(value: Any) -> Any:
    """orjson's hook for the types it does not know: a Fraction as exact number text."""
    if type(value) is Fraction or type(value) is frozenset:
        return json_ready(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(data: Any, indent: bool = False) -> bytes:
    """JSON with every number exact (orjson; its hook writes Fractions as raw decimal text).

    What orjson refuses in the first pass (an integer beyond 64 bits) goes again with every number
    made raw; a lone surrogate from the input goes through json.dumps, kept escaped."""
    import json

    option = orjson.OPT_INDENT_2 if indent else orjson.OPT_APPEND_NEWLINE
    try:
        return orjson.dumps(data, default=_raw_number, option=option)
    except orjson.JSONEncodeError:
        pass
    try:
        return orjson.dumps(json_ready(data), option=option)
    except orjson.JSONEncodeError:
        text = json.dumps(data, ensure_ascii=False, indent=2 if indent else None,
                          separators=None if indent else (",", ":"), default=show_number)
        return (text if indent else text + "\n").encode("utf-8", "backslashreplace")


def show_value(value: Any) -> str:
    """A case or result value as JSON text would show it, numbers exactly (`0.00001`, not `1e-05`)."""
    import json

    if isinstance(value, (int, Fraction)) and not isinstance(value, bool):
        return show_number(value)
    if isinstance(value, date):
        return f'"{value.isoformat()}"'
    if isinstance(value, frozenset):
        return json.dumps(sorted(value), ensure_ascii=False)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)}: {show_value(v)}" for k, v in value.items()) + "}"
    return json.dumps(value, ensure_ascii=False)
