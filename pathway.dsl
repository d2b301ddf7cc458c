# Adult low back pain that has not improved with physical therapy (PT).
#
# Clinical content: the five seed documents (s000-s004, cited by file name). Where a seed and a
# major guideline disagree, the pathway follows the seed and records the disagreement as a
# caution citing both sides, so the reviewer sees it (../shared/clinical-notes.md). Where the
# clinical review of 1.0.0 (../shared/reviews/clinical-review-2026-11.md) asked for more than the
# seeds say, the pathway takes the safe choice and docs/pathway.md lists it as an open choice.
# Interface: the facts and recommendation codes of the data contract (../shared/lbp-contract.md).
# Reviewer guide: docs/pathway.md. Scenarios: pathway.scenarios.yaml.
#
# The pathway is a snapshot: a case says where the patient is now (weeks since onset, weeks of
# PT, response so far), and the run says what to do next. Run it again at each review.
# Stages, in order: red flags -> other sources of pain -> STarT Back stratification -> response
# to PT -> medicines -> imaging -> review and escalation over time -> work.
# Urgency: a step marked `emergency` (the same day) or `urgent` (within days) gives that urgency
# to its recommendations; every other recommendation is routine unless it says otherwise.
pathway lbp_after_pt "Low back pain not improving with physical therapy"
  version "2.0.0"
  released 2026-11-30
  authors "carepath clinical content team", "carepath engineering team"

# ---------------------------------------------------------------------------------------------
# Sources: the seeds by file name, the guidelines and safety communications by title.
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
source uk_ces "UK cauda equina pathways (clinical-notes.md): suspected cauda equina, including a bilateral or progressive deficit, to emergency assessment the same day"
source gabapentinoid_opioid "FDA Drug Safety Communication (19 Dec 2019) and MHRA Drug Safety Update (Oct 2017): gabapentinoids with opioids, in older people or with lung disease risk serious respiratory depression"
source young_people "FDA boxed warning on antidepressants (suicidal thoughts under 25) and FDA Drug Safety Communication (20 Apr 2017) restricting tramadol under 18"

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
fact serious_pathology_excluded: optional boolean "a specialist has assessed this episode's suspected cancer, infection or fracture and excluded serious pathology; absent until assessed"

require weeks_of_pt <= weeks_since_onset
require startback_psychosocial <= startback_total
# A lesion "shown on imaging" (the contract's meaning of structural_lesion) needs imaging.
require imaging_done or not structural_lesion

# ---------------------------------------------------------------------------------------------
# Derived values: each defined once, used by name below.

# Red flags (seeds 000, 001, 003), grouped as the seeds group them.
derive cauda_equina_suspected: boolean = bladder_or_bowel_dysfunction or saddle_anaesthesia or bilateral_leg_weakness
# Same-day emergency (C1): suspected cauda equina or a progressive deficit. Seeds 000, 001 and 002
# say "immediate" for a progressive deficit, and UK pathways group it with cauda equina.
derive neurological_emergency: boolean = cauda_equina_suspected or progressive_neuro_deficit
derive cancer_suspected: boolean = history_of_cancer or unexplained_weight_loss or night_pain
derive infection_suspected: boolean = fever
# A specialist has excluded serious pathology for this episode (M4): the cancer, infection and
# fracture flags are then answered, so routine care can go on. It never overrides cauda equina
# signs or a progressive deficit, which are decided before it.
derive serious_pathology_cleared: boolean = serious_pathology_excluded is present and serious_pathology_excluded
# Fragile bone (M3): the contract's osteoporosis risk includes older age, but the box can be left
# unticked for a very old patient; from 65 we count age as a risk whatever the box says (safe
# choice, docs/pathway.md).
derive fragile_bone: boolean = osteoporosis_risk or age >= 65
# Fracture: trauma in a patient with fragile bone. First match so that the flag is undecided
# (the run asks) while either answer is missing (M10): osteoporosis risk is asked first, then
# trauma; a case with both answered "no" is not a fracture flag.
derive fracture_suspected: boolean first match
  when osteoporosis_risk -> fall_or_trauma
  when fall_or_trauma    -> age >= 65
  otherwise              -> false
derive red_flag: boolean = neurological_emergency or cancer_suspected or infection_suspected or fracture_suspected
# A red-flag answer the routine pathway may not go without (M10): the cauda equina and deficit
# questions always; the cancer, infection and fracture questions until a specialist has cleared
# them.
derive red_flag_unanswered: boolean = bladder_or_bowel_dysfunction is missing or saddle_anaesthesia is missing or bilateral_leg_weakness is missing or progressive_neuro_deficit is missing or (not serious_pathology_cleared and (history_of_cancer is missing or unexplained_weight_loss is missing or night_pain is missing or fever is missing or fall_or_trauma is missing or osteoporosis_risk is missing))
# The routine pathway: no red flag (or serious pathology excluded by a specialist), no
# inflammatory or non-spinal cause. Used by the invariants below.
derive routine_route: boolean = (not red_flag or serious_pathology_cleared) and not neurological_emergency and not inflammatory_features and not non_spinal_source_suspected

