"""Batch execution: one JSON case per line in, one result per line out, bad lines reported in place."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import carepath
from carepath.engine import batch
from carepath.engine.batch import json_line, write_batch

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))

GAP = """pathway gap "A decision with a gap"
fact age: integer 0..120
start adult
decide adult "Adult?"
  when age >= 18 -> done
step done "Done"
  stop
"""


@pytest.fixture(scope="module")
def pathway():
    return carepath.load(ROOT / "pathway.dsl")


def case_lines() -> list[str]:
    """The example cases as compact JSON lines."""
    return [json.dumps(json.loads(path.read_text())) for path in EXAMPLES]


def test_each_line_gives_the_result_of_running_that_case_in_order(pathway):
    lines = case_lines()
    rows = list(carepath.run_batch(pathway, [line.encode() + b"\n" for line in lines]))
    assert [row.line for row in rows] == list(range(1, len(lines) + 1))
    for row, line in zip(rows, lines):
        expected = carepath.run(pathway, json.loads(line)).to_json()
        assert row.to_json() == {"line": row.line, **expected}


def test_blank_lines_are_skipped_but_keep_their_numbers(pathway):
    first, second = case_lines()[:2]
    rows = list(carepath.run_batch(pathway, [first, "\n", "   \n", second]))
    assert [row.line for row in rows] == [1, 4]


@pytest.mark.parametrize("line, kind, message, column", [
    ("not json", "case", "invalid JSON", 1),
    ('{"age": 40, "bogus": 1}', "case", "unknown fact", 13),
    ('{"age": 400}', "case", "outside the declared range 16..120", 2),
    ("[1, 2]", "case", "a case must be a mapping", 1),
    ('{"age": 40, "age": 41}', "case", "given twice", 2),
    ('{"weeks_of_pt": 9, "weeks_since_onset": 2}', "case", "breaks `require weeks_of_pt", 2),
    ('{"age": NaN}', "case", "invalid JSON", 1),
])
def test_a_bad_line_gives_an_error_row_and_the_next_line_still_runs(pathway, line, kind, message, column):
    good = case_lines()[0]
    bad_row, good_row = carepath.run_batch(pathway, [line, good], name="cases.jsonl")
    data = bad_row.to_json()
    assert data["line"] == 1 and data["status"] == "error"
    assert data["errors"][0]["kind"] == kind and message in data["errors"][0]["message"]
    assert data["errors"][0]["column"] == column
    assert bad_row.errors[0].format().startswith(f"cases.jsonl:1:{column}: error: ")
    assert good_row.to_json()["status"] == "complete"


def test_errors_are_located_at_their_line_of_the_file_and_quote_it(pathway):
    rows = list(carepath.run_batch(pathway, [case_lines()[0], "", '{"age": "old"}'], name="cases.jsonl"))
    text = rows[-1].errors[0].format()
    assert text.splitlines()[0] == "cases.jsonl:3:2: error: fact `age`: expected an integer, got \"old\""
    assert text.splitlines()[1] == '  {"age": "old"}'


def test_invalid_utf8_is_an_error_row_with_its_byte_column(pathway):
    (row,) = carepath.run_batch(pathway, [b'{"age": "\xff"}\n'], name="b.jsonl")
    assert row.errors[0].format().startswith("b.jsonl:1:10: error: invalid UTF-8 byte 0xff")


def test_a_case_that_falls_through_the_pathway_is_an_error_row_of_kind_gap():
    rows = list(carepath.run_batch(carepath.loads(GAP, "gap.dsl"), ['{"age": 10}', '{"age": 30}']))
    assert rows[0].to_json()["errors"][0]["kind"] == "gap"
    assert rows[1].to_json()["status"] == "complete"


def test_an_overlong_line_is_an_error_and_reading_resumes_at_the_next_line(pathway, monkeypatch, tmp_path):
    monkeypatch.setattr(batch, "MAX_LINE", 64)
    good = json.dumps({"age": 40})
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps({"age": 40, "x": "y" * 500}) + "\n" + good + "\n")
    with batch.read_lines(str(path)) as lines:
        rows = list(carepath.run_batch(pathway, lines))
    assert "longer than 64 bytes" in rows[0].errors[0].message
    assert [r.line for r in rows] == [1, 2] and rows[1].result is not None


def test_results_stream_one_line_at_a_time(pathway):
    def lines():
        yield case_lines()[0]
        raise AssertionError("read beyond the first line before its result was taken")

    rows = carepath.run_batch(pathway, lines())
    assert next(rows).line == 1


def test_write_batch_writes_one_compact_json_line_per_case_and_tallies_errors(pathway):
    out = io.BytesIO()
    tally = write_batch(carepath.program(pathway), [case_lines()[0], "{", case_lines()[1]], out)
    written = out.getvalue().decode().splitlines()
    assert [json.loads(line)["line"] for line in written] == [1, 2, 3]
    assert (tally.cases, tally.errors, len(tally.first_errors)) == (3, 1, 1)
    assert written[0] == json.dumps(json.loads(written[0]), ensure_ascii=False, separators=(",", ":"))


@pytest.mark.parametrize("data", [
    {"a": "é", "b": [1, None, True, 2.5, -0.25], "c": {"d": "x\"y\\z\n"}},
    {"big": 10 ** 30, "fine": 1},
    {"k": "\ud800"},
])
def test_json_line_is_one_compact_utf8_line_that_reads_back_equal(data):
    line = json_line(data)
    assert line.endswith(b"\n") and line.count(b"\n") == 1 and b", " not in line
    assert json.loads(line) == data
    assert json_line(data) == line


def test_json_line_keeps_text_readable():
    assert json_line({"a": "é", "b": [1, None]}) == '{"a":"é","b":[1,null]}\n'.encode()


@pytest.mark.parametrize("line", [
    '{"age": 40, "age": 41}',                # next to each other
    '{"age": 40, "fever": true, "age" : 41}',  # a space before the colon
    '{"a\\u0067e": 40, "age": 41}',          # an escape that spells the same key
    '{"age": 40, "x": "\\"age\\":", "age": 41}',
])
def test_the_fast_decoder_still_refuses_a_key_given_twice(pathway, line):
    [row] = carepath.run_batch(pathway, [line.encode()])
    assert row.errors and row.errors[0].message == "fact `age` is given twice"


def test_the_fast_decoder_reads_what_the_strict_one_reads(pathway):
    program = carepath.program(pathway)
    fast = batch.FastCases(program)
    lines = [json.dumps(json.loads(path.read_text())).encode() for path in EXAMPLES]
    lines += [b'{"age": 40, "weeks_of_pt": 4.5, "improvement": "none"}', b"{}"]
    for line in lines:
        facts = fast(line)
        assert facts == json.loads(line) and facts is not None
        assert program.run(facts).to_json() == program.run(json.loads(line)).to_json()
    for refused in (b'\xef\xbb\xbf{"age": 40}', b'{"age": 40, "age": 41}', b"[1]", b'{"age": NaN}'):
        assert fast(refused) is None
