"""Stage 4, rendering: running Graphviz's `dot` program to lay DOT text out as SVG or PNG."""
from __future__ import annotations

import shutil
import subprocess

from ..errors import UsageError, error

INSTALL_HINT = "install Graphviz with `apt-get install graphviz`, or use --format dot or mermaid"
PNG_DPI = "110"
LAYOUT_TIMEOUT = 60.0


def layout(dot_text: str, format: str, timeout: float = LAYOUT_TIMEOUT) -> bytes:
    """The laid-out image from `dot -T<format>`; a missing, failing or slow `dot` is a usage error.

    `dot` gets `timeout` seconds; past them, or when carepath stops for any reason (an error,
    Ctrl-C, SIGTERM turned into an exception by the CLI), subprocess.run kills the child."""
    program = shutil.which("dot")
    if program is None:
        raise UsageError(error(f"{format} output needs Graphviz's `dot` program, which is not installed",
                               hint=INSTALL_HINT))
    command = [program, f"-T{format}"] + ([f"-Gdpi={PNG_DPI}"] if format == "png" else [])
    try:
        done = subprocess.run(command, input=dot_text.encode("utf-8"), capture_output=True, check=False,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        raise UsageError(error(f"Graphviz `dot` took more than {timeout:g} s to lay the chart out; stopped it",
                               hint="raise --timeout, or use --format dot or mermaid")) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit status {done.returncode}"
        raise UsageError(error(f"Graphviz `dot` failed: {message}"))
    return done.stdout
