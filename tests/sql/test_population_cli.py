"""`carepath sql`, `run --population` and `render --population` from the command line."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import sqlglot
from click.testing import CliRunner
from sqlglot import exp

import carepath
from carepath import cli
from population_support import executor_row

ROOT = Path(__file__).resolve().parents[2]
PATHWAY = str(ROOT / "pathway.dsl")
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
# SQL keywords and odd characters as names: every identifier must be quoted.
KEYWORDS = """pathway keywords "Keywords"
source g "g.txt"
fact order: integer 0..10
fact from: optional boolean
fact group: a | b
start select
decide select "Select?"
  when order >= 5 and from -> where
  when group is b -> where
  otherwise -> stop_here
step where "Where"
  recommend join "Join" cite g
  stop
step stop_here "Stop"
  stop
"""


def invoke(*args: str):
    """Run the CLI in-process, stderr kept apart."""
    return CliRunner().invoke(cli.main, list(args))


@pytest.fixture
def population(tmp_path: Path) -> Path:
    """The example cases and two bad rows as JSON Lines, with a patient id."""
    rows = [{"patient": f"p{i}", **json.loads(path.read_text())} for i, path in enumerate(EXAMPLES)]
    rows.append({"patient": "bad-age", **json.loads(EXAMPLES[0].read_text()), "age": 300})
    rows.append({"patient": "bad-kind", **json.loads(EXAMPLES[0].read_text()), "improvement": "great"})
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


@pytest.mark.parametrize("dialect", ["duckdb", "spark", "postgres", "snowflake"])
def test_sql_renders_one_parseable_query_per_dialect(dialect: str) -> None:
    result = invoke("sql", PATHWAY, "--dialect", dialect, "--table", "warehouse.lbp.cases", "--keep", "patient_id")
    assert result.exit_code == 0, result.stderr
    tree = sqlglot.parse_one(result.stdout, read=dialect)
    assert [e.alias_or_name for e in tree.expressions][:2] == ["patient_id", "status"]
    assert {t.name for t in tree.find_all(sqlglot.exp.Table)} >= {"cases"}


def test_sql_quotes_every_identifier(duck) -> None:
    pathway = carepath.loads(KEYWORDS, "keywords.dsl")
    from carepath.sql import to_sql

    duck.execute('CREATE TABLE "we""ird" ("order" INTEGER, "from" BOOLEAN, "group" VARCHAR)')
    duck.execute("""INSERT INTO "we""ird" VALUES (7, true, 'a'), (1, NULL, 'a'), (1, NULL, 'b')""")
    rows = duck.execute(to_sql(pathway, "duckdb", 'we"ird')).fetchall()
    assert [(r[0], r[1]) for r in rows] == [("complete", ["join"]), ("complete", []), ("complete", ["join"])]


def test_sql_refuses_an_unknown_dialect() -> None:
    result = invoke("sql", PATHWAY, "--dialect", "klingon")
    assert result.exit_code == 2 and "unknown SQL dialect `klingon`" in result.stderr


def test_sql_refuses_arithmetic_too_wide_for_a_decimal(tmp_path: Path) -> None:
    text = KEYWORDS.replace("fact order: integer 0..10", "fact order: number").replace(
        "order >= 5", "order * order * order * order > 5")
    path = tmp_path / "wide.dsl"
    path.write_text(text)
    result = invoke("sql", str(path))
    assert result.exit_code == 2
    assert f"{path}:8:8:" in result.stderr and "decimal digits" in result.stderr


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_run_population_matches_the_executor_and_keeps_the_id(population, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"results{suffix}"
    result = invoke("run", PATHWAY, "--population", str(population), "-o", str(out))
    assert result.exit_code == 1, result.stderr  # two rows are in error
    assert "2 error" in result.stderr
    rows = duckdb.sql(f"SELECT * FROM '{out}'").fetchall() if suffix == ".parquet" else \
        [tuple(json.loads(line).values()) for line in out.read_text().splitlines()]
    program = carepath.program(carepath.load(PATHWAY))
    for row, path in zip(rows, EXAMPLES):
        expected = executor_row(program, json.loads(path.read_text()))
        assert (row[1], list(row[2]), list(row[3]), list(row[4]), list(row[5])) == (
            expected["status"], expected["codes"], expected["urgencies"], expected["needs"], expected["route"])
    assert [row[0] for row in rows] == [f"p{i}" for i in range(len(EXAMPLES))] + ["bad-age", "bad-kind"]
    errors = {row[0]: row[-1] for row in rows if row[1] == "error"}
    assert "fact `age`: 300 is outside the declared range 16..120" in errors["bad-age"]
    assert "fact `improvement`: expected one of none, partial, significant, got great" in errors["bad-kind"]


def test_run_population_reads_csv_and_a_duckdb_table(population, tmp_path: Path) -> None:
    csv, database = tmp_path / "cases.csv", tmp_path / "warehouse.duckdb"
    connection = duckdb.connect(str(database))
    connection.execute(f"CREATE TABLE cases AS SELECT * FROM read_json('{population}')")
    connection.execute(f"COPY cases TO '{csv}' (HEADER)")
    connection.close()
    outputs = []
    for source in (str(csv), f"{database}:cases"):
        out = tmp_path / f"out{len(outputs)}.jsonl"
        assert invoke("run", PATHWAY, "--population", source, "-o", str(out)).exit_code == 1
        outputs.append([json.loads(line)["status"] for line in out.read_text().splitlines()])
    assert outputs[0] == outputs[1] and outputs[0].count("error") == 2


def test_a_missing_fact_column_is_missing_in_every_row(tmp_path: Path) -> None:
    source = tmp_path / "few.jsonl"
    source.write_text(json.dumps({"age": 40}) + "\n")
    out = tmp_path / "out.jsonl"
    assert invoke("run", PATHWAY, "--population", str(source), "-o", str(out)).exit_code == 0
    row = json.loads(out.read_text())
    assert row["status"] == "needs_input" and "bladder_or_bowel_dysfunction" in row["needs"]


@pytest.mark.parametrize("args, message", [
    (["--population", "cases.txt", "-o", "out.jsonl"], "give a .parquet, .csv, .jsonl"),
    (["--population", "missing.parquet", "-o", "out.jsonl"], "no such file"),
    (["--population", "{population}"], "give -o RESULTS.parquet"),
    (["--population", "{population}", "-o", "out.csv"], "must be a .parquet or .jsonl file"),
])
def test_run_population_usage_errors_exit_2(population, tmp_path: Path, monkeypatch, args, message) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("run", PATHWAY, *[a.format(population=population) for a in args])
    assert result.exit_code == 2 and message in result.stderr
    assert not (tmp_path / "out.jsonl").exists()


def test_a_result_column_in_the_input_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "clash.jsonl"
    source.write_text(json.dumps({"age": 40, "status": "x"}) + "\n")
    result = invoke("run", PATHWAY, "--population", str(source), "-o", str(tmp_path / "out.jsonl"))
    assert result.exit_code == 2 and "column named `status`" in result.stderr


def test_render_population_weighs_arrows_and_counts_codes(population, tmp_path: Path) -> None:
    results = tmp_path / "results.parquet"
    invoke("run", PATHWAY, "--population", str(population), "-o", str(results))
    result = invoke("render", PATHWAY, "--population", str(results), "--format", "dot")
    assert result.exit_code == 0, result.stderr
    dot = result.stdout
    walked = len(EXAMPLES)
    assert f"{walked} (100.0%)" in dot  # every run starts at the start
    assert "\u00d7 1" in dot and "stopped for input" in dot
    assert f"population: {walked + 2} cases (2 complete, 1 needs_input, 2 error)" in dot


def test_render_refuses_a_case_and_a_population(population) -> None:
    result = invoke("render", PATHWAY, "--population", "x.parquet", "--case", str(EXAMPLES[0]))
    assert result.exit_code == 2 and "not both" in result.stderr


def test_run_population_on_spark_writes_what_duckdb_writes(spark, population, tmp_path: Path) -> None:
    outputs = []
    for engine in ("duckdb", "spark"):
        out = tmp_path / f"{engine}.jsonl"
        result = invoke("run", PATHWAY, "--population", str(population), "-o", str(out), "--engine", engine)
        assert result.exit_code == 1, result.stderr
        outputs.append([json.loads(line) for line in out.read_text().splitlines()])
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("args", [["--master", "local[2]"], ["--engine", "spark", "--threads", "2"]])
def test_engine_options_must_match_the_engine(population, tmp_path: Path, args) -> None:
    result = invoke("run", PATHWAY, "--population", str(population), "-o", str(tmp_path / "o.jsonl"), *args)
    assert result.exit_code == 2 and "goes with --engine" in result.stderr


def test_engine_options_need_a_population() -> None:
    result = invoke("run", PATHWAY, str(EXAMPLES[0]), "--threads", "2")
    assert result.exit_code == 2 and "go with --population" in result.stderr


def test_sql_is_the_same_text_whatever_the_hash_seed() -> None:
    texts = {subprocess.run([sys.executable, "-m", "carepath.cli", "sql", PATHWAY], capture_output=True, text=True,
                            env={**os.environ, "PYTHONHASHSEED": seed}, check=True).stdout for seed in ("1", "2")}
    assert len(texts) == 1


LANGUAGE = """pathway p "P"
source s "S"
fact n: integer 0..10
fact flag: boolean
{declarations}start d
decide d "D"
  when {guard} -> yes
  otherwise -> no
