"""`carepath cases --cover`: generated cases are valid, deterministic and take every reachable branch."""
from __future__ import annotations

import json

import carepath
from carepath.engine import COMPLETE
from carepath.scenarios import branch_points, coverage

SHADOWED = """pathway shadowed "Fixture: a first-match branch that can never be taken"
source g "guide"
fact temperature: number 34..43
start fever
decide fever "Fever?" first match
  when temperature >= 38 -> febrile
  when temperature >= 40 -> febrile
  otherwise -> afebrile
step febrile "Febrile"
  recommend rest "Rest"  cite g
  stop
step afebrile "Afebrile"
  stop
"""

# 10..60 and the constant 77 give the search the candidates 10 and 60 for both facts, whose sums
# (20, 70, 120) miss 77: only the solver finds `a + b == 77`, and then `a > b` inside it.
NARROW = """pathway narrow "Fixture: a branch only a narrow sum takes"
source g "guide"
fact a: integer 10..60
fact b: integer 10..60
start total
decide total "Sum?"
  when a + b == 77 -> exact
  otherwise -> other
step exact "Exact"
  recommend note "Note" cite g when a > b
  stop
step other "Other"
  stop
"""

# `d: x > 5` is taken, but every such run then falls into the gap of `e`; `e: x < 3` is never taken.
GAP = """pathway gap "Fixture: a branch every run of which ends in a gap"
source g "guide"
fact x: integer 0..10
start d
decide d "d"
  when x > 5 -> e
  otherwise -> s
decide e "e"
  when x < 3 -> s
step s "s"
  stop
"""


def chain(length: int) -> str:
    """A chain of decisions, each sending some cases through a step with a guarded recommendation."""
    lines = ['pathway chain "Fixture: a chain of decisions"', 'source g "guide"', "start d0"]
    for i in range(length):
        after = f"d{i + 1}" if i + 1 < length else "end"
        lines += [f"fact f{i}: boolean", f"fact x{i}: integer 0..100",
                  f'decide d{i} "q{i}"', f"  when f{i} and x{i} > {i} -> s{i}", f"  otherwise -> {after}",
                  f'step s{i} "s{i}"', f'  recommend r{i} "r{i}" cite g when x{i} >= 50',
                  f"  -> {after}"]
    return "\n".join(lines + ['step end "end"', "  stop"]) + "\n"


def written(tmp_path, name, text):
    """A fixture pathway written to tmp_path/NAME.dsl."""
    path = tmp_path / f"{name}.dsl"
    path.write_text(text)
    return path


def same_bytes(first, second, names):
    """Whether the named files in two folders are byte-identical."""
    return [(first / n).read_bytes() for n in names] == [(second / n).read_bytes() for n in names]


def generate(cli, pathway, folder):
    """Run `carepath cases PATHWAY --cover -o folder`; the result and the cases written, by name."""
    result = cli("cases", pathway, "--cover", "-o", folder)
    return result, {p.name: json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))}


def test_generated_cases_take_every_branch_of_the_fixture(in_fixtures, cli, tmp_path):
    result, cases = generate(cli, "triage.dsl", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "taking 4 of 4 branches" in result.stdout
    pathway = carepath.load("triage.dsl")
    runs = [carepath.run(pathway, case) for case in cases.values()]
    assert all(run.status == COMPLETE for run in runs)
    assert coverage(pathway, runs).branch_percent == 100.0
    assert len(cases) < len(branch_points(pathway))


def test_generated_cases_are_named_after_their_first_branch_and_deterministic(in_fixtures, cli, tmp_path):
    first = generate(cli, "triage.dsl", tmp_path / "a")
    second = generate(cli, "triage.dsl", tmp_path / "b")
    assert first[1] == second[1]
    assert same_bytes(tmp_path / "a", tmp_path / "b", first[1])
    assert next(iter(first[1])) == "01_fever_temperature_38.json"
    text = (tmp_path / "a" / "01_fever_temperature_38.json").read_text()
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True) + "\n"


