"""`carepath fmt`: the canonical layout, comments and blank lines kept, --check for CI."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from carepath.cli import main
from carepath.errors import PathwayError
from carepath.fmt import format_text

MESSY = '''\

# The header.
pathway   demo "Demo"   version "1.0"
source s "S"
fact age:integer 0..120 unit "years"   # trailing comment
fact pain : none|mild|severe


derive band: low | high first  match
when age<65->low
  otherwise  ->   high
decide d "D"   first match   # the question
    when age >= 65 and pain is severe -> urgent
  # before a branch
        when pain in {mild,severe} -> routine
   otherwise -> routine
step urgent "Urgent" urgent recommend see "See today" cite s unless age < -1
   caution "Careful" cite s
  stop
step routine "Routine"
  recommend rest "Rest" cite s when age > 16 and
      pain is mild
  -> done
step done "Done" stop
start d
# the end
'''

CANONICAL = '''\
# The header.
pathway demo "Demo"
  version "1.0"
source s "S"
fact age: integer 0..120 unit "years"  # trailing comment
fact pain: none | mild | severe

derive band: low | high first match
  when age < 65 -> low
  otherwise     -> high
decide d "D" first match  # the question
  when age >= 65 and pain is severe -> urgent
  # before a branch
  when pain in {mild, severe}       -> routine
  otherwise                         -> routine
step urgent "Urgent" urgent
  recommend see "See today"  cite s
    unless age < -1
    caution "Careful"  cite s
  stop
step routine "Routine"
  recommend rest "Rest"  cite s
    when age > 16 and
        pain is mild
  -> done
step done "Done"
  stop
start d
# the end
'''


def test_messy_text_gets_the_canonical_layout():
    """Items, parts, spacing, alignment, comments and blank-line groups, all at once."""
    assert format_text(MESSY) == CANONICAL


def test_canonical_text_is_left_alone():
    """Formatting is idempotent on the canonical text itself."""
    assert format_text(CANONICAL) == CANONICAL


def test_crlf_and_tabs_become_canonical():
    """Windows line ends and tabs are layout too; the comment loses its carriage return."""
    text = CANONICAL.replace("\n", "\r\n").replace("  when", "\twhen")
    assert format_text(text) == CANONICAL


def test_a_long_guard_does_not_push_the_other_arrows():
    """A branch too long to line up keeps one space; the others line up among themselves."""
    long_guard = " and ".join(f"age > {n}" for n in range(12))
    text = f'pathway p "P"\nfact age: integer\ndecide d "D"\n  when {long_guard} -> a\n  when age < 1 -> a\n' \
           '  otherwise -> a\nstep a "A" stop\nstart d\n'
    lines = format_text(text).splitlines()
    assert lines[3] == f"  when {long_guard} -> a"
    assert lines[4:6] == ["  when age < 1 -> a", "  otherwise    -> a"]


def test_a_syntax_error_is_the_parsers_located_error():
    """The formatter never guesses at a broken file."""
    with pytest.raises(PathwayError) as caught:
        format_text('pathway p "P"\nfact x boolean\n', "broken.dsl")
    assert caught.value.diagnostics[0].span.line == 2


def test_fmt_rewrites_files_and_check_reports_them(tmp_path: Path):
    """--check changes nothing and exits 1; fmt rewrites; then --check exits 0."""
    messy, tidy = tmp_path / "messy.dsl", tmp_path / "sub" / "tidy.dsl"
    tidy.parent.mkdir()
    messy.write_text(MESSY)
    tidy.write_text(CANONICAL)
    runner = CliRunner()
    checked = runner.invoke(main, ["fmt", "--check", str(tmp_path)])
    assert (checked.exit_code, checked.stdout) == (1, f"would reformat {messy}\n")
    assert messy.read_text() == MESSY
    assert runner.invoke(main, ["fmt", str(messy)]).exit_code == 0
    assert messy.read_text() == CANONICAL
    assert runner.invoke(main, ["fmt", "--check", str(messy), str(tidy)]).exit_code == 0


def test_fmt_reports_a_broken_file_and_formats_the_rest(tmp_path: Path):
    """Exit 2 with file:line:col for the broken file; the good one is still formatted."""
    broken, good = tmp_path / "broken.dsl", tmp_path / "good.dsl"
    broken.write_text('pathway p "P"\nfact x boolean\n')
    good.write_text(MESSY)
    result = CliRunner().invoke(main, ["fmt", str(broken), str(good)])
    assert result.exit_code == 2
    assert f"{broken}:2:" in result.stderr
    assert good.read_text() == CANONICAL


def test_fmt_dash_formats_stdin_to_stdout():
    """`carepath fmt -` is the filter editors call."""
    result = CliRunner().invoke(main, ["fmt", "-"], input=MESSY)
    assert (result.exit_code, result.stdout) == (0, CANONICAL)


def _grammar_rules() -> dict[str, set[str]]:
    """Each rule of the grammar with the names its trees get (its aliases, or its own name)."""
    from lark import Lark

    from carepath.syntax.grammar import grammar_path

    names: dict[str, set[str]] = {}
    for rule in Lark.open(str(grammar_path()), parser="lalr").rules:
        names.setdefault(rule.origin.name, set()).add(rule.alias or rule.origin.name)
    return names


def test_the_layout_table_names_rules_of_the_grammar():
    """A rule the grammar renames must be renamed in the layout too (else its lines would silently join)."""
    from carepath.fmt import ALIGNED, LINE_RULES, SIGN_RULES, WIDE_RULES

    trees = set().union(*_grammar_rules().values())
    assert (set(LINE_RULES) | ALIGNED | SIGN_RULES | WIDE_RULES) - trees == set()


def test_every_item_of_the_grammar_starts_a_line_at_the_margin():
    """A new kind of item in the grammar needs its place in the layout."""
    from carepath.fmt import LINE_RULES

    rules = _grammar_rules()
    items = set().union(*(rules.get(name, {name}) for name in _item_rules()))
    assert "decision" in items and "derive_cases" in items
    assert {item: LINE_RULES.get(item) for item in items} == {item: 0 for item in items}


def _item_rules() -> set[str]:
    """The rules an item can be (the alternatives of `item`)."""
    from lark import Lark

    from carepath.syntax.grammar import grammar_path

    return {rule.expansion[0].name for rule in Lark.open(str(grammar_path()), parser="lalr").rules
            if rule.origin.name == "item"}
