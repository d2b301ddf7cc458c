"""The command line: a thin click shell over the public API, with named exit codes."""
from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Any, Callable

import click

from . import __version__, check as check_pathway, load, program
from .engine.cases import read_case
from .engine.summary import summary
from .errors import CarepathError, UsageError, error
from .output import write_output

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

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


@main.command(epilog=EXIT_CODES)
@click.argument("pathway", type=click.Path(dir_okay=True, allow_dash=False))
@click.argument("case", type=click.Path(allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@reports_errors
def run(pathway: str, case: str, as_json: bool) -> None:
    """Run a patient CASE (JSON or YAML facts, `-` for stdin) through PATHWAY.

    Prints the recommendations with their sources and cautions, then the path taken and the facts
    that decided each branch. A case that lacks a fact a guard needs stops with status
    needs_input and names the facts to supply.

    \b
    Examples:
      carepath run pathway.dsl examples/01_one_session.json
      carepath run pathway.dsl case.yaml --json
      cat case.json | carepath run pathway.dsl -
    """
    loaded = load(pathway)
    facts, source = read_case(case)
    result = program(loaded).run(facts, source)
    write_output(None, to_json(result.to_json()) if as_json else summary(result))


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
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("-o", "--output", type=click.Path(allow_dash=True), help="Write to this file instead of stdout.")
@reports_errors
def check(pathway: str, style: str, witnesses: str | None, strict: bool, output: str | None) -> None:
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
    found = check_pathway(loaded)
    if witnesses:
        _write_witnesses(Path(witnesses), found)
    rendered = {"text": lambda: report.text(found), "json": lambda: to_json(report.as_json(loaded, found)),
                "sarif": lambda: to_json(report.sarif(loaded, found, __version__))}[style]()
    write_output(output, rendered)
    tally = report.counts(found)
    sys.exit(EXIT_FINDINGS if tally["error"] or (strict and tally["warning"]) else EXIT_OK)


def _write_witnesses(folder: Path, found) -> None:
    """One JSON case per finding that has a witness, numbered in report order."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(error(f"{folder}: cannot create: {exc.strerror or exc}")) from None
    for number, finding in enumerate((d for d in found if d.witness is not None), start=1):
        line = finding.span.line if finding.span else 0
        write_output(str(folder / f"{number:03d}-{finding.kind}-line{line}.json"), to_json(finding.witness))


if __name__ == "__main__":
    main()
