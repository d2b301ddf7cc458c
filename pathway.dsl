# Adult low back pain that has not improved with physical therapy (PT).
#
# Clinical content: the five seed documents (s000-s004, cited by file name). Where a seed and a
# major guideline disagree, the pathway follows the seed and records the disagreement as a
# caution citing both sides, so the reviewer sees it (../shared/clinical-notes.md).
# Interface: the facts and recommendation codes of the data contract (../shared/lbp-contract.md).
# Reviewer guide: docs/pathway.md. Scenarios: pathway.scenarios.yaml.
#
# The pathway is a snapshot: a case says where the patient is now (weeks since onset, weeks of
# PT, response so far), and the run says what to do next. Run it again at each review.
# Stages, in order: red flags -> other sources of pain -> STarT Back stratification -> response
# to PT -> medicines -> imaging -> review and escalation over time -> work.
pathway lbp_after_pt "Low back pain not improving with physical therapy"
  version "1.0.0"
  released 2026-11-23
  authors "carepath clinical content team", "carepath engineering team"

# ---------------------------------------------------------------------------------------------
# Sources: the seeds by file name, the guidelines by title.
source s000 "000_5e1029e5f91a92ee.txt" "Next steps after a single PT session without relief"
source s001 "001_4670b07a63898b09.txt" "Persistent severe pain after 8 weeks of PT after a fall"
source s002 "002_1cbf7d0acac9b33d.txt" "When physical therapy does not work for back pain"
source s003 "003_0c3453292b9b3cc8.txt" "Physical therapy does not work for back pain: what to do next"
source s004 "004_a0710d356f2ac226.txt" "Why PT may not work; advanced non-surgical and surgical options"
source nice "NICE NG59: Low back pain and sciatica in over 16s (2016, updated 2020)"
source acp "ACP 2017: Noninvasive treatments for acute, subacute and chronic low back pain (Qaseem et al., Ann Intern Med)"
source acr "ACR Appropriateness Criteria: Low back pain (2021)"
source choosing_wisely "Choosing Wisely, North American Spine Society: no advanced imaging in the first 6 weeks without red flags"
source hill2008 "Hill et al. 2008, Arthritis Rheum 59:632-41: the Keele STarT Back Screening Tool"
source hill2011 "Hill et al. 2011, Lancet 378:1560-71: stratified primary care for back pain (STarT Back trial)"
source peul "Peul et al. 2007, NEJM 356:2245-56: surgery versus prolonged conservative treatment for sciatica"

# ---------------------------------------------------------------------------------------------
# Facts: exactly the data contract (names, types, ranges).
fact age: integer 16..120 unit "years" "patient age"
fact weeks_since_onset: number 0..520 unit "weeks" "weeks since this episode of back pain began"
fact pt_sessions: integer 0..200 "PT sessions attended in this episode"
fact weeks_of_pt: number 0..520 unit "weeks" "weeks since PT started"
fact improvement: none | partial | significant "response to PT so far"
fact hep_adherence: good | poor "adherence to the home exercise programme"
fact fall_or_trauma: boolean "the pain began after a fall or other trauma"
fact osteoporosis_risk: boolean "risk factors for vertebral compression fracture (osteoporosis, long-term steroids, older age)"
fact history_of_cancer: boolean "any past cancer"
fact unexplained_weight_loss: boolean "unexplained weight loss"
fact night_pain: boolean "severe unrelenting pain, worse at night"
fact fever: boolean "fever or chills with the back pain"
fact bladder_or_bowel_dysfunction: boolean "new urinary retention, incontinence or bowel change"
fact saddle_anaesthesia: boolean "saddle anaesthesia"
fact bilateral_leg_weakness: boolean "bilateral leg weakness"
fact progressive_neuro_deficit: boolean "worsening weakness or numbness"
fact radicular_symptoms: boolean "leg pain in a nerve-root pattern (radiculopathy)"
fact neuropathic_features: boolean "burning, tingling or shooting pain"
fact inflammatory_features: boolean "stiffness that improves with exercise and not with rest"
fact non_spinal_source_suspected: boolean "hip, kidney, pancreas or aorta may be the source"
fact functional_impairment: mild | moderate | severe "how much the pain limits daily life"
fact work_affected: boolean "the pain keeps the patient off work or limits it"
fact nsaid_tried: boolean "an adequate NSAID trial has been made"
fact nsaid_contraindicated: boolean "NSAIDs are contraindicated"
fact imaging_done: boolean "imaging of the lumbar spine has been done in this episode"
fact structural_lesion: boolean "imaging shows a lesion matching the symptoms"
fact injections_tried: boolean "epidural or facet injections given without lasting relief"
fact startback_total: optional integer 0..9 "STarT Back total score; absent when not administered"
fact startback_psychosocial: optional integer 0..5 "STarT Back distress subscale (items 5-9)"

