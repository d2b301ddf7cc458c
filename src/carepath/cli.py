"""The command line: a thin click shell over the public API, with named exit codes."""
from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import Any, Callable, Iterator

import click

import carepath  # check and render are called through the module, so tests can replace them

from . import __version__, load, program, test_scenarios
from .diagram import BINARY_FORMATS, FORMATS, format_for
from .errors import CarepathError, UsageError, error
from .output import make_folder, output_stream, write_output

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
PROGRESS_STEP = 1 << 20

EXIT_CODES = """\b
Exit codes: 0 success (including needs_input), 1 findings (failed checks or
scenarios, or a case that falls through the pathway), 2 usage or input error."""


def to_json(data: Any) -> str:
    """The one JSON style of every command: indented, UTF-8, newline-terminated."""
    from .expr.numbers import dumps

    return dumps(data, indent=True).decode("utf-8") + "\n"


def reports_errors(command: Callable) -> Callable:
    """Print CarepathError diagnostics to stderr and exit with their code; never a traceback."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except CarepathError as exc:
            click.echo(exc.format(), err=True)
            sys.exit(exc.exit_code)
        except RecursionError:
            click.echo("error: the input is nested too deeply to process", err=True)
            sys.exit(EXIT_USAGE)
        except BrokenPipeError:
            # The reader stopped early (`| head`): no traceback, and none when Python flushes at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_FINDINGS)
    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
             epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="carepath")
def main() -> None:
    """carepath: clinical pathways written as code, run, checked and drawn.

    \b
    Example:
      carepath run pathway.dsl examples/01_one_session.json
    """


BATCH_EXIT_CODES = """\b
Exit codes: 0 success (including needs_input), 1 findings (a case that falls
through the pathway; with --batch, any line that could not run), 2 usage or input
error (with --batch: the pathway, the batch file or the output, never one line)."""


@main.command(epilog=BATCH_EXIT_CODES)
@click.argument("pathway", type=click.Path(dir_okay=True, allow_dash=False))
@click.argument("case", type=click.Path(allow_dash=True), required=False)
@click.option("--batch", type=click.Path(allow_dash=True),
              help="Run every line of this JSON Lines file (`-` for stdin) as a case.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@click.option("--needs-all", is_flag=True,
              help="Also list every missing fact that could still change a recommendation, not only those "
                   "the run stopped for, so they can all be asked for at once.")
@click.option("-o", "--output", type=click.Path(allow_dash=True), help="Write to this file instead of stdout.")
@reports_errors
def run(pathway: str, case: str | None, batch: str | None, as_json: bool, needs_all: bool,
        output: str | None) -> None:
    """Run a patient CASE (JSON or YAML facts, `-` for stdin) through PATHWAY.

    Prints the recommendations with their sources and cautions, then the path taken and the facts
    that decided each branch. A case that lacks a fact a guard needs stops with status
    needs_input and names the facts to supply.

    With --batch instead of CASE, each line of the file is one JSON case and each output line
    one compact JSON result, in the same order, with its input `line` number. A line that cannot
    run (invalid JSON, an unknown fact, a value out of range, a case that falls through) gives
    {"line": N, "status": "error", "errors": [...]} and the rest go on; the first errors are
    also printed to stderr as file:line:column. Blank lines are skipped. Results stream as they
    come; with -o the file appears only when the batch is complete.

    \b
    Examples:
      carepath run pathway.dsl examples/01_one_session.json
      carepath run pathway.dsl case.yaml --json
      cat case.json | carepath run pathway.dsl -
      carepath run pathway.dsl --batch cases.jsonl -o results.jsonl
      carepath run pathway.dsl case.json --needs-all
    """
    from .engine.cases import read_case
    from .engine.summary import summary

    if (case is None) == (batch is None):
        raise click.UsageError("give either a CASE or --batch FILE, not both" if case else
                               "give a CASE file or --batch FILE")
    if batch is not None and needs_all:
        raise click.UsageError("--needs-all runs one CASE, not a --batch")
    loaded = load(pathway)
    compiled = program(loaded)
    if batch is not None:
        sys.exit(_run_batch(compiled, batch, output))
    facts, source = read_case(case)
    result = compiled.run(facts, source)
    every = carepath.needs_all(loaded, facts) if needs_all else None
    if as_json:
        data = result.to_json() if every is None else {**result.to_json(), "needs_all": every.to_json()}
        write_output(output, to_json(data))
    else:
        write_output(output, summary(result) + ("" if every is None else every.text()))


def _run_batch(compiled, batch: str, output: str | None) -> int:
    """Stream a batch through the pathway; report the first errors; the exit code."""
    from .engine.batch import read_lines, write_batch

    with read_lines(batch) as lines, output_stream(output) as out:
        tally = write_batch(compiled, _with_progress(lines, batch), out, batch)
    for diagnostic in tally.first_errors:
        click.echo(diagnostic.format(), err=True)
    if tally.errors:
        click.echo(f"{batch}: {tally.errors} of {tally.cases} cases could not run", err=True)
    return EXIT_FINDINGS if tally.errors else EXIT_OK


def _with_progress(lines: Iterator[bytes], path: str) -> Iterator[bytes]:
    """The lines, with a progress bar on stderr when it is a terminal and the file's size known."""
    if path == "-" or not sys.stderr.isatty():
        yield from lines
        return
    with click.progressbar(length=os.path.getsize(path), label="cases", file=sys.stderr) as bar:
        done = 0
        for raw in lines:
            done += len(raw)
            if done >= PROGRESS_STEP:
                bar.update(done)
                done = 0
            yield raw
        bar.update(done)


