"""pathway.dsl honours the data contract (lbp-contract.md): its facts and recommendation codes."""
from __future__ import annotations

from pathlib import Path

import carepath
from carepath.syntax import ast
from carepath.syntax.printer import show, show_type

ROOT = Path(__file__).resolve().parent.parent

# The contract's facts as `name: [optional] type`, copied from lbp-contract.md: an EHR integration
# relies on these, so a rename, a dropped fact or a changed range must fail here.
CONTRACT_FACTS = {
    "age": "integer 16..120", "weeks_since_onset": "number 0..520", "pt_sessions": "integer 0..200",
    "weeks_of_pt": "number 0..520", "improvement": "none | partial | significant",
    "hep_adherence": "good | poor", "fall_or_trauma": "boolean", "osteoporosis_risk": "boolean",
    "history_of_cancer": "boolean", "unexplained_weight_loss": "boolean", "night_pain": "boolean",
    "fever": "boolean", "bladder_or_bowel_dysfunction": "boolean", "saddle_anaesthesia": "boolean",
    "bilateral_leg_weakness": "boolean", "progressive_neuro_deficit": "boolean",
    "radicular_symptoms": "boolean", "neuropathic_features": "boolean",
    "inflammatory_features": "boolean", "non_spinal_source_suspected": "boolean",
    "functional_impairment": "mild | moderate | severe", "work_affected": "boolean",
    "nsaid_tried": "boolean", "nsaid_contraindicated": "boolean", "imaging_done": "boolean",
    "structural_lesion": "boolean", "injections_tried": "boolean",
    "startback_total": "optional integer 0..9", "startback_psychosocial": "optional integer 0..5",
    "serious_pathology_excluded": "optional boolean",
}

CONTRACT_CODES = """
emergency_referral urgent_specialist_referral urgent_mri startback_screen self_management continue_pt
psychologically_informed_pt adherence_support pt_plan_review avoid_passive_modalities
complementary_therapy nsaid paracetamol tramadol_or_duloxetine gabapentinoid avoid_long_term_opioids
no_routine_imaging plain_radiograph mri medical_workup_nonspinal rheumatology_referral
psychological_therapy biopsychosocial_mdt fit_note review_4_6_weeks review_by_12_weeks
pain_centre_referral spine_specialist_referral interventional_injection advanced_interventional
surgical_evaluation pain_rehab_programme
""".split()

# Codes the pathway adds, as the contract allows ("add facts or codes where the content needs
# them"); each is described in docs/pathway.md. A code added by accident still fails here.
ADDED_CODES = {"avoid_spinal_manipulation"}


def declared(fact: ast.Fact) -> str:
    """A fact's declaration as the contract writes it."""
    return ("optional " if fact.optional else "") + show_type(fact.type)


def test_every_contract_fact_is_declared_with_its_type_and_range():
    """Each contract fact exists with exactly the contract's type, range and optionality."""
    facts = carepath.load(ROOT / "pathway.dsl").facts
    assert {name: declared(facts[name]) for name in CONTRACT_FACTS if name in facts} == CONTRACT_FACTS


def test_every_contract_code_is_emitted_by_some_step():
    """Each recommendation code of the contract is used, and no code outside it but the listed additions."""
    nodes = carepath.load(ROOT / "pathway.dsl").nodes.values()
    codes = {r.code for n in nodes if isinstance(n, ast.Step) for r in n.recommendations}
    assert codes == set(CONTRACT_CODES) | ADDED_CODES


def test_contract_requires_are_kept():
    """The contract's two constraints between facts are `require`s of the pathway."""
    requires = {show(r.condition) for r in carepath.load(ROOT / "pathway.dsl").document.requires}
    assert {"weeks_of_pt <= weeks_since_onset", "startback_psychosocial <= startback_total"} <= requires