require weeks_of_pt <= weeks_since_onset
require startback_psychosocial <= startback_total
# A lesion "shown on imaging" (the contract's meaning of structural_lesion) needs imaging.
require imaging_done or not structural_lesion

# ---------------------------------------------------------------------------------------------
# Derived values: each defined once, used by name below.

# Red flags (seeds 000, 001, 003), grouped as the seeds group them.
derive cauda_equina_suspected: boolean = bladder_or_bowel_dysfunction or saddle_anaesthesia or bilateral_leg_weakness
derive cancer_suspected: boolean = history_of_cancer or unexplained_weight_loss or night_pain
derive infection_suspected: boolean = fever
# Fracture: trauma in a patient at risk of vertebral compression fracture (the contract's
# osteoporosis_risk already includes older age, so age is not counted twice here).
derive fracture_suspected: boolean = fall_or_trauma and osteoporosis_risk
derive red_flag: boolean = cauda_equina_suspected or progressive_neuro_deficit or cancer_suspected or infection_suspected or fracture_suspected

# Keele STarT Back risk group (Hill et al. 2008): total 0-3 low; total 4-9 medium, or high when
# the distress subscale (items 5-9) is 4-5.
# First match, because each case needs the previous ones to be false: the total must be known
# before it is compared, and a total of 0-3 is low whatever the subscale (it cannot exceed the
# total). A total of 4-9 without its subscale cannot separate medium from high, so it is
# `unknown` and the tool is completed (never a guessed group).
derive startback_risk: low | medium | high | unknown   first match
  when startback_total is missing          -> unknown
  when startback_total <= 3                -> low
  when startback_psychosocial is missing   -> unknown
  when startback_psychosocial >= 4         -> high
  otherwise                                -> medium

# An adequate trial of PT to judge it by: seed 000 says one session is never enough and names
# 4-8 weeks; we take the lower bound, 4 weeks, and at least 2 sessions (the seeds give no count;
# a single session is explicitly insufficient).
derive pt_trial_complete: boolean = pt_sessions >= 2 and weeks_of_pt >= 4
# "Not improved": none or only partial improvement. Seed 001 treats partial improvement after
# 8 weeks of PT as an incomplete response that needs the next step.
derive pt_failing: boolean = pt_trial_complete and improvement in {none, partial}
# Documented failure of conservative care as surgeons want it (seed 004: "at least six to twelve
# weeks"): an adequate PT trial that has failed over at least 6 weeks, the lower bound.
derive conservative_care_failed: boolean = pt_failing and weeks_of_pt >= 6

start red_flags

# =============================================================================================
section "Red flags"

# First match, ordered by urgency: suspected cauda equina needs same-day emergency care and
# must win over everything; a progressive deficit needs urgent MRI and referral; cancer and
# infection need urgent MRI; a suspected fracture needs a radiograph. When a patient has two
# flags, the earlier route already includes what the later one would do (emergency assessment
# includes imaging; MRI shows fractures as well as tumour and infection).
# Every red-flag route stops: seed 001 says to exclude serious pathology "before proceeding with
# the above pathway", so no routine recommendation is given until a specialist has seen the
# patient; the pathway is run again afterwards.
decide red_flags "Any red flags for serious pathology?"   first match
  when cauda_equina_suspected      -> cauda_equina
  when progressive_neuro_deficit   -> progressive_deficit
  when cancer_suspected            -> suspected_cancer
  when infection_suspected         -> suspected_infection
  when fracture_suspected          -> suspected_fracture
  otherwise                        -> other_sources

step cauda_equina "Suspected cauda equina syndrome" emergency
  recommend emergency_referral "Same-day emergency assessment for suspected cauda equina syndrome (emergency MRI and spinal surgical opinion); stop routine care, including PT"  cite s000, s001, s002, s003
  stop

step progressive_deficit "Progressive neurological deficit" urgent
  recommend urgent_mri "Urgent MRI of the lumbar spine (preferred over CT: no radiation, better soft-tissue detail)"  cite s001, s002
  recommend urgent_specialist_referral "Urgent specialist referral for a progressive neurological deficit; decompression may be needed"  cite s000, s001, s002, s004
  stop

