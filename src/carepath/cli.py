"""The command line: a thin click shell over the public API, with named exit codes."""
from __future__ import annotations

import functools
import math
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any, Callable, Iterator

import click

import carepath  # check and render are called through the module, so tests can replace them

from . import __version__, load, program, test_scenarios
from .diagram import BINARY_FORMATS, FORMATS, format_for
from .diagram.layout import LAYOUT_TIMEOUT
from .errors import CarepathError, UsageError, counted, error
from .output import discard_stdout, generated_folder, inputs_guarded, output_stream, terminal_text, write_output, write_text

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_SIGNAL = 128  # + the signal's number, as a shell reports a command a signal stopped
EXIT_INTERRUPTED = EXIT_SIGNAL + signal.SIGINT  # 130, Ctrl-C
EXIT_CLOSED_PIPE = EXIT_SIGNAL + signal.SIGPIPE  # 141, the reader went away (`| head`)
STOPPING_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
PROGRESS_STEP = 1 << 20

EXIT_CODES = """\b
Exit codes, the same for every command:
  0    success (a run that stops with needs_input included)
  1    findings: failed checks or scenarios, a case that falls through the
       pathway; with run --batch, any line that could not run; with fmt
       --check, a file that would be reformatted
  2    usage or input error (with run --batch: the pathway, the batch file or
       the output, never one line)
  130  interrupted (Ctrl-C)
  141  the reader of stdout went away (`| head`)
  143  terminated (SIGTERM); 129 hung up (SIGHUP)"""
SEE_EXIT_CODES = "Exit codes: see `carepath --help`."


def to_json(data: Any) -> str:
    """The one JSON style of every command: indented, UTF-8, newline-terminated."""
    from .expr.numbers import dumps

    return dumps(data, indent=True).decode("utf-8") + "\n"


def say(message: str) -> None:
    """Print a message on stderr, made safe for the terminal (the one place stderr is written)."""
    click.echo(terminal_text(message), err=True)


class Stopped(BaseException):
    """A stopping signal (SIGTERM, SIGHUP) turned into an exception, so that every `finally`
    runs: temporary files are removed and a `dot` child is killed. Not an Exception, so no
    `except Exception` can swallow it."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, _frame) -> None:
    """The handler of the stopping signals: raise, so the command unwinds and cleans up."""
    raise Stopped(signum)


def reports_errors(command: Callable) -> Callable:
    """Print CarepathError diagnostics to stderr and exit with their code; never a traceback.
    Ctrl-C exits 130, a closed pipe 141, SIGTERM and SIGHUP 128 + their number, each after
    cleaning up."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        in_main = threading.current_thread() is threading.main_thread()
        previous = {sig: signal.signal(sig, _stop) for sig in STOPPING_SIGNALS} if in_main else {}
        try:
            with inputs_guarded():
                return command(*args, **kwargs)
        except CarepathError as exc:
            say(exc.format())
            sys.exit(exc.exit_code)
        except RecursionError:
            say("error: the input is nested too deeply to process")
            sys.exit(EXIT_USAGE)
        except BrokenPipeError:
            # The reader stopped early (`| head`): no traceback, and none when Python flushes at exit.
            discard_stdout()
            sys.exit(EXIT_CLOSED_PIPE)
        except KeyboardInterrupt:
            sys.exit(EXIT_INTERRUPTED)
        except Stopped as exc:
            sys.exit(EXIT_SIGNAL + exc.signum)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
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


@main.command(epilog=SEE_EXIT_CODES)
@click.argument("pathway", type=click.Path(dir_okay=True, allow_dash=False))
@click.argument("case", type=click.Path(allow_dash=True), required=False)
@click.option("--batch", type=click.Path(allow_dash=True),
              help="Run every line of this JSON Lines file (`-` for stdin) as a case.")