# Keele STarT Back risk group (Hill et al. 2008): total 0-3 low; total 4-9 medium, or high when
# the distress subscale (items 5-9) is 4-5.
# First match, because each case needs the previous ones to be false. A subscale of 4-5 is high
# even without the total, which can never be below the subscale (m2). Otherwise the total must be
# known, and a total of 0-3 is low whatever the subscale. A total of 4-9 without its subscale
# cannot separate medium from high, so it is `unknown` and the tool is completed.
derive startback_risk: low | medium | high | unknown first match
  when startback_psychosocial is present and startback_psychosocial >= 4 -> high
  when startback_total is missing                                        -> unknown
  when startback_total <= 3                                              -> low
  when startback_psychosocial is missing                                 -> unknown
  otherwise                                                              -> medium

# An adequate trial of PT to judge it by: seed 000 says one session is never enough and names
# 4-8 weeks; we take the lower bound, 4 weeks, and at least 2 sessions (the seeds give no count;
# a single session is explicitly insufficient).
derive pt_trial_complete: boolean = pt_sessions >= 2 and weeks_of_pt >= 4
# "Not improved": none or only partial improvement. Seed 001 treats partial improvement after
# 8 weeks of PT as an incomplete response that needs the next step: a review of the PT plan,
# psychological care, second-line medicines. It is not enough for invasive care (m7).
derive pt_failing: boolean = pt_trial_complete and improvement in {none, partial}
# Documented failure of conservative care as surgeons want it (seed 004: "at least six to twelve
# weeks of documented failure of conservative management"; "the final step, reserved for when all
# conservative and non-surgical options have failed"), M7: at least 6 weeks and 6 sessions of PT
# with good home-exercise adherence, no improvement at all, and an NSAID tried (or not possible).
derive conservative_care_failed: boolean = pt_sessions >= 6 and weeks_of_pt >= 6 and hep_adherence is good and improvement is none and (nsaid_tried or nsaid_contraindicated)
# Intractable pain (seed 004: "severe, unrelenting pain that has failed to respond to
# comprehensive medical management and injections").
derive intractable_pain: boolean = conservative_care_failed and injections_tried and functional_impairment is severe
# A surgical opinion (seeds 002, 004): failed conservative care with a matching structural lesion
# that limits daily life, or intractable pain.
derive surgery_candidate: boolean = conservative_care_failed and ((structural_lesion and functional_impairment is not mild) or intractable_pain)
# An injection (M8): from 12 weeks, not improved after a fair PT trial, a pain source to target
# (radicular pain for an epidural, or a matching lesion) and pain that limits daily life.
derive injection_candidate: boolean = weeks_since_onset >= 12 and pt_failing and (radicular_symptoms or structural_lesion) and functional_impairment is not mild and not injections_tried
# MRI (seed 001: "if symptoms of radiculopathy persist or if considering interventional
# procedures"), M8/M9: persisting radicular symptoms after 6 weeks, or an injection or surgery
# candidate whose lesion is not yet known; and (seed 001, m6) "at 8 weeks with persistent severe
# pain, imaging becomes more reasonable", which ACR and ACP dispute (a caution). Earlier imaging
# does not block it (a radiograph is not an MRI); the text asks not to repeat an MRI already done.
derive mri_wanted: boolean = weeks_since_onset >= 6 and improvement in {none, partial} and not structural_lesion and (radicular_symptoms or injection_candidate or intractable_pain or (weeks_since_onset >= 8 and functional_impairment is severe))
# Spinal manipulation is not offered with fragile bone, after trauma (until a specialist has
# excluded a fracture), or with a structural lesion such as spondylolisthesis (M3; seed 002:
# instability "may be unsafe to treat aggressively").
derive manipulation_unsafe: boolean = fragile_bone or structural_lesion or (fall_or_trauma and not serious_pathology_cleared)

start red_flags

# =============================================================================================
section "Red flags"