step suspected_cancer "Suspected malignancy" urgent
  recommend urgent_mri "Urgent MRI to look for malignancy or metastasis"  cite s001, acr
  recommend urgent_specialist_referral "Urgent specialist referral for suspected malignancy (history of cancer, unexplained weight loss, or severe pain worse at night)"  cite s000, s001, s003
  stop

step suspected_infection "Suspected spinal infection" urgent
  recommend urgent_mri "Urgent MRI to look for spinal infection"  cite s001, acr
  recommend urgent_specialist_referral "Urgent medical evaluation for fever or chills with back pain"  cite s000, s003
  stop

step suspected_fracture "Suspected vertebral fracture" urgent
  recommend plain_radiograph "Plain radiograph of the lumbar spine for a suspected compression fracture after a fall or trauma"  cite s001, acr
    unless imaging_done
  recommend urgent_specialist_referral "Urgent specialist referral for a suspected vertebral fracture"  cite s000, s003
  stop

# =============================================================================================
section "Other sources of pain"

# Seed 002: PT fails when the pain is not mechanical. Inflammatory back pain "requires specific
# medical management before rehabilitation", and non-spinal pain will not respond to spinal
# exercise, so the routine pathway pauses here (stop) until the work-up is done; the pathway is
# run again with its findings.
decide other_sources "Could the pain come from an inflammatory or non-spinal cause?"
  when inflammatory_features or non_spinal_source_suspected -> other_cause_workup
  otherwise -> stratify

step other_cause_workup "Work-up for a cause other than mechanical back pain"
  recommend rheumatology_referral "Rheumatology assessment for inflammatory back pain (e.g. ankylosing spondylitis) before further rehabilitation"  cite s002
    when inflammatory_features
  recommend medical_workup_nonspinal "Medical work-up for a non-spinal source (hip, kidney, pancreas, aorta) before further spinal treatment"  cite s002
    when non_spinal_source_suspected
  stop

# =============================================================================================
section "Risk stratification (STarT Back)"

# Matched care (Hill et al. 2011): low risk self-management, medium risk physiotherapy, high risk
# psychologically informed physiotherapy. The medium-risk branch has no step of its own: its
# matched care is the structured PT recommended at the next stage.
decide stratify "STarT Back risk group"
  when startback_risk is unknown  -> screen
  when startback_risk is low      -> low_risk
  when startback_risk is medium   -> pt_response
  when startback_risk is high     -> high_risk

step screen "Risk not yet stratified"
  recommend startback_screen "Administer (or complete) the STarT Back tool now to find the risk group; repeat the run with its scores"  cite s000, s001, hill2008, nice
  -> pt_response

step low_risk "Low risk of persistent disabling pain"
  recommend self_management "Self-management: advice and reassurance (most episodes settle within 6 weeks), stay active, home exercises"  cite s000, hill2011
  -> pt_response

step high_risk "High risk of persistent disabling pain"
  recommend psychologically_informed_pt "PT from a therapist with skills for a comprehensive biopsychosocial assessment and approach"  cite s000, s001, hill2011
  recommend psychological_therapy "Add psychological therapy alongside PT: low-intensity (manualised, one professional) or high-intensity CBT"  cite s000, s001, s002
  -> pt_response

# =============================================================================================
section "Response to PT"

decide pt_response "Has PT had a fair trial, and has it helped?"
  when improvement is significant                              -> pt_helping
  when improvement in {none, partial} and not pt_trial_complete -> too_early
  when pt_failing                                              -> pt_not_helping

step pt_helping "PT is helping"
  recommend continue_pt "Complete the planned course of structured, goal-directed PT; benefit comes from sustained exercise"  cite s000
  -> pt_programme

step too_early "Too early to judge PT"
  recommend continue_pt "Continue structured, goal-directed PT for at least 4-8 weeks: one session, or a few weeks, cannot show whether PT works"  cite s000
  -> pt_programme

