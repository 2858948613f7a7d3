"""The Markdown document (GitHub-flavoured), written by Python rather than a jinja2 template.

It was plan.md.j2; a folder's render spent more time in jinja2's generated code (a generator step,
an attribute lookup and a `finalize` call per printed value, ~450 of each a plan) than in building
the view. The sections below follow the template's order, line for line, and write the same bytes.

Escaping stays the default: text is added only through `_Lines.__call__`, whose format string is
the document's own Markdown and whose every `{}` value goes through `md_escape` (None printed as
nothing), as the template's `finalize` did, and `_Lines.row`, whose every cell does. Only `Raw` values, which this module builds from
escaped parts (the `- **label:** value` lists and id lists), are printed as they are. Never put a
plan value into a format string itself (no f-strings in a line's format).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from tplan.render.markdown import md_escape

if TYPE_CHECKING:
    from tplan.render.view import Document, GoalView


class Raw(str):
    """Markdown built here from escaped parts: printed as it is."""

    __slots__ = ()


class _Escapes(dict[str, str]):
    """Text → its escape (md_escape), worked out at the first look-up. Kept by this process across
    documents: ids, dates, statuses, measure names and a template's objectives recur in every plan
    of a folder. Only `str` keys go in (1, 1.0 and True are one key but print differently)."""

    def __missing__(self, text: str) -> str:
        if len(self) >= _SEEN_MAX:
            self.clear()
        escape = self[text] = md_escape(text)
        return escape


_SEEN_MAX = 20_000  # the cache is emptied when it holds this many texts
_seen = _Escapes()


def escaped(value: object) -> str:
    """A printed value: plan text made inert (md_escape), None as nothing, this module's Raw as is."""
    if type(value) is str:
        return _seen[value]
    if type(value) is Raw:
        return value
    return md_escape("" if value is None else value)


class _Lines:
    """The document's lines. `out(markdown, *values)` adds one line: `markdown` with each `{}`
    replaced by the next value, escaped."""

    __slots__ = ("parts",)

    def __init__(self) -> None:
        self.parts: list[str] = []

    def __call__(self, markdown: str = "", *values: object) -> None:
        if values:
            markdown = markdown.format(*map(escaped, values))
        self.parts.append(markdown + "\n")

    def row(self, *cells: object) -> None:
        """One table row: `| a | b | c |`, each cell escaped (md_escape folds line breaks and
        escapes `|`, so a cell can never break the table)."""
        self.parts.append("| " + " | ".join(map(escaped, cells)) + " |\n")

    def text(self) -> str:
        return "".join(self.parts)


def facts(pairs: Iterable[tuple[object, object]]) -> Raw:
    """`- **label:** value` lines, each part escaped."""
    return Raw("".join(f"- **{escaped(label)}:** {escaped(value)}\n" for label, value in pairs))


