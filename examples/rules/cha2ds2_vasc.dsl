# CHA2DS2-VASc: stroke risk in atrial fibrillation (Lip et al. 2010), with the ESC 2020
# recommendations on oral anticoagulation that use it. Female sex is a criterion of the score,
# so the thresholds differ by one point between men and women.
pathway cha2ds2_vasc "CHA2DS2-VASc: stroke prevention in atrial fibrillation"
  version "1.0"

source lip2010 "Lip GYH et al. Refining clinical risk stratification for predicting stroke and thromboembolism in atrial fibrillation using a novel risk factor-based approach: the Euro Heart Survey on Atrial Fibrillation. Chest 2010;137(2):263-272"
source esc2020 "Hindricks G et al. 2020 ESC Guidelines for the diagnosis and management of atrial fibrillation. Eur Heart J 2021;42(5):373-498 (section 10.1)"

fact age: integer 18..120 unit "years" "Age"
fact sex: female | male "Sex"
fact heart_failure: optional boolean "Congestive heart failure, or moderate to severe LV systolic dysfunction"
fact hypertension: optional boolean "Hypertension, or on antihypertensive therapy"
fact diabetes: optional boolean "Diabetes mellitus"
fact stroke_tia: optional boolean "Previous stroke, TIA or thromboembolism"
fact vascular_disease: optional boolean "Vascular disease: previous myocardial infarction, peripheral artery disease or aortic plaque"

score cha2ds2_vasc "CHA2DS2-VASc"  cite lip2010
  points 1 when heart_failure
  points 1 when hypertension
  points 2 when age >= 75
  points 1 when diabetes
  points 2 when stroke_tia
  points 1 when vascular_disease
  points 1 when age >= 65 and age < 75
  points 1 when sex is female

start anticoagulation

decide anticoagulation "Oral anticoagulation for stroke prevention"
  when sex is male and cha2ds2_vasc >= 2 or sex is female and cha2ds2_vasc >= 3 -> recommend_oac
  when sex is male and cha2ds2_vasc == 1 or sex is female and cha2ds2_vasc == 2 -> consider_oac
  when sex is male and cha2ds2_vasc == 0 or sex is female and cha2ds2_vasc == 1 -> low_risk

step recommend_oac "Anticoagulation recommended"
  recommend oac "Oral anticoagulation is recommended for stroke prevention (class I): CHA2DS2-VASc 2 or more in men, 3 or more in women; prefer a NOAC over a vitamin K antagonist where eligible"  cite esc2020
    caution "Assess bleeding risk (for example HAS-BLED) and address modifiable bleeding risk factors; a high bleeding risk score alone should not lead to withholding anticoagulation"  cite esc2020
  stop

step consider_oac "Consider anticoagulation"
  recommend consider_oac "Oral anticoagulation should be considered (class IIa): CHA2DS2-VASc 1 in men, 2 in women, weighing the net clinical benefit and the patient's values and preferences"  cite esc2020
  stop

step low_risk "Low stroke risk"
  recommend no_antithrombotic "Low stroke risk (CHA2DS2-VASc 0 in men, 1 in women): no antithrombotic therapy for stroke prevention; antiplatelet therapy alone is not recommended; reassess stroke risk at periodic intervals"  cite esc2020
  stop

accept needs_input at anticoagulation "A risk factor not yet known is asked for only while it can still change the advice (a man of 75 needs none)"