step pt_not_helping "No worthwhile improvement after a fair trial of PT"
  recommend pt_plan_review "Reassess the diagnosis and personalise the PT plan (intensity, frequency, exercises, psychosocial barriers), or seek a second opinion from another physiotherapist"  cite s004, s002, s003, s001
  # Medium risk (seed 001): carry on with PT, but biopsychosocial rather than purely biomechanical.
  recommend continue_pt "Continue PT with a patient-centred plan that takes a comprehensive biopsychosocial approach"  cite s001
    when startback_risk is medium
  # High risk and not improving after standard PT (seed 001): refer now, do not wait for 12 weeks.
  recommend biopsychosocial_mdt "Refer now for biopsychosocial assessment by a multidisciplinary team"  cite s001
    when startback_risk is high
  -> pt_programme

step pt_programme "What the PT programme should contain"
  recommend avoid_passive_modalities "No passive modalities (ultrasound, TENS, traction) and no passive PT continued indefinitely"  cite s000, s001
    caution "NICE NG59 agrees: do not offer TENS, ultrasound or traction for low back pain"  cite nice
  recommend complementary_therapy "Add spinal manipulation, massage, acupuncture or heat alongside the exercise programme"  cite s000, s003
    unless improvement is significant
    caution "NICE NG59 advises against acupuncture for low back pain and supports manipulation or massage only within a package that includes exercise; seed 000 reports moderate evidence for acupuncture in chronic pain"  cite nice, s000
  recommend adherence_support "Address barriers to the home exercise programme (time, travel, boredom with the exercises, sleep); in-clinic sessions alone are not enough"  cite s004, s002, s003
    when hep_adherence is poor
  -> first_line

# =============================================================================================
section "Medicines"

# First-line medicine (seeds 000, 001): an NSAID unless it has been tried or is contraindicated;
# paracetamol is the seeds' alternative when an NSAID cannot be used. The age split is ours: the
# seeds do not mention age, NICE NG59 asks prescribers to weigh the risks of NSAIDs including
# age, and we take 65 years as the age from which gastroprotection and renal and cardiovascular
# checks are part of the prescription.
decide first_line "First-line medicine"
  when not nsaid_tried and not nsaid_contraindicated and age < 65   -> nsaid_first_line
  when not nsaid_tried and not nsaid_contraindicated and age >= 65  -> nsaid_first_line_older
  when nsaid_contraindicated                                        -> nsaid_alternative
  when nsaid_tried and not nsaid_contraindicated                    -> medicines

step nsaid_first_line "NSAID first line"
  recommend nsaid "NSAID as the first-line medicine, at the lowest effective dose for the shortest time"  cite s000, s001, acp
  -> medicines

step nsaid_first_line_older "NSAID first line, 65 or over"
  recommend nsaid "NSAID as the first-line medicine, at the lowest effective dose for the shortest time, with gastroprotection and a check of renal function and cardiovascular risk (age 65 or over)"  cite s000, s001, acp, nice
    caution "NICE NG59: take account of gastrointestinal, liver and cardio-renal toxicity and the person's risk factors, including age"  cite nice
  -> medicines

step nsaid_alternative "NSAID contraindicated"
  recommend paracetamol "Paracetamol as an alternative when NSAIDs are contraindicated (weaker evidence)"  cite s000, s002
    caution "ACP 2017 found paracetamol ineffective for acute low back pain and NICE NG59 advises against paracetamol alone; seed 000 keeps it as an alternative with weaker evidence"  cite acp, nice, s000
  -> medicines

step medicines "Second-line and adjunct medicines; no long-term opioids"
  recommend tramadol_or_duloxetine "Second line when an adequate NSAID trial has not been enough: tramadol or duloxetine"  cite s001, acp
    when nsaid_tried and improvement in {none, partial}
    caution "Duloxetine: NICE NG59 advises against SNRIs for low back pain; seed 001 and ACP 2017 name duloxetine second line for chronic pain"  cite nice, s001, acp
    caution "Tramadol is an opioid: NICE NG59 advises against opioids for chronic low back pain; ACP 2017 allows it second line; seed 001 names it second line"  cite nice, acp, s001
  # Seed 004 places gabapentinoids after a course of PT that has not worked, for a neuropathic
  # component; we do not offer them before a fair trial of PT.
  recommend gabapentinoid "Gabapentin or pregabalin for a neuropathic component (burning, tingling or shooting pain), to make exercise tolerable"  cite s004
    when neuropathic_features and pt_failing
    caution "NICE NG59 and its 2020 sciatica update advise against gabapentinoids and other anticonvulsants for low back pain and sciatica; seed 004 suggests them for a neuropathic component"  cite nice, s004
  recommend avoid_long_term_opioids "Do not start or continue long-term opioids: insufficient evidence, considerable risks including addiction"  cite s000, s001
    caution "ACP 2017 allows opioids only after NSAIDs and second-line drugs have failed, after discussing risks; NICE NG59 advises against opioids for chronic low back pain"  cite acp, nice
  -> imaging

