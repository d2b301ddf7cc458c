"""Benchmark of the editor tools on generated pathways: `carepath fmt` and the language server's
analysis (what each keystroke costs after the debounce), each beside a bare parse of the same text.

Run from the repository root:
    .venv/bin/python benchmarks/editor_bench.py            # 100, 1,000 and 5,000 nodes
    .venv/bin/python benchmarks/editor_bench.py --quick    # 40 and 100 nodes, a smoke test
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from render_bench import generate  # noqa: E402  (the same generated pathways as the render benchmark)

from carepath.fmt import format_text  # noqa: E402
from carepath.lsp.analysis import analyse  # noqa: E402
from carepath.syntax import parse_text  # noqa: E402

SIZES = (100, 1_000, 5_000)
QUICK_SIZES = (40, 100)
REPEATS = 3


def commented(text: str) -> str:
    """The generated text with a comment before every decision and after every branch."""
    lines = []
    for line in text.splitlines():
        if line.startswith("decide "):
            lines.append("# the question, as the guideline puts it")
        lines.append(line + ("   # why" if line.lstrip().startswith("when ") else ""))
    return "\n".join(lines) + "\n"


def best(action) -> float:
    """The fastest of REPEATS calls, in seconds."""
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    """Print one table row per size: seconds and ratios to the bare parse, measured side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only (a smoke test)")
    sizes = QUICK_SIZES if parser.parse_args().quick else SIZES
    print("## Editor tools\n")
    print("| nodes | lines | parse (s) | fmt (s) | fmt / parse | analysis (s) | analysis / parse |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for nodes in sizes:
        text = commented(generate(nodes))
        parse, fmt, analysis = (best(lambda: parse_text(text)), best(lambda: format_text(text)),
                                best(lambda: analyse(text, "generated.dsl")))
        print(f"| {nodes:,} | {text.count(chr(10)):,} | {parse:.3f} | {fmt:.3f} | {fmt / parse:.1f}x | "
              f"{analysis:.3f} | {analysis / parse:.1f}x |")


if __name__ == "__main__":
    main()
