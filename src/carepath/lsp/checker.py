"""Stage lsp: the checker's findings for a saved pathway, computed in a child process that can be cancelled.

The solver can take seconds on a large pathway; running `carepath check --format json` in its own
process keeps the server answering keystrokes meanwhile, and a new edit kills it outright (a
thread could only be abandoned, still holding a core).
"""
from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

CHECK = ("-m", "carepath.cli", "check", "--format", "json")


async def findings(path: str) -> list[dict[str, Any]] | None:
    """The checker's diagnostics (as `check --format json` gives them) for a pathway file, or None
    when the file does not load (the front end's diagnostics already say why).

    Cancelling the awaiting task kills the child process."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, *CHECK, path, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL)
    try:
        output, _ = await process.communicate()
    except asyncio.CancelledError:
        if process.returncode is None:
            process.kill()
            await process.wait()
        raise
    if process.returncode not in (0, 1):
        return None
    try:
        return json.loads(output)["diagnostics"]
    except (ValueError, KeyError):
        return None
