#!/usr/bin/env bash
# Redraw the committed flowcharts of pathway.dsl: the whole pathway (DOT, Mermaid, SVG, PNG) and
# one chart per section (DOT, SVG, PNG, named section-NN-title), and record their SHA-256 sums in
# diagrams/SOURCE, so that a test can tell when any of them is stale.
# Run from anywhere after changing pathway.dsl or the renderer:  diagrams/refresh.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CAREPATH="${CAREPATH:-.venv/bin/carepath}"
PYTHON="${PYTHON:-.venv/bin/python}"
for extension in dot mmd svg png; do
  "$CAREPATH" render pathway.dsl -o "diagrams/pathway.$extension"
done
rm -f diagrams/section-*
# One line per section: the file stem, a tab, the section's name.
while IFS=$'\t' read -r stem section; do
  for extension in dot svg png; do
    "$CAREPATH" render pathway.dsl --section "$section" -o "diagrams/$stem.$extension"
  done
done < <("$PYTHON" -c '
import carepath
from carepath.diagram import section_file_stems
for name, stem in section_file_stems(carepath.load("pathway.dsl")).items():
    print(f"{stem}\t{name}")
')
(cd diagrams && sha256sum pathway.dot pathway.mmd pathway.svg pathway.png section-* > SOURCE)
echo "refresh: diagrams/ redrawn from pathway.dsl" >&2
