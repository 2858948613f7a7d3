"""The command line. Each command collects options, calls one function, and exits with its int."""

from __future__ import annotations

import gc

# Start-up makes many objects and frees few: no collections while the CLI's modules are imported
# (the old thresholds come back in main(), which freezes what the imports made).
_GC_THRESHOLD = gc.get_threshold()
gc.set_threshold(100_000, 50, 50)

import datetime as _dt  # noqa: E402
import sys  # noqa: E402

import typer  # noqa: E402

from tplan.errors import TplanError  # noqa: E402
from tplan.reporters import Format  # noqa: E402

app = typer.Typer(
    name="tplan",
    help="Treatment plans as code: scaffold, lint and render mental-health treatment plans kept as YAML.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


def parse_date(value: str | None, option: str) -> _dt.date | None:
    """A --today/--date/--start/--next value: strictly YYYY-MM-DD, as in plans (Python alone would
    also take 20261201 or the week date 2026W051)."""
    if value is None:
        return None
    from tplan.schema.values import as_date

    day = as_date(value)
    if day is None:
        raise TplanError(f"{option} must be a date written as YYYY-MM-DD, e.g. 2026-12-01 (got '{value}')")
    return day


@app.command()
def lint(
    paths: list[str] = typer.Argument(..., metavar="PATH", help="Plan files or folders (searched recursively for *.yaml and *.yml); - reads a plan from "
        "standard input."),
    today: str | None = typer.Option(None, "--today", metavar="YYYY-MM-DD", help="Treat this date (YYYY-MM-DD) as today, for reproducible CI runs."),
    select: str | None = typer.Option(None, "--select", metavar="CODES", help="Only these rules: comma-separated codes, prefixes (S1) or names."),
    ignore: str | None = typer.Option(None, "--ignore", metavar="CODES", help="Skip these rules: comma-separated codes, prefixes or names."),
    fail_on: str | None = typer.Option(None, "--fail-on", metavar="LEVEL", help="Lowest severity that makes the run fail: error, warning (default) or info."),
    output_format: Format = typer.Option("text", "--format", help="text for people; json for scripts; sarif for GitHub code scanning; github for pull-request "
        "annotations."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Text format: the findings only, no summary line (a clean run prints nothing)."),
    statistics: bool = typer.Option(False, "--statistics", help="Text format: how many findings each rule has, instead of each finding."),
    config: str | None = typer.Option(None, "--config", metavar="FILE", help="Use this config file (.tplan.toml, or a pyproject.toml with a tool.tplan table) "
        "instead of searching for one."),
    isolated: bool = typer.Option(False, "--isolated", help="Ignore every config file: defaults and the command line only."),
    jobs: int | None = typer.Option(None, "--jobs", "-j", metavar="N", help="Worker processes for many files (default: one per CPU core; 1: no workers)."),
    stdin_filename: str | None = typer.Option(None, "--stdin-filename", metavar="PATH", help="With -: the plan's file name, for config matching "
        "(per-file-ignores, exclude) and in messages."),
) -> None:
    """Check plans against the format and the SMART, golden-thread and compliance rules.

    Settings come from the tool.tplan table of pyproject.toml or from .tplan.toml (the nearest found from
    the current folder upwards); options given here override them. Inline `# tplan: disable=CODE`
    at the end of a line, or `# tplan: disable-file=CODE` anywhere, silences findings.

    `tplan lint -` reads one plan from standard input (an editor's unsaved buffer, a generated
    plan); --stdin-filename gives the path it stands for, so the config applies as to that file.

    Exit codes: 0 no failing findings; 1 findings at or above --fail-on; 2 a file could not be read
    or parsed, the config is wrong, or the command line is wrong.
    """
    from tplan.commands.lint import run_lint

    raise typer.Exit(
        run_lint(
            paths,
            today=parse_date(today, "--today"),
            select=select,
            ignore=ignore,
            fail_on=fail_on,
            output_format=output_format.value,
            quiet=quiet,
            statistics=statistics,
            config_file=config,
            isolated=isolated,
            jobs=jobs,
            stdin_filename=stdin_filename,
        )
    )


@app.command()
def measures(
    ids: list[str] | None = typer.Argument(None, metavar="[ID]...", help="Only these instruments, e.g. PHQ-9 (default: all)."),
    details: bool = typer.Option(False, "--details", help="Each instrument's MCID, reliability, reliable change and clinical cut-off, with the source of every "
        "value."),
) -> None:
    """List the measures catalogue: instrument ids, ranges, better direction and severity bands."""
    from tplan.commands.measures import run_measures

    raise typer.Exit(run_measures(ids, details=details))


# ---- templates (issue 4): `tplan new`, `tplan templates`, `tplan templates show` -------------------

TEMPLATE_DIR_HELP = "A folder of your own templates (repeatable); a template there replaces a built-in one of the same name."


@app.command()
def new(
    template: str = typer.Option(..., "--template", "-t", metavar="NAME", help="Template name, e.g. burnout (`tplan templates` lists them)."),
    output: str | None = typer.Option(None, "--output", "-o", metavar="FILE", help="Write the plan to this file (default: print it)."),
    client: str | None = typer.Option(None, "--client", metavar="NAME", help="The client's name."),
    clinician: str | None = typer.Option(None, "--clinician", metavar="NAME", help="The clinician's name."),
    start: str | None = typer.Option(None, "--start", metavar="YYYY-MM-DD", help="Start date YYYY-MM-DD (default today); deadlines and the next review count "
        "from it."),
    plan_id: str | None = typer.Option(None, "--id", metavar="ID", help="The plan id, e.g. TP-2026-0042 (letters, digits, '.', '_', '-')."),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file if it exists."),
    template_dir: list[str] | None = typer.Option(None, "--template-dir", metavar="DIR", help=TEMPLATE_DIR_HELP),
) -> None:
    """Start a draft plan from a condition template.

    Fills in the dates (counted from --start), the id and the names you give.

    The rest is left as <...> placeholders: `tplan lint` on the new file lists them.

    An existing file is never overwritten without --force.
    """
    from tplan.commands.new import run_new

    raise typer.Exit(
        run_new(
            template,
            output=output,
            client=client,
            clinician=clinician,
            start=parse_date(start, "--start"),
            plan_id=plan_id,
            force=force,
            template_dirs=template_dir,
        )
    )


templates_app = typer.Typer(no_args_is_help=False)
app.add_typer(templates_app, name="templates")


@templates_app.callback(invoke_without_command=True)
def templates(
    ctx: typer.Context,
    template_dir: list[str] | None = typer.Option(None, "--template-dir", metavar="DIR", help=TEMPLATE_DIR_HELP),
) -> None:
    """List the condition templates (name, title, measures), or show one.

    Every template is checked as it is read, so this also checks a folder of your own templates.

    A broken one is named with the line to fix, and the exit code is 2.
    """
    if ctx.invoked_subcommand is not None:
        ctx.obj = template_dir
        return
    from tplan.commands.templates import run_templates

    raise typer.Exit(run_templates(template_dir))


@templates_app.command("show")
def templates_show(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME", help="Template name, e.g. burnout."),
    template_dir: list[str] | None = typer.Option(None, "--template-dir", metavar="DIR", help=TEMPLATE_DIR_HELP),
) -> None:
    """Show one template: its description, measures, sources and plan skeleton."""
    from tplan.commands.templates import run_template_show

    raise typer.Exit(run_template_show(name, (ctx.obj or []) + (template_dir or [])))

# ---- render (issue 5) -------------------------------------------------------------------------


@app.command()
def render(
    plans: list[str] = typer.Argument(..., metavar="PLAN", help="The plan file to render; or several plans or folders (searched as `tplan lint` "
        "does) with -o FOLDER."),
    html: bool = typer.Option(False, "--html", help="Self-contained, print-ready HTML (one file: inline CSS and charts, no scripts)."),
    md: bool = typer.Option(False, "--md", help="GitHub-flavoured Markdown (the default, unless -o ends in .html or .pdf)."),
    pdf: bool = typer.Option(False, "--pdf", help="A PDF/A-3b archive copy with the plan's YAML embedded (needs `pip install 'tplan[pdf]'`; docs/pdf.md). "
        "Without -o: PLAN's name with .pdf, in the current folder."),
    paper: str | None = typer.Option(None, "--paper", metavar="letter|a4", help="Paper size: letter or a4. --pdf: default letter. --html: the page's "
        "print size (a browser's print uses it); without it the printer's paper is used."),
    output: str | None = typer.Option(None, "-o", "--output", metavar="FILE|FOLDER", help="Write to this file instead of standard output; with several "
        "plans or a folder, the folder to write one document per plan in (created if missing)."),
    force: bool = typer.Option(False, "--force", help="Overwrite the -o file (or, for a folder, the documents in it) if it exists."),
    redact: bool = typer.Option(False, "--redact", help="Reduce client identifiers for supervision or teaching: initials, year of birth; contact, emergency "
        "contacts, guardian and insurance ids removed, and every written form of them scrubbed from free text (docs/privacy.md)."),
    strict: bool = typer.Option(False, "--strict", help="Refuse to render a plan with lint errors (exit 1) instead of adding a warning banner."),
    today: str | None = typer.Option(None, "--today", metavar="YYYY-MM-DD", help="Treat this date (YYYY-MM-DD) as today, for goal status and reproducible "
        "output."),
    jobs: int | None = typer.Option(None, "--jobs", "-j", metavar="N", help="Several plans: worker processes (default: one per CPU core; 1: no workers)."),
) -> None:
    """Render a plan as a document to share: Markdown, HTML ready to print, or a PDF/A-3b file.

    A plan with lint errors is still rendered, with a warning banner counting them (unless
    --strict). Exit codes: 0 rendered; 1 not rendered because of lint errors (--strict); 2 the file
    cannot be read, parsed or matched to the plan format, or the output exists without --force.

    Several plans or folders: `tplan render plans/ --md -o out/` writes out/<path inside plans/>.md
    for every plan (a plan named directly: out/<its name>.md), one line per plan that could not be
    rendered and a summary line. Nothing is written when an output file exists (without --force)
    or two plans would share one. Exit codes as above, the worst plan's (docs/render.md).
    """
    from tplan.commands.render import RenderOptions, check_paper, output_format, run_render
    from tplan.commands.render_many import many_plans, run_render_many

    day = parse_date(today, "--today")
    if many_plans(plans):
        fmt = output_format(html, md, None, pdf=pdf)
        options = RenderOptions(fmt, redact, strict, day or _dt.date.today(), check_paper(fmt, paper))
        raise typer.Exit(run_render_many(plans, output, options, force=force, jobs=jobs))
    if jobs is not None:
        raise TplanError("--jobs applies to several plans or a folder, not to one plan")
    fmt = output_format(html, md, output, pdf=pdf)
    raise typer.Exit(run_render(plans[0], fmt, output, force=force, redact=redact, strict=strict, today=day, paper=paper))


# ---- export (issue 14) ------------------------------------------------------------------------


@app.command()
def export(
    plan: str = typer.Argument(..., metavar="PLAN", help="The plan file to export."),
    fhir: bool = typer.Option(False, "--fhir", help="A FHIR R4 transaction Bundle in JSON (CarePlan, Goals, Conditions, ServiceRequests, Observations, "
        "Provenance)."),
    output: str | None = typer.Option(None, "-o", "--output", metavar="FILE", help="Write to this file instead of standard output."),
    force: bool = typer.Option(False, "--force", help="Overwrite the -o file if it exists, and export even when the plan has lint errors."),
    redact: bool = typer.Option(False, "--redact", help="Reduce client identifiers as `render --redact` does: initials, year of birth; contact details and "
        "emergency contacts removed."),
    today: str | None = typer.Option(None, "--today", metavar="YYYY-MM-DD", help="Treat this date (YYYY-MM-DD) as today for the lint check; the Bundle itself "
        "does not depend on it."),
) -> None:
    """Export a plan for EHRs, payers and care coordinators as one FHIR R4 transaction Bundle.

    Example: `tplan export plans/TP-0042.yaml --fhir -o TP-0042.fhir.json`. The same plan always
    gives the same file (ids are derived from the plan and element ids), so a re-export diffs
    cleanly; docs/fhir.md lists the mapping. Exit codes: 0 exported; 2 the plan has lint errors
    (without --force), cannot be read or matched to the plan format, or the output exists without
    --force.
    """
    from tplan.commands.export import run_export

    raise typer.Exit(run_export(plan, fhir=fhir, output=output, force=force, redact=redact, today=parse_date(today, "--today")))


# ---- workflow: progress, reviews and the caseload (issue 7) ------------------------------------

progress_app = typer.Typer(
    help="Record progress scores in a plan (the file keeps its layout; only the new entry is added).",
    no_args_is_help=True,
)
app.add_typer(progress_app, name="progress")


@progress_app.command("add")
def progress_add(
    plan: str = typer.Argument(..., metavar="PLAN", help="The plan file to record the entry in."),
    measure: str | None = typer.Option(None, "--measure", metavar="MEASURE", help="Instrument id (e.g. PHQ-9) or the name of one of the plan's custom "
        "measures; a catalogue instrument listed under assessments also works (monitoring)."),
    score: str | None = typer.Option(None, "--score", metavar="SCORE", help="The score, e.g. 12 or 4.5; must be inside the instrument's range."),
    date: str | None = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="Date the score was taken or the session held (YYYY-MM-DD); default today."),
    goal: list[str] = typer.Option([], "--goal", metavar="ID", help="Goal or objective id the entry belongs to (repeat, or comma-separate); default: every "
        "goal on this measure."),
    note: str | None = typer.Option(None, "--note", metavar="TEXT", help="A short note for the entry; alone (no --measure/--score) it is a narrative entry. No "
        "need for quotes inside: tplan quotes it in the file when needed."),
    today: str | None = typer.Option(None, "--today", metavar="YYYY-MM-DD", help="Treat this date (YYYY-MM-DD) as today."),
) -> None:
    """Append a progress entry: `tplan progress add plans/TP-0042.yaml --measure PHQ-9 --score 12`,
    or a narrative one: `tplan progress add plans/TP-0042.yaml --note "Slept better this week"`.

    The plan must pass the schema, the measure must be one its goals use (or a catalogue instrument
    listed under assessments), the score must be in the instrument's range and the date between the
    plan's `created` and today; otherwise nothing is written (exit 2). The entry goes in date order
    and `updated` moves to its date. Only the inserted lines change in the file.
    """
    from tplan.commands.progress import run_progress_add

    raise typer.Exit(
        run_progress_add(
            plan, measure, score, date=parse_date(date, "--date"), goals=goal, note=note, today=parse_date(today, "--today")
        )
    )


@app.command()
def review(
    plan: str = typer.Argument(..., metavar="PLAN", help="The plan file to record the review in."),
    summary: str | None = typer.Option(None, "--summary", metavar="TEXT", help="What the review found, e.g. \"GAD-7 14 to 9; G1 met\" (optional with --goal)."),
    changes: str | None = typer.Option(None, "--changes", metavar="TEXT", help="What changed in the plan at this review."),
    date: str | None = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="Date the review was held (YYYY-MM-DD); default today."),
    next_review: str | None = typer.Option(None, "--next", metavar="YYYY-MM-DD", help="Date of the next review; default the review date plus "
        "reviews.interval_days."),
    goal: str | None = typer.Option(None, "--goal", metavar="ID", help="A goal or objective (G1, G1.2) whose status, target or deadline this review changes."),
    status: str | None = typer.Option(None, "--status", metavar="STATUS", help="The goal's new status: met, partially-met, revised, discontinued, deferred or "
        "active."),
    target: str | None = typer.Option(None, "--target", metavar="TARGET", help="The goal's new target, e.g. \"<= 7\" (written as targets are in plans)."),
    deadline: str | None = typer.Option(None, "--deadline", metavar="YYYY-MM-DD", help="The goal's new deadline."),
    reason: str | None = typer.Option(None, "--reason", metavar="TEXT", help="Why the goal changed (required with --goal); recorded under the goal's changes."),
    today: str | None = typer.Option(None, "--today", metavar="YYYY-MM-DD", help="Treat this date (YYYY-MM-DD) as today."),
) -> None:
    """Record a plan review: adds it to reviews.history, moves reviews.next and updated.

    With --goal, the review also changes that goal or objective: `--status met`, `--target`,
    `--deadline`, each with `--reason`. The goal's status_date becomes the review date and each
    change is appended to its `changes` list (date, field, from, to, reason). Changing several
    goals at one review: run it once per goal with the same --date (one review entry is kept).

    The plan must pass the schema first; otherwise nothing is written (exit 2). Only the inserted
    or changed lines change in the file.
    """
    from tplan.commands.review import GoalChange, run_review

    change = None
    if goal is not None or status is not None or target is not None or deadline is not None or reason is not None:
        change = GoalChange(goal, status, target, parse_date(deadline, "--deadline"), reason)
    raise typer.Exit(
        run_review(
            plan, summary, changes=changes, date=parse_date(date, "--date"),
            next_review=parse_date(next_review, "--next"), today=parse_date(today, "--today"), goal=change,
        )
    )