step yes "Y" recommend yes "Yes" cite s stop
step no "N" stop
"""
NEWER_CONSTRUCTS = [
    ("score total \"T\"\n  points 2 when flag\n  points 1 when n > 3\n", "total >= 2"),
    ("derive signs: integer = count(flag, n > 3)\n", "signs >= 1"),
    ("", "(if flag then n else 0) > 3"),
    ("fact meds: optional set of a | b\n", "meds has a"),
    ("fact today: date\nfact seen: optional date\n", "today - seen <= 12 weeks"),
]


@pytest.mark.parametrize("declarations, guard", NEWER_CONSTRUCTS)
def test_sql_compiles_the_newer_constructs_for_every_dialect(tmp_path: Path, declarations, guard) -> None:
    """Scores, count, if, sets and dates compile (no refusal left) and parse back in each dialect."""
    path = tmp_path / "p.dsl"
    path.write_text(LANGUAGE.format(declarations=declarations, guard=guard))
    for dialect in ("duckdb", "spark", "postgres"):
        result = invoke("sql", str(path), "--dialect", dialect)
        assert result.exit_code == 0, result.stderr
        assert sqlglot.parse_one(result.stdout.rstrip().rstrip(";"), read=dialect) is not None


DATED = """pathway dated "Dated"
source s "S"
fact today: date
fact seen: optional date
fact meds: optional set of warfarin | aspirin | nsaid
start d
decide d "D" first match
  when meds has warfarin and meds has any of {aspirin, nsaid} -> bleed
  when seen >= today - 6 months -> recent
  otherwise -> none
