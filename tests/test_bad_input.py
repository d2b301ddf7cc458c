"""The bad-input table: every bad pathway, case or output is exit 2 with a located message, no traceback,
and nothing written; the inputs that only look odd (a BOM, CRLF, tabs) work."""
from __future__ import annotations

import errno
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from carepath.cli import main

ROOT = Path(__file__).resolve().parent.parent
PATHWAY = (ROOT / "pathway.dsl").read_text(encoding="utf-8")
CASE = (ROOT / "examples" / "01_one_session.json").read_text(encoding="utf-8")
SMALL = 'pathway p "P"\nfact x: boolean\nstart a\ndecide a "A"\n  when {guard} -> b\n  otherwise -> b\nstep b "B" stop\n'


def carepath(*arguments: str) -> Result:
    """Invoke the CLI in-process; whatever happens, no exception escapes and no traceback is printed."""
    result = CliRunner().invoke(main, [str(a) for a in arguments])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


def assert_refused(result: Result, location: str | None) -> None:
    """Exit 2, nothing on stdout, and the message located at `file:line:col` when there is a source."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "error:" in result.stderr
    if location is not None:
        assert re.search(rf"(^|\n){re.escape(location)}: error: ", result.stderr), result.stderr


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A clean working folder; the test asserts nothing new appears in it."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _files(folder: Path) -> set[Path]:
    return set(folder.rglob("*"))


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


# --- pathway files ----------------------------------------------------------------------------

BAD_PATHWAYS = {
    "empty": (b"", "1:1"),
    "only comments": (b"# a pathway\n# still to be written\n", "1:1"),
    "binary bytes": (bytes(range(256)) * 4, "1:1"),
    "invalid UTF-8": ('pathway p "caf\u00e9"\n'.encode("utf-8") + b'source s "\xff"\n', "2:11"),
    "duplicate names": ('pathway p "P"\nfact x: boolean\nfact x: integer\nstart a\nstep a "A" stop\n', "3:6"),
    "keyword as a name": ('pathway p "P"\nfact when: boolean\nstart a\nstep a "A" stop\n', "2:6"),
    "nested 10,000 deep": (SMALL.format(guard="(not " * 10_000 + "x" + ")" * 10_000), "5:"),
    "number too long": (SMALL.format(guard="x == " + "9" * 5000).replace("boolean", "integer"), "5:13"),
    "a 10 MB name": ('pathway p "P"\nstart ' + "x" * 10_000_000 + '\nstep a "A" stop\n', "2:7"),
    "number compared with an unknown name": ('pathway p "P"\nsource s "s"\nstart a\nstep a "A"\n'
                                             '  recommend r "R" cite s\n    when 0 == y\n  stop\n', "6:15"),
    "lark match_examples crash": ('pathway p "P"\nrequire a <= b\nrequire c <= d\npartial x\n', "4:1"),
    "score without criteria": ('pathway p "P"\nscore s "S"\nstart a\nstep a "A" stop\n', "3:1"),
    "score criterion not a condition": ('pathway p "P"\nfact n: integer\nscore s "S"\n  points 1 when n\n'
                                        'start a\nstep a "A" stop\n', "4:17"),
    "score citing an undeclared source": ('pathway p "P"\nfact x: boolean\nscore s "S" cite nowhere\n'
                                          '  points 1 when x\nstart a\nstep a "A" stop\n', "3:18"),
    "score points not a number": ('pathway p "P"\nfact x: boolean\nscore s "S"\n  points x when x\n'
                                  'start a\nstep a "A" stop\n', "4:10"),
    "if without else": (SMALL.format(guard="if x then x"), "5:20"),
    "if with outcomes of two types": (SMALL.format(guard="(if x then 1 else x) == 1"), "5:9"),
    "count of a number": (SMALL.format(guard="count(x, 3) > 1"), "5:17"),
    "count with nothing": (SMALL.format(guard="count() > 1"), "5:14"),
    "a date plus a date": (SMALL.format(guard="d + d > 1").replace("fact x: boolean", "fact d: date"), "5:8"),
    "a date compared with a number": (SMALL.format(guard="d > 3").replace("fact x: boolean", "fact d: date"), "5:8"),
    "a set compared as a number": (SMALL.format(guard="m > 1").replace("fact x: boolean", "fact m: set of a | b"),
                                   "5:8"),
    "a set value it does not have": (SMALL.format(guard="m has c").replace("fact x: boolean", "fact m: set of a | b"),
                                     "5:14"),
    "has on a boolean": (SMALL.format(guard="x has any of {a}"), "5:8"),
    "months compared with a sum": (SMALL.format(guard="d - d + 1 > 3 months").replace("fact x: boolean", "fact d: date"),
                                   "5:20"),
    "months between a date and a number": (SMALL.format(guard="d - 2 > 3 months").replace("fact x: boolean",
                                                                                           "fact d: date"), "5:8"),
    "a fraction of a month between dates": (SMALL.format(guard="d - d > 1.5 months").replace("fact x: boolean",
                                                                                             "fact d: date"), "5:16"),
    "a misspelt duration unit": (SMALL.format(guard="d - d > 3 wekes").replace("fact x: boolean", "fact d: date"),
                                 "5:18"),
}


@pytest.mark.parametrize("name", sorted(BAD_PATHWAYS))
def test_bad_pathway_is_refused_with_a_location(folder, name):
    """Each bad pathway file: exit 2, `file:line:col: error:`, nothing written."""
    content, where = BAD_PATHWAYS[name]
    path = _write(folder, "bad.dsl", content)
    before = _files(folder)
    result = carepath("graph", path.name, "--json", "-o", "out.json")
    assert_refused(result, None)
    assert re.search(r"(^|\n)bad\.dsl:\d+:\d+: error: ", result.stderr), result.stderr
    assert f"bad.dsl:{where}" in result.stderr
    assert len(result.stderr) < 2_000, "the message quotes too much of the input"
    assert _files(folder) == before


LOOKS_ODD_BUT_WORKS = {
    "UTF-8 BOM": b"\xef\xbb\xbf" + PATHWAY.encode("utf-8"),
    "CRLF line ends": PATHWAY.replace("\n", "\r\n").encode("utf-8"),
    "tabs": re.sub(r"(?m)^  ", "\t", PATHWAY).encode("utf-8"),
    "10,000 parentheses": SMALL.format(guard="(" * 10_000 + "x" + ")" * 10_000).encode("utf-8"),
}


@pytest.mark.parametrize("name", sorted(LOOKS_ODD_BUT_WORKS))
def test_odd_but_valid_pathway_works(folder, name):
    """A BOM, CRLF, tabs and redundant parentheses are accepted and give the normal graph."""
    path = _write(folder, "odd.dsl", LOOKS_ODD_BUT_WORKS[name])
    result = carepath("graph", path.name, "--json")
    assert result.exit_code == 0, result.stderr
    assert '"nodes"' in result.stdout


def test_bom_crlf_and_tabs_give_the_same_graph_as_the_plain_file(folder):
    """The odd encodings change nothing: the graph JSON equals the plain file's, spans included."""
    plain = carepath("graph", _write(folder, "plain.dsl", PATHWAY).name, "--json").stdout
    for name in ("UTF-8 BOM", "tabs"):
        odd = carepath("graph", _write(folder, "plain.dsl", LOOKS_ODD_BUT_WORKS[name]).name, "--json").stdout
        strip = re.compile(r'"(column|end_column)": \d+')
        assert strip.sub("", odd) == strip.sub("", plain)