def ids(refs: Iterable[Any]) -> Raw:
    """The refs' ids, comma-separated and escaped."""
    return Raw(md_escape(", ".join(str(ref.id) for ref in refs)))


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def render_markdown(doc: Document) -> str:
    out = _Lines()
    plan = doc.plan
    out("# Treatment plan {}\n\n**Confidential mental health treatment plan** · status: **{}**{}\n", plan.id, plan.status,
        " · redacted copy" if doc.redacted else "")
    if doc.redacted:
        out("*Client identifiers are reduced (initials, year of birth; contact, emergency contact and insurance ids removed) "
            "for supervision or teaching.*\n")
    _banner(out, doc)
    out("## Client\n\n**{}**\n\n{}\n## Clinician\n\n**{}**\n\n{}\n## Plan\n\n{}", doc.client_name, facts(doc.client_facts),
        doc.clinician, facts(doc.clinician_facts), facts(doc.plan_facts))
    if plan.diagnoses:
        out("## Diagnoses\n\n| ICD-10-CM | Description | Role |\n|---|---|---|")
        any_primary = any(d.primary for d in plan.diagnoses)
        for d in plan.diagnoses:
            out.row(d.code, d.description or "", "Primary" if d.primary else ("Secondary" if any_primary else ""))
        out()
    if doc.insurance:
        out("## Insurance and authorization\n\n{}", facts(doc.insurance))
    out("## Presenting problems\n")
    for p in doc.problems:
        out("### {}: {}\n\n{}", p.id, p.summary, facts([*p.details, ("Addressed by", ", ".join(str(g.id) for g in p.goals) or "no goal")]))
    if doc.history:
        out("## History\n\n{}", facts(doc.history))
    if doc.assessments:
        out("## Assessments\n\n| Date | Instrument | Score or result | Range | Severity band | Note |\n|---|---|--:|---|---|---|")
        for a in doc.assessments:
            out.row(a["date"], a["instrument"], a["score"], a["range"], a["band"], a["note"])
        out()
    _bullets(out, "## Strengths", plan.strengths)
    _golden_thread(out, doc)
    out("## Goals and objectives\n")
    for g in doc.goals:
        _goal(out, g)
    out("## Interventions\n\n| Intervention | Modality | Frequency | Provider | Serves |\n|---|---|---|---|---|")
    for i in doc.interventions:
        description = f" ({i['description']})" if i["description"] else ""
        out("| {}: {}{} | {} | {} | {} | {} |", i["id"], i["name"], description, i["modality"] or "", i["frequency"] or "",
            i["provider"] or "", ids(i["goals"]) if i["goals"] else "no goal")
    out("\n## Schedule\n\n{}", facts(doc.schedule))
    if doc.progress:
        out("## Progress\n\nScores and session notes, oldest first; a note without a score is a narrative entry.\n\n"
            "| Date | Measure | Score | Goals | Note |\n|---|---|--:|---|---|")
        for e in doc.progress:
            narrative = e["narrative"]
            out.row(e["date"], "session note" if narrative else e["measure"], "—" if narrative else e["score"],
                ids(e["goals"]), e["note"] or "")
        out()
    _reviews_and_follow_up(out, doc)
    _discharge(out, doc)
    _bullets(out, "## Discharge criteria", plan.discharge_criteria)
    _bullets(out, "## Accommodations", plan.accommodations)
    _risk(out, doc)
    consent = plan.consent
    if consent:
        out("## Consent and signatures\n\n{}\n\n| Signed by | Name | Date |\n|---|---|---|",
            "The client took part in writing this plan and agreed to it." if consent.client_agreed
            else "The client’s agreement to this plan is not recorded.")
        for s in doc.signatures:
            out.row(s["role"], s["name"], s["date"])
        out()
    out("---\n")
    updated = Raw(", last updated " + escaped(plan.updated.isoformat())) if plan.updated else ""
    out("*Plan {}{}. Rendered by tplan on {}. Contains confidential health information: share only with people entitled "
        "to see it.*", plan.id, updated, doc.today)
    return out.text()


def _banner(out: _Lines, doc: Document) -> None:
    banner = doc.banner
    if not banner:
        return
    errors, warnings = banner.errors, banner.warnings
    also = Raw(" and " + escaped(warnings) + " warning" + _plural(warnings, "", "s")) if warnings else ""
    out("> [!WARNING]\n> **Not ready to share: {} lint error{}{}.** Run `tplan lint` on the plan file and fix {} before using this "
        "document.\n>", errors, _plural(errors, "", "s"), also, _plural(errors, "it", "them"))
    for line in banner.findings[:12]:
        out("> - {}", line)
    if len(banner.findings) > 12:
        out("> - … and {} more", len(banner.findings) - 12)
    out()


def _bullets(out: _Lines, heading: str, items: list[Any] | None, *, numbered: bool = False) -> None:
    """A heading and a bulleted (or numbered) list, or nothing for no items."""
    if not items:
        return
    out(heading + "\n")
    for n, item in enumerate(items, 1):
        if numbered:
            out("{}. {}", n, item)
        else:
            out("- {}", item)
    out()


def _golden_thread(out: _Lines, doc: Document) -> None:
    out("## How the plan fits together\n\nEach presenting problem, the goals that address it, and the interventions behind each goal.\n\n"
        "| Presenting problem | Goal | Interventions |\n|---|---|---|")
    for p in doc.problems:
        for n, g in enumerate(p.goals):
            through = Raw("; ".join(escaped(i.id) + ": " + escaped(i.text) for i in g.interventions) or "no intervention")
            out("| {} | {}: {} | {} |", f"{p.id}: {p.summary}" if n == 0 else "", g.id, g.statement, through)
        if not p.goals:
            out("| {}: {} | no goal addresses this problem | |", p.id, p.summary)
    out()