# First match, ordered by urgency: suspected cauda equina or a progressive deficit needs
# same-day emergency care and wins over everything (one positive answer is enough: `or` is true
# as soon as one part is); cancer and infection need urgent MRI; a suspected fracture needs a
# radiograph. When a patient has two flags, the earlier route already includes what the later one
# would do, and its text names the combinations (m11).
# Every red-flag route stops: seed 001 says to exclude serious pathology "before proceeding with
# the above pathway". Once a specialist has excluded it, the case says so with
# `serious_pathology_excluded` and the routine pathway goes on (M4); the neurological emergency
# is decided before that answer is read, so it is never overridden.
decide red_flags "Any red flags for serious pathology?" first match
  when neurological_emergency    -> neurological_emergency
  when serious_pathology_cleared -> other_sources
  when cancer_suspected          -> suspected_cancer
  when infection_suspected       -> suspected_infection
  when fracture_suspected        -> suspected_fracture
  otherwise                      -> other_sources

step neurological_emergency "Suspected cauda equina syndrome or progressive neurological deficit" emergency
  recommend emergency_referral "Same-day emergency assessment (emergency MRI and spinal surgical opinion; decompression may be needed) for suspected cauda equina syndrome or a progressive neurological deficit; with a history of cancer suspect metastatic spinal cord compression, with fever a spinal epidural abscess; stop routine care, including PT"  cite s000, s001, s002, s003, uk_ces
  stop

step suspected_cancer "Suspected malignancy" urgent
  recommend urgent_mri "Urgent MRI to look for malignancy or metastasis (and for infection when there is fever as well)"  cite s001, acr
  recommend urgent_specialist_referral "Urgent specialist referral for suspected malignancy (history of cancer, unexplained weight loss, or severe pain worse at night); name any fever or fall in the referral, as infection or a pathological fracture must also be excluded. Run the pathway again with the specialist's finding"  cite s000, s001, s003
  stop

step suspected_infection "Suspected spinal infection" urgent
  recommend urgent_mri "Urgent MRI to look for spinal infection (discitis, epidural abscess)"  cite acr
  recommend urgent_specialist_referral "Urgent medical evaluation for fever or chills with back pain (suspected spinal infection); name any fall in the referral. Run the pathway again with the specialist's finding"  cite s000, s003
  stop

# Seed 001 asks for a radiograph for fracture risk; ACR 2021 images a suspected compression
# fracture with a radiograph first. Seed 001's "if any red flags present, obtain immediate MRI" is
# left to the specialist (m6, an open choice).
step suspected_fracture "Suspected vertebral fracture" urgent
  recommend plain_radiograph "Plain radiograph of the lumbar spine for a suspected compression fracture after a fall or trauma in a patient with fragile bone"  cite s001, acr
    unless imaging_done
  recommend urgent_specialist_referral "Urgent specialist referral for a suspected vertebral fracture; no spinal manipulation until it is excluded. Run the pathway again with the specialist's finding"  cite s000, s003
  stop

# =============================================================================================
section "Other sources of pain"

# Seed 002: PT fails when the pain is not mechanical. A non-spinal source is asked first, because
# it may be an abdominal aortic aneurysm, a kidney infection or pancreatitis (M2): same-day
# medical assessment, the safe choice (the seed gives no urgency). Inflammatory back pain
# "requires specific medical management before rehabilitation": rheumatology, and an NSAID, which
# is first line in axial spondyloarthritis as in all back pain (m5).
decide other_sources "Could the pain come from an inflammatory or non-spinal cause?" first match
  when non_spinal_source_suspected -> non_spinal_workup
  when inflammatory_features       -> inflammatory_workup
  otherwise                        -> stratify

step non_spinal_workup "Possible non-spinal source (aorta, kidney, pancreas, hip)" emergency
  recommend medical_workup_nonspinal "Same-day medical assessment for a possible non-spinal source: abdominal aortic aneurysm, kidney infection or pancreatitis can present as deep, non-mechanical lumbar pain; hip arthritis or bursitis can mimic spinal pain. Run the pathway again with the findings"  cite s002
  recommend rheumatology_referral "Rheumatology assessment for inflammatory back pain as well, once the non-spinal cause is assessed" routine  cite s002
    when inflammatory_features
  stop

step inflammatory_workup "Inflammatory back pain"
  recommend rheumatology_referral "Rheumatology assessment for inflammatory back pain (e.g. ankylosing spondylitis) before further rehabilitation. Run the pathway again with the findings"  cite s002
  recommend nsaid "NSAID meanwhile, at the lowest effective dose: first line for back pain, and for inflammatory back pain"  cite s000, s001
    unless nsaid_tried or nsaid_contraindicated or improvement is significant
    caution "The seeds do not discuss medicines for inflammatory back pain; seed 002 asks for specific medical management before rehabilitation, which the rheumatologist leads"  cite s002
  stop

# =============================================================================================
section "Risk stratification (STarT Back)"

