"""The carepath benchmark: each figure measured side by side with its floor in one run.

    python benchmarks/run.py                      # full run, a few minutes (a 1,000,000-case batch)
    python benchmarks/run.py --smoke              # small sizes, seconds: what CI runs
    python benchmarks/run.py --record out.md      # also write the tables to a file

Front end: loading a pathway (parse + resolve + build the graph) against a bare Lark LALR parse
of the same text. Execution: pathway.dsl cases per second against a plain if/else function
generated from the same pathway (benchmarks/ifelse.py), whose answers are checked equal first.
Startup: `carepath --version` and one `carepath run` against `python -c pass`. Memory: peak RSS
of loading the largest pathway, and of a streamed batch at two sizes. Speed is printed and
recorded here, never asserted.
"""
from __future__ import annotations

import argparse
import gc
import io
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import carepath  # noqa: E402
from carepath.engine.batch import BatchLine, FastCases, json_line, write_batch  # noqa: E402
from carepath.syntax import ast, parse  # noqa: E402
from carepath.syntax.grammar import grammar_path, parser as carepath_parser  # noqa: E402
from generate import generate  # noqa: E402
from ifelse import baseline  # noqa: E402

PATHWAY = ROOT / "pathway.dsl"
EXAMPLE = ROOT / "examples" / "01_one_session.json"
HEAVY = ("networkx", "yaml", "graphviz", "z3")
FULL = {"sizes": [("mixed", 100), ("mixed", 1000), ("mixed", 10000), ("mixed", 50000), ("chain", 10000),
                  ("wide", 10000)], "repeat": 7, "runs": 21, "cases": 20000, "starts": 15, "batches": (10_000, 1_000_000)}
SMOKE = {"sizes": [("mixed", 100), ("mixed", 300), ("chain", 100), ("wide", 100)], "repeat": 1, "runs": 1, "cases": 300,
         "starts": 2, "batches": (200, 2000)}


def side_by_side(functions: list[Callable[[], object]], repeat: int) -> list[float]:
    """Best wall time of each function, runs interleaved so that both see the same machine."""
    best = [float("inf")] * len(functions)
    for _ in range(repeat):
        for index, function in enumerate(functions):
            start = time.perf_counter()
            function()
            best[index] = min(best[index], time.perf_counter() - start)
    return best