@app.command()
def close(
    plan: str = typer.Argument(..., metavar="PLAN", help="The plan file to close."),
    reason: str = typer.Option(..., "--reason", metavar="REASON", help="Why care ended: goals-met, client-withdrew, referred, moved, administrative or other."),
    summary: str = typer.Option(..., "--summary", metavar="TEXT", help="How care ended, e.g. \"PSS-10 at 11 and 12 at the last two reviews\"."),
    date: str | None = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="The discharge date (YYYY-MM-DD); default today."),
    referral: list[str] = typer.Option([], "--referral", metavar="\"TO: REASON\"", help="A referral made at discharge, e.g. \"Peer support group: "
        "maintenance\" (repeatable)."),
    today: str | None = typer.Option(None, "--today", metavar="YYYY-MM-DD", help="Treat this date (YYYY-MM-DD) as today."),
) -> None:
    """Close a plan at discharge: sets `status: closed` and writes the `discharge` record.

    Refused (exit 2, the file untouched) while the plan would have lint errors as a closed plan: it
    is linted as closed, with the project's config, before anything is written. Only the touched
    lines change (`status:`, `updated:` and the new `discharge:` block).
    """
    from tplan.commands.close import run_close

    raise typer.Exit(
        run_close(plan, reason, summary, date=parse_date(date, "--date"), referrals=referral, today=parse_date(today, "--today"))
    )