# =============================================================================================
section "Imaging"

# No red flags reach this point. Before 6 weeks nothing is imaged (seed 000: not before 4-6
# weeks; we take 6, as Choosing Wisely and ACR do, so exactly 6 weeks opens the window).
# Imaging already done is not repeated by the pathway: the specialist re-examines it (seed 002).
decide imaging "Imaging: too early, already done, or to be considered?"
  when weeks_since_onset < 6                          -> no_imaging_yet
  when weeks_since_onset >= 6 and imaging_done        -> escalation
  when weeks_since_onset >= 6 and not imaging_done    -> imaging_indication

step no_imaging_yet "No routine imaging in the first 6 weeks"
  recommend no_routine_imaging "No imaging without red flags in the first 6 weeks: early imaging adds tests and surgery without better outcomes"  cite s000, s001, choosing_wisely, acr
  -> escalation

# After 6 weeks, image only for the indications seed 001 names, and only while the pain
# persists: MRI for persisting radicular symptoms or before the interventions considered after
# 12 weeks (ACR: MRI for an intervention candidate after 6 weeks of optimal care); a plain
# radiograph for fracture risk or after trauma (symptoms suggesting structural pathology).
decide imaging_indication "Which imaging, if any?"
  when improvement in {none, partial} and (radicular_symptoms or weeks_since_onset >= 12) -> mri_indicated
  when improvement in {none, partial} and not radicular_symptoms and weeks_since_onset < 12 and (osteoporosis_risk or fall_or_trauma) -> radiograph_indicated
  otherwise -> no_imaging_indicated

step mri_indicated "MRI: persisting radicular symptoms, or interventions to be considered"
  recommend mri "Non-urgent MRI of the lumbar spine: radicular symptoms persist, or interventional procedures are being considered"  cite s001, s004, acr
  -> escalation

step radiograph_indicated "Plain radiograph: fracture risk or trauma, pain persisting"
  recommend plain_radiograph "Plain radiograph of the lumbar spine, not previously performed: risk factors for vertebral compression fracture, or pain persisting after trauma"  cite s001
  -> escalation

step no_imaging_indicated "No indication for imaging"
  recommend no_routine_imaging "No imaging: no red flags and no indication (radicular symptoms, fracture risk, intervention planned)"  cite s001, acp, acr
    caution "Seed 001 finds imaging more reasonable at 8 weeks with persistent severe pain; ACR 2021 and ACP advise no imaging for nonspecific low back pain without red flags. The pathway images only for the indications seed 001 names"  cite s001, acr, acp
  -> escalation

# =============================================================================================
section "Review and escalation over time"

# Time points: review at 4-6 weeks (seed 000) and no later than 12 weeks from onset (seed 001).
# Exactly 12 weeks counts as the 12-week point: "no improvement by 12 weeks" (seed 000) is
# judged at that review.
decide escalation "Where is the patient in time, and is the pain improving?"
  when weeks_since_onset < 6                                          -> early_review
  when weeks_since_onset >= 6 and weeks_since_onset < 12              -> review_before_12
  when weeks_since_onset >= 12 and improvement is significant         -> work
  when weeks_since_onset >= 12 and improvement in {none, partial}     -> not_improved_by_12

step early_review "Reviews ahead"
  recommend review_4_6_weeks "Review progress at 4-6 weeks"  cite s000
  recommend review_by_12_weeks "Review no later than 12 weeks from onset"  cite s001
  -> work

step review_before_12 "12-week review ahead"
  recommend review_by_12_weeks "Review no later than 12 weeks from onset; if there is no improvement then, escalate"  cite s001, s000
  -> early_surgery

# A structural lesion matching the symptoms after at least 6 weeks of documented failed
# conservative care is a reason for a surgical consultation before 12 weeks (seed 004; sciatica
# trials randomised at 6-12 weeks, Peul et al.). A progressive deficit never gets here: it is
# a red flag.
decide early_surgery "Structural lesion after 6 weeks of failed conservative care?"
  when structural_lesion and conservative_care_failed -> early_surgical_referral
  otherwise -> work