@click.option("--population", type=click.Path(dir_okay=False),
              help="Run every row of this Parquet, CSV or JSON Lines file, or DATABASE.duckdb:TABLE, in SQL "
                   "(docs/population.md); -o is then required (.parquet or .jsonl).")
@click.option("--engine", type=click.Choice(["duckdb", "spark"]), default="duckdb", show_default=True,
              help="With --population: DuckDB embedded, or Spark.")
@click.option("--master", help="With --engine spark: the Spark master URL (default local[*]).")
@click.option("--threads", type=click.IntRange(1), help="With --engine duckdb: threads to use (default: all cores).")
@click.option("--reference-date", "dates", multiple=True, metavar="FACT=DATE",
              help="With --population: give date FACT (the day of the assessment, say) this YYYY-MM-DD value in "
                   "every row, or `today` for the engine's clock; repeatable.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@click.option("--needs-all", is_flag=True,
              help="Also list every missing fact that could still change a recommendation, not only those "
                   "the run stopped for, so they can all be asked for at once.")
@click.option("--timeout", type=click.FloatRange(min=0.001), metavar="SECONDS",
              help="With --needs-all: the limit on one solver question (default 5); a fact not decided in time is "
                   "reported as undecided at its declaration.")
@click.option("-o", "--output", type=click.Path(allow_dash=True), help="Write to this file instead of stdout.")
@click.option("--save-scenario", "scenario_file", type=click.Path(dir_okay=False),
              help="Append the finished run to this scenarios file as a new scenario (created if missing).")