def test_error_in_a_crlf_file_quotes_the_right_line(folder):
    """Line numbers and the quoted line agree in a CRLF file (no stray carriage return)."""
    text = PATHWAY.replace("start red_flags", "start red_flag").replace("\n", "\r\n")
    result = carepath("graph", _write(folder, "crlf.dsl", text).name)
    assert_refused(result, None)
    line = next(n for n, l in enumerate(text.split("\r\n"), 1) if l == "start red_flag")
    assert f"crlf.dsl:{line}:7: error: no step or decision is named `red_flag`" in result.stderr
    assert "\r" not in result.stderr


def test_ten_megabyte_garbage_file_fails_fast_with_a_short_message(folder):
    """10 MB on one line: a located syntax error, quoting a window of the line, not all of it."""
    path = _write(folder, "huge.dsl", 'pathway p "P" ' + "x" * 10_000_000)
    result = carepath("run", path.name, _write(folder, "c.json", "{}").name)
    assert_refused(result, "huge.dsl:1:15")
    assert len(result.stderr) < 2_000


def test_ten_megabyte_valid_file_loads(folder):
    """10 MB of comments around a valid pathway (just under the limit) is an ordinary pathway."""
    padding = ("# " + "padding " * 12 + "\n") * 50_000
    path = _write(folder, "big.dsl", padding + PATHWAY + padding)
    assert path.stat().st_size > 10_000_000 * 0.95
    result = carepath("run", path.name, str(ROOT / "examples" / "01_one_session.json"), "--json")
    assert result.exit_code == 0, result.stderr[:2000]
    assert '"status": "complete"' in result.stdout