@app.command()
def status(
    paths: list[str] = typer.Argument(..., metavar="PATH", help="Plan files or folders (searched recursively)."),
    today: str | None = typer.Option(None, "--today", metavar="YYYY-MM-DD", help="Treat this date (YYYY-MM-DD) as today."),
    format: str = typer.Option("table", "--format", metavar="table|json", help="table (for people) or json (for scripts)."),
    sort: str = typer.Option("urgency", "--sort", metavar="urgency|id", help="urgency (overdue reviews first) or id."),
    jobs: int | None = typer.Option(None, "--jobs", "-j", metavar="N", help="Worker processes for many plans (default: one per CPU core; 1: no workers)."),
) -> None:
    """Show the caseload: who is due for review and how each goal is doing.

    Per plan: id, client initials, status, next review (due in N days / overdue by N days), each
    goal's latest score against its target with the trend, and the linter's finding counts.
    Sorted by urgency: unreadable plans, overdue or unscheduled reviews, then the soonest due;
    drafts and closed plans last. Exit 2 when a plan cannot be read.
    """
    from tplan.commands.status import run_status

    raise typer.Exit(run_status(paths, today=parse_date(today, "--today"), fmt=format, sort=sort, jobs=jobs))


@app.command()
def report(
    paths: list[str] = typer.Argument(..., metavar="PATH", help="Plan files or folders (searched recursively)."),
    date_from: str | None = typer.Option(None, "--from", metavar="YYYY-MM-DD", help="Count scores, reviews and goal status changes from this date."),
    date_to: str | None = typer.Option(None, "--to", metavar="YYYY-MM-DD", help="Count them up to this date (inclusive)."),
    format: str = typer.Option("md", "--format", metavar="md|html|json", help="md (Markdown), html (one self-contained file, inline SVG charts, no script) or "
        "json."),
    by_plan: bool = typer.Option(False, "--by-plan", help="Add one row per plan and measure, by plan id (the only way plan ids appear)."),
    output: str | None = typer.Option(None, "-o", "--output", metavar="FILE", help="Write to this file instead of standard output."),
    force: bool = typer.Option(False, "--force", help="Overwrite the -o file if it exists."),
    today: str | None = typer.Option(None, "--today", metavar="YYYY-MM-DD", help="Treat this date (YYYY-MM-DD) as today."),
    jobs: int | None = typer.Option(None, "--jobs", "-j", metavar="N", help="Worker processes for many plans (default: one per CPU core; 1: no workers)."),
) -> None:
    """Report a caseload's outcomes: per measure, change, reliable improvement, recovery, deterioration.

    Per measure: plans, clients with at least two scores, mean and median change, and the percent
    with reliable improvement, recovered, reliable deterioration and no reliable change (Jacobson &
    Truax; `tplan measures --details`). Then goals met, revised and discontinued, and reviews on
    time and late. Counts and aggregates only: no names, initials or plan ids unless --by-plan.
    Exit 2 when a plan cannot be read.
    """
    from tplan.commands.report import run_report

    raise typer.Exit(
        run_report(
            paths, today=parse_date(today, "--today"), start=parse_date(date_from, "--from"), end=parse_date(date_to, "--to"),
            fmt=format, by_plan=by_plan, output=output, force=force, jobs=jobs,
        )
    )


