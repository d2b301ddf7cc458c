# First match, sections, urgent and emergency steps, and `end`, a word Mermaid reserves, as a name.
pathway sections "Sections and urgency" version "0.3.0" released 2026-02-01
source guide "A guideline"
fact collapse: boolean
fact weakness: boolean
fact weeks: number 0..52 unit "weeks"
start screen
section "Screening"
decide screen "Red flags?" first match
  when collapse -> emergency_care
  when weakness -> urgent_care
  otherwise -> timing
step emergency_care "Call an ambulance" emergency
  recommend ambulance "Call 999" cite guide
  stop
step urgent_care "Same-week review" urgent
  recommend urgent_review "Review within a week" cite guide
  -> end
section "Routine care"
decide timing "How long since onset?"
  when weeks < 6 -> early
  when weeks >= 6 -> end
step early "Early"
  recommend reassure "Reassure" cite guide
  -> end
step end "End of pathway"
  recommend discharge "Discharge with advice" cite guide
  stop
