"""Checker tests: the defect corpus (kind and line:col), witnesses replayed, outputs, the CLI."""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

import carepath
from carepath.checks import CHECKS, Context, collect
from carepath.checks import report
from carepath.cli import main
from replay import reproduces

HERE = Path(__file__).parent
ROOT = HERE.parent
DEFECTS = sorted((HERE / "fixtures" / "defects").glob("*.dsl"))
SEMANTIC = {"overlap", "gap", "shadowed", "needs_input", "invariant", "derived_gap", "derived_range",
            "derived_overlap", "derived_shadowed", "division_by_zero", "waits_for_nothing"}


def expected(path: Path) -> list[str]:
    """The `# expect: KIND LINE:COL` lines of a corpus file."""
    return sorted(re.findall(r"^# expect: (\S+ \d+:\d+)$", path.read_text(), re.M))


def found(path: Path) -> list[str]:
    """What the checker reports for a file, as `KIND LINE:COL`."""
    return sorted(f"{d.kind} {d.span.line}:{d.span.column}" for d in carepath.check(path))


@pytest.mark.parametrize("path", DEFECTS, ids=lambda p: p.stem)
def test_corpus_reports_exactly_the_expected_findings(path: Path) -> None:
    """Each defect file yields its findings at their line:col; each near miss yields none."""
    want = expected(path)
    assert bool(want) != path.stem.startswith("near_"), "defect files expect findings, near misses none"
    assert found(path) == want


def test_every_finding_kind_has_a_defect_file() -> None:
    """The corpus names a file after every kind of finding the checks can report."""
    kinds = {line.split()[0] for path in DEFECTS for line in expected(path)}
    assert kinds >= SEMANTIC | {"contradictory", "unreachable", "unused_fact", "unused_source", "unused_derived",
                                "uncited_caution", "duplicate_code", "derived_contradictory", "restricted_fact"}
    assert {k for k in kinds if not any(p.stem.startswith(k.split("_")[0]) for p in DEFECTS)} == set()


def witnessed() -> list[tuple[Path, int]]:
    """(file, index) of every finding with a witness, in the corpus and in pathway.dsl."""
    paths = DEFECTS + [ROOT / "pathway.dsl"]
    return [(p, i) for p in paths for i, d in enumerate(carepath.check(p)) if d.witness is not None]


@pytest.mark.parametrize("path,index", witnessed(), ids=lambda x: x.stem if isinstance(x, Path) else str(x))
def test_witness_reproduces_its_finding(path: Path, index: int) -> None:
    """Running a finding's witness case shows the finding: both guards, the gap, the stop, the code."""
    pathway = carepath.load(path)
    finding = carepath.check(pathway)[index]
    assert finding.kind in SEMANTIC
    assert reproduces(pathway, finding), finding.format()


def test_witness_cases_are_complete_and_valid() -> None:
    """A witness gives every required fact, within its domain (running it raises no CaseError); only
    an invariant broken by runs that stop for input may leave required facts out."""
    for path, index in witnessed():
        pathway = carepath.load(path)
        finding = carepath.check(pathway)[index]
        case = finding.witness
        if finding.kind != "invariant":
            assert {n for n, f in pathway.facts.items() if not f.optional} <= set(case)
        assert all(type(v) is not float or not v.is_integer() for v in case.values())


def test_contradiction_is_explained_by_the_conflicting_branch() -> None:
    """The unsat core points at the branch that rules the guard out, and the range that does."""
    after = carepath.check(HERE / "fixtures" / "defects" / "contradictory_after_branch.dsl")
    contradiction = next(d for d in after if d.kind == "contradictory")
    assert [(r.span.line, "age >= 65" in r.message) for r in contradiction.related] == [(8, True)]
    ranged = carepath.check(HERE / "fixtures" / "defects" / "contradictory_range.dsl")
    assert [r.span.line for r in ranged[0].related] == [3]


def test_registry_checks_are_pure_functions_of_the_context() -> None:
    """Each check returns a list of diagnostics, and asking twice gives the same answer."""
    pathway = carepath.load(ROOT / "pathway.dsl")
    for rule in CHECKS:
        first, second = rule(Context(pathway)), rule(Context(pathway))
        assert isinstance(first, list) and first == second