# Matched care (Hill et al. 2011): low risk self-management, medium risk physiotherapy, high risk
# psychologically informed physiotherapy. The medium-risk branch has no step of its own: its
# matched care is the structured PT recommended at the next stage.
decide stratify "STarT Back risk group"
  when startback_risk is unknown -> screen
  when startback_risk is low     -> low_risk
  when startback_risk is medium  -> pt_response
  when startback_risk is high    -> high_risk

step screen "Risk not yet stratified"
  recommend startback_screen "Administer (or complete) the STarT Back tool now to find the risk group; repeat the run with its scores"  cite s000, s001, hill2008, nice
  -> pt_response

step low_risk "Low risk of persistent disabling pain"
  recommend self_management "Self-management: advice and reassurance (about 90% of episodes settle within 6 weeks), stay active within pain limits, home exercises; no prolonged bed rest; lifestyle (weight, posture, ergonomics)"  cite s000, s001, s003, hill2011
  -> pt_response

step high_risk "High risk of persistent disabling pain"
  recommend psychologically_informed_pt "PT from a therapist with skills for a comprehensive biopsychosocial assessment and approach"  cite s000, s001, hill2011
  recommend psychological_therapy "Add psychological therapy alongside PT: low-intensity (manualised, one professional) or high-intensity CBT"  cite s000, s001, s002
  -> pt_response

# =============================================================================================
section "Response to PT"

# First match: PT that has not started is named first (m10); then the response decides.
decide pt_response "Has PT had a fair trial, and has it helped?" first match
  when pt_sessions == 0           -> pt_not_started
  when improvement is significant -> pt_helping
  when not pt_trial_complete      -> too_early
  otherwise                       -> pt_not_helping

step pt_not_started "No PT yet in this episode"
  # Low risk: self-management is the matched care (m1; Hill et al. 2011).
  recommend continue_pt "Start a structured, goal-directed PT programme for at least 4-8 weeks: PT is the first-line treatment and none has been attended in this episode"  cite s000, s002
    unless startback_risk is low
  -> pt_programme

step pt_helping "PT is helping"
  recommend continue_pt "Complete the planned course of structured, goal-directed PT; benefit comes from sustained exercise"  cite s000
  -> pt_programme

step too_early "Too early to judge PT"
  # Low risk: self-management with home exercises, not a structured course (m1).
  recommend continue_pt "Continue structured, goal-directed PT for at least 4-8 weeks: one session, or a few weeks, cannot show whether PT works"  cite s000
    unless startback_risk is low
  -> pt_programme

step pt_not_helping "No worthwhile improvement after a fair trial of PT"
  recommend pt_plan_review "Reassess the diagnosis and personalise the PT plan (intensity, frequency, exercises, psychosocial barriers, lifestyle and sleep), or seek a second opinion from another physiotherapist"  cite s004, s002, s003, s001
  # Medium risk (seed 001): carry on with PT, but biopsychosocial rather than purely biomechanical,
  # and psychological interventions "should now be integrated" (m2).
  recommend continue_pt "Continue PT with a patient-centred plan that takes a comprehensive biopsychosocial approach"  cite s001
    when startback_risk is medium
  recommend psychological_therapy "Integrate psychological interventions now: low-intensity (manualised, one professional) or high-intensity CBT within multidisciplinary care"  cite s001, s002
    when startback_risk is medium
  # High risk and not improving after standard PT (seed 001): refer now, do not wait for 12 weeks.
  recommend biopsychosocial_mdt "Refer now for biopsychosocial assessment by a multidisciplinary team"  cite s001
    when startback_risk is high
  -> pt_programme

step pt_programme "What the PT programme should contain"
  recommend avoid_passive_modalities "No passive modalities (ultrasound, TENS, traction), no passive PT continued indefinitely, and no prolonged bed rest: stay active within pain limits"  cite s000, s001
    caution "NICE NG59 agrees: do not offer TENS, ultrasound or traction for low back pain"  cite nice
  recommend adherence_support "Address barriers to the home exercise programme (time, travel, boredom with the exercises, sleep); in-clinic sessions alone are not enough"  cite s004, s002, s003
    when hep_adherence is poor
  -> manipulation

# Spinal manipulation only where it is safe (M3); the other complementary options stay open.
decide manipulation "Is spinal manipulation safe?"
  when manipulation_unsafe     -> no_manipulation
  when not manipulation_unsafe -> complementary_options

step complementary_options "Complementary therapies alongside exercise"
  recommend complementary_therapy "Alongside the exercise programme: spinal manipulation or massage (small short-term benefit with exercise), heat in acute pain, acupuncture in chronic pain"  cite s000, s003
    unless improvement is significant
    caution "NICE NG59 advises against acupuncture for low back pain and supports manipulation or massage only within a package that includes exercise; seed 000 reports moderate evidence for acupuncture in chronic pain"  cite nice, s000
    caution "Seed 000 lists heat among the passive modalities to avoid for medium risk, and also as a complementary option with good evidence for acute pain"  cite s000
  -> first_line

