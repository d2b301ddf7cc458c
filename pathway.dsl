# Adult low back pain that has not improved with physical therapy.
# First version: the data contract and both public scenarios; the full content of the seeds
# is being encoded under the issue "Encode the low back pain pathway from the seeds".
pathway lbp_after_pt "Low back pain not improving with physical therapy"
  version "0.1.0"
  released 2026-11-23
  authors "carepath team"

source s000 "000_5e1029e5f91a92ee.txt" "Next steps after a single PT session for low back pain"
source s001 "001_4670b07a63898b09.txt" "Eight weeks of PT after a fall"
source s003 "003_0c3453292b9b3cc8.txt"
source s004 "004_a0710d356f2ac226.txt" "When physical therapy does not work"
source nice "NICE NG59 (2016, updated 2020)"

fact age: integer 16..120 unit "years" "patient age"
fact weeks_since_onset: number 0..520 unit "weeks" "weeks since this episode began"
fact pt_sessions: integer 0..200 "PT sessions attended in this episode"
fact weeks_of_pt: number 0..520 unit "weeks" "weeks since PT started"
fact improvement: none | partial | significant "response to PT so far"
fact hep_adherence: good | poor "adherence to the home exercise programme"
fact fall_or_trauma: boolean "the pain began after a fall or other trauma"
fact osteoporosis_risk: boolean "risk factors for vertebral compression fracture"
fact history_of_cancer: boolean "any past cancer"
fact unexplained_weight_loss: boolean
fact night_pain: boolean "severe unrelenting pain, worse at night"
fact fever: boolean "fever or chills with the back pain"
fact bladder_or_bowel_dysfunction: boolean "new urinary retention, incontinence or bowel change"
fact saddle_anaesthesia: boolean
fact bilateral_leg_weakness: boolean
fact progressive_neuro_deficit: boolean "worsening weakness or numbness"
fact radicular_symptoms: boolean "leg pain in a nerve-root pattern"
fact neuropathic_features: boolean "burning, tingling or shooting pain"
fact inflammatory_features: boolean "stiffness that improves with exercise, not with rest"
fact non_spinal_source_suspected: boolean "hip, kidney, pancreas or aorta may be the source"
fact functional_impairment: mild | moderate | severe
fact work_affected: boolean "the pain keeps the patient off work or limits it"
fact nsaid_tried: boolean "an adequate NSAID trial has been made"
fact nsaid_contraindicated: boolean
fact imaging_done: boolean
fact structural_lesion: boolean "imaging shows a lesion matching the symptoms"
fact injections_tried: boolean "injections given without lasting relief"
fact startback_total: optional integer 0..9 "STarT Back total score; absent when not administered"
fact startback_psychosocial: optional integer 0..5 "STarT Back distress subscale (items 5-9)"

require weeks_of_pt <= weeks_since_onset
require startback_psychosocial <= startback_total

# Keele STarT Back risk groups (Hill et al. 2008): total 0-3 low; 4-9 medium, or high when the
# distress subscale is 4-5.
derive startback_risk: low | medium | high | unknown   first match
  when startback_total is missing      -> unknown
  when startback_total <= 3            -> low
  when startback_psychosocial >= 4     -> high
  otherwise                            -> medium

start red_flags

section "Red flags"

# First match: the most urgent finding decides the route.
decide red_flags "Any red flags?"   first match
  when bladder_or_bowel_dysfunction or saddle_anaesthesia or bilateral_leg_weakness -> cauda_equina
  when progressive_neuro_deficit -> progressive_deficit
  otherwise -> risk

step cauda_equina "Suspected cauda equina" emergency
  recommend emergency_referral "Same-day emergency assessment for suspected cauda equina"  cite s003
  stop

step progressive_deficit "Progressive neurological deficit" urgent
  recommend urgent_mri "Urgent MRI"  cite s003
  recommend urgent_specialist_referral "Urgent specialist referral"  cite s003
  stop

section "Stratified care"

decide risk "STarT Back risk group"
  when startback_risk is unknown -> screen
  when startback_risk is low -> low_risk
  when startback_risk is medium -> medium_risk
  when startback_risk is high -> high_risk

step screen "Risk not yet stratified"
  recommend startback_screen "Administer the STarT Back tool"  cite s000
  recommend continue_pt "Continue structured, goal-directed PT for 4-8 weeks"  cite s000
  -> medicines

step low_risk "Low risk"
  recommend self_management "Advice, reassurance, stay active, home exercise"  cite s000
  -> medicines

step medium_risk "Medium risk"
  recommend continue_pt "Continue structured, goal-directed PT for 4-8 weeks"  cite s000
  -> medicines

step high_risk "High risk"
  recommend psychologically_informed_pt "PT with biopsychosocial skills"  cite s000
  recommend psychological_therapy "Psychological therapy such as CBT alongside PT"  cite s000, s001
  recommend biopsychosocial_mdt "Biopsychosocial assessment by a multidisciplinary team"  cite s001
  -> medicines

section "Medicines and review"

step medicines "Medicines"
  recommend nsaid "NSAID as first-line medicine"  cite s000
    when not nsaid_tried and not nsaid_contraindicated
  recommend avoid_long_term_opioids "Do not start or continue long-term opioids"  cite s001
  -> imaging

decide imaging "Imaging"
  when weeks_since_onset < 6 -> no_imaging
  otherwise -> review

step no_imaging "No routine imaging"
  recommend no_routine_imaging "No imaging without red flags in the first 6 weeks"  cite s000
  -> review

step review "Review"
  recommend review_by_12_weeks "Review no later than 12 weeks from onset"  cite s001
  recommend fit_note "Fit note and workplace adjustments"  cite s001
    when work_affected
  stop