def _chain(steps: int) -> str:
    """A pathway of `steps` steps in a row, each recommending something."""
    lines = ['pathway big "Big"', 'source s "s.txt"', "start s0"]
    for i in range(steps):
        lines.append(f'step s{i} "Step {i}"\n  recommend r{i} "Do {i}" cite s\n  ' +
                     (f"-> s{i + 1}" if i < steps - 1 else "stop"))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("steps", [10_000, pytest.param(100_000, marks=pytest.mark.slow)])
def test_long_pathway_runs(folder, steps):
    """A pathway of many steps runs to the end (100,000 steps: see docs/robustness.md for time and memory)."""
    path = _write(folder, "long.dsl", _chain(steps))
    result = carepath("run", path.name, _write(folder, "c.json", "{}").name, "--json")
    assert result.exit_code == 0, result.stderr[:2000]
    assert result.stdout.count('"code": "r') == steps


def test_directory_instead_of_a_pathway(folder):
    """A folder given as the pathway is a clear usage error."""
    (folder / "pathways").mkdir()
    result = carepath("graph", "pathways")
    assert_refused(result, None)
    assert "is a directory" in result.stderr


def test_missing_pathway_file(folder):
    """A path that does not exist is a clear usage error."""
    result = carepath("graph", "nowhere.dsl")
    assert_refused(result, None)
    assert "nowhere.dsl: cannot read" in result.stderr


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root reads files whatever their permissions, so chmod 000 cannot make one unreadable")
def test_unreadable_pathway_file(folder):
    """A file without read permission is a clear usage error."""
    path = _write(folder, "secret.dsl", PATHWAY)
    path.chmod(0)
    try:
        result = carepath("graph", path.name)
    finally:
        path.chmod(0o644)
    assert_refused(result, None)
    assert "secret.dsl: cannot read: Permission denied" in result.stderr


# --- cases ------------------------------------------------------------------------------------

BILLION_LAUGHS = "\n".join(
    [f"l0: &l0 [{', '.join(['lol'] * 9)}]"] +
    [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)] + ["age: *l9"]) + "\n"