@main.command(epilog=EXIT_CODES)
@click.argument("pathway", type=click.Path(dir_okay=True))
@click.option("--json", "as_json", is_flag=True, help="Print node-link JSON (networkx format).")
@click.option("-o", "--output", type=click.Path(allow_dash=True), help="Write to this file instead of stdout.")
@reports_errors
def graph(pathway: str, as_json: bool, output: str | None) -> None:
    """Print PATHWAY's decision graph: nodes, and edges labelled with their guards.

    \b
    Examples:
      carepath graph pathway.dsl
      carepath graph pathway.dsl --json -o graph.json
    """
    from .model.graph import to_json as graph_json, to_text

    decision_graph = load(pathway).graph
    write_output(output, to_json(graph_json(decision_graph)) if as_json else to_text(decision_graph))


@main.command(epilog=EXIT_CODES)
@click.argument("pathway", type=click.Path(dir_okay=True))
@click.option("--format", "style", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True,
              help="text (like a compiler), json, or SARIF 2.1.0 for code scanning.")
@click.option("--witnesses", type=click.Path(file_okay=False), help="Write each finding's witness case here.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too (undecided questions included).")
@click.option("--timeout", type=click.FloatRange(min=0.001), metavar="SECONDS",
              help="The limit on one solver question (default 5); a question not decided in time is reported "
                   "as an `undecided` warning at its guard, and every other finding is still reported.")
@click.option("-o", "--output", type=click.Path(allow_dash=True), help="Write to this file instead of stdout.")
@reports_errors
def check(pathway: str, style: str, witnesses: str | None, strict: bool, timeout: float | None,
          output: str | None) -> None:
    """Check PATHWAY: unreachable steps, overlapping or missing branches, impossible guards,
    runs that may stop for input, violated invariants, unused declarations.

    Each semantic finding comes with a witness: a complete case that shows it
    (`carepath run PATHWAY CASE` reproduces it). Exit 1 with errors; warnings alone exit 0
    unless --strict.

    \b
    Examples:
      carepath check pathway.dsl
      carepath check pathway.dsl --format sarif -o carepath.sarif
      carepath check pathway.dsl --witnesses witnesses/ --strict
    """
    from .checks import report

    loaded = load(pathway)
    found = carepath.check(loaded, timeout=timeout)
    if witnesses:
        _write_witnesses(Path(witnesses), found)
    rendered = {"text": lambda: report.text(found), "json": lambda: to_json(report.as_json(loaded, found)),
                "sarif": lambda: to_json(report.sarif(loaded, found, __version__))}[style]()
    write_output(output, rendered)
    tally = report.counts(found)
    sys.exit(EXIT_FINDINGS if tally["error"] or (strict and tally["warning"]) else EXIT_OK)


def _write_witnesses(folder: Path, found) -> None:
    """One JSON case per finding that has a witness, numbered in report order."""
    make_folder(folder)
    for number, finding in enumerate((d for d in found if d.witness is not None), start=1):
        line = finding.span.line if finding.span else 0
        write_output(str(folder / f"{number:03d}-{finding.kind}-line{line}.json"), to_json(finding.witness))


@main.command(epilog=EXIT_CODES)
@click.argument("pathway", type=click.Path(dir_okay=True))
@click.option("-o", "--output", type=click.Path(allow_dash=True),
              help="Write to this file (the format follows its extension); `-` or none for stdout.")
