# An exclusive decision whose two branches share a target, a guarded recommendation and cautions.
pathway exclusive "Exclusive branches" version "2.1.0" released 2025-06-30
source guide "A guideline"
fact pain: integer 0..10 "pain score"
fact fever: boolean
start triage
decide triage "How bad is the pain, and is there a fever that would change the plan?"
  when pain >= 8 and not fever -> treat
  when fever -> treat
  otherwise -> watch
step treat "Treat now, with the full plan agreed with the patient"
  recommend analgesia "Offer analgesia suited to the pain score and to the patient's other medicines" cite guide
    when pain >= 8 or fever and pain >= 5
    caution "Check renal function before an NSAID" cite guide
    caution "Avoid in pregnancy"
  -> watch
step watch "Watch and wait"
  recommend review "Review in two weeks" cite guide
  stop