step bleed "Bleeding risk" recommend review_combination "Review" cite s stop
step recent "Seen recently" recommend routine_review "Routine" cite s stop
step none "Not seen" recommend recall "Recall" cite s stop
"""
DATED_CSV = """patient,seen,meds
p1,2026-06-01,"[""warfarin"", ""aspirin""]"
p2,2026-05-29,[]
p3,,[warfarin]
p4,2026-02-30,[]
p5,2026-06-01,"[aspirin, aspirin]"
p6,2026-05-31,
p7,2026-05-31,[heparin]
"""


def test_a_csv_population_with_dates_sets_and_a_reference_date(tmp_path: Path) -> None:
    """Dates as ISO text and sets as JSON-like lists in CSV cells; the reference date given once for
    every row; bad dates and bad lists are errors for their rows only; the executor agrees."""
    pathway, cases = tmp_path / "dated.dsl", tmp_path / "cases.csv"
    pathway.write_text(DATED)
    cases.write_text(DATED_CSV)
    out = tmp_path / "out.jsonl"
    result = invoke("run", str(pathway), "--population", str(cases), "-o", str(out), "--reference-date",
                    "today=2026-11-30")
    assert result.exit_code == 1, result.stderr  # rows in error
    rows = {row["patient"]: row for row in map(json.loads, out.read_text().splitlines())}
    assert [rows[p]["status"] for p in ("p4", "p5", "p7")] == ["error"] * 3
    assert "2026-02-30" in rows["p4"]["errors"] and "heparin" in rows["p7"]["errors"]
    program = carepath.program(carepath.load(pathway))
    facts = {"p1": ("2026-06-01", ["warfarin", "aspirin"]), "p2": ("2026-05-29", []), "p3": (None, ["warfarin"]),
             "p6": ("2026-05-31", None)}
    for patient, (seen, meds) in facts.items():
        case = {"today": "2026-11-30", "seen": seen, "meds": meds}
        expected = executor_row(program, case)
        assert {k: rows[patient][k] for k in expected} == expected, patient
    assert rows["p1"]["codes"] == ["review_combination"] and rows["p6"]["needs"] == ["meds"]
    assert rows["p2"]["codes"] == ["recall"]  # 29 May is before 30 May, six months before 30 November


def test_a_reference_date_column_and_option_cannot_both_be_given(tmp_path: Path) -> None:
    pathway, cases = tmp_path / "dated.dsl", tmp_path / "cases.csv"
    pathway.write_text(DATED)
    cases.write_text("today,seen\n2026-11-30,2026-06-01\n")
    result = invoke("run", str(pathway), "--population", str(cases), "-o", str(tmp_path / "o.jsonl"),
                    "--reference-date", "today=2026-11-30")
    assert result.exit_code == 2 and "the input has a column `today`" in result.stderr


@pytest.mark.parametrize("given, said", [("today=30/11/2026", "YYYY-MM-DD"), ("seen", "FACT=YYYY-MM-DD"),
                                         ("meds=2026-11-30", "its date facts: today, seen")])
def test_a_bad_reference_date_is_a_usage_error(tmp_path: Path, given: str, said: str) -> None:
    pathway = tmp_path / "dated.dsl"
    pathway.write_text(DATED)
    result = invoke("sql", str(pathway), "--reference-date", given)
    assert result.exit_code == 2 and said in result.stderr and "Traceback" not in result.stderr


def test_the_reference_date_is_the_clock_only_when_asked(tmp_path: Path) -> None:
    pathway = tmp_path / "dated.dsl"
    pathway.write_text(DATED)
    fixed, clock, column = (invoke("sql", str(pathway), *args).stdout for args in (
        ["--reference-date", "today=2026-11-30"], ["--reference-date", "today=today"], []))
    assert "CURRENT_DATE" in clock and "CURRENT_DATE" not in fixed + column
    assert "'2026-11-30'" in fixed and '"today"' in column


def test_no_predicate_is_tested_for_null_without_parentheses() -> None:
    """Spark's parser refuses `a IN (...) IS NULL` (a predicate on a predicate): every IS NULL in the
    query of pathway.dsl (whose needs ask whether such parts are known) tests a column, a literal,
    a function or a parenthesised expression."""
    from sqlglot import exp

    from carepath.sql import query, table

    tests = list(query(carepath.load(PATHWAY), table("cases")).find_all(exp.Is))
    predicates = (exp.Predicate, exp.Connector, exp.Not, exp.Binary)
    assert tests and [t.sql() for t in tests if isinstance(t.this, predicates)] == []


def test_without_try_cast_a_bad_value_marks_its_row_not_the_query() -> None:
    """PostgreSQL has no TRY_CAST (sqlglot writes CAST, which fails the whole query on one bad value):
    each conversion is guarded by a test of the value's text. Run here as DuckDB SQL, whose CAST fails
    the same way, over text columns holding bad values."""
    from carepath.sql import query, table
    from carepath.sql.dialects import for_dialect

    pathway = carepath.loads(KEYWORDS, "keywords.dsl")
    guarded = for_dialect(query(pathway, table("cases"), ["id"]), "postgres")
    assert not list(guarded.find_all(exp.TryCast)) and "TRY_CAST" not in guarded.sql(dialect="postgres")
    connection = duckdb.connect()
    connection.execute('CREATE TABLE cases (id INT, "order" VARCHAR, "from" VARCHAR, "group" VARCHAR)')
    connection.execute("INSERT INTO cases VALUES (1, '7', 'true', 'a'), (2, 'seven', 'true', 'a'), "
                       "(3, '7', 'maybe', 'b'), (4, '99999999999999999999999', 'f', 'a')")
    rows = connection.execute(guarded.sql(dialect="duckdb")).fetchall()
    statuses = [row[1] for row in sorted(rows)]
    assert statuses == ["complete", "error", "error", "error"]
