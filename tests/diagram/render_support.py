"""Shared helpers of the rendering tests: where the fixture pathways are, and the CLI runner."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PATHWAYS = HERE / "pathways"
ROOT = HERE.parent.parent
CAREPATH = Path(sys.executable).with_name("carepath")


def cli(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT, **kwargs) -> subprocess.CompletedProcess:
    """Run the installed `carepath` command in a subprocess."""
    return subprocess.run([str(CAREPATH), *args], capture_output=True, env={**os.environ, **(env or {})},
                          cwd=cwd, check=False, **kwargs)
