#!/usr/bin/env bash
# Redraw the committed flowcharts of pathway.dsl (DOT, Mermaid, SVG, PNG) and record their
# SHA-256 sums in diagrams/SOURCE, so that a test can tell when any of them is stale.
# Run from anywhere after changing pathway.dsl or the renderer:  diagrams/refresh.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CAREPATH="${CAREPATH:-.venv/bin/carepath}"
for extension in dot mmd svg png; do
  "$CAREPATH" render pathway.dsl -o "diagrams/pathway.$extension"
done
(cd diagrams && sha256sum pathway.dot pathway.mmd pathway.svg pathway.png > SOURCE)
echo "refresh: diagrams/ redrawn from pathway.dsl" >&2