def _goal(out: _Lines, g: GoalView) -> None:
    addresses = Raw(" · addresses " + ids(g.addresses)) if g.addresses else ""
    through = Raw(" · through " + ids(g.interventions)) if g.interventions else ""
    out("### {}: {}\n\n*{}{}{}*\n", g.id, g.statement, g.term, addresses, through)
    if g.client_words:
        out("> “{}” (in the client’s words)\n", g.client_words)
    out("| Goal or objective | Measure | Baseline | Target | Deadline | Latest | Status | Review status |\n|---|---|--:|---|---|--:|---|---|")
    for r in g.rows:
        out.row(
            f"{r.id} goal" if r.kind == "goal" else f"{r.id} {r.statement}",
            r.measure,
            r.baseline,
            r.target,
            r.deadline,
            f"{r.latest} ({r.latest_date})" if r.latest else "—",
            r.status + (f", {r.trend}" if r.trend else "") + (f", {r.change}" if r.change else ""),
            r.review_status + (f" since {r.review_status_date}" if r.review_status_date else ""),
        )
    out()
    if g.levels:
        out("**Goal Attainment Scaling levels for {}**\n\n| Level | Outcome | |\n|---|---|---|", g.id)
        for level in g.levels:
            out("| {} ({}) | {} | {} |", level["level"], level["name"], level["text"], ", ".join(str(m) for m in level["marks"]))
        out()
    if g.changes:
        out("**Changes at reviews**\n\n| Date | Item | Field | From | To | Reason |\n|---|---|---|---|---|---|")
        for ch in g.changes:
            out.row(ch["date"], ch["item"], ch["field"], ch["from"], ch["to"], ch["reason"])
        out()
    for c in g.charts:
        out("**{}.** {}\n\n| Date | {} |\n|---|--:|", c.title, c.caption, c.measure)
        for date, score in c.scores:
            out.row(date, score)
        out()


def _reviews_and_follow_up(out: _Lines, doc: Document) -> None:
    plan = doc.plan
    if plan.reviews.history:
        out("## Reviews\n")
        for r in plan.reviews.history:
            out("### {}\n\n{}\n", r.date.isoformat(), r.summary)
            if r.changes:
                out("**Changes:** {}\n", r.changes)
    fu = plan.follow_up
    if fu and (fu.referrals or fu.next_steps or fu.resources):
        out("## Follow-up\n")
        if fu.referrals:
            out("| Referred to | Reason | Date |\n|---|---|---|")
            for ref in fu.referrals:
                out.row(ref.to, ref.reason or "", ref.date.isoformat() if ref.date else "")
            out()
        _bullets(out, "**Next steps**", fu.next_steps)
        _bullets(out, "**Resources given to the client**", fu.resources)


def _discharge(out: _Lines, doc: Document) -> None:
    d = doc.discharge
    if not d:
        return
    out("## Discharge\n\n{}\n{}\n", facts([("Discharged", d["date"]), ("Reason", d["reason"])]), d["summary"])
    if d["referrals"]:
        out("| Referred to | Reason | Date |\n|---|---|---|")
        for r in d["referrals"]:
            out.row(r["to"], r["reason"], r["date"])
        out()


def _risk(out: _Lines, doc: Document) -> None:
    risk = doc.plan.risk
    if not risk:
        return
    out("## Risk and safety plan\n\n**Risk level: {}**{}\n", risk.level, f" · assessed {risk.assessed.isoformat()}" if risk.assessed else "")
    if risk.notes:
        out("{}\n", risk.notes)
    _bullets(out, "**Protective factors**", risk.protective_factors)
    sp = risk.safety_plan
    if not sp:
        return
    _bullets(out, "**Warning signs**", sp.warning_signs, numbered=True)
    _bullets(out, "**Coping strategies**", sp.coping, numbered=True)
    if sp.contacts:
        out("**People and services to contact**\n")
        for n, c in enumerate(sp.contacts, 1):
            shown = c if isinstance(c, str) else (
                f"{c.name}" + (f" ({c.relationship})" if c.relationship else "") + (f", {c.phone}" if c.phone else "")
            )
            out("{}. {}", n, shown)
        out()
    if sp.crisis_line:
        out("**In a crisis:** {}\n", sp.crisis_line)