@click.option("--format", "format_", type=click.Choice(FORMATS), help="Output format (default: from -o, else dot).")
@click.option("--case", type=click.Path(allow_dash=True), help="Highlight the path this case (JSON/YAML) takes.")
@click.option("--findings", is_flag=True, help="Mark what `carepath check` reports on the nodes concerned.")
@reports_errors
def render(pathway: str, output: str | None, format_: str | None, case: str | None, findings: bool) -> None:
    """Draw PATHWAY as a flowchart: DOT, SVG, PNG or Mermaid.

    Decisions are diamonds with their question, steps are boxes listing their recommendations,
    every arrow carries its guard. SVG and PNG need Graphviz's `dot` program.

    \b
    Examples:
      carepath render pathway.dsl -o diagrams/pathway.svg
      carepath render pathway.dsl --format mermaid
      carepath render pathway.dsl --case examples/01_one_session.json -o case.png
      carepath render pathway.dsl --findings -o findings.svg
    """
    from .engine.cases import read_case

    format_ = format_ or format_for(output)
    if format_ in BINARY_FORMATS and output in (None, "-") and sys.stdout.isatty():
        raise UsageError(error(f"{format_} is binary and stdout is a terminal; write it with -o FILE "
                               "or redirect stdout to a file"))
    loaded = load(pathway)
    result = program(loaded).run(*read_case(case)) if case else None
    found = carepath.check(loaded) if findings else None
    write_output(output, carepath.render(loaded, format_, result, found))


@main.command("test", epilog=EXIT_CODES)
@click.argument("pathway", type=click.Path(dir_okay=True))
@click.argument("files", nargs=-1, type=click.Path())
@click.option("--junit", type=click.Path(allow_dash=True), help="Also write JUnit XML (one testcase per scenario).")
@click.option("--json", "as_json", is_flag=True, help="Print the results and coverage as one JSON object.")
@click.option("--coverage", "with_coverage", is_flag=True, help="Print node and branch coverage, and what is uncovered.")
@click.option("--fail-under", type=click.FloatRange(0, 100), metavar="PCT",
              help="Exit 1 when branch coverage is below PCT percent (implies --coverage).")
@reports_errors
def scenario_test(pathway: str, files: tuple[str, ...], junit: str | None, as_json: bool,
                  with_coverage: bool, fail_under: float | None) -> None:
    """Run scenario files against PATHWAY: pass/fail with diffs, and coverage.

    FILES default to PATHWAY's <stem>.scenarios.yaml beside it. Each scenario passes or fails;
    a failure shows the expected and emitted codes, the status and needs, and the path taken
    with the facts that decided each branch. Exit 1 when any scenario fails or branch coverage
    is under --fail-under. The format: docs/scenarios.md.

    \b
    Examples:
      carepath test pathway.dsl
      carepath test pathway.dsl more.scenarios.yaml --coverage --fail-under 100
      carepath test pathway.dsl --junit scenarios.xml --json
    """
    from .scenarios import scenario_files

    report = test_scenarios(pathway, scenario_files(pathway, files))
    if junit:
        write_output(junit, report.junit())
    write_output(None, to_json(report.to_json()) if as_json else report.text(with_coverage or fail_under is not None))
    short = fail_under is not None and report.coverage.branch_percent < fail_under
    if short:
        click.echo(f"branch coverage {report.coverage.branch_percent:.1f}% is under --fail-under {fail_under:g}%",
                   err=True)
    if report.failed or short:
        sys.exit(EXIT_FINDINGS)


@main.command(epilog=EXIT_CODES)
@click.argument("pathway", type=click.Path(dir_okay=True))
@click.option("--cover", is_flag=True, help="Generate cases that together take every reachable branch.")
@click.option("-o", "--output", "folder", required=True, type=click.Path(file_okay=False),
              help="The folder to write the case files into (created if missing).")
@reports_errors
def cases(pathway: str, cover: bool, folder: str) -> None:
    """Write generated case files (JSON) for PATHWAY into a folder.

    With --cover: a small set of valid cases that together take every reachable branch, each
    named after the first branch it covers. A search over the executor comes first; each branch
    it leaves is asked of the checker's solver (z3), whose case is kept only if a run takes the
    branch. Branches the solver proves no case takes are listed as "unreachable (proven)"; any
    other branch not taken is listed as "not reached" with the reason. Turn a case into a
    scenario by stating what a clinician expects of it.

    \b
    Example:
      carepath cases pathway.dsl --cover -o cases/
    """
    from .scenarios.generate import cover_cases

    if not cover:
        raise UsageError(error("say which cases to generate: --cover (every reachable branch)"))
    generated = cover_cases(load(pathway))
    target = make_folder(folder)
    for case in generated.cases:
        write_output(str(target / f"{case.name}.json"), to_json(case.facts))
    write_output(None, generated.text(folder))


if __name__ == "__main__":
    main()
