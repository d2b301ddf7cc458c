# HAS-BLED: one-year risk of major bleeding on anticoagulation in atrial fibrillation (Pisters et
# al. 2010), with the ESC 2020 advice on using it: a high score prompts correcting the modifiable
# risk factors and earlier review, never withholding anticoagulation by itself.
pathway has_bled "HAS-BLED: bleeding risk on anticoagulation"
  version "1.0"

source pisters2010 "Pisters R et al. A novel user-friendly score (HAS-BLED) to assess 1-year risk of major bleeding in patients with atrial fibrillation: the Euro Heart Survey. Chest 2010;138(5):1093-1100"
source esc2020 "Hindricks G et al. 2020 ESC Guidelines for the diagnosis and management of atrial fibrillation. Eur Heart J 2021;42(5):373-498 (section 10.1.4)"

fact age: integer 18..120 unit "years" "Age"
fact systolic_bp: optional integer 60..300 unit "mmHg" "Systolic blood pressure (uncontrolled hypertension is above 160)"
fact renal_disease: optional boolean "Dialysis, kidney transplant, or serum creatinine 200 umol/L or more"
fact liver_disease: optional boolean "Cirrhosis, or bilirubin over twice and AST/ALT over three times the upper limit of normal"
fact stroke: optional boolean "Previous stroke"
fact bleeding: optional boolean "Previous major bleeding, or a predisposition to bleeding (anaemia, low platelets)"
fact labile_inr: optional boolean "Labile INR on a vitamin K antagonist (time in therapeutic range below 60%)"
fact antiplatelet_or_nsaid: optional boolean "Taking an antiplatelet drug or an NSAID"
fact alcohol_excess: optional boolean "Alcohol 8 or more drinks a week"

score has_bled "HAS-BLED"  cite pisters2010
  points 1 when systolic_bp > 160
  points 1 when renal_disease
  points 1 when liver_disease
  points 1 when stroke
  points 1 when bleeding
  points 1 when labile_inr
  points 1 when age > 65
  points 1 when antiplatelet_or_nsaid
  points 1 when alcohol_excess

start risk

decide risk "Bleeding risk"
  when has_bled >= 3 -> high_risk
  when has_bled <= 2 -> not_high_risk

step high_risk "High bleeding risk (3 or more)"
  recommend early_review "High bleeding risk: review earlier and more often (for example after 4 weeks rather than 4-6 months); a high HAS-BLED score alone is no reason to withhold anticoagulation"  cite esc2020
  -> modifiable

step not_high_risk "Bleeding risk not high (0 to 2)"
  recommend routine_review "Bleeding risk is not high: reassess it at each review, as risk factors change"  cite esc2020
  -> modifiable

step modifiable "Modifiable bleeding risk factors"
  recommend address_modifiable "Address the modifiable bleeding risk factors: control blood pressure, stop unnecessary antiplatelet drugs and NSAIDs, reduce alcohol, improve INR control or switch to a NOAC"  cite esc2020
    when count(systolic_bp > 160, labile_inr, antiplatelet_or_nsaid, alcohol_excess) >= 1
  stop

accept needs_input at risk "A risk factor not yet known is asked for only while it can still change the advice"
accept needs_input at modifiable "A modifiable factor not yet known is asked for only while none is known to be present"
