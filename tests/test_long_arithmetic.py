"""Arithmetic of any length (issue 14, point 22): a chain of `+ -` or `* /` is one flat node, so a
10,000-term sum loads, runs to its exact value, checks, formats, renders, hovers, diffs and compiles
to SQL that DuckDB runs; the depth limit counts only real nesting and says what counts."""
from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

import carepath
from carepath.cli import main
from carepath.expr.numbers import normal, show_number
from carepath.lsp.analysis import analyse
from carepath.lsp.answers import hover
from carepath.syntax import ast

from test_bad_input import SMALL, _write, assert_refused, carepath as invoke, folder  # noqa: F401

TERMS = 10_000
SUM = " + ".join(["x"] * TERMS)
MIXED_SUM = "x" + "".join((" + x", " - 3", " + x * 2", " - x")[i % 4] for i in range(TERMS - 1))
MIXED_PRODUCT = "x" + "".join((" * 6", " / 4", " * 2", " / 3")[i % 4] for i in range(TERMS - 2)) + " / 8"
CHAINS = {"sum": SUM, "mixed sum": MIXED_SUM, "mixed product": MIXED_PRODUCT}


def value(chain: str, x: int) -> Fraction:
    """The chain's exact value for `x`, left to right, computed here by hand (each product term inside a sum first)."""
    def term(text: str) -> Fraction:
        parts = text.split()
        result = Fraction(x if parts[0] == "x" else int(parts[0]))
        for op, operand in zip(parts[1::2], parts[2::2]):
            number = Fraction(x if operand == "x" else int(operand))
            result = result * number if op == "*" else result / number
        return result

    if " + " not in chain and " - " not in chain:
        return term(chain)
    pieces = chain.replace(" - ", " + -").split(" + ")
    return sum((-term(p[1:]) if p.startswith("-") else term(p) for p in pieces), Fraction(0))


def pathway(chain: str) -> str:
    """A pathway that recommends `r` exactly when the chain equals its value for x = 3."""
    return ('pathway p "P"\nsource s "S"\nfact x: integer 1..10\n'
            f"derive total: number = {chain}\n"
            f'start a\ndecide a "A"\n  when total == {show_number(normal(value(chain, 3)))} -> b\n  otherwise -> c\n'
            'step b "B"\n  recommend r "R" cite s\n  stop\nstep c "C"\n  recommend q "Q" cite s\n  stop\n')


@pytest.mark.parametrize("name", sorted(CHAINS))
def test_a_chain_of_any_length_is_one_node_and_runs_exactly(folder, name):
    """Load (one Arith node of 10,000 operands), run (the exact value: `r` for x = 3, `q` for x = 4), check."""
    chain = CHAINS[name]
    path = _write(folder, "p.dsl", pathway(chain))
    total = carepath.load(path).derived["total"].cases[0].outcome
    assert isinstance(total, ast.Arith) and len(total.operands) == TERMS
    assert value(chain, 4) != value(chain, 3)
    for x, code in ((3, "r"), (4, "q")):
        result = invoke("run", str(path), str(_write(folder, f"c{x}.json", json.dumps({"x": x}))), "--json")
        assert result.exit_code == 0, result.output[:2000]
        assert [r["code"] for r in json.loads(result.stdout)["recommendations"]] == [code]
    checked = invoke("check", str(path))
    assert checked.exit_code == 0, checked.output[:2000]


@pytest.mark.parametrize("name", sorted(CHAINS))
def test_a_long_chain_formats_renders_and_hovers(folder, name):
    """fmt prints it with no parentheses added and reads back to the same AST (and again to the same
    text); render draws it; the language server hovers on it."""
    text = pathway(CHAINS[name])
    result = CliRunner().invoke(main, ["fmt", "-"], input=text)
    assert result.exit_code == 0, result.output[:2000]
    assert "(" not in result.stdout
    assert carepath.loads(result.stdout, "p.dsl").document == carepath.loads(text, "p.dsl").document
    again = CliRunner().invoke(main, ["fmt", "-"], input=result.stdout)
    assert again.stdout == result.stdout
    path = _write(folder, "p.dsl", text)
    rendered = invoke("render", str(path), "--format", "dot", "-o", str(folder / "p.dot"))
    assert rendered.exit_code == 0, rendered.output[:2000]
    assert "total ==" in (folder / "p.dot").read_text()
    line = text.splitlines().index(next(t for t in text.splitlines() if t.startswith("  when total")))
    shown, _ = hover(analyse(text, "p.dsl"), line, 8)
    assert shown.startswith("**derived value** `total`: number") and f"derive total: number = {CHAINS[name]}" in shown


