"""Stage 5, diff: what changed in the declarations between two versions, besides behaviour."""
from __future__ import annotations

from ..syntax import ast
from ..syntax.printer import show, show_type


def declaration_changes(old, new) -> list[str]:
    """Changed facts, requires, codes, texts, sources, cautions and invariants, one line each."""
    return (_facts(old, new) + _requires(old, new) + _derived(old, new) + _codes(old, new) + _wording(old, new)
            + _invariants(old, new) + _steps(old, new))


def _derived(old, new) -> list[str]:
    """Derived values added, removed or defined otherwise (compared by meaning, not position)."""
    lines = [f"derived value `{n}` added" for n in new.derived if n not in old.derived]
    lines += [f"derived value `{n}` removed" for n in old.derived if n not in new.derived]
    return lines + [f"derived value `{n}` redefined" for n, d in new.derived.items()
                    if n in old.derived and old.derived[n] != d]


def _fact_text(fact: ast.Fact) -> str:
    """A fact's declaration as it matters to a case."""
    return f"{'optional' if fact.optional else 'required'} {show_type(fact.type)}"


def _facts(old, new) -> list[str]:
    """Facts added (free: the old version ignores them), removed (ignored), or declared otherwise."""
    lines = [f"fact `{n}` added ({_fact_text(f)}); the old version ignores it" for n, f in new.facts.items()
             if n not in old.facts]
    lines += [f"fact `{n}` removed; the new version ignores it" for n in old.facts if n not in new.facts]
    lines += [f"fact `{n}` changed from {_fact_text(old.facts[n])} to {_fact_text(f)}" for n, f in new.facts.items()
              if n in old.facts and _fact_text(old.facts[n]) != _fact_text(f)]
    return lines


def _requires(old, new) -> list[str]:
    """Requires added or removed (compared as printed)."""
    before = [show(r.condition) for r in old.document.requires]
    after = [show(r.condition) for r in new.document.requires]
    return ([f"`require {r}` added" for r in after if r not in before]
            + [f"`require {r}` removed" for r in before if r not in after])


def _recommendations(pathway) -> dict[str, list[ast.Recommendation]]:
    """A pathway's recommendations by code."""
    found: dict[str, list[ast.Recommendation]] = {}
    for rec in ast.recommendations(pathway.document.nodes):
        found.setdefault(rec.code, []).append(rec)
    return found


def _codes(old, new) -> list[str]:
    """Codes added or removed."""
    before, after = _recommendations(old), _recommendations(new)
    return ([f"code `{c}` added" for c in after if c not in before]
            + [f"code `{c}` removed" for c in before if c not in after])


def _wording(old, new) -> list[str]:
    """Codes kept whose text, sources or cautions changed."""
    before, after = _recommendations(old), _recommendations(new)
    lines = []
    for code in (c for c in after if c in before):
        pairs = list(zip(before[code], after[code]))
        if any(a.text != b.text for a, b in pairs):
            lines.append(f"text of `{code}` reworded")
        if any(a.citations != b.citations for a, b in pairs):
            lines.append(f"sources of `{code}` changed")
        if any(a.cautions != b.cautions for a, b in pairs):
            lines.append(f"cautions of `{code}` changed")
    return lines


def _invariant_text(invariant: ast.Invariant) -> str:
    """An invariant as written."""
    if invariant.kind == "never_with":
        return f"never {invariant.code} with {invariant.other}"
    return f"{invariant.kind} {invariant.code} when {show(invariant.condition)}"


def _invariants(old, new) -> list[str]:
    """Invariants added or removed (they describe runs; `carepath check` proves them)."""
    before = [_invariant_text(i) for i in old.document.invariants]
    after = [_invariant_text(i) for i in new.document.invariants]
    return ([f"invariant `{i}` added" for i in after if i not in before]
            + [f"invariant `{i}` removed" for i in before if i not in after])


def _steps(old, new) -> list[str]:
    """Nodes added or removed."""
    return ([f"node `{n}` added" for n in new.nodes if n not in old.nodes]
            + [f"node `{n}` removed" for n in old.nodes if n not in new.nodes])