step no_manipulation "No spinal manipulation: fragile bone, trauma or a structural lesion"
  recommend avoid_spinal_manipulation "No spinal manipulation and no aggressive exercise loading (fragile bone, trauma not yet assessed, or a structural lesion such as spondylolisthesis); massage and heat alongside exercise remain options"  cite s002, s000
    caution "The seeds give manipulation no contraindications; fragile bone, recent trauma and instability are the usual ones, and the review of 1.0.0 asked for them (an open choice)"  cite s000, s002
  -> first_line

# =============================================================================================
section "Medicines"

# First-line medicine (seeds 000, 001): an NSAID unless it has been tried or is contraindicated,
# and not newly started when PT is clearly working (m5); paracetamol is the seeds' alternative
# when an NSAID cannot be used. The age split is ours: the seeds do not mention age, NICE NG59
# asks prescribers to weigh the risks of NSAIDs including age, and we take 65 years as the age
# from which gastroprotection and renal and cardiovascular checks are part of the prescription.
# First match: each later branch needs the earlier ones to be false.
decide first_line "First-line medicine" first match
  when improvement is significant -> medicines
  when nsaid_contraindicated      -> nsaid_alternative
  when nsaid_tried                -> medicines
  when age >= 65                  -> nsaid_first_line_older
  otherwise                       -> nsaid_first_line

step nsaid_first_line "NSAID first line"
  recommend nsaid "NSAID as the first-line medicine, at the lowest effective dose for the shortest time"  cite s000, s001, acp
  -> medicines

step nsaid_first_line_older "NSAID first line, 65 or over"
  recommend nsaid "NSAID as the first-line medicine, at the lowest effective dose for the shortest time, with gastroprotection and a check of renal function and cardiovascular risk (age 65 or over)"  cite s000, s001, acp, nice
    caution "NICE NG59: take account of gastrointestinal, liver and cardio-renal toxicity and the person's risk factors, including age"  cite nice
  -> medicines

step nsaid_alternative "NSAID contraindicated"
  recommend paracetamol "Paracetamol as an alternative when NSAIDs are contraindicated (weaker evidence)"  cite s000, s003
    caution "ACP 2017 found paracetamol ineffective for acute low back pain and NICE NG59 advises against paracetamol alone; seed 000 keeps it as an alternative with weaker evidence"  cite acp, nice, s000
  -> medicines

# Second-line medicines (M5, M6, m9): tramadol or duloxetine from 8 weeks (the time point of seed
# 001, which names them; seed 000 advises against opioids in acute pain) once an NSAID has been
# tried and the pain persists; gabapentinoids only in chronic pain (from 12 weeks; seed 004 "for
# chronic pain with a neuropathic component") after a fair PT trial. Neither under 18.
step medicines "Second-line and adjunct medicines; no long-term opioids"
  recommend tramadol_or_duloxetine "Second line when an adequate NSAID trial has not controlled the pain: tramadol or duloxetine"  cite s001, acp
    when weeks_since_onset >= 8 and nsaid_tried and improvement in {none, partial} and age >= 18
    caution "Duloxetine: NICE NG59 advises against SNRIs for low back pain; seed 001 and ACP 2017 name duloxetine second line for chronic pain"  cite nice, s001, acp
    caution "Tramadol is an opioid: NICE NG59 advises against opioids for chronic low back pain; ACP 2017 allows it second line; seed 001 names it second line; seed 000 advises against opioids in acute pain"  cite nice, acp, s001, s000
    caution "Age: duloxetine carries a warning on suicidal thoughts under 25; from 65 start tramadol low, review falls, confusion and renal function. Do not combine tramadol with a gabapentinoid without weighing the risk of respiratory depression"  cite young_people, gabapentinoid_opioid
  recommend gabapentinoid "Gabapentin or pregabalin for a neuropathic component (burning, tingling or shooting pain) in chronic pain, to make exercise tolerable"  cite s004
    when neuropathic_features and pt_failing and weeks_since_onset >= 12 and age >= 18
    caution "NICE NG59 and its 2020 sciatica update advise against gabapentinoids and other anticonvulsants for low back pain and sciatica; seed 004 suggests them for a neuropathic component"  cite nice, s004
    caution "With an opioid (including tramadol), from 65, or with lung or kidney disease: serious respiratory depression; start low, adjust for renal function, review sedation and falls"  cite gabapentinoid_opioid
  recommend avoid_long_term_opioids "Do not start or continue long-term opioids (insufficient evidence, considerable risks including addiction); avoid or use cautiously muscle relaxants and benzodiazepines, which are no better than NSAIDs in acute low back pain"  cite s000, s001
    caution "ACP 2017 allows opioids only after NSAIDs and second-line drugs have failed, after discussing risks; NICE NG59 advises against opioids for chronic low back pain"  cite acp, nice
  -> imaging

