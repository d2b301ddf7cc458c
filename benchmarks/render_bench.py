"""Benchmark of rendering: DOT generation and Graphviz layout, timed apart, on generated pathways.

Run from the repository root:
    .venv/bin/python benchmarks/render_bench.py            # 100, 1,000 and 5,000 nodes
    .venv/bin/python benchmarks/render_bench.py --quick    # 40 and 100 nodes, a smoke test for CI
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time

import carepath
from carepath.diagram.chart import build_chart
from carepath.diagram.dot import write

SIZES = (100, 1_000, 5_000)
QUICK_SIZES = (40, 100)
BLOCK = 4          # nodes per block: one decision and three steps
SECTION_EVERY = 5  # blocks per section


def generate(nodes: int) -> str:
    """A pathway text of about `nodes` nodes: blocks of a first-match decision and three steps."""
    blocks = max(1, nodes // BLOCK)
    lines = [f'pathway generated_{nodes} "A generated pathway of {blocks * BLOCK} nodes"',
             '  version "1.0.0"', "  released 2026-01-01", 'source guide "generated guideline"',
             "fact score: integer 0..100", *(f'fact flag_{i}: boolean "flag {i}"' for i in range(10)),
             "start decide_0"]
    for block in range(blocks):
        lines.extend(_block(block, blocks))
    return "\n".join(lines) + "\n"


def _block(block: int, blocks: int) -> list[str]:
    """One decision and its three steps; the last block's steps stop."""
    nxt = "stop" if block == blocks - 1 else f"-> decide_{block + 1}"
    section = [f'section "Part {block // SECTION_EVERY + 1}"'] if block % SECTION_EVERY == 0 else []
    flag, cut = f"flag_{block % 10}", 10 + block % 80
    urgency = " urgent" if block % 7 == 3 else ""
    return [
        *section,
        f'decide decide_{block} "Question {block}: is the score high or flag {block % 10} set?" first match',
        f"  when score >= {cut} and {flag} -> high_{block}",
        f"  when score < {cut} or not {flag} -> low_{block}",
        f"  otherwise -> other_{block}",
        f'step high_{block} "High branch {block}"{urgency}',
        f'  recommend refer_{block} "Refer for specialist assessment within two weeks" cite guide',
        f'    caution "Check for contraindications first" cite guide',
        f"  {nxt}",
        f'step low_{block} "Low branch {block}"',
        f'  recommend advise_{block} "Advice and self-management" cite guide',
        f'  recommend review_{block} "Review in six weeks" cite guide when score > 5',
        f"  {nxt}",
        f'step other_{block} "Other branch {block}"',
        f'  recommend watch_{block} "Watchful waiting" cite guide',
        f"  {nxt}",
    ]


def timed(action) -> tuple[float, object]:
    """Seconds one call takes, and its result."""
    started = time.perf_counter()
    value = action()
    return time.perf_counter() - started, value


def measure(nodes: int) -> tuple[int, float, float, int]:
    """Node count, DOT generation seconds, `dot -Tsvg` layout seconds, DOT size in bytes."""
    pathway = carepath.loads(generate(nodes), f"generated_{nodes}.dsl")
    pathway.graph  # build the networkx graph first, so that the timing covers the renderer alone
    generation, text = timed(lambda: write(build_chart(pathway)))
    layout, _ = timed(lambda: subprocess.run(["dot", "-Tsvg"], input=text.encode(), capture_output=True,
                                             check=True))
    return len(pathway.nodes), generation, layout, len(text)


def main() -> None:
    """Print one table row per size."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes only (a CI smoke test)")
    quick = parser.parse_args().quick
    if shutil.which("dot") is None:
        sys.exit("render_bench: Graphviz `dot` is not installed (apt-get install graphviz)")
    print(f"{'nodes':>6} {'DOT generation (s)':>19} {'dot -Tsvg layout (s)':>21} {'layout/generation':>18} {'DOT bytes':>10}")
    for size in QUICK_SIZES if quick else SIZES:
        nodes, generation, layout, size_bytes = measure(size)
        print(f"{nodes:>6} {generation:>19.3f} {layout:>21.2f} {layout / generation:>18.0f} {size_bytes:>10}")


if __name__ == "__main__":
    main()
