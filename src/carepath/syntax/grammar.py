"""Stage 1, syntax: the grammar loaded once, the installed copy inside the package, or the checkout's."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lark import Lark

_PACKAGED = Path(__file__).resolve().parent.parent / "grammar" / "pathway.lark"
_CHECKOUT = Path(__file__).resolve().parents[3] / "grammar" / "pathway.lark"


def grammar_path() -> Path:
    """Where the grammar file is: shipped in the wheel, or in the source checkout."""
    return _PACKAGED if _PACKAGED.is_file() else _CHECKOUT


@lru_cache(maxsize=1)
def parser() -> Lark:
    """The one LALR parser, built on first use and cached on disk by Lark."""
    return Lark.open(str(grammar_path()), parser="lalr", propagate_positions=True,
                     maybe_placeholders=False, cache=True)