# =============================================================================================
section "Imaging"

# No red flag reaches this point unless a specialist has excluded serious pathology. Before 6
# weeks nothing is imaged (seed 000: not before 4-6 weeks; we take 6, as Choosing Wisely and ACR
# do, so exactly 6 weeks opens the window), except a radiograph after trauma (M3). From 6 weeks
# MRI when `mri_wanted`; a radiograph, not previously performed, for fragile bone or after
# trauma while the pain persists (seed 001); otherwise no imaging.
decide imaging "Imaging: too early, or which imaging is indicated?" first match
  when weeks_since_onset < 6 and fall_or_trauma and not imaging_done and not serious_pathology_cleared -> trauma_radiograph
  when weeks_since_onset < 6 -> no_imaging_yet
  when mri_wanted            -> mri_indicated
  when improvement in {none, partial} and not imaging_done and weeks_since_onset < 12 and (fragile_bone or fall_or_trauma) -> radiograph_indicated
  when imaging_done          -> escalation
  otherwise                  -> no_imaging_indicated

step trauma_radiograph "Recent trauma: radiograph before loading the spine"
  recommend plain_radiograph "Plain radiograph of the lumbar spine after the fall or trauma, to exclude a fracture before manipulation or vigorous exercise; same day if the trauma was high-energy (road traffic collision, fall from a height) or the pain is sudden and severe"  cite s003, acr
    caution "The seeds treat a fall without fracture risk as no red flag at 8 weeks (seed 001); imaging in the first 6 weeks after trauma is the review's safe choice (an open choice)"  cite s001, s003
  -> escalation

step no_imaging_yet "No routine imaging in the first 6 weeks"
  recommend no_routine_imaging "No imaging without red flags in the first 6 weeks: early imaging adds tests and surgery without better outcomes"  cite s000, choosing_wisely, acr
  -> escalation

step mri_indicated "MRI: persisting radicular symptoms, severe pain from 8 weeks, or an intervention being considered"
  recommend mri "Non-urgent MRI of the lumbar spine (not repeated if an MRI of this episode has been done; a plain radiograph does not count): radicular symptoms persist, severe pain persists at 8 weeks or more, or an injection or surgery is being considered; nerve conduction studies if the level is unclear"  cite s001, s004, acr
    caution "ACR 2021 and ACP advise no imaging for nonspecific low back pain without red flags; MRI is for persisting radiculopathy or a surgery or intervention candidate, and incidental findings are common. Seed 001 finds imaging more reasonable at 8 weeks with persistent severe pain"  cite acr, acp, s001
  -> escalation

step radiograph_indicated "Plain radiograph: fracture risk or trauma, pain persisting"
  recommend plain_radiograph "Plain radiograph of the lumbar spine, not previously performed: risk factors for vertebral compression fracture, or pain persisting after trauma"  cite s001
  -> escalation

step no_imaging_indicated "No indication for imaging"
  recommend no_routine_imaging "No imaging: no red flags and no indication (radicular symptoms, fracture risk, intervention planned)"  cite acp, acr
    caution "ACR 2021 and ACP advise no imaging for nonspecific low back pain without red flags; seed 001 agrees unless severe pain persists at 8 weeks, or radiculopathy or fracture risk is present, which the pathway images"  cite s001, acr, acp
  -> escalation

# =============================================================================================
section "Review and escalation over time"

# Time points: review at 4-6 weeks (seed 000) and no later than 12 weeks from onset (seed 001).
# Exactly 12 weeks counts as the 12-week point: "no improvement by 12 weeks" (seed 000) is
# judged at that review.
decide escalation "Where is the patient in time, and is the pain improving?"
  when weeks_since_onset < 6                                      -> early_review
  when weeks_since_onset >= 6 and weeks_since_onset < 12          -> review_before_12
  when weeks_since_onset >= 12 and improvement is significant     -> work
  when weeks_since_onset >= 12 and improvement in {none, partial} -> not_improved_by_12

step early_review "Reviews ahead"
  recommend review_4_6_weeks "Review progress at 4-6 weeks (most acute episodes settle within 6 weeks); come back at once with new leg weakness or numbness, bladder or bowel change, fever, or sudden severe pain unlike the usual"  cite s000, s003
  recommend review_by_12_weeks "Review no later than 12 weeks from onset"  cite s001
  -> work