BAD_CASES = {
    "invalid JSON": ("case.json", '{"age": 40,', "case.json:1:12"),
    "YAML expansion bomb": ("case.yaml", BILLION_LAUGHS, "case.yaml:1:1"),
    "unknown fact": ("case.json", '{"agee": 40}', "case.json:1:2"),
    "wrong type": ("case.json", '{"age": "forty"}', "case.json:1:2"),
    "out of range": ("case.json", '{"age": 400}', "case.json:1:2"),
    "JSON NaN": ("case.json", '{"weeks_since_onset": NaN}', "case.json:1:1"),
    "JSON Infinity": ("case.json", '{"weeks_since_onset": -Infinity}', "case.json:1:1"),
    "YAML .nan": ("case.yaml", "weeks_since_onset: .nan\n", "case.yaml:1:20"),
    "YAML .inf": ("case.yaml", "weeks_since_onset: .inf\n", "case.yaml:1:20"),
    "JSON huge integer": ("case.json", '{"age": ' + "9" * 5000 + "}", "case.json:1:9"),
    "YAML huge integer": ("case.yaml", "age: " + "9" * 5000 + "\n", "case.yaml:1:6"),
    "JSON boolean as a string": ("case.json", '{"fever": "true"}', "case.json:1:2"),
    "YAML boolean as a string": ("case.yaml", 'fever: "true"\n', "case.yaml:1:1"),
    "JSON nested 100,000 deep": ("case.json", "[" * 100_000 + "]" * 100_000, "case.json:1:1"),
    "a list, not a mapping": ("case.json", "[1, 2]", "case.json:1:1"),
    "breaks a require": ("case.json", '{"weeks_of_pt": 10, "weeks_since_onset": 2}', "case.json:1:2"),
    "invalid UTF-8": ("case.json", b'{"fever": "\xff"}', "case.json:1:12"),
}


@pytest.mark.parametrize("name", sorted(BAD_CASES))
def test_bad_case_is_refused_with_a_location(folder, name):
    """Each bad case file: exit 2, `file:line:col: error:`, a short message, nothing written."""
    file_name, content, location = BAD_CASES[name]
    _write(folder, file_name, content)
    before = _files(folder)
    result = carepath("run", ROOT / "pathway.dsl", file_name, "--json")
    assert_refused(result, location)
    assert len(result.stderr) < 4_000
    assert _files(folder) == before


def test_yaml_tags_are_refused_and_nothing_runs(folder):
    """`!!python/object/apply:os.system` is refused by the safe loader: the command never runs."""
    marker = folder / "executed"
    _write(folder, "case.yaml", f'age: !!python/object/apply:os.system ["touch {marker}"]\n')
    result = carepath("run", ROOT / "pathway.dsl", "case.yaml")
    assert_refused(result, "case.yaml:1:6")
    assert not marker.exists()


def test_case_from_stdin_with_bad_json(folder):
    """A case on stdin is located in `<stdin>`."""
    result = CliRunner().invoke(main, ["run", str(ROOT / "pathway.dsl"), "-"], input="{oops}")
    assert_refused(result, "<stdin>:1:2")


# --- outputs ----------------------------------------------------------------------------------

def test_output_into_a_missing_folder(folder):
    """`-o missing/dir/x.json` is a usage error and creates no folder."""
    result = carepath("graph", ROOT / "pathway.dsl", "--json", "-o", "missing/dir/x.json")
    assert_refused(result, None)
    assert "does not exist" in result.stderr
    assert _files(folder) == set()


def test_failed_rename_keeps_the_old_file(folder, monkeypatch):
    """If the final rename fails, the old output is intact and no temporary file is left."""
    target = _write(folder, "graph.json", "old content\n")

    def refuse(*_):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    result = carepath("graph", ROOT / "pathway.dsl", "--json", "-o", target.name)
    assert_refused(result, None)
    assert "No space left on device" in result.stderr
    assert target.read_text() == "old content\n"
    assert _files(folder) == {target}


def test_write_failing_midway_keeps_the_old_file(folder, monkeypatch):
    """If the disk fills halfway through the write, the old output is intact and no temporary file is left."""
    target = _write(folder, "graph.json", "old content\n")
    real_fdopen = os.fdopen

    class HalfWritten:
        """A stream that writes half of what it is given, then fails like a full disk."""

        def __init__(self, stream):
            self.stream = stream

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.stream.close()

        def write(self, data):
            self.stream.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda *a, **k: HalfWritten(real_fdopen(*a, **k)))
    result = carepath("graph", ROOT / "pathway.dsl", "--json", "-o", target.name)
    assert_refused(result, None)
    assert target.read_text() == "old content\n"
    assert _files(folder) == {target}


