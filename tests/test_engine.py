"""Stage 3 tests: case -> JSON result goldens, three-valued guards, case validation errors."""
from __future__ import annotations

from pathlib import Path

import pytest

import carepath
from carepath.engine import PathwayDefect
from carepath.engine.cases import parse_case, read_case
from carepath.errors import CaseError, SourceFile
from carepath.expr.numbers import dumps

HERE = Path(__file__).parent
TRIAGE = HERE / "fixtures" / "pathways" / "triage.dsl"
CASES = sorted((HERE / "fixtures" / "cases").iterdir())
ROOT = HERE.parent


@pytest.fixture(scope="module")
def triage():
    """The fixture pathway, loaded once."""
    return carepath.load(TRIAGE)


@pytest.mark.parametrize("case_path", CASES, ids=lambda p: p.name)
def test_result_golden(triage, case_path: Path, check_golden) -> None:
    """Each fixture case gives the JSON result recorded in its golden file."""
    facts, source = read_case(str(case_path))
    result = carepath.run(triage, facts, source)
    check_golden(HERE / "golden" / "engine" / f"{case_path.stem}.json", dumps(result.to_json(), indent=True).decode() + "\n")


def test_result_has_documented_shape(triage) -> None:
    """The JSON result has exactly the keys of docs/dsl.md, sources resolved to names."""
    facts, _ = read_case(str(HERE / "fixtures" / "cases" / "emergency.yaml"))
    data = carepath.run(triage, facts).to_json()
    assert list(data) == ["pathway", "status", "needs", "recommendations", "path"]
    assert data["pathway"] == {"name": "triage", "version": "2.1.0"}
    (rec,) = data["recommendations"]
    assert rec == {"code": "ct_head", "text": "CT head within 1 hour", "step": "emergency_department",
                   "sources": ["NICE CG176"], "cautions": [{"text": "Check anticoagulants first",
                                                            "sources": ["guide.txt"]}]}
    assert [v["node"] for v in data["path"]] == ["assess", "emergency_department"]


def test_needs_input_names_the_facts_of_the_undecided_guard(triage) -> None:
    """A guard that reads a missing fact stops the run and lists what it needs, never defaults."""
    result = carepath.run(triage, {"age": 40, "temperature": 37, "head_injury": False})
    assert (result.status, result.needs, result.recommendations) == ("needs_input", ("pain",), ())
    assert result.path[-1].node == "assess" and result.path[-1].took is None


def test_false_and_missing_is_false(triage) -> None:
    """Kleene logic: `head_injury and gcs_band is low` is false when head_injury is false, gcs or not."""
    result = carepath.run(triage, {"age": 30, "temperature": 37, "pain": "none", "head_injury": False})
    assert result.status == "complete" and result.codes == []


def test_presence_guard_protects_an_optional_fact(triage) -> None:
    """`weight is present and weight * 10 > 100` skips the recommendation without weight."""
    result = carepath.run(triage, {"age": 30, "temperature": 39, "pain": "none", "head_injury": False})
    assert result.codes == ["review"]


def test_null_means_missing(triage) -> None:
    """A fact given as null is treated as absent."""
    result = carepath.run(triage, {"age": 30, "temperature": 37, "pain": None, "head_injury": False})
    assert result.needs == ("pain",)


GAP = '''pathway g "Gap" start d
fact n: integer 0..10
decide d "D" when n < 3 -> s when n > 5 -> s
step s "S" stop
'''


def test_no_branch_holding_is_a_pathway_defect() -> None:
    """A case that falls into a decision's gap is reported at the decision, exit code 1."""
    with pytest.raises(PathwayDefect) as info:
        carepath.run(carepath.loads(GAP, "g.dsl"), {"n": 4})
    assert info.value.exit_code == 1
    assert info.value.diagnostics[0].message == "no branch of decision `d` holds for this case (facts: {'n': 4})"
    assert info.value.diagnostics[0].span.line == 3


def test_exclusive_decision_takes_the_true_branch_despite_an_undecided_one() -> None:
    """An exclusive decision need not wait for a missing fact once another branch holds."""
    pathway = carepath.loads('''pathway x "X" start d
fact a: boolean
fact b: optional boolean
decide d "D" when b -> s when a -> t
step s "S" recommend r "R" cite z stop
step t "T" recommend q "Q" cite z stop
source z "z"
''', "x.dsl")
    assert carepath.run(pathway, {"a": True}).codes == ["q"]
    assert carepath.run(pathway, {"a": False}).needs == ("b",)