def test_a_branch_no_case_takes_is_reported_proven_unreachable_at_its_line(tmp_path, cli):
    pathway = written(tmp_path, "shadowed", SHADOWED)
    result, cases = generate(cli, pathway, tmp_path / "out")
    assert result.exit_code == 0
    assert "taking 2 of 3 branches" in result.stdout
    proven = result.stdout.split("unreachable (proven)")[1]
    assert f"{pathway}:7: fever: temperature >= 40\n" in proven
    assert "not reached" not in result.stdout
    assert len(cases) == 2


def test_the_solver_finds_a_branch_the_search_values_miss(tmp_path, cli):
    pathway = written(tmp_path, "narrow", NARROW)
    result, cases = generate(cli, pathway, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "taking 4 of 4 branches" in result.stdout
    loaded = carepath.load(pathway)
    runs = [carepath.run(loaded, case) for case in cases.values()]
    assert all(run.status == COMPLETE for run in runs)
    assert not coverage(loaded, runs).uncovered
    narrow = [case for case in cases.values() if case["a"] + case["b"] == 77]
    assert {case["a"] > case["b"] for case in narrow} == {True, False}


def test_solver_generated_cases_are_deterministic(tmp_path, cli):
    pathway = written(tmp_path, "narrow", NARROW)
    first, second = generate(cli, pathway, tmp_path / "a"), generate(cli, pathway, tmp_path / "b")
    assert first[1] == second[1] and len(first[1]) == 3
    assert same_bytes(tmp_path / "a", tmp_path / "b", first[1])
    assert first[0].stdout.replace(str(tmp_path / "a"), "") == second[0].stdout.replace(str(tmp_path / "b"), "")


def test_a_branch_taken_only_by_runs_that_stop_is_not_called_unreachable(tmp_path, cli):
    pathway = written(tmp_path, "gap", GAP)
    result, cases = generate(cli, pathway, tmp_path / "out")
    assert result.exit_code == 0
    assert "taking 1 of 3 branches" in result.stdout
    proven, unreached = result.stdout.split("unreachable (proven)")[1].split("not reached:")
    assert f"{pathway}:9: e: x < 3" in proven
    assert f"{pathway}:6: d: x > 5: every run that takes it stops later" in unreached
    assert len(cases) == 1


def test_cases_found_separately_are_merged_into_few(tmp_path, cli):
    # 10 decisions x (when, otherwise) + 10 guarded recommendations x 2 = 40 branches; three runs
    # suffice: every decision `otherwise`, every one `when` with x high, every one `when` with x low.
    pathway = written(tmp_path, "chain", chain(10))
    result, cases = generate(cli, pathway, tmp_path / "out")
    assert "taking 40 of 40 branches" in result.stdout
    assert len(cases) <= 3
    loaded = carepath.load(pathway)
    assert not coverage(loaded, [carepath.run(loaded, case) for case in cases.values()]).uncovered


def test_the_flagship_pathway_is_covered_by_a_few_generated_cases(in_fixtures, cli, tmp_path):
    flagship = in_fixtures.parent.parent.parent / "pathway.dsl"
    result, cases = generate(cli, flagship, tmp_path / "out")
    assert result.exit_code == 0, result.output
    pathway = carepath.load(flagship)
    runs = [carepath.run(pathway, case) for case in cases.values()]
    assert all(run.status == COMPLETE for run in runs)
    assert not coverage(pathway, runs).uncovered
    assert "not reached" not in result.stdout and "unreachable" not in result.stdout


def test_cases_cover_every_branch_without_the_flag(in_fixtures, cli, tmp_path):
    """--cover is the default: without it the same cases are written."""
    plain, flagged = tmp_path / "plain", tmp_path / "flagged"
    result, cases = cli("cases", "triage.dsl", "-o", plain), generate(cli, "triage.dsl", flagged)[1]
    assert result.exit_code == 0, result.output
    assert cases and same_bytes(plain, flagged, cases)
    assert sorted(p.name for p in plain.iterdir()) == sorted(cases)