def test_a_ten_thousand_term_sum_compiles_to_sql_that_duckdb_runs(folder):
    """`sql` compiles the 10,000-term sums (a balanced tree of additions, shallow enough for DuckDB's
    expression depth limit), and `run --population` on DuckDB gives the executor's answer per row."""
    for name in ("sum", "mixed sum"):
        path = _write(folder, "p.dsl", pathway(CHAINS[name]))
        compiled = invoke("sql", path.name)
        assert compiled.exit_code == 0, compiled.output[:2000]
        assert "SELECT" in compiled.stdout
        rows = [{"x": x} for x in (1, 3, 4, 10)] + [{}]
        _write(folder, "cases.jsonl", "".join(json.dumps(row) + "\n" for row in rows))
        result = invoke("run", str(path), "--population", str(folder / "cases.jsonl"), "-o", str(folder / "out.jsonl"))
        assert result.exit_code == 0, result.output[:2000]
        got = [json.loads(line) for line in (folder / "out.jsonl").read_text().splitlines()]
        loaded = carepath.load(path)
        for row, answer in zip(rows, got):
            expected = carepath.run(loaded, row)
            assert answer["status"] == expected.status and answer["codes"] == [r.code for r in expected.recommendations]
        assert [a["codes"] for a in got] == [["q"], ["r"], ["q"], ["q"], []]


def test_a_product_too_wide_for_a_sql_decimal_is_refused_where_it_overflows(folder):
    """A 10,000-factor product cannot stay exact in a 38-digit DECIMAL: `sql` says so at the chain
    (exit 2), where run and check handle it exactly (above)."""
    path = _write(folder, "p.dsl", pathway(MIXED_PRODUCT))
    result = invoke("sql", path.name)
    assert_refused(result, "p.dsl:4:24")
    assert "more than the 38 that a DECIMAL holds" in result.stderr


def test_diff_compares_two_long_sums(folder):
    """diff of a 10,000-term sum against the same sum with one term changed: the difference, with a witness."""
    old = _write(folder, "old.dsl", pathway(SUM))
    new = _write(folder, "new.dsl", pathway(SUM).replace("x + x\n", "x + 2\n"))
    assert old.read_text() != new.read_text()
    same = invoke("diff", str(old), str(old))
    assert same.exit_code == 0, same.output[:2000]
    differs = invoke("diff", str(new), str(old))
    assert differs.exit_code == 1, differs.output[:2000]


# --- the depth limit: only real nesting counts, and the message says what counts -------------------

DEEP = {
    "parentheses": ("(" * 250 + "x" + " + 1)" * 250 + " > 1", "split it into derived values"),
    "not": ("not " * 250 + "flag", "drop pairs of `not`"),
    "minus signs": ("- " * 250 + "x > 1", "drop pairs of minus signs"),
    "else if": ("(" + "".join(f"if x == {i} then {i} else " for i in range(250)) + "0) > 1",
                "a derived value with one `when` case per condition"),
}


@pytest.mark.parametrize("name", sorted(DEEP))
def test_real_nesting_past_the_limit_says_what_counts(folder, name):
    """250 levels of parentheses, `not`, minus signs or `else if`: exit 2 at the place, the limit stated
    (a sum of any length is one level), and the way to write it flatter."""
    guard, hint = DEEP[name]
    text = SMALL.format(guard=guard).replace("fact x: boolean", "fact x: integer 0..300\nfact flag: boolean")
    result = invoke("graph", str(_write(folder, "p.dsl", text)))
    assert_refused(result, None)
    assert "expression nested more than 200 levels deep" in result.stderr
    assert "a sum, a product, `and` or `or` of any length is one" in result.stderr
    assert hint in result.stderr