def test_solver_calls_stay_linear_in_the_graph() -> None:
    """A chain of decisions that rejoin doubles its paths per decision; the calls grow by a constant
    (without sample runs, which would answer every question here)."""
    def calls(n: int) -> int:
        context = Context(carepath.loads(chain(n)), samples=0)
        assert collect(context) == []
        return context.solver_calls

    assert calls(20) - calls(10) == calls(30) - calls(20)


def chain(n: int) -> str:
    """A pathway of n binary decisions whose branches rejoin: 2**n paths."""
    facts = "".join(f"fact f{i}: boolean\n" for i in range(n))
    nodes = "".join(f'decide d{i} "D{i}"\n  when f{i} -> a{i}\n  otherwise -> b{i}\n'
                    f'step a{i} "A{i}" -> {f"d{i + 1}" if i + 1 < n else "end"}\n'
                    f'step b{i} "B{i}" -> {f"d{i + 1}" if i + 1 < n else "end"}\n' for i in range(n))
    return f'pathway chain "Chain"\n{facts}start d0\n{nodes}step end "End" stop\n'


# --- outputs ---------------------------------------------------------------------------------

def invoke(*args: str):
    """Run the CLI in-process."""
    return CliRunner().invoke(main, list(args))


SARIF_SCHEMA = HERE / "fixtures" / "sarif-subset-2.1.0.schema.json"


def defect(name: str) -> str:
    """The path of a corpus file."""
    return str(HERE / "fixtures" / "defects" / name)


def test_sarif_validates_against_the_schema() -> None:
    """The SARIF log of a file with findings of every severity fits SARIF 2.1.0 with DSL locations."""
    schema = json.loads((SARIF_SCHEMA).read_text())
    for name in ("contradictory_after_branch.dsl", "unused_declarations.dsl", "near_gap_enum.dsl"):
        result = invoke("check", defect(name), "--format", "sarif")
        log = json.loads(result.output)
        jsonschema.Draft4Validator(schema).validate(log)
        results = log["runs"][0]["results"]
        assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results] == \
               [(d.kind, d.span.line) for d in carepath.check(defect(name))]


def test_sarif_schema_rejects_a_broken_log() -> None:
    """The schema test can fail: a result without a message is refused."""
    schema = json.loads((SARIF_SCHEMA).read_text())
    log = json.loads(invoke("check", defect("overlap_ages.dsl"), "--format", "sarif").output)
    del log["runs"][0]["results"][0]["message"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schema).validate(log)


def test_text_groups_errors_before_warnings_and_counts() -> None:
    """Text output lists errors, then warnings, each with its caret, then a tally line."""
    output = invoke("check", defect("unreachable_behind_stop.dsl")).output
    assert output.index(": error: ") < output.index(": warning: ")
    assert output.endswith("1 error, 2 warnings\n") and "  case: {" in output


def test_json_output_is_deterministic_and_complete() -> None:
    """Two runs give identical bytes; each diagnostic carries kind, span, related and witness."""
    first, second = (invoke("check", defect("overlap_ages.dsl"), "--format", "json").output for _ in range(2))
    assert first == second
    data = json.loads(first)
    assert data["summary"] == {"error": 1, "warning": 0, "note": 0}
    assert data["diagnostics"][0]["kind"] == "overlap" and data["diagnostics"][0]["witness"]["age"] >= 65


@pytest.mark.parametrize("name,args,code", [
    ("overlap_ages.dsl", [], 1),
    ("near_gap_enum.dsl", [], 0),
    ("unused_declarations.dsl", [], 0),
    ("unused_declarations.dsl", ["--strict"], 1),
    ("no_such_file.dsl", [], 2),
])
def test_exit_codes(name: str, args: list[str], code: int) -> None:
    """0 clean or warnings only, 1 with errors (or warnings under --strict), 2 for input errors."""
    assert invoke("check", defect(name), *args).exit_code == code


