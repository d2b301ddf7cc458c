"""The command line: a thin click shell over the public API, with named exit codes."""
from __future__ import annotations

import functools
import json
import os
import sys
from typing import Any, Callable, Iterator

import click

from . import __version__, load, program
from .errors import CarepathError
from .output import output_stream, write_output

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
PROGRESS_STEP = 1 << 20

EXIT_CODES = """\b
Exit codes: 0 success (including needs_input), 1 findings (failed checks or
scenarios, or a case that falls through the pathway), 2 usage or input error."""


def to_json(data: Any) -> str:
    """The one JSON style of every command: indented, UTF-8, newline-terminated."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


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
@click.option("-o", "--output", type=click.Path(allow_dash=True), help="Write to this file instead of stdout.")
@reports_errors
def run(pathway: str, case: str | None, batch: str | None, as_json: bool, output: str | None) -> None:
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
    """
    from .engine.cases import read_case
    from .engine.summary import summary

    if (case is None) == (batch is None):
        raise click.UsageError("give either a CASE or --batch FILE, not both" if case else
                               "give a CASE file or --batch FILE")
    compiled = program(load(pathway))
    if batch is not None:
        sys.exit(_run_batch(compiled, batch, output))
    facts, source = read_case(case)
    result = compiled.run(facts, source)
    write_output(output, to_json(result.to_json()) if as_json else summary(result))


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


if __name__ == "__main__":
    main()