# ---- rules, explain (ci: rule documentation from the registry) ---------------------------------
@app.command()
def rules() -> None:
    """List every rule: code, name, severity, summary and the standards it enforces."""
    from tplan.commands.rules import run_rules

    raise typer.Exit(run_rules())


@app.command()
def explain(rule: str = typer.Argument(..., metavar="CODE", help="A rule code (S103) or name (no-deadline).")) -> None:
    """Explain one rule: what it checks, why it matters, an example it reports, what to write instead."""
    from tplan.commands.rules import run_explain

    raise typer.Exit(run_explain(rule))


# ---- performance and tooling (issue 8): --version with the YAML parser in use; `tplan schema` ----


def _print_version(value: bool) -> None:
    if value:
        from tplan.commands.version import version_text

        print(version_text())
        raise typer.Exit(0)


@app.callback()
def _options(
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True, help="Show the version and the YAML parser in use, then exit."),
    debug: bool = typer.Option(False, "--debug", help="On an internal error, print its traceback (also TPLAN_DEBUG=1). A traceback can quote the plan: check "
        "it before sharing."),
) -> None:
    if debug:
        from tplan.debug import enable

        enable()


@app.command()
def schema(
    output: str | None = typer.Option(None, "--output", "-o", metavar="FILE", help="Write the schema to this file instead of printing it."),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file if it exists."),
) -> None:
    """Print the plan format as JSON Schema, for editors (YAML language server) and other tools.

    Point your editor at it with a first line such as
    `# yaml-language-server: $schema=./tplan.schema.json`. tplan lint checks more than the schema can
    express (SMART, golden-thread and compliance rules); the schema gives completion and early typos.
    """
    from tplan.commands.schema import run_schema

    raise typer.Exit(run_schema(output, force=force))


