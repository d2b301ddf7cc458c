#!/usr/bin/env bash
# Set up carepath on a fresh Debian machine: the system programs it drives (when missing) and the
# package with every extra in .venv. Safe to run again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# How long to wait for another apt/dpkg process (a fresh VM's unattended upgrades, say).
APT_LOCK_TIMEOUT="${APT_LOCK_TIMEOUT:-600}"
# The locks apt-get and dpkg take; a test may point this at files of its own.
APT_LOCK_FILES="${APT_LOCK_FILES:-/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock}"
APT_UPDATED=""

say() { echo "setup: $*" >&2; }

# Print the first lock file that another process holds, or nothing when all are free.
held_apt_lock() {
  python3 - "$@" <<'PY'
import fcntl, os, sys
for path in sys.argv[1:]:
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        continue
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        print(path)
        break
    finally:
        os.close(fd)
PY
}

# Wait, at most APT_LOCK_TIMEOUT seconds, until no other process holds an apt/dpkg lock.
wait_for_apt_lock() {
  local waited=0 held
  # shellcheck disable=SC2086
  while held="$(held_apt_lock $APT_LOCK_FILES)" && [ -n "$held" ]; do
    if [ "$waited" -ge "$APT_LOCK_TIMEOUT" ]; then
      say "gave up after ${APT_LOCK_TIMEOUT}s: another apt/dpkg process still holds $held" \
          "(wait for it to finish, or set APT_LOCK_TIMEOUT)"
      exit 100
    fi
    [ $((waited % 30)) -eq 0 ] && say "waiting for another apt/dpkg process to release $held" \
                                      "(${waited}s of ${APT_LOCK_TIMEOUT}s)"
    sleep 5
    waited=$((waited + 5))
  done
}

# Run apt-get as root (or through sudo) once the locks are free; apt itself waits too.
apt_get() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  wait_for_apt_lock
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -qq -o DPkg::Lock::Timeout="$APT_LOCK_TIMEOUT" "$@"
}

# need_program COMMAND PACKAGE...: install the Debian packages when COMMAND is not on PATH.
need_program() {
  local program="$1"; shift
  command -v "$program" >/dev/null 2>&1 && return 0
  say "installing $* with apt-get (for $program)"
  if [ -z "$APT_UPDATED" ]; then
    apt_get update
    APT_UPDATED=1
  fi
  apt_get install -y "$@" >/dev/null
}

# The VS Code grammar's test harness (vscode-textmate, vscode-oniguruma) at the versions of its
# package-lock.json; without it the grammar tests skip and say why.
install_grammar_harness() {
  local harness=editors/vscode/test
  [ -d "$harness/node_modules/vscode-textmate" ] && return 0
  (cd "$harness" && npm ci --no-audit --no-fund --silent) ||
    say "could not install $harness's node packages; the VS Code grammar tests will skip"
}

main() {
  need_program dot graphviz
  need_program node nodejs
  need_program npm npm
  # The review page's browser tests drive headless Chromium through its driver.
  need_program chromium chromium chromium-driver
  need_program chromedriver chromium chromium-driver
  need_program java default-jre-headless  # Spark (`run --population --engine spark`) runs on the JVM

  local python="${PYTHON:-python3}"
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[test,lsp,review,population]"
  install_grammar_harness
  say "done; the command is .venv/bin/carepath (or 'source .venv/bin/activate')"
}

# Sourcing the script (as tests/test_setup.py does) defines the functions without running main.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main
fi
