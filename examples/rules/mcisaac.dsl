# Centor score modified by McIsaac for sore throat: the probability of group A streptococcal
# pharyngitis and the testing and treatment it suggests (McIsaac et al. 1998, validated 2004).
# Age adds a point in children (3-14 years) and takes one away from 45 years on.
pathway mcisaac "Modified Centor (McIsaac) score: sore throat"
  version "1.0"

source mcisaac1998 "McIsaac WJ, White D, Tannenbaum D, Low DE. A clinical score to reduce unnecessary antibiotic use in patients with sore throat. CMAJ 1998;158(1):75-83"
source mcisaac2004 "McIsaac WJ, Kellner JD, Aufricht P, Vanjaka A, Low DE. Empirical validation of guidelines for the management of pharyngitis in children and adults. JAMA 2004;291(13):1587-1595"

fact age: integer 3..120 unit "years" "Age"
fact temperature: optional number 30..45 unit "°C" "Highest measured or reported temperature"
fact cough: optional boolean "Cough present"
fact tender_nodes: optional boolean "Swollen, tender anterior cervical lymph nodes"
fact tonsillar_exudate: optional boolean "Tonsillar swelling or exudate"

score mcisaac "Modified Centor (McIsaac)"  cite mcisaac1998
  points 1 when temperature > 38
  points 1 when not cough
  points 1 when tender_nodes
  points 1 when tonsillar_exudate
  points 1 when age <= 14
  points -1 when age >= 45

derive strep_risk: low | moderate | high = if mcisaac <= 1 then low else if mcisaac <= 3 then moderate else high

start management

decide management "Testing and antibiotics"
  when mcisaac <= 1                  -> no_testing
  when mcisaac >= 2 and mcisaac <= 3 -> culture
  when mcisaac >= 4                  -> culture_and_treat

step no_testing "Score 1 or less"
  recommend no_culture_no_antibiotic "No throat culture or rapid antigen test and no antibiotic (streptococcal infection in about 1-10% at these scores); symptomatic treatment and safety-netting"  cite mcisaac1998
  stop

step culture "Score 2 or 3"
  recommend culture_treat_if_positive "Throat culture or rapid antigen test; give an antibiotic only if the test is positive (streptococcal infection in about 11-35%)"  cite mcisaac1998, mcisaac2004
  stop

step culture_and_treat "Score 4 or more"
  recommend culture_and_consider_penicillin "Throat culture or rapid antigen test; consider starting penicillin on clinical grounds when the patient has a high fever or is clinically unwell and presents early (streptococcal infection in about 51-53%)"  cite mcisaac1998
  stop

accept needs_input at management "A sign not yet examined is asked for only while it can still change the advice"
accept unused_derived at strep_risk "The risk band is for the clinician and the scenarios; the advice follows the score itself"