step review_before_12 "12-week review ahead"
  recommend review_by_12_weeks "Review no later than 12 weeks from onset; if there is no improvement then, escalate; come back at once with new leg weakness or numbness, bladder or bowel change, or fever"  cite s001, s000, s003
  -> early_surgery

# A matching structural lesion after at least 6 weeks of documented failed conservative care is a
# reason for a surgical consultation before 12 weeks (seed 004; sciatica trials randomised at
# 6-12 weeks, Peul et al.). A progressive deficit never gets here: it is a red flag.
decide early_surgery "Structural lesion after 6 weeks of failed conservative care?"
  when surgery_candidate     -> early_surgical_referral
  when not surgery_candidate -> work

step early_surgical_referral "Structural lesion: surgical opinion"
  recommend spine_specialist_referral "Spine specialist (physiatrist, orthopaedic or spinal surgeon) for a structural lesion matching the symptoms"  cite s002, s004
  recommend surgical_evaluation "Surgical consultation: a structural lesion matching the symptoms, limiting daily life, after at least 6 weeks of documented failed conservative care (PT with good adherence, an NSAID)"  cite s004, s002, peul
    caution "NICE NG59: consider spinal decompression for sciatica when non-surgical treatment has not helped and imaging is consistent with the symptoms; do not offer spinal fusion for low back pain except in a randomised controlled trial"  cite nice, s004
  -> work

# Seed 000 at 12 weeks: MDT assessment, evaluation for multidisciplinary rehabilitation (m3), a
# pain centre if high-risk features are present; seed 001: intensive rehabilitation for severe
# impairment, and a pain centre after the MDT (m12: the text says so; the seeds differ on the
# order, an open choice).
step not_improved_by_12 "No improvement by 12 weeks"
  # A high-risk patient with a failed PT trial was referred at the PT response stage already.
  recommend biopsychosocial_mdt "Biopsychosocial assessment by a multidisciplinary team"  cite s000, s001
    unless startback_risk is high and pt_failing
  recommend pain_rehab_programme "Evaluation for multidisciplinary rehabilitation; an intensive interdisciplinary pain rehabilitation programme when functional impairment is severe"  cite s000, s001
  recommend pain_centre_referral "Specialist pain centre referral (high-risk features or severe functional impairment) if there is no improvement despite the biopsychosocial assessment and multidisciplinary management"  cite s000, s001
    when startback_risk is high or functional_impairment is severe
  -> specialist_care

# Seeds 002 and 004 order the non-surgical options: specialist opinion, then injections, then
# radiofrequency ablation or neuromodulation when injections have not given lasting relief, and
# surgery last (M7, M8): each only where its own criteria hold, never for everyone at 12 weeks.
step specialist_care "Specialist and interventional care after 12 weeks"
  recommend spine_specialist_referral "Spine specialist (physiatrist, orthopaedic or spinal surgeon, or pain physician) for a fresh assessment: radicular symptoms, a structural lesion, or pain that limits daily life"  cite s002, s001
    when pt_failing and (radicular_symptoms or structural_lesion or functional_impairment is not mild)
  recommend interventional_injection "Consider an epidural steroid injection for radicular pain, or a targeted injection for a matching lesion, to make PT tolerable (after MRI)"  cite s002, s004, s003
    when injection_candidate
    caution "NICE NG59 advises against spinal injections for low back pain, and considers epidural injections only for acute and severe sciatica"  cite nice, s002
  recommend advanced_interventional "Consider radiofrequency ablation or neuromodulation: chronic pain resistant to injections and PT"  cite s002
    when injections_tried and pt_failing and functional_impairment is not mild
    caution "NICE NG59 considers radiofrequency denervation only after a positive diagnostic medial branch block, for moderate or severe localised pain"  cite nice, s002
  recommend surgical_evaluation "Surgical consultation: failed conservative care with a matching structural lesion that limits daily life, or intractable pain after medical management and injections"  cite s004, s002
    when surgery_candidate
    caution "NICE NG59: consider spinal decompression for sciatica when non-surgical treatment has not helped and imaging is consistent with the symptoms; do not offer spinal fusion for low back pain except in a randomised controlled trial"  cite nice, s004
  -> work

# =============================================================================================
section "Work"

step work "Work"
  recommend fit_note "Fit note (statement of fitness for work) with modified duties or workplace adjustments to support return to work"  cite s001
    when work_affected
  stop

# =============================================================================================
# Safety invariants, proved by `carepath check` over every run, including runs that stop for
# input (`never`: every run; `always`: complete runs and runs stopped in a step recommending the
# code). Each names the review finding it would have caught.

