#!/usr/bin/env bash
# Set up carepath on a fresh Debian machine: Graphviz (when `dot` is missing) and the package with
# its test extras in .venv. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dot >/dev/null 2>&1; then
  echo "setup: installing Graphviz (dot) with apt-get" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq graphviz >/dev/null
fi

PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test]"
echo "setup: done; the command is .venv/bin/carepath (or 'source .venv/bin/activate')" >&2
