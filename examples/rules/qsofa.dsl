# qSOFA (quick Sequential Organ Failure Assessment): bedside prompt for patients with suspected
# infection outside the ICU who are likely to have poor outcomes (Seymour et al. 2016; Sepsis-3).
# Two or more of the three criteria are positive. A negative qSOFA does not exclude sepsis.
pathway qsofa "qSOFA: suspected infection outside the ICU"
  version "1.0"

source seymour2016 "Seymour CW et al. Assessment of Clinical Criteria for Sepsis: For the Third International Consensus Definitions for Sepsis and Septic Shock (Sepsis-3). JAMA 2016;315(8):762-774"
source singer2016 "Singer M et al. The Third International Consensus Definitions for Sepsis and Septic Shock (Sepsis-3). JAMA 2016;315(8):801-810"

fact respiratory_rate: optional integer 0..80 unit "breaths/min" "Respiratory rate"
fact gcs: optional integer 3..15 "Glasgow Coma Scale (altered mentation is GCS below 15)"
fact systolic_bp: optional integer 30..300 unit "mmHg" "Systolic blood pressure"

score qsofa "qSOFA"  cite seymour2016
  points 1 when respiratory_rate >= 22
  points 1 when gcs < 15
  points 1 when systolic_bp <= 100

start result

decide result "qSOFA positive?"
  when qsofa >= 2 -> positive
  when qsofa < 2  -> negative

step positive "qSOFA positive (2 or more)" urgent
  recommend assess_organ_dysfunction "Suspect sepsis: assess for organ dysfunction (full SOFA score), start or escalate therapy as appropriate, and consider referral to critical care or increased monitoring"  cite singer2016
  stop

step negative "qSOFA negative (0 or 1)"
  recommend keep_monitoring "qSOFA is negative, which does not exclude sepsis: keep monitoring, and reassess (including qSOFA) if the patient deteriorates"  cite singer2016
  stop

accept needs_input at result "A vital sign not yet measured is asked for only while it can still change the result"