def table(title: str, command: str, header: list[str], rows: list[list[object]], notes: str = "") -> str:
    """A markdown section: the table, then the command that made it."""
    lines = [f"## {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    lines += ["", f"Command: `{command}` ({date.today().isoformat()})"]
    return "\n".join(lines + ([notes] if notes else [])) + "\n"


# --- front end ---------------------------------------------------------------------------------
def front_end(settings: dict, command: str) -> str:
    """Load time (parse + AST + resolve + graph) per MB and per node, as a ratio to a bare parse."""
    from lark import Lark

    import networkx  # noqa: F401  (imported once here, not timed inside the first load)

    bare_parser = Lark.open(str(grammar_path()), parser="lalr", cache=True)
    rows = []
    for shape, size in settings["sizes"]:
        text = generate(size, shape, seed=1)
        source = carepath.SourceFile(f"{shape}-{size}.dsl", text)
        repeat = 1 if size >= 50000 else settings["repeat"]
        bare, positioned, parsed, loaded = side_by_side([
            lambda: _bare_parse(bare_parser, text), lambda: _bare_parse(carepath_parser(), text),
            lambda: parse(source), lambda: carepath.loads(text).graph], repeat)
        megabytes = len(text.encode()) / 1e6
        rows.append([shape, f"{size:,}", f"{text.count(chr(10)):,}", f"{megabytes:.2f}", f"{bare * 1e3:.0f}",
                     f"{positioned * 1e3:.0f} ({positioned / bare:.2f}x)", f"{parsed * 1e3:.0f}",
                     f"{loaded * 1e3:.0f}", f"{loaded / megabytes:.2f}", f"{loaded / size * 1e6:.0f}",
                     f"**{loaded / bare:.2f}x**"])
        print(f"front end {shape} {size}: load {loaded:.3f}s, bare parse {bare:.3f}s, ratio {loaded / bare:.2f}x",
              file=sys.stderr)
    return table("Front end", command, ["shape", "nodes", "lines", "MB", "bare Lark parse ms",
                                        "carepath's Lark parse ms (positions, keyword edges)", "parse + AST ms",
                                        "load ms (parse + resolve + graph)", "load s/MB", "load us/node",
                                        "ratio load / bare parse"], rows,
                 "\nThe bare parse is the same grammar with Lark LALR, no positions, no transformer, GC paused "
                 "as carepath pauses it; carepath's Lark parse is the parser carepath uses (positions for the "
                 "spans, the keyword-edge post-lexer, the parenthesis counter), its tree not yet turned into "
                 "the AST. Best of the repeats, runs interleaved.")


def _bare_parse(parser, text: str) -> None:
    """The floor: Lark's LALR parse alone, with the garbage collector paused."""
    gc.disable()
    try:
        parser.parse(text)
    finally:
        gc.enable()


# --- execution ---------------------------------------------------------------------------------
def lbp_cases(pathway, count: int, seed: int = 3) -> list[dict]:
    """Plausible cases for a pathway: every required fact, optional ones often, requires kept."""
    rng, compiled, cases = random.Random(seed), carepath.program(pathway), []
    while len(cases) < count:
        case = {name: _value(rng, fact) for name, fact in pathway.facts.items()
                if not fact.optional or rng.random() < 0.7}
        try:
            compiled.rules.check_requires(dict(case), None)
        except carepath.CaseError:
            continue
        cases.append(case)
    return cases


def _value(rng: random.Random, fact: ast.Fact):
    """A value of a fact's type: booleans mostly false, numbers in the low part of their range."""
    type_ = fact.type
    if isinstance(type_, ast.BooleanType):
        return rng.random() < 0.05
    if isinstance(type_, ast.EnumType):
        return rng.choice(type_.values)
    low = type_.low if type_.low is not None else 0
    high = min(type_.high if type_.high is not None else low + 60, low + 60)
    return rng.randint(int(low), int(high)) if isinstance(type_, ast.IntegerType) else rng.randint(low, high) / 2


def _facts_only(batch: bytes, derived: set[str]) -> list[dict]:
    """A batch's result lines with derived values left out of the path: carepath shows only those its
    route computed (a derived value is computed when first read), the if/else computes them all first."""
    rows = [json.loads(line) for line in batch.splitlines()]
    for row in rows:
        for visit in row.get("path", ()):
            visit["facts"] = {k: v for k, v in visit["facts"].items() if k not in derived}
    return rows


def execution(settings: dict, command: str) -> str:
    """pathway.dsl cases per second, codes only and full JSON lines, against the generated if/else."""
    pathway = carepath.load(PATHWAY)
    compiled = carepath.program(pathway)
    cases = lbp_cases(pathway, settings["cases"])
    lines = [json.dumps(case).encode() + b"\n" for case in cases]
    facts = [compiled.rules.validate(case) for case in cases]
    codes_only, full = baseline(pathway, full=False), baseline(pathway, full=True)

    def ifelse_batch() -> bytes:
        out = io.BytesIO()
        for number, line in enumerate(lines, start=1):
            out.write(json_line({"line": number, **full(json.loads(line))}))
        return out.getvalue()

    def carepath_batch() -> bytes:
        out = io.BytesIO()
        write_batch(compiled, lines, out)
        return out.getvalue()

    def json_loads_only() -> None:
        for line in lines:
            json.loads(line)

    # The batch's unavoidable parts, each alone: reading a line, checking its facts, writing its result.
    reader = FastCases(compiled)
    decoded = [reader(line) for line in lines]
    finished = [BatchLine(number, compiled.run(case)).to_json() for number, case in enumerate(decoded, start=1)]

    def decode_only() -> None:
        for line in lines:
            reader(line)

    def validate_only() -> None:
        for case in decoded:
            compiled.rules.check_requires(compiled.rules.validate(case), None)

    def write_only() -> None:
        for data in finished:
            json_line(data)

    for case, validated in zip(cases, facts):
        result = compiled.walk(dict(validated), trace=False)
        assert codes_only(case) == (result.codes, result.needs), f"the if/else disagrees on {case}"
    derived = set(pathway.derived)
    assert _facts_only(ifelse_batch(), derived) == _facts_only(carepath_batch(), derived), \
        "the if/else's JSON lines differ from carepath's"
    timed = side_by_side([
        lambda: [codes_only(case) for case in cases],
        lambda: [compiled.walk(dict(validated), trace=False) for validated in facts],
        lambda: [compiled.run(case, trace=False) for case in cases],
        ifelse_batch, carepath_batch, json_loads_only, decode_only, validate_only, write_only], settings["runs"])
    statuses = {s: sum(1 for c in cases if compiled.run(c).status == s) for s in ("complete", "needs_input")}
    names = ["if/else, codes only (the floor)", "carepath walk, codes only (validated facts)",
             "carepath run, codes only (validate + requires + walk)",
             "if/else, JSON line in -> full JSON line out (the floor)", "carepath batch, JSON line -> full result line",
             "`json.loads` alone on the same lines"]
    floors = [timed[0]] * 3 + [timed[3]] * 2 + [timed[5]]
    rows = [[name, f"{t / len(cases) * 1e6:.2f}", f"{len(cases) / t:,.0f}", f"**{t / floor:.2f}x**"]
            for name, t, floor in zip(names, timed, floors)]
    rows.append(["carepath batch against `json.loads` alone (issue 19's measure)", "", "",
                 f"**{timed[4] / timed[5]:.2f}x**"])
    parts = {"part: msgspec decode + duplicate-key test": timed[6], "part: validate + requires": timed[7],
             "part: the walk, no trace (row 2)": timed[1], "part: orjson writing the finished result line": timed[8]}
    parts["the parts together: a floor for any batch made of them"] = sum(parts.values())
    rows += [[name, f"{t / len(cases) * 1e6:.2f}", f"{len(cases) / t:,.0f}", f"**{t / timed[5]:.2f}x**"]
             for name, t in parts.items()]
    print(f"execution: codes ratio {timed[1] / timed[0]:.2f}x, batch ratio {timed[4] / timed[3]:.2f}x, "
          f"batch / json.loads {timed[4] / timed[5]:.2f}x", file=sys.stderr)
    rows.append(_cli_batch(lines))
    return table("Execution", command, ["what (pathway.dsl)", "us/case", "cases/s", "ratio to its floor"], rows,
                 f"\n{len(cases):,} cases ({statuses['complete']:,} complete, {statuses['needs_input']:,} "
                 "needs_input); both sides checked to give identical codes and the same JSON lines (derived "
                 "values aside: the if/else computes them all, carepath only those its route reads) "
                 "before timing. The if/else reads JSON with plain json.loads and does not validate. The `json.loads` "
                 "row, the batch's ratio to it and the parts are measured against `json.loads` alone.")


def _cli_batch(lines: list[bytes]) -> list[object]:
    """The whole command, as a user runs it: process start, load, stream the cases to /dev/null."""
    with tempfile.NamedTemporaryFile("wb", suffix=".jsonl", delete=False) as handle:
        handle.writelines(lines)
    try:
        start = time.perf_counter()
        subprocess.run([*_carepath(), "run", str(PATHWAY), "--batch", handle.name], check=True,
                       stdout=subprocess.DEVNULL)
        took = time.perf_counter() - start
    finally:
        os.unlink(handle.name)
    return ["`carepath run --batch` as a process (start-up included)", f"{took / len(lines) * 1e6:.2f}",
            f"{len(lines) / took:,.0f}", ""]


# --- start-up ----------------------------------------------------------------------------------
def _carepath() -> list[str]:
    """The installed command beside this Python, or the module."""
    script = Path(sys.executable).parent / "carepath"
    return [str(script)] if script.exists() else [sys.executable, "-m", "carepath.cli"]


def startup(settings: dict, command: str) -> str:
    """Process wall time of `carepath --version` and one `carepath run`, against `python -c pass`."""
    commands = {"python -c pass": [sys.executable, "-c", "pass"],
                "carepath --version": [*_carepath(), "--version"],
                "carepath run pathway.dsl examples/01_one_session.json": [*_carepath(), "run", str(PATHWAY),
                                                                          str(EXAMPLE)]}
    timed = side_by_side([lambda c=c: subprocess.run(c, check=True, stdout=subprocess.DEVNULL)
                          for c in commands.values()], settings["starts"])
    rows = [[f"`{name}`", f"{t * 1e3:.0f}", f"**{t / timed[0]:.1f}x**"] for name, t in zip(commands, timed)]
    print(f"startup: --version ratio {timed[1] / timed[0]:.1f}x, run ratio {timed[2] / timed[0]:.1f}x",
          file=sys.stderr)
    heavy = _heavy_imports()
    return table("Startup", command, ["command", "ms (best)", "ratio to python -c pass"], rows,
                 f"\nHeavy modules imported by a single `carepath run`: {heavy or 'none'} "
                 f"(of {', '.join(HEAVY)}).")


def _heavy_imports() -> list[str]:
    """Which heavy modules one `carepath run` of a JSON case imports."""
    probe = ("import sys\nfrom carepath.cli import main\n"
             f"sys.argv = ['carepath', 'run', {str(PATHWAY)!r}, {str(EXAMPLE)!r}]\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             f"print(','.join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return [m for m in done.stderr.strip().split(",") if m]


# --- memory ------------------------------------------------------------------------------------
def memory(settings: dict, command: str) -> str:
    """Peak RSS of loading the largest pathway, and of streamed batches of two sizes."""
    shape, size = max(settings["sizes"], key=lambda s: s[1])
    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "big.dsl"
        big.write_text(generate(size, shape, seed=1))
        probe = "import carepath, sys; carepath.load(sys.argv[1]).graph"
        idle = _peak_rss([sys.executable, "-c", "import carepath, networkx"])
        loaded = _peak_rss([sys.executable, "-c", probe, str(big)])
    rows = [[f"python, carepath and networkx imported (the floor)", "", f"{idle:.0f}", ""],
            [f"load + graph of the {size:,}-node {shape} pathway", "", f"{loaded:.0f}", ""]]
    pathway = carepath.load(PATHWAY)
    sample = b"".join(json.dumps(c).encode() + b"\n" for c in lbp_cases(pathway, 1000))
    for count in settings["batches"]:
        start = time.perf_counter()
        rss = _peak_rss([*_carepath(), "run", str(PATHWAY), "--batch", "-"], feed=(sample, count // 1000 or 1))
        took = time.perf_counter() - start
        rows.append([f"`carepath run --batch -` streaming {count:,} cases", f"{took:.1f}", f"{rss:.0f}",
                     f"{count / took:,.0f}"])
        print(f"memory: batch of {count:,} cases, peak RSS {rss:.0f} MB", file=sys.stderr)
    return table("Memory", command, ["what", "wall s", "peak RSS MB", "cases/s"], rows,
                 "\nPeak RSS of the measured process alone (os.wait4 in a small launcher); batch cases are "
                 "pathway.dsl cases piped in by a separate writer, results discarded.")


# A small launcher forks and execs the measured command and reports its peak RSS: forked straight
# from this process, the child's peak would start at this process's size (hundreds of MB here).
LAUNCHER = """import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
code = os.waitstatus_to_exitcode(status)
print(f"peak-rss-kb {usage.ru_maxrss} exit {code}", file=sys.stderr)
"""


def _peak_rss(command: list[str], feed: tuple[bytes, int] | None = None, exits: tuple[str, ...] = ("0", "1")) -> float:
    """Peak resident memory in MB of one process, optionally fed `block` `times` over stdin; an exit
    code other than `exits` is a failure of the benchmark."""
    process = subprocess.Popen([sys.executable, "-c", LAUNCHER, *command], stdin=subprocess.PIPE if feed else None,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if feed:
        block, times = feed
        try:
            for _ in range(times):
                process.stdin.write(block.decode())
        finally:
            process.stdin.close()
    report = process.stderr.read().strip().splitlines()[-1].split()
    process.wait()
    if report[0] != "peak-rss-kb" or report[3] not in exits:
        raise RuntimeError(f"{command} failed: {report}")
    return int(report[1]) / 1024


# --- the run -----------------------------------------------------------------------------------
def machine() -> str:
    """What the figures were measured on."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    memory_kb = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")), 0) if Path("/proc/meminfo").exists() else 0
    import lark

    rows = [["CPU", f"{cpu} ({os.cpu_count()} cores)"], ["memory", f"{memory_kb / 1024 ** 2:.0f} GiB"],
            ["OS", platform.platform()], ["Python", platform.python_version()], ["Lark", lark.__version__]]
    return table("Machine", "python benchmarks/run.py", ["", ""], rows)


SMALL_FLAGS = {"check_bench.py": "--smoke", "render_bench.py": "--quick"}


def others(smoke: bool) -> list[str]:
    """Sections from the checker and rendering benchmarks, when those scripts are present."""
    sections = []
    for name, small in SMALL_FLAGS.items():
        script = HERE / name
        if script.exists():
            done = subprocess.run([sys.executable, str(script), *([small] if smoke else [])],
                                  capture_output=True, text=True, cwd=ROOT)
            text = done.stdout if done.returncode == 0 else f"{name} failed:\n{done.stderr}"
            sections.append(text if text.startswith("## ") else f"## {name}\n\n```\n{text.rstrip()}\n```\n")
    return sections


def main() -> None:
    """Run every benchmark, print the tables, and record them when asked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="small sizes, for CI: checks the script runs")
    parser.add_argument("--record", type=Path, help="also write the tables (markdown) to this file")
    parser.add_argument("--only", choices=("front", "execution", "startup", "memory"), action="append",
                        help="run only these sections (repeatable)")
    parser.add_argument("--nodes", type=int, help="front end: only the three shapes at this many nodes")
    args = parser.parse_args()
    settings = SMOKE if args.smoke else FULL
    if args.nodes:
        settings = {**settings, "sizes": [(shape, args.nodes) for shape in ("mixed", "chain", "wide")]}
    command = "python benchmarks/run.py" + (" --smoke" if args.smoke else "") + (
        f" --nodes {args.nodes}" if args.nodes else "") + "".join(f" --only {name}" for name in args.only or ())
    sections = [machine()]
    print(sections[0], flush=True)
    for name, bench in (("front", front_end), ("execution", execution), ("startup", startup), ("memory", memory)):
        if not args.only or name in args.only:
            sections.append(bench(settings, command))
            print(sections[-1], flush=True)
    if not args.only:
        for section in others(args.smoke):
            sections.append(section)
            print(section, flush=True)
    if args.record:
        args.record.write_text("\n".join(sections))


if __name__ == "__main__":
    main()