def case_errors(text: str, name: str = "case.json") -> list[tuple[int | None, str]]:
    """(line, message) of each error validating a case text against the triage pathway."""
    source = SourceFile(name, text)
    with pytest.raises(CaseError) as info:
        carepath.run(carepath.load(TRIAGE), parse_case(source), source)
    return [(d.span.line if d.span else None, d.message) for d in info.value.diagnostics]


@pytest.mark.parametrize("text, expected", [
    ('{"age": 40,\n "tempreature": 37}', [(2, "unknown fact `tempreature`")]),
    ('{"age": "forty"}', [(1, 'fact `age`: expected an integer, got "forty"')]),
    ('{"age": 40.5}', [(1, "fact `age`: expected a whole number, got 40.5")]),
    ('{"age": true}', [(1, "fact `age`: expected an integer, got true")]),
    ('{"age": 400}', [(1, "fact `age`: 400 is outside the declared range 0..120")]),
    ('{"head_injury": "true"}', [(1, 'fact `head_injury`: expected true or false, got "true"')]),
    ('{"pain": "severe ", "gcs": 20}', [(1, 'fact `pain`: expected one of none, mild, severe, got "severe " '
                                            "(did you mean `severe`?)"),
                                        (1, "fact `gcs`: 20 is outside the declared range 3..15")]),
    ('{"febrile": true}', [(1, "`febrile` is a derived value; the pathway computes it, a case cannot give it")]),
    ('{"age": NaN}', [(1, "invalid JSON: NaN is not a number a case may contain")]),
    ('{"age": 1, "age": 2}', [(1, "fact `age` is given twice")]),
    ('{"age": 1', [(1, "invalid JSON: Expecting ',' delimiter")]),
    ('[1, 2]', [(1, "a case must be a mapping of fact names to values, not a list")]),
])
def test_case_error(text: str, expected) -> None:
    """Every problem with a case is an input error naming the fact, located in the case file."""
    assert case_errors(text) == expected


def test_yaml_case_errors_are_located() -> None:
    """YAML cases are read with the safe loader and their errors carry YAML's position."""
    assert case_errors("age: 40\ntemperature: .nan\n", "case.yaml") == [
        (2, "invalid YAML: `.nan` is not a finite number")]
    assert case_errors("age: !!python/object/apply:os.system ['true']\n", "case.yaml")[0][1].startswith(
        "invalid YAML: could not determine a constructor for the tag")


def test_broken_require_is_an_input_error() -> None:
    """A case that breaks a `require` is rejected with the constraint and the facts' values."""
    pathway = carepath.loads('''pathway r "R" start s
fact a: integer 0..9
fact b: integer 0..9
require a <= b
step s "S" stop
''', "r.dsl")
    with pytest.raises(CaseError) as info:
        carepath.run(pathway, {"a": 5, "b": 2})
    assert info.value.diagnostics[0].message == "the case breaks `require a <= b` (a = 5, b = 2)"
    assert carepath.run(pathway, {"a": 5}).status == "complete"


@pytest.mark.parametrize("name", ["01_one_session.json", "02_eight_weeks_after_fall.json"])
def test_public_contract_scenarios(name: str) -> None:
    """Both public scenarios of the data contract give their required codes and none forbidden."""
    expected = {
        "01_one_session.json": ({"continue_pt", "startback_screen", "nsaid", "no_routine_imaging"},
                                {"mri", "urgent_mri", "surgical_evaluation", "emergency_referral",
                                 "urgent_specialist_referral", "spine_specialist_referral",
                                 "pain_centre_referral", "rheumatology_referral"}),
        "02_eight_weeks_after_fall.json": ({"biopsychosocial_mdt", "psychological_therapy", "review_by_12_weeks",
                                            "fit_note", "avoid_long_term_opioids"},
                                           {"emergency_referral", "self_management"}),
    }[name]
    facts, _ = read_case(str(ROOT / "examples" / name))
    result = carepath.run(carepath.load(ROOT / "pathway.dsl"), facts)
    must, never = expected
    assert result.status == "complete"
    assert must <= set(result.codes) and not never & set(result.codes)


def test_derived_value_with_no_case_holding_is_a_pathway_defect() -> None:
    """A derived value without `otherwise` that no case matches stops with a located defect, exit 1."""
    pathway = carepath.loads('''pathway g "Gap" start d
fact n: integer 0..10
derive band: low | high
  when n < 3 -> low
  when n > 5 -> high
decide d "D" when band is low -> s otherwise -> s
step s "S" stop
''', "g.dsl")
    assert carepath.run(pathway, {"n": 1}).status == "complete"
    with pytest.raises(PathwayDefect) as info:
        carepath.run(pathway, {"n": 4})
    (diagnostic,) = info.value.diagnostics
    assert (diagnostic.message, diagnostic.span.line) == ("no case of derived value `band` holds for this case", 3)