def test_witnesses_are_written_one_file_per_finding(tmp_path: Path) -> None:
    """--witnesses writes each witness as a case file that `carepath run` accepts."""
    folder = tmp_path / "cases"
    invoke("check", defect("unreachable_behind_stop.dsl"), "--witnesses", str(folder))
    files = sorted(p.name for p in folder.iterdir())
    assert files == ["001-needs_input-line11.json"]
    run = invoke("run", defect("unreachable_behind_stop.dsl"), str(folder / files[0]), "--json")
    assert json.loads(run.output)["status"] == "needs_input"


def test_pathway_checks_without_errors() -> None:
    """The flagship pathway has no error-level findings (warnings are reported, not fatal)."""
    assert report.counts(carepath.check(ROOT / "pathway.dsl"))["error"] == 0


WAITS = ROOT / "tests" / "fixtures" / "defects" / "waits_for_nothing.dsl"


def test_a_wait_for_nothing_is_reported_with_a_case_that_run_replays():
    """Through the Python API: the finding's witness stops at the node, asking for the fact it names."""
    finding = next(d for d in carepath.check(WAITS) if d.kind == "waits_for_nothing")
    assert finding.severity == "warning" and "`pain`" in finding.message and "same branch" in finding.message
    result = carepath.run(WAITS, finding.witness)
    assert result.status == "needs_input" and result.needs == ("pain",) and result.path[-1].node == "triage"
    assert reproduces(carepath.load(WAITS), finding)


def test_a_wait_for_nothing_can_be_accepted(tmp_path):
    """Through the CLI: `accept waits_for_nothing at NODE` lists it as accepted, and --strict then passes
    (once the unguarded optional read is accepted too)."""
    text = WAITS.read_text() + ('accept waits_for_nothing at triage "pain is asked for the record"\n'
                                'accept needs_input at triage "pain is asked for the record"\n')
    path = tmp_path / "waits.dsl"
    path.write_text(text)
    plain = CliRunner().invoke(main, ["check", str(WAITS), "--strict"])
    accepted = CliRunner().invoke(main, ["check", str(path), "--strict"])
    assert plain.exit_code == 1 and "warning: a run may wait at `triage`" in plain.output
    assert accepted.exit_code == 0, accepted.output
    assert "waits_for_nothing.dsl:11:8: accepted: a run may wait at `triage`" not in accepted.output
    assert "waits.dsl:11:8: accepted: a run may wait at `triage` for `pain`" in accepted.output


DEEP = '''pathway deep "Deep"
source s "S"
fact pain: optional integer 0..10
fact fever: boolean
fact age: integer 0..120
start adult
decide adult "Adult?"
  when age >= 18 -> later
  otherwise -> home
{node}
step review "Review" recommend review "Review today" cite s stop
step home "Home" recommend home "Self-care" cite s stop
'''


@pytest.mark.parametrize("node, what", [
    ('decide later "Fever with pain?"\n  when fever and (pain > 3 or pain < 5) -> review\n  otherwise -> home', "branch"),
    ('step later "Advice"\n  recommend rest "Rest" cite s\n    when pain >= 0 or fever\n  -> home', "advice"),
])
def test_a_wait_for_nothing_behind_another_node_has_a_case_that_reaches_it(node, what):
    """A decision or a step past the start: the witness reaches it, and `run` stops there for `pain`."""
    pathway = carepath.loads(DEEP.format(node=node), "deep.dsl")
    finding = next(d for d in carepath.check(pathway) if d.kind == "waits_for_nothing")
    assert f"same {what}" in finding.message and finding.witness["age"] >= 18
    result = carepath.run(pathway, finding.witness)
    assert (result.status, result.needs, result.path[-1].node) == ("needs_input", ("pain",), "later")
    assert reproduces(pathway, finding)


def test_a_wait_that_can_change_the_branch_is_not_reported():
    """`pain > 3` depends on pain: waiting for it is the point, not a finding."""
    text = DEEP.format(node='decide later "Pain?"\n  when fever and pain > 3 -> review\n  otherwise -> home')
    assert not [d for d in carepath.check(carepath.loads(text, "deep.dsl")) if d.kind == "waits_for_nothing"]
