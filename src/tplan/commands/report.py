"""`tplan report`: the outcomes of a caseload as Markdown, self-contained HTML or JSON.

Counts and aggregates only (`tplan.caseload`): no names, initials, paths or plan ids, unless
--by-plan adds one row per plan and measure, identified by plan id alone. The HTML has one small
inline SVG chart per measure and no script.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import sys
from collections.abc import Sequence
from html import escape

from tplan.caseload import DISCONTINUED, MET, REVISED, MeasureSummary, Period, PlanOutcome, Summary, collect_facts, summarise
from tplan.errors import TplanError
from tplan.measures import fmt_number

FORMATS = ("md", "html", "json")


def run_report(
    paths: list[str],
    today: _dt.date | None = None,
    start: _dt.date | None = None,
    end: _dt.date | None = None,
    fmt: str = "md",
    by_plan: bool = False,
    output: str | None = None,
    force: bool = False,
    jobs: int | None = None,
) -> int:
    from tplan.config import project_settings
    from tplan.fanout import checked_jobs
    from tplan.linter import discover
    from tplan.measures import load_catalogue

    checked_jobs(jobs)
    if fmt not in FORMATS:
        raise TplanError(f"--format must be md, html or json (got '{fmt}')")
    if start and end and start > end:
        raise TplanError(f"--from {start} is after --to {end}")
    if output:
        from tplan.fsio import check_output

        check_output(output, force, example=f"report.{fmt}")
    today = today or _dt.date.today()
    # Only the loading checks run (select E): the report needs the validated plan, not the findings.
    settings = dataclasses.replace(project_settings(today), select=("E",), extend_select=())
    files, problems = discover(paths, settings)
    catalogue = load_catalogue(settings.measures_file)
    period = Period(start, end)
    results = collect_facts(files, settings, catalogue, period, jobs if jobs is not None else settings.jobs)
    results += ["unreadable"] * len(problems)
    summary = summarise(results, catalogue, period, today)
    text = FORMATTERS[fmt](summary, by_plan)
    if output:
        from tplan.fsio import atomic_write

        atomic_write(output, text)
        print(f"Wrote {output}.")
    else:
        sys.stdout.write(text)
    return 2 if summary.not_counted.get("unreadable") else 0


# ---- shared wording ---------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{fmt_number(value)}%"


def _num(value: float | None) -> str:
    return "—" if value is None else fmt_number(round(value, 2))


def _period(s: Summary) -> str:
    if s.period.start is None and s.period.end is None:
        return "all dates"
    return f"{s.period.start or 'the start'} to {s.period.end or 'today'}"


MEASURE_HEADER = (
    "measure", "plans", "clients with ≥ 2 scores", "mean change", "median change",
    "reliable improvement", "recovered", "reliable deterioration", "no reliable change",
)


def measure_row(m: MeasureSummary) -> list[str]:
    return [
        m.measure, str(m.plans), str(m.clients), _num(m.mean_change), _num(m.median_change),
        _pct(m.percent(m.improved)), _pct(m.percent(m.recovered)), _pct(m.percent(m.deteriorated)), _pct(m.percent(m.no_change)),
    ]


def _notes(s: Summary) -> list[str]:
    notes = [
        "Change is last minus first score (the baseline counts as the first). Percentages are of the clients "
        "whose measure has a published reliability basis (`tplan measures --details`); — where it has none. "
        "Reliable improvement includes recovered.",
    ]
    skipped = ", ".join(f"{n} {why}" for why, n in sorted(s.not_counted.items()))
    if skipped:
        notes.append(f"Not counted: {skipped} (run `tplan lint` on the folder).")
    return notes


# ---- Markdown ---------------------------------------------------------------------------------


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" if i == 0 else "--:" for i in range(len(header))) + "|"]
    return out + ["| " + " | ".join(row) + " |" for row in rows]


def to_markdown(s: Summary, by_plan: bool) -> str:
    lines = [
        "# Caseload outcomes",
        "",
        f"{s.plans} plan{'s' if s.plans != 1 else ''}; period: {_period(s)}; report date {s.today}.",
        "",
        "## By measure",
        "",
        *(_md_table(MEASURE_HEADER, [measure_row(m) for m in s.measures]) if s.measures else ["No goal uses a catalogue measure."]),
        "",
        "## Goals and reviews",
        "",
        *_md_table(("count", "number"), _totals(s)),
        "",
    ]
    if by_plan:
        lines += ["## By plan", "", *_md_table(PLAN_HEADER, [plan_row(p) for p in s.by_plan]), ""]
    lines += [f"*{note}*" for note in _notes(s)]
    return "\n".join(lines) + "\n"


def _totals(s: Summary) -> list[tuple[str, str]]:
    return [
        ("goals met", str(s.goals[MET])),
        ("goals revised", str(s.goals[REVISED])),
        ("goals discontinued", str(s.goals[DISCONTINUED])),
        ("reviews held on time", str(s.reviews_on_time)),
        ("reviews held late", str(s.reviews_late)),
        ("active plans with a review overdue now", str(s.reviews_overdue_now)),
    ]


PLAN_HEADER = ("plan", "measure", "first", "last", "change", "outcome")


def plan_row(p: PlanOutcome) -> list[str]:
    return [p.plan_id, p.measure, _num(p.first), _num(p.last), _num(p.change), p.outcome or "—"]


# ---- JSON -------------------------------------------------------------------------------------


def to_json(s: Summary, by_plan: bool) -> str:
    return json.dumps(s.as_dict(by_plan), indent=2, ensure_ascii=False) + "\n"


# ---- HTML -------------------------------------------------------------------------------------

CSS = """
body { font: 15px/1.45 system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem; color: #1d2330; }
table { border-collapse: collapse; margin: .5rem 0 1.5rem; }
th, td { border-bottom: 1px solid #d6dae3; padding: .3rem .6rem; text-align: left; }
td.num, th.num { text-align: right; }
figure { margin: 0 0 1.5rem; }
.recovered { fill: #1b7f4b; } .improved { fill: #7cc49a; } .nochange { fill: #c5cad6; } .deteriorated { fill: #c0392b; }
svg text { font-size: 12px; fill: #1d2330; } svg text.measure { font-size: 14px; font-weight: 600; }
.note { color: #5b6273; font-size: .9rem; }
"""

BAR = [("recovered", "recovered"), ("improved", "reliable improvement, not "
    "recovered"), ("nochange", "no reliable change"), ("deteriorated", "reliable deterioration")]


def measure_chart(m: MeasureSummary) -> str:
    """One stacked bar of the four classes (percent of assessable clients), with a text alternative."""
    if not m.assessable:
        return ""
    counts = {"recovered": m.recovered, "improved": m.improved - m.recovered, "nochange": m.no_change, "deteriorated": m.deteriorated}
    left, width, parts, legend = 90.0, 600.0, [], []
    x = left
    parts.append(f'<text x="0" y="19" class="measure">{escape(m.measure)}</text>')
    for n, (cls, label) in enumerate(BAR):
        share = counts[cls] / m.assessable
        w = round(width * share, 1)
        if w:
            parts.append(f'<rect class="{cls}" x="{round(x - left, 1)}" y="0" width="{w}" height="28" transform="translate({left} 0)"><title>{escape(label)}: '
                f'{counts[cls]} ({_pct(round(100 * share, 1))})</title></rect>')
        x += w
        lx, ly = left + (n % 2) * 300, 44 + (n // 2) * 18
        legend.append(f'<rect class="{cls}" x="{lx}" y="{ly - 10}" width="12" height="12"/><text x="{lx + 18}" y="{ly}">{escape(label)} '
            f'{_pct(round(100 * share, 1))}</text>')
    alt = "; ".join(f"{label} {counts[cls]} of {m.assessable}" for cls, label in BAR)
    ident = "chart-" + "".join(ch if ch.isalnum() else "-" for ch in m.measure)
    return (
        f'<figure><svg viewBox="0 0 700 72" width="700" height="72" role="img" aria-labelledby="{ident}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}">{escape(m.measure)} outcomes: {escape(alt)}</title>{"".join(parts)}{"".join(legend)}</svg>'
        f"<figcaption>{escape(m.measure)}: {escape(alt)}.</figcaption></figure>"
    )


def _html_table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int]) -> str:
    """A table; the `numeric` columns are right-aligned."""
    num = ' class="num"'
    head = "".join(f'<th scope="col"{num if i in numeric else ""}>{escape(h)}</th>' for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(f"<td{num if i in numeric else ''}>{escape(c)}</td>" for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def to_html(s: Summary, by_plan: bool) -> str:
    if s.measures:
        measures = _html_table(MEASURE_HEADER, [measure_row(m) for m in s.measures], set(range(1, len(MEASURE_HEADER))))
    else:
        measures = "<p>No goal uses a catalogue measure.</p>"
    charts = "".join(measure_chart(m) for m in s.measures)
    plans = f"<h2>By plan</h2>{_html_table(PLAN_HEADER, [plan_row(p) for p in s.by_plan], {2, 3, 4})}" if by_plan else ""
    notes = "".join(f'<p class="note">{escape(n)}</p>' for n in _notes(s))
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n"
        '<meta name="referrer" content="no-referrer">\n<meta name="robots" content="noindex, nofollow">\n'
        f"<title>Caseload outcomes</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"<h1>Caseload outcomes</h1>\n<p>{s.plans} plan{'s' if s.plans != 1 else ''}; period: {escape(_period(s))}; report date {s.today}.</p>\n"
        f"<h2>By measure</h2>\n{measures}\n{charts}\n<h2>Goals and reviews</h2>\n{_html_table(('count', 'number'), _totals(s), {1})}\n{plans}\n{notes}\n"
        "</body>\n</html>\n"
    )


FORMATTERS = {"md": to_markdown, "html": to_html, "json": to_json}