# ---- editors (issue 15): `tplan lsp` ------------------------------------------------------------


@app.command()
def lsp() -> None:
    """Run the language server over stdin/stdout, for editors: live findings, hover, quick fixes.

    Start it from your editor's LSP settings (docs/editors.md shows VS Code, Neovim and Helix);
    it is not meant to be run by hand. Needs the extra: pip install 'tplan[lsp]' (exit 2 without).
    """
    from tplan.commands.lsp import run_lsp

    raise typer.Exit(run_lsp())


def main() -> None:
    """Entry point: one clear line and exit 2 for anything the user must fix; never a traceback."""
    _startup()
    try:
        app()
    except SystemExit as exc:
        _leave_fast(exc.code)
        raise
    except TplanError as exc:
        print(f"tplan: error: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        print("tplan: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # a bug: one line naming the type (its message can quote the plan)
        from tplan.debug import enabled, show_traceback

        show_traceback(exc)
        hint = "" if enabled() else "; run with --debug for the traceback"
        print(f"tplan: internal error ({type(exc).__name__}); please report this{hint}", file=sys.stderr)
        sys.exit(2)


def _startup() -> None:
    """Cheap start-up (issue 19, docs/benchmarks.md): the objects made by imports live until exit,
    so they are frozen out of the collector's passes instead of being scanned again and again, and
    pydantic's search of every installed package for plugins is switched off with its documented
    PYDANTIC_DISABLE_PLUGINS variable (unless the user set it), in this process and its workers."""
    import os

    gc.freeze()
    gc.set_threshold(*_GC_THRESHOLD)
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    _closed_streams_to_devnull()


def _closed_streams_to_devnull() -> None:
    """Started with standard output or error closed (`tplan lint plans/ >&-`), Python has None
    there, and every write to it would fail. What would have gone there is dropped instead, as
    print() drops it, so the command still runs and its exit code still says what it found."""
    import os

    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - kept open for the process


# The commands that read plans and write only output: standard output and error, and files that
# are complete and closed before the command returns (render's documents and report's file,
# written atomically: a temp file, then its name). No buffer of theirs is left for the teardown.
_LEAVE_FAST = frozenset({"lint", "render", "status", "report"})


def _leave_fast(code: object) -> None:
    """After one of _LEAVE_FAST run as the program, leave with os._exit: the interpreter's teardown
    (every module and object freed one by one, ~10-25 ms) costs more than the lint of a file. Only
    once both output streams are flushed (a failed flush, e.g. a closed pipe, keeps the normal
    exit). Embedded callers (tests, scripts calling main()) get the SystemExit as usual."""
    command = next((arg for arg in sys.argv[1:] if not arg.startswith("-")), None)
    if command not in _LEAVE_FAST or not isinstance(code, (int, type(None))) or not _is_program_entry():
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):  # AttributeError: a stream replaced by None
        return
    import os

    os._exit(code or 0)


def _is_program_entry() -> bool:
    """True when main() is the program itself: the `tplan` console script or `python -m tplan`."""
    top = sys.modules.get("__main__")
    spec = getattr(top, "__spec__", None)
    if spec is not None:
        return bool(spec.name == "tplan.__main__")
    from pathlib import Path

    return Path(getattr(top, "__file__", "") or "").stem.lower() in {"tplan", "tplan-script"}