@click.option("--name", help="The saved scenario's name (default: the case file's name).")
@reports_errors
def run(pathway: str, case: str | None, batch: str | None, population: str | None, engine: str,
        master: str | None, threads: int | None, dates: tuple[str, ...], as_json: bool, needs_all: bool,
        timeout: float | None, output: str | None, scenario_file: str | None, name: str | None) -> None:
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
    With --save-scenario FILE the run is also appended to FILE as a scenario (its case as it differs
    from the file's defaults, its status, the codes it recommends, the facts it needs), keeping
    the file's comments and layout. A name already in the file is refused; the new scenario is
    checked to pass before the file is replaced.

    \b
    Examples:
      carepath run pathway.dsl examples/01_one_session.json
      carepath run pathway.dsl case.yaml --json
      cat case.json | carepath run pathway.dsl -
      carepath run pathway.dsl --batch cases.jsonl -o results.jsonl
      carepath run pathway.dsl case.json --save-scenario pathway.scenarios.yaml --name "fever, day 3"
      carepath run pathway.dsl case.json --needs-all
      carepath run pathway.dsl --population cases.parquet -o results.parquet
      carepath run pathway.dsl --population cases.parquet -o results.parquet --engine spark
    """
    from .engine.cases import read_case
    from .engine.summary import summary

    given = [flag for flag, value in (("CASE", case), ("--batch", batch), ("--population", population)) if value]
    if len(given) != 1:
        raise click.UsageError(f"give one of CASE, --batch FILE and --population FILE, not both {given[0]} and "
                               f"{given[1]}" if given else "give a CASE file or --batch FILE (or --population FILE)")
    if case is None and scenario_file is not None:
        raise click.UsageError("--save-scenario saves one CASE's run, not a --batch or a --population")
    if case is None and needs_all:
        raise click.UsageError("--needs-all runs one CASE, not a --batch or a --population")
    if timeout is not None and not needs_all:
        raise click.UsageError("--timeout limits the solver questions of --needs-all")
    if name is not None and scenario_file is None:
        raise click.UsageError("--name names the scenario that --save-scenario FILE saves")
    if scenario_file is not None and name is None and case == "-":
        raise click.UsageError("give the scenario a --name when the case comes from stdin")
    if population is not None:
        sys.exit(_run_population(load(pathway), population, output, engine, master, threads, dates))
    if master or threads or dates or engine != "duckdb":
        raise UsageError(error("--engine, --master, --threads and --reference-date go with --population"))
    loaded = load(pathway)
    compiled = program(loaded)
    if batch is not None:
        sys.exit(_run_batch(compiled, batch, output))
    facts, source = read_case(case)
    result = compiled.run(facts, source)
    every = carepath.needs_all(loaded, facts, timeout) if needs_all else None
    if as_json:
        data = result.to_json() if every is None else {**result.to_json(), "needs_all": every.to_json()}
        write_output(output, to_json(data))
    else:
        write_text(output, summary(result, loaded.units) + ("" if every is None else every.text()))
    if scenario_file is not None:
        from .scenarios.save import save_scenario

        scenario_name = name if name is not None else Path(case).stem
        save_scenario(compiled.pathway, result, facts, scenario_file, scenario_name)
        say(f"saved scenario `{scenario_name}` to {scenario_file}")


def _run_batch(compiled, batch: str, output: str | None) -> int:
    """Stream a batch through the pathway; report the first errors; the exit code."""
    from .engine.batch import read_lines, write_batch

    with read_lines(batch) as lines, output_stream(output) as out:
        tally = write_batch(compiled, _with_progress(lines, batch), out, batch)
    for diagnostic in tally.first_errors:
        say(diagnostic.format())
    if tally.errors:
        say(f"{batch}: {tally.errors:,} of {counted(tally.cases, 'case')} could not run")
    return EXIT_FINDINGS if tally.errors else EXIT_OK


def _run_population(loaded, population: str, output: str | None, engine: str, master: str | None,
                    threads: int | None, dates: tuple[str, ...]) -> int:
    """Run a population in SQL; report the statuses; the exit code (1 when any row is in error)."""
    from .population import run_population

    if output in (None, "-"):
        raise UsageError(error("--population writes a file: give -o RESULTS.parquet or -o RESULTS.jsonl"))
    if master and engine != "spark" or threads and engine != "duckdb":
        raise UsageError(error("--master goes with --engine spark, --threads with --engine duckdb"))
    tally = run_population(loaded, population, output, engine, master, threads, progress=sys.stderr.isatty(),
                           dates=dates)
    say(f"{population}: {tally.text()}")
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


@main.command(epilog=SEE_EXIT_CODES)
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
    if as_json:
        write_output(output, to_json(graph_json(decision_graph)))
    else:
        write_text(output, to_text(decision_graph))


@main.command(epilog=SEE_EXIT_CODES)
@click.argument("pathway", type=click.Path(dir_okay=True))
@click.option("--format", "style", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True,
              help="text (like a compiler), json, or SARIF 2.1.0 for code scanning.")
@click.option("--witnesses", type=click.Path(file_okay=False),
              help="Write each finding's witness case into this new (or empty) folder.")
@click.option("--force", is_flag=True, help="Replace a --witnesses folder that is not empty.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too (undecided questions included).")
@click.option("--timeout", type=click.FloatRange(min=0.001), metavar="SECONDS",
              help="The limit on one solver question (default 5); a question not decided in time is reported "
                   "as an `undecided` warning at its guard, and every other finding is still reported.")
@click.option("-o", "--output", type=click.Path(allow_dash=True), help="Write to this file instead of stdout.")
@reports_errors
def check(pathway: str, style: str, witnesses: str | None, force: bool, strict: bool, timeout: float | None,
          output: str | None) -> None:
    """Check PATHWAY: unreachable steps, overlapping or missing branches, impossible guards,
    runs that may stop for input, violated invariants, unused declarations.

    Each semantic finding comes with a witness: a complete case that shows it
    (`carepath run PATHWAY CASE` reproduces it). Exit 1 with errors; warnings alone exit 0
    unless --strict. The --witnesses folder appears whole when the check ends; one that
    exists and is not empty is refused unless --force, which replaces it.

    \b
    Examples:
      carepath check pathway.dsl
      carepath check pathway.dsl --format sarif -o carepath.sarif
      carepath check pathway.dsl --witnesses witnesses/ --strict
    """
    from .checks import report

    loaded = load(pathway)
    found = carepath.check(loaded, timeout=timeout)
    if witnesses is not None:
        _write_witnesses(witnesses, found, force)
    if style == "text":
        write_text(output, report.text(found, loaded.units))
    else:
        write_output(output, to_json(report.as_json(loaded, found) if style == "json" else
                                     report.sarif(loaded, found, __version__)))
    tally = report.counts(found)
    sys.exit(EXIT_FINDINGS if tally["error"] or (strict and tally["warning"]) else EXIT_OK)


def _write_witnesses(folder: str, found, force: bool) -> None:
    """One JSON case per finding that has a witness, numbered in report order, in a fresh folder."""
    with generated_folder(folder, force) as fresh:
        for number, finding in enumerate((d for d in found if d.witness is not None), start=1):
            line = finding.span.line if finding.span else 0
            write_output(str(fresh / f"{number:03d}-{finding.kind}-line{line}.json"), to_json(finding.witness))


@main.command(epilog=SEE_EXIT_CODES)
@click.argument("pathway", type=click.Path(dir_okay=True))
@click.option("-o", "--output", type=click.Path(allow_dash=True),
              help="Write to this file (the format follows its extension); `-` or none for stdout.")
@click.option("--format", "format_", type=click.Choice(FORMATS), help="Output format (default: from -o, else dot).")
@click.option("--case", type=click.Path(allow_dash=True), help="Highlight the path this case (JSON/YAML) takes.")
@click.option("--findings", is_flag=True, help="Mark what `carepath check` reports on the nodes concerned.")
@click.option("--section", metavar="NAME", help="Draw only this section; arrows to others end at boxes naming them.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=LAYOUT_TIMEOUT, show_default=True,
              metavar="SECONDS", help="Stop Graphviz's layout (svg, png) after this many seconds.")
@click.option("--population", type=click.Path(dir_okay=False),
              help="Weigh the chart by these results of `run --population` (.parquet or .jsonl).")
@reports_errors
def render(pathway: str, output: str | None, format_: str | None, case: str | None, findings: bool,
           section: str | None, timeout: float, population: str | None) -> None:
    """Draw PATHWAY as a flowchart: DOT, SVG, PNG or Mermaid.

    Decisions are diamonds with their question, steps are boxes listing their recommendations,
    every arrow carries its guard. SVG and PNG need Graphviz's `dot` program, which is given
    --timeout seconds and is killed when carepath stops for any reason.

    \b
    Examples:
      carepath render pathway.dsl -o diagrams/pathway.svg
      carepath render pathway.dsl --format mermaid
      carepath render pathway.dsl --case examples/01_one_session.json -o case.png
      carepath render pathway.dsl --findings -o findings.svg
      carepath render pathway.dsl --section "Red flags" -o red_flags.png
      carepath render pathway.dsl --population results.parquet -o flow.svg
    """
    from .engine.cases import read_case

    format_ = format_for(output, format_)
    if format_ in BINARY_FORMATS and output in (None, "-") and sys.stdout.isatty():
        raise UsageError(error(f"{format_} is binary and stdout is a terminal; write it with -o FILE "
                               "or redirect stdout to a file"))
    if case and population:
        raise UsageError(error("draw one case (--case) or a population (--population), not both"))
    loaded = load(pathway)
    result = program(loaded).run(*read_case(case)) if case else None
    found = carepath.check(loaded) if findings else None
    write_output(output, carepath.render(loaded, format_, result, found, section, timeout, population))


@main.command("sql", epilog=SEE_EXIT_CODES)
@click.argument("pathway", type=click.Path(dir_okay=True))
@click.option("--dialect", default="duckdb", show_default=True,
              help="Any SQL dialect sqlglot writes: duckdb, spark, postgres, snowflake, bigquery, trino, ...")
@click.option("--table", "table_name", default="cases", show_default=True,
              help="The table whose columns are the facts (TABLE, SCHEMA.TABLE or CATALOG.SCHEMA.TABLE).")
@click.option("--keep", multiple=True, help="A column to pass through to the result (a patient id); repeatable.")
@click.option("--reference-date", "dates", multiple=True, metavar="FACT=DATE",
              help="Give date FACT this YYYY-MM-DD value in every row instead of reading a column, or `today` "
                   "for the engine's CURRENT_DATE when the query runs; repeatable.")
@click.option("-o", "--output", type=click.Path(allow_dash=True), help="Write to this file instead of stdout.")
@reports_errors
def sql(pathway: str, dialect: str, table_name: str, keep: tuple[str, ...], dates: tuple[str, ...],
        output: str | None) -> None:
    """Print PATHWAY as one SQL query over a table whose columns are the facts (NULL = missing).

    Each row gets: status (complete, needs_input or error), codes (the recommendation codes in
    order), urgencies, needs (the facts to supply), route (the nodes visited), require_violated
    and errors. The meaning is the executor's, numbers exact; docs/population.md.

    \b
    Examples:
      carepath sql pathway.dsl --table warehouse.lbp_patients --keep patient_id
      carepath sql pathway.dsl --dialect spark -o pathway.sql
      carepath sql followup.dsl --reference-date today=2026-11-30 --keep patient_id
    """
    from sqlglot.dialects.dialect import Dialect

    from .sql import to_sql

    try:
        Dialect.get_or_raise(dialect)
    except ValueError:
        raise UsageError(error(f"unknown SQL dialect `{dialect}`")) from None
    write_output(output, to_sql(load(pathway), dialect, table_name, keep, dates=dates))


@main.command(epilog=SEE_EXIT_CODES)
@click.argument("pathway", type=click.Path(dir_okay=True))
@click.option("--scenarios", "scenarios", multiple=True, type=click.Path(),
              help="Scenario file to run and report (repeatable; default: <stem>.scenarios.yaml beside PATHWAY, if any).")
@click.option("--case", type=click.Path(allow_dash=True), help="Highlight this case's (JSON/YAML) route.")
@click.option("--since", type=click.Path(dir_okay=True), metavar="OLD.dsl",
              help="An earlier version: add a section of the changes `carepath diff` finds since it.")
@click.option("-o", "--output", type=click.Path(allow_dash=True), help="Write the page to this file instead of stdout.")
@reports_errors
def review(pathway: str, scenarios: tuple[str, ...], case: str | None, since: str | None, output: str | None) -> None:
    """Write a review page for PATHWAY: one self-contained HTML file for a clinical reviewer.

    Name, version, release date and authors; a flowchart per section (click a node for its question
    or step, recommendations, full sources with locators and quotes, cautions, guards in words, and
    the derived values it reads with their definitions); the check findings with witness cases and
    the invariants proven; scenario results and coverage; the code -> condition -> sources table;
    with --case, the case's route highlighted; with --since, the changes since that version (the
    cases that now get different advice). The page needs no network. Exit 0 once it is
    written, whatever it reports; 2 for bad input.

    \b
    Examples:
      carepath review pathway.dsl -o review.html
      carepath review pathway.dsl --case examples/01_one_session.json -o review.html
    """
    from .engine.cases import read_case
    from .scenarios.load import default_scenarios

    loaded = load(pathway)
    if not scenarios and default_scenarios(pathway).is_file():
        scenarios = (str(default_scenarios(pathway)),)
    result = program(loaded).run(*read_case(case)) if case else None
    write_output(output, carepath.review(loaded, scenarios, result, load(since) if since else None))


@main.command(epilog=SEE_EXIT_CODES)
@click.argument("old", type=click.Path(dir_okay=True))
@click.argument("new", type=click.Path(dir_okay=True))
@click.option("--format", "style", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True,
              help="text, json, or markdown (a pull-request comment).")
@click.option("--witnesses", type=click.Path(file_okay=False),
              help="Write each difference's witness case, as each version reads it, into this new (or empty) folder.")
@click.option("--force", is_flag=True, help="Replace a --witnesses folder that is not empty.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="List at most this many differences of each kind.")
@click.option("--timeout", type=click.FloatRange(min=0.001), metavar="SECONDS",
              help="The limit on one solver question (default 5); a question not decided in time is reported, "
                   "and the verdict is then not `same`.")
@click.option("-o", "--output", type=click.Path(allow_dash=True), help="Write to this file instead of stdout.")
@reports_errors
def diff(old: str, new: str, style: str, witnesses: str | None, force: bool, limit: int, timeout: float | None,
         output: str | None) -> None:
    """Compare two versions of a pathway by what they do: prove that every valid case gets the same
    status, recommendation codes and urgency from OLD and NEW, or list each difference (a condition
    on the facts, the codes gained and lost, a witness case that `carepath run` replays in both).

    Policy: a fact declared by one version only is free (any value that version allows; the other
    ignores it); a code in one version only is gained or lost like any other; cases that a changed
    fact declaration or `require` makes valid in one version only are their own kind of difference;
    texts, sources, cautions and invariants change no result and are listed as such. Exit 0 when the
    behaviour is the same, 1 when it differs (or a question is undecided), 2 for bad input.

    \b
    Examples:
      carepath diff pathway-1.0.dsl pathway.dsl
      carepath diff old.dsl new.dsl --format markdown -o comment.md
      carepath diff old.dsl new.dsl --witnesses witnesses/
    """
    from .comparison import report

    found = carepath.diff(load(old), load(new), limit, timeout)
    if witnesses is not None:
        with generated_folder(witnesses, force) as fresh:
            for number, region in enumerate(found.regions, start=1):
                for side, case in (("old", region.witness_old), ("new", region.witness_new)):
                    write_output(str(fresh / f"{number:03d}-{region.kind}-{side}.json"), to_json(case))
    if style == "text":
        write_text(output, report.text(found))
    else:
        write_output(output, to_json(report.as_json(found)) if style == "json" else report.markdown(found))
    sys.exit(EXIT_OK if found.same else EXIT_FINDINGS)


@main.command("test", epilog=SEE_EXIT_CODES)
@click.argument("pathway", type=click.Path(dir_okay=True))
@click.argument("files", nargs=-1, type=click.Path())
@click.option("--junit", type=click.Path(allow_dash=True),
              help="Also write JUnit XML (one testcase per scenario); with `-` the XML alone goes to stdout "
                   "and the report to stderr.")
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

    if fail_under is not None and math.isnan(fail_under):
        raise click.BadParameter("must be a number from 0 to 100, not nan", param_hint="--fail-under")
    if junit == "-" and as_json:
        raise click.UsageError("--junit - and --json both write to stdout; write the JUnit XML to a file")
    report = test_scenarios(pathway, scenario_files(pathway, files))
    if junit:
        write_output(junit, report.junit())
    if as_json:
        write_output(None, to_json(report.to_json()))
    elif junit == "-":  # stdout carries the XML alone, so that it can be piped; the report goes to stderr
        say(report.text(with_coverage or fail_under is not None).rstrip("\n"))
    else:
        write_text(None, report.text(with_coverage or fail_under is not None))
    short = fail_under is not None and report.coverage.branch_percent < fail_under
    if short:
        say(f"branch coverage {report.coverage.branch_percent:.1f}% is under --fail-under {fail_under:g}%")
    if report.failed or short:
        sys.exit(EXIT_FINDINGS)


@main.command(epilog=SEE_EXIT_CODES)
@click.argument("pathway", type=click.Path(dir_okay=True))
@click.option("--cover", is_flag=True, default=True,
              help="Cases that together take every reachable branch (the default, and so far the only kind).")
@click.option("-o", "--output", "folder", required=True, type=click.Path(file_okay=False),
              help="The new (or empty) folder to write the case files into.")
@click.option("--force", is_flag=True, help="Replace an output folder that is not empty.")
@reports_errors
def cases(pathway: str, cover: bool, folder: str, force: bool) -> None:
    """Write generated case files (JSON) for PATHWAY into a folder.

    A small set of valid cases that together take every reachable branch, each
    named after the first branch it covers. A search over the executor comes first; each branch
    it leaves is asked of the checker's solver (z3), whose case is kept only if a run takes the
    branch. Branches the solver proves no case takes are listed as "unreachable (proven)"; any
    other branch not taken is listed as "not reached" with the reason. Turn a case into a
    scenario by stating what a clinician expects of it. The folder appears whole when all
    cases are written; one that exists and is not empty is refused unless --force, which
    replaces it (hand-edited cases belong elsewhere, or in scenario files).

    \b
    Example:
      carepath cases pathway.dsl -o cases/
    """
    from .scenarios.generate import cover_cases

    generated = cover_cases(load(pathway))
    with generated_folder(folder, force) as fresh:
        for case in generated.cases:
            write_output(str(fresh / f"{case.name}.json"), to_json(case.facts))
    write_text(None, generated.text(folder))


@main.command(epilog=SEE_EXIT_CODES)
@click.option("--stdio", is_flag=True, help="Speak over stdin and stdout (the default and only transport).")
@reports_errors
def lsp(stdio: bool) -> None:
    """Start the language server (Language Server Protocol over stdio) for editors.

    Diagnostics as you type, the checker's findings on save, hover, go to definition, references,
    rename (also in the pathway's scenarios file), completion, outline and formatting. An editor
    starts it; see docs/editor.md.

    \b
    Example (what an editor runs):
      carepath lsp --stdio
    """
    try:
        import pygls  # noqa: F401  (only to say clearly what is missing)
    except ImportError:
        raise UsageError(error("the language server needs pygls: pip install 'carepath[lsp]' "
                               "(./setup.sh installs it)")) from None
    from .lsp import serve

    serve()


@main.command(epilog=SEE_EXIT_CODES)
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--check", "check_only", is_flag=True, help="Change nothing; list the files that would change, exit 1.")
def fmt(files: tuple[str, ...], check_only: bool) -> None:
    """Rewrite pathway FILES in the one canonical layout, keeping every comment.

    A folder stands for every .dsl file under it; `-` formats stdin to stdout. Items start at the
    left margin and their parts (branches, recommendations, guards, cautions) at a fixed indent;
    the `->` of a decision's branches line up; comments and blank-line groups stay where they
    are. Formatting twice changes nothing, and the formatted pathway means the same.

    \b
    Examples:
      carepath fmt pathway.dsl
      carepath fmt --check pathway.dsl examples/
      carepath fmt - < draft.dsl
    """
    from .fmt import format_file, format_source, pathway_files
    from .syntax import decode

    failed = changed = 0
    for path in pathway_files(files):
        try:
            if path == "-":
                write_output(None, format_source(decode("<stdin>", sys.stdin.buffer.read())))
                continue
            before, after = format_file(path)
        except CarepathError as exc:
            click.echo(exc.format(), err=True)
            failed += 1
            continue
        if before != after:
            changed += 1
            if check_only:
                click.echo(f"would reformat {path}")
            else:
                write_output(path, after)
                click.echo(f"reformatted {path}", err=True)
    if check_only and changed:
        click.echo(f"{changed} file{'s' if changed != 1 else ''} would be reformatted", err=True)
    sys.exit(EXIT_USAGE if failed else EXIT_FINDINGS if check_only and changed else EXIT_OK)


if __name__ == "__main__":
    main()
