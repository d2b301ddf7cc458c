# The smallest pathway: one step that stops.
pathway minimal "One step"
source guide "A guideline"
start only
step only "The only step"
  recommend advice "Give advice" cite guide
  stop