@pytest.mark.parametrize("value", ["1" + "0" * 39, "1e300", "0.000000000000000000001"])
def test_huge_and_tiny_values_are_computed_exactly(folder, value):
    """Products of huge or tiny case values are exact: no overflow, no underflow to 0, no inf."""
    fact_type = "number" if "e" in value or "." in value else "integer"
    guard = " * ".join(["x"] * 10) + " / 2 > 0"
    pathway = _write(folder, "p.dsl", SMALL.format(guard=guard).replace("boolean", fact_type))
    _write(folder, "case.json", '{"x": %s}' % value)
    result = carepath("run", pathway.name, "case.json", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["path"][0]["took"] == guard


def test_arithmetic_beyond_any_clinical_size_is_a_located_defect(folder):
    """Squaring a value over and over through derived values stops at a located limit, not a hang."""
    derived = "".join(f"derive d{i}: integer = d{i - 1} * d{i - 1}\n" for i in range(1, 40))
    text = SMALL.format(guard="d39 > 1").replace("fact x: boolean", "fact x: integer 2..9\nderive d0: integer = x\n" + derived)
    pathway = _write(folder, "p.dsl", text)
    result = carepath("run", pathway.name, _write(folder, "case.json", '{"x": 3}').name)
    assert result.exit_code == 1 and "bits for this case" in result.stderr, result.output


def _derived_chain(length: int, guard_depth: int) -> str:
    """`d0 = x`, `d1 = d0`, ...: a chain of derived values, read by a guard under `not`s."""
    lines = ['pathway p "P"', "fact x: integer 0..10", "start a", "derive d0: integer = x"]
    lines += [f"derive d{i}: integer = d{i - 1}" for i in range(1, length)]
    lines.append(f'decide a "A"\n  when {"not " * guard_depth}d{length - 1} > 1 -> b\n  otherwise -> b\n'
                 'step b "B" stop')
    return "\n".join(lines) + "\n"


def test_derived_chain_past_the_limit_is_refused_not_a_recursion_error(folder):
    """2,000 derived values built on each other: a located limit, never RecursionError."""
    pathway = _write(folder, "chain.dsl", _derived_chain(2_000, 1))
    result = carepath("run", pathway.name, _write(folder, "c.json", '{"x": 3}').name)
    assert_refused(result, "chain.dsl:104:8")
    assert "nests more than 200 levels deep" in result.stderr


def test_deepest_allowed_nesting_runs(folder):
    """Just inside both limits (100 chained derived values read under 190 `not`s) runs under pytest's stack."""
    pathway = _write(folder, "chain.dsl", _derived_chain(100, 190))
    result = carepath("run", pathway.name, _write(folder, "c.json", '{"x": 3}').name, "--json")
    assert result.exit_code == 0, result.stderr[:2000]
    assert '"status": "complete"' in result.stdout
    graph = carepath("graph", pathway.name, "--json")
    assert graph.exit_code == 0, graph.stderr[:2000]


# --- numbers: YAML 1.1 forms, non-ASCII digits, ranges past 2**63 (issues 12 and 14) -------------

NUMBERS = ('pathway p "P"\nsource g "g"\nfact age: integer 0..150\nfact fever: boolean\n'
           'fact smoker: yes | no | former\nfact dose: number 0..1000\nstart a\n'
           'decide a "A"\n  when smoker is no and not fever -> b\n  otherwise -> b\n'
           'step b "B" recommend r "R" cite g stop\n')

YAML_FORMS = {
    "leading zero (octal in YAML 1.1)": ("age: 0101\nfever: false\nsmoker: no\ndose: 1\n", "case.yaml:1:6", "ambiguous"),
    "hexadecimal": ("age: 0x41\nfever: false\nsmoker: no\ndose: 1\n", "case.yaml:1:6", "ambiguous"),
    "sexagesimal (YAML 1.1)": ("age: 1:05\nfever: false\nsmoker: no\ndose: 1\n", "case.yaml:1:1", 'got "1:05"'),
    "digit separator (YAML 1.1)": ("age: 6_5\nfever: false\nsmoker: no\ndose: 1\n", "case.yaml:1:1", 'got "6_5"'),
    "`no` for a boolean": ("age: 65\nfever: no\nsmoker: no\ndose: 1\n", "case.yaml:2:1", 'got "no"'),
    "a key `yes:`": ("age: 65\nfever: false\nsmoker: no\ndose: 1\nyes: true\n", "case.yaml:5:1", "unknown fact `yes`"),
    "Arabic-Indic digits in YAML": ("age: ٦٥\nfever: false\nsmoker: no\ndose: 1\n", "case.yaml:1:1", "ASCII digits"),
    "fullwidth digits in YAML": ("age: ６５\nfever: false\nsmoker: no\ndose: 1\n", "case.yaml:1:1", "ASCII digits"),
}


@pytest.mark.parametrize("name", sorted(YAML_FORMS))
def test_yaml_1_1_forms_never_change_a_value_silently(folder, name):
    """YAML is read with the 1.2 core schema: forms that YAML 1.1 reads as numbers or booleans are text
    (refused where a number or boolean is expected) or refused as ambiguous, always located."""
    text, location, words = YAML_FORMS[name]
    pathway = _write(folder, "p.dsl", NUMBERS)
    _write(folder, "case.yaml", text)
    result = carepath("run", pathway.name, "case.yaml")
    assert_refused(result, location)
    assert words in result.stderr


def test_yaml_no_is_the_enumeration_value_no(folder):
    """`smoker: no` for `yes | no | former` is the value `no`, not false (YAML 1.1 would make it false)."""
    pathway = _write(folder, "p.dsl", NUMBERS)
    _write(folder, "case.yaml", "age: 65\nfever: false\nsmoker: no\ndose: 0.1\n")
    result = carepath("run", pathway.name, "case.yaml", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["path"][0]["facts"]["smoker"] == "no"


@pytest.mark.parametrize("digits", ["٦٥", "৬৫", "６５", "𝟔𝟓"])
def test_non_ascii_digits_are_refused_in_pathways_and_json_cases(folder, digits):
    """Bengali, Arabic-Indic, fullwidth and mathematical digits are not numbers, with their place."""
    pathway = _write(folder, "p.dsl", NUMBERS.replace("0..150", f"0..{digits}"))
    refused = carepath("check", pathway.name)
    assert_refused(refused, "p.dsl:3:22")
    assert "ASCII digits" in refused.stderr
    good = _write(folder, "good.dsl", NUMBERS)
    _write(folder, "case.json", '{"age": %s, "fever": false, "smoker": "no", "dose": 1}' % digits)
    refused = carepath("run", good.name, "case.json")
    assert_refused(refused, "case.json:1:9")
    assert "ASCII digits" in refused.stderr


@pytest.mark.parametrize("command", [("check",), ("render", "--findings", "--format", "dot")])
def test_ranges_past_2_to_the_63_never_break_check_or_render(folder, command):
    """A fact ranging over 0..10**20 (and beyond 2**63): checked and drawn exactly, no traceback."""
    text = ('pathway big "Big"\nsource g "g"\nfact cells: integer 0..100000000000000000000\n'
            'fact conc: number 0..0.00000000000000000001\nstart d\ndecide d "D"\n'
            '  when cells + 0.5 > cells and conc * conc >= 0 -> a\n  otherwise -> a\n'
            'step a "A" recommend r "R" cite g stop\n')
    pathway = _write(folder, "big.dsl", text)
    result = carepath(*command, pathway.name)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.stderr