step early_surgical_referral "Structural lesion: surgical opinion"
  recommend spine_specialist_referral "Spine specialist (physiatrist, orthopaedic or spinal surgeon) for a structural lesion matching the symptoms"  cite s002, s004
  recommend surgical_evaluation "Surgical consultation: a structural lesion matching the symptoms after at least 6 weeks of documented failed conservative care"  cite s004, s002, peul
    caution "NICE NG59: consider spinal decompression for sciatica when non-surgical treatment has not helped and imaging is consistent with the symptoms; do not offer spinal fusion for low back pain except in a randomised controlled trial"  cite nice, s004
  -> work

step not_improved_by_12 "No improvement by 12 weeks"
  # A high-risk patient with a failed PT trial was referred at the PT response stage already.
  recommend biopsychosocial_mdt "Biopsychosocial assessment by a multidisciplinary team"  cite s000, s001
    unless startback_risk is high and pt_failing
  recommend pain_rehab_programme "Intensive interdisciplinary pain rehabilitation programme for severe functional impairment"  cite s001, s000
    when functional_impairment is severe
  recommend pain_centre_referral "Specialist pain centre referral: high-risk features or severe functional impairment"  cite s000, s001
    when startback_risk is high or functional_impairment is severe
  -> specialist_care

# Seeds 002 and 004 order the non-surgical options: specialist opinion, then injections, then
# radiofrequency ablation or neuromodulation when injections have not given lasting relief, and
# surgery last, with a structural lesion or intractable pain after injections, and only after
# at least 6 weeks of documented failed conservative care.
step specialist_care "Specialist and interventional care after 12 weeks"
  recommend spine_specialist_referral "Spine specialist (physiatrist, orthopaedic or spinal surgeon, or pain physician) for a fresh assessment"  cite s002, s001
  recommend interventional_injection "Consider an epidural steroid or facet joint injection to make PT tolerable"  cite s002, s004, s003
    unless injections_tried
    caution "NICE NG59 advises against spinal injections for low back pain, and considers epidural injections only for acute and severe sciatica"  cite nice, s002
  recommend advanced_interventional "Consider radiofrequency ablation or neuromodulation: injections have not given lasting relief"  cite s002
    when injections_tried
    caution "NICE NG59 considers radiofrequency denervation only after a positive diagnostic medial branch block, for moderate or severe localised pain"  cite nice, s002
  recommend surgical_evaluation "Surgical consultation: failed conservative care with a matching structural lesion or intractable pain after injections"  cite s004, s002
    when conservative_care_failed and (structural_lesion or injections_tried)
    caution "NICE NG59: consider spinal decompression for sciatica when non-surgical treatment has not helped and imaging is consistent with the symptoms; do not offer spinal fusion for low back pain except in a randomised controlled trial"  cite nice, s004
  -> work

# =============================================================================================
section "Work"

step work "Work"
  recommend fit_note "Fit note (statement of fitness for work) with modified duties or workplace adjustments to support return to work"  cite s001
    when work_affected
  stop

# =============================================================================================
# Safety invariants (proved over every path by `carepath check`).

# Suspected cauda equina: emergency referral, and nothing routine beside it.
always emergency_referral when cauda_equina_suspected
never emergency_referral with continue_pt
never emergency_referral with self_management
never emergency_referral with startback_screen
never emergency_referral with nsaid
never emergency_referral with no_routine_imaging
never emergency_referral with urgent_mri

# Other red flags: urgent referral; urgent imaging only for red flags.
always urgent_specialist_referral when red_flag and not cauda_equina_suspected
never urgent_mri when not red_flag
never no_routine_imaging when red_flag

# Medicines.
never nsaid when nsaid_contraindicated
never nsaid when nsaid_tried
never gabapentinoid when not neuropathic_features

# Imaging: no MRI in the first 6 weeks without red flags or radicular signs (in fact none at
# all before 6 weeks on the routine path), and no contradictory imaging advice.
never mri when weeks_since_onset < 6 and not red_flag and not radicular_symptoms
never mri when weeks_since_onset < 6
never mri with no_routine_imaging
never plain_radiograph with no_routine_imaging

# Stratified care: one risk group only; the tool is given whenever the risk group is unknown
# on the routine path.
never self_management with psychologically_informed_pt
always startback_screen when startback_risk is unknown and not red_flag and not inflammatory_features and not non_spinal_source_suspected

# Surgery only after at least 6 weeks of documented failed conservative care, with a matching
# lesion or after injections.
never surgical_evaluation when not conservative_care_failed
never surgical_evaluation when not structural_lesion and not injections_tried
