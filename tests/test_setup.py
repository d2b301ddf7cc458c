"""setup.sh waits, within a bound, for another apt/dpkg process instead of failing at once."""
import fcntl
import os
import subprocess
import sys
import time
from pathlib import Path

SETUP = Path(__file__).resolve().parents[1] / "setup.sh"


def _hold_lock(path, seconds):
    """Start a process that holds an fcntl lock on path (as dpkg does) for seconds."""
    code = (
        "import fcntl, os, sys, time\n"
        f"fd = os.open({str(path)!r}, os.O_RDWR | os.O_CREAT)\n"
        "fcntl.lockf(fd, fcntl.LOCK_EX)\n"
        "print('held', flush=True)\n"
        f"time.sleep({seconds})\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def _wait(lock, timeout):
    """Source setup.sh and call wait_for_apt_lock on one lock file."""
    env = dict(os.environ, APT_LOCK_FILES=str(lock), APT_LOCK_TIMEOUT=str(timeout))
    return subprocess.run(["bash", "-c", f"source {SETUP}; wait_for_apt_lock"],
                          env=env, capture_output=True, text=True, timeout=60)


def test_waits_for_a_held_lock_then_goes_on(tmp_path):
    lock = tmp_path / "lock-frontend"
    holder = _hold_lock(lock, 3)
    started = time.monotonic()
    done = _wait(lock, 60)
    holder.wait()
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started >= 2
    assert f"waiting for another apt/dpkg process to release {lock}" in done.stderr


def test_gives_up_after_the_timeout_and_says_why(tmp_path):
    lock = tmp_path / "lock"
    holder = _hold_lock(lock, 30)
    try:
        done = _wait(lock, 0)
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode == 100
    assert f"still holds {lock}" in done.stderr
    assert "APT_LOCK_TIMEOUT" in done.stderr


def test_free_locks_do_not_wait(tmp_path):
    lock = tmp_path / "lock"
    lock.write_text("")
    done = _wait(lock, 0)
    assert done.returncode == 0
    assert done.stderr == ""


def test_sourcing_defines_functions_without_installing():
    done = subprocess.run(["bash", "-c", f"source {SETUP}; type need_program"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert "need_program is a function" in done.stdout