# C1: suspected cauda equina or a progressive deficit: same-day emergency, nothing routine beside.
always emergency_referral when cauda_equina_suspected
always emergency_referral when progressive_neuro_deficit
never emergency_referral with continue_pt
never emergency_referral with self_management
never emergency_referral with startback_screen
never emergency_referral with nsaid
never emergency_referral with no_routine_imaging
never emergency_referral with urgent_mri
never emergency_referral with urgent_specialist_referral
never urgent_specialist_referral when progressive_neuro_deficit

# M1, M4: other red flags get an urgent referral, also when an unrelated answer is missing, until
# a specialist has excluded serious pathology; urgent imaging only for red flags.
always urgent_specialist_referral when red_flag and not neurological_emergency and not serious_pathology_cleared
never urgent_specialist_referral when serious_pathology_cleared
never urgent_mri when not red_flag
never urgent_mri when serious_pathology_cleared
never no_routine_imaging when red_flag and not serious_pathology_cleared

# M2: a possible non-spinal source (aorta, kidney, pancreas) is assessed, also when the
# inflammatory question is unanswered, and before any routine care.
always medical_workup_nonspinal when non_spinal_source_suspected and not red_flag
never continue_pt when non_spinal_source_suspected
never nsaid when non_spinal_source_suspected

# M3: no spinal manipulation with fragile bone, after trauma not yet assessed, or a structural
# lesion; a fracture flag for trauma from 65 whatever the osteoporosis box says.
never complementary_therapy when osteoporosis_risk
never complementary_therapy when age >= 65
never complementary_therapy when fall_or_trauma and not serious_pathology_cleared
never complementary_therapy when structural_lesion
always urgent_specialist_referral when fall_or_trauma and age >= 65 and not neurological_emergency and not serious_pathology_cleared

# M10: no routine advice while a red-flag answer is unknown.
never continue_pt when red_flag_unanswered
never self_management when red_flag_unanswered
never startback_screen when red_flag_unanswered
never psychologically_informed_pt when red_flag_unanswered
never pt_plan_review when red_flag_unanswered
never complementary_therapy when red_flag_unanswered
never nsaid when red_flag_unanswered
never paracetamol when red_flag_unanswered
never avoid_passive_modalities when red_flag_unanswered
never no_routine_imaging when red_flag_unanswered

# M5, M6, m9: second-line medicines only from their time points, after an NSAID, never under 18;
# first-line medicines as the seeds say.
never tramadol_or_duloxetine when weeks_since_onset < 8
never tramadol_or_duloxetine when not nsaid_tried
never tramadol_or_duloxetine when age < 18
never gabapentinoid when weeks_since_onset < 12
never gabapentinoid when not neuropathic_features
never gabapentinoid when not pt_failing
never gabapentinoid when age < 18
never nsaid when nsaid_contraindicated
never nsaid when nsaid_tried
never nsaid when improvement is significant

# M7: surgery only after documented failed conservative care (6 weeks and 6 sessions of PT, good
# adherence, no improvement, an NSAID), with a limiting lesion or intractable pain.
never surgical_evaluation when not conservative_care_failed
never surgical_evaluation when hep_adherence is poor
never surgical_evaluation when improvement is not none
never surgical_evaluation when pt_sessions < 6 or weeks_of_pt < 6
never surgical_evaluation when not structural_lesion and not injections_tried
never surgical_evaluation when functional_impairment is mild
never surgical_evaluation with adherence_support

# M8, M9: imaging and injections only on indication; MRI before an injection; earlier imaging
# never blocks the MRI for persisting radicular symptoms.
never mri when weeks_since_onset < 6
never mri when not radicular_symptoms and not injection_candidate and not intractable_pain and functional_impairment is not severe
never mri when weeks_since_onset < 8 and not radicular_symptoms and not intractable_pain
never mri with no_routine_imaging
never plain_radiograph with no_routine_imaging
never interventional_injection when weeks_since_onset < 12
never interventional_injection when not radicular_symptoms and not structural_lesion
never interventional_injection when functional_impairment is mild
never interventional_injection when improvement is significant
always mri when injection_candidate and not structural_lesion and routine_route
always mri when radicular_symptoms and pt_failing and weeks_since_onset >= 6 and not structural_lesion and routine_route
never spine_specialist_referral when weeks_since_onset < 6

# m1, m10, m2: stratified care: one risk group only; low risk is not sent to a structured PT
# course it does not need; the tool is given whenever the risk group is unknown on the routine
# path; medium risk not improving gets psychological care.
never self_management with psychologically_informed_pt
never continue_pt when startback_risk is low and improvement is not significant
never pt_plan_review when pt_sessions == 0
always startback_screen when startback_risk is unknown and routine_route
always psychological_therapy when startback_risk is medium and pt_failing and pt_sessions > 0 and routine_route
