"""A validated Plan → plain display values for the templates (no jinja2 here).

Everything a template prints is decided here, so the Markdown and HTML documents always say the
same thing: statuses come from `tplan.attainment`, targets from `tplan.targets`, and the golden
thread (problem → goals → interventions) is resolved once.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import TYPE_CHECKING, Any

from tplan.attainment import Attainment, Scored, Trend, attainment, scored_progress
from tplan.dates import age_on
from tplan.diagnostics import Diagnostic, Severity
from tplan.measures import Catalogue, fmt_number
from tplan.outcomes import Outcome, outcome
from tplan.schema.values import is_custom_measure

if TYPE_CHECKING:  # the plan may come from the fast route (tplan.schema.core): same fields, no model classes
    from tplan.render.chart import Chart
    from tplan.schema.base import CustomMeasure
    from tplan.schema.client import Guardian, Supervisor
    from tplan.schema.clinical import Assessment
    from tplan.schema.goals import Goal, Objective
    from tplan.schema.plan import Plan
    from tplan.targets import AbsoluteTarget, MeasureInfo

SYMBOL = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "==": "="}
STATUS_CLASS = {"met": "met", "on track": "on-track", "behind": "behind", "overdue": "overdue", "no data": "no-data"}
TERM = {"short": "Short-term goal", "long": "Long-term goal"}
SETTING = {"in-person": "In person", "telehealth": "Telehealth", "hybrid": "Hybrid (in person and telehealth)"}
AUTHORITY = {"parent": "parent", "legal-guardian": "legal guardian", "conservator": "conservator", "other": "other authority"}
DISCHARGE_REASON = {
    "goals-met": "Goals met",
    "client-withdrew": "The client withdrew",
    "referred": "Referred elsewhere",
    "moved": "The client moved",
    "administrative": "Administrative discharge",
    "other": "Other reason",
}
# The conventional GAS level names (Kiresuk & Sherman): the scale's, never the plan's text.
GAS_NAMES = {
    -2: "much less than expected",
    -1: "somewhat less than expected",
    0: "the expected outcome",
    1: "somewhat more than expected",
    2: "much more than expected",
}


def gas_label(level: int) -> str:
    """A GAS level as written in the format: "-2", "-1", "0", "+1", "+2"."""
    return f"+{level}" if level > 0 else str(level)


def is_gas(item: Goal | Objective) -> bool:
    return isinstance(item.measure, str) and item.measure.strip().upper() == "GAS"


def is_minor(born: _dt.date | None, created: _dt.date, consent_age: int) -> bool:
    """Below the consent age on the day the plan was created: the count rule C401 uses."""
    return born is not None and age_on(born, created) < consent_age


_NOT_IN_ANCHOR = re.compile(r"[^A-Za-z0-9_.-]")


def anchor(kind: str, ident: str) -> str:
    """An HTML id for a plan id: plan ids are free text, anchors must not be."""
    return kind + "-" + (ident if _NOT_IN_ANCHOR.search(ident) is None else _NOT_IN_ANCHOR.sub("-", ident))


def fmt_date(value: Any) -> str:
    return value.isoformat() if isinstance(value, _dt.date) else ("" if value is None else str(value))


@dataclass
class Ref:
    """A link along the golden thread: an id, what it names ("goal", "problem", "intervention"),
    whether the plan has it (not: a G203 finding) and its text."""

    id: str
    kind: str
    exists: bool
    text: str = ""

    @property
    def anchor(self) -> str | None:
        """The HTML id the link goes to, None for an id the plan does not have. Worked out when
        the HTML asks: Markdown prints no links."""
        return anchor(self.kind, self.id) if self.exists else None


@dataclass
class Row:
    """One line of a goal's table: the goal itself or one of its objectives."""

    id: str
    kind: str  # "goal" | "objective"
    statement: str
    measure: str
    baseline: str
    target: str
    deadline: str
    latest: str
    latest_date: str
    status: str
    status_class: str
    trend: str
    change: str = ""  # reliable improvement / no reliable change / … from tplan.outcomes; "" when not assessable
    review_status: str = "active"  # the clinician's decision (goal `status`), not the score's
    review_status_date: str = ""


@dataclass
class ChartView:
    title: str
    caption: str  # the text alternative: every value the chart shows
    measure: str
    target: str
    geometry: Callable[[], Chart]  # the chart's geometry, worked out when a document draws it
    scores: list[tuple[str, str]]  # (date, score) for the Markdown table and screen readers
    ident: str
    change: str = ""  # "reliable improvement (RC +2.26)", labelled on the chart

    @cached_property
    def chart(self) -> Chart:
        """The SVG's geometry: HTML and PDF draw it; Markdown shows the scores as a table and never
        asks (a fifth of the view's work for a folder's Markdown render)."""
        return self.geometry()


@dataclass
class GoalView:
    id: str
    term: str
    statement: str
    client_words: str | None
    addresses: list[Ref]
    interventions: list[Ref]
    rows: list[Row]
    charts: list[ChartView]
    changes: list[dict[str, Any]] = field(default_factory=list)  # the goal's and its objectives', oldest first
    levels: list[dict[str, Any]] = field(default_factory=list)  # a GAS goal's five levels, -2 first

    @property
    def anchor(self) -> str:
        return anchor("goal", self.id)


@dataclass
class ProblemView:
    id: str
    summary: str
    details: list[tuple[str, str]]
    goals: list[GoalView]

    @property
    def anchor(self) -> str:
        return anchor("problem", self.id)


@dataclass
class Banner:
    errors: int
    warnings: int
    findings: list[str]  # "12:5 S103 goal G2 has no deadline" — positions and rule messages only


@dataclass
class Document:
    plan: Plan
    title: str
    today: str
    redacted: bool
    client_name: str
    client_facts: list[tuple[str, str]]
    clinician: str
    clinician_facts: list[tuple[str, str]]
    plan_facts: list[tuple[str, str]]
    problems: list[ProblemView]
    goals: list[GoalView]
    interventions: list[dict[str, Any]]
    banner: Banner | None
    assessments: list[dict[str, Any]] = field(default_factory=list)
    history: list[tuple[str, str]] = field(default_factory=list)
    schedule: list[tuple[str, str]] = field(default_factory=list)
    progress: list[dict[str, Any]] = field(default_factory=list)
    insurance: list[tuple[str, str]] = field(default_factory=list)
    signatures: list[dict[str, Any]] = field(default_factory=list)
    discharge: dict[str, Any] | None = None


def build(
    plan: Plan,
    catalogue: Catalogue,
    today: _dt.date,
    diagnostics: list[Diagnostic],
    redacted: bool = False,
    birth_year: int | None = None,
    minor_consent_age: int = 18,
) -> Document:
    goals_by_id = {g.id: g for g in plan.goals}
    problems_by_id = {p.id: p for p in plan.presenting_problems}
    serving: dict[str, list[Ref]] = {}
    for item in plan.interventions:
        for gid in item.goals:
            serving.setdefault(gid, []).append(Ref(item.id, "intervention", True, item.name))

    scored = scored_progress(plan, catalogue)
    goals = [_goal(g, plan, catalogue, today, problems_by_id, serving, scored) for g in plan.goals]
    goal_views = {g.id: g for g in goals}
    problems = [
        ProblemView(
            p.id,
            p.summary,
            _facts(
                ("Severity", p.severity),
                ("Onset", fmt_date(p.onset)),
                ("Duration", p.duration),
                ("Stressors", ", ".join(p.stressors)),
                ("Impact", ", ".join(p.impact)),
            ),
            [goal_views[g.id] for g in plan.goals if p.id in g.addresses],
        )
        for p in plan.presenting_problems
    ]
    interventions = [
        {
            "id": i.id,
            "anchor": anchor("intervention", i.id),
            "name": i.name,
            "modality": i.modality,
            "frequency": i.frequency,
            "provider": i.provider,
            "description": i.description,
            "goals": [Ref(g, "goal", g in goals_by_id) for g in i.goals],
        }
        for i in plan.interventions
    ]
    client = plan.client
    c = plan.clinician
    born = f"{birth_year}" if redacted and birth_year else fmt_date(client.date_of_birth)
    if client.date_of_birth and not redacted:
        born += f" (age {_age(client.date_of_birth, today)})"
    contact = client.contact
    emergency = "; ".join(_person(e.name, e.relationship, e.phone) for e in client.emergency_contacts)
    guardian = client.guardian
    guarded = guardian is not None or is_minor(client.date_of_birth, plan.created, minor_consent_age)
    return Document(
        plan=plan,
        title=f"Treatment plan {plan.id}",
        today=today.isoformat(),
        redacted=redacted,
        client_name=client.name,
        client_facts=_facts(
            ("Born", born),
            ("Preferred name", client.preferred_name),
            ("Pronouns", client.pronouns),
            ("Language", client.language),
            ("Phone", contact.phone if contact else None),
            ("Email", contact.email if contact else None),
            ("Address", contact.address if contact else None),
            ("Emergency contact" if len(client.emergency_contacts) < 2 else "Emergency contacts", emergency or None),
            ("Guardian", _guardian(guardian) if guardian else None),
        ),
        clinician=c.name + (f", {c.credentials}" if c.credentials else ""),
        clinician_facts=_facts(
            ("License", c.license), ("NPI", c.npi), ("Phone", c.phone), ("Email", c.email),
            ("Supervisor", _supervisor(c.supervisor) if c.supervisor else None),
        ),
        plan_facts=_facts(
            ("Plan id", plan.id),
            ("Status", plan.status),
            ("Created", fmt_date(plan.created)),
            ("Updated", fmt_date(plan.updated)),
            ("Next review", fmt_date(plan.reviews.next)),
            ("Template", plan.template),
        ),
        problems=problems,
        goals=goals,
        interventions=interventions,
        banner=_banner(diagnostics),
        assessments=[_assessment(a, catalogue) for a in plan.assessments],
        history=_history(plan),
        schedule=_facts(
            ("Frequency", plan.schedule.frequency if plan.schedule else None),
            ("Session length", f"{plan.schedule.session_minutes} minutes" if plan.schedule and plan.schedule.session_minutes else None),
            ("Setting", SETTING.get(plan.schedule.setting) if plan.schedule and plan.schedule.setting else None),
            ("Review every", f"{plan.reviews.interval_days} days"),
            ("Next review", fmt_date(plan.reviews.next)),
        ),
        progress=[
            {
                "date": fmt_date(p.date),
                "narrative": p.narrative,
                "measure": p.measure or "",
                "score": fmt_number(p.score) if p.score is not None else "",
                "goals": [Ref(g, "goal", g in goals_by_id) for g in p.goals],
                "note": p.note,
            }
            for p in plan.progress
        ],
        insurance=_insurance(plan),
        signatures=_signatures(plan, guarded),
        discharge=_discharge(plan),
    )


def _facts(*pairs: tuple[str, Any]) -> list[tuple[str, str]]:
    """(label, value) pairs with the empty ones left out: empty fields are omitted, not shown blank."""
    return [(label, str(value)) for label, value in pairs if value not in (None, "", [])]


def _person(name: str, relationship: str | None, phone: str | None) -> str:
    return name + (f" ({relationship})" if relationship else "") + (f", {phone}" if phone else "")


def _guardian(g: Guardian) -> str:
    authority = f"; authority: {AUTHORITY[g.authority]}" if g.authority else ""
    return _person(g.name, g.relationship, g.phone) + (f", {g.email}" if g.email else "") + authority


def _supervisor(s: Supervisor) -> str:
    name: str = s.name
    return name + (f", {s.credentials}" if s.credentials else "") + (f" (license {s.license})" if s.license else "")


def _signatures(plan: Plan, guarded: bool) -> list[dict[str, Any]]:
    """The signature lines the plan needs, as rule C401 asks for them: a minor's or a guarded
    client's signature is their assent next to the guardian's; a supervisor co-signs. `detail`
    is what a records officer checks a signer against: licence and NPI, a guardian's authority."""
    consent = plan.consent
    if consent is None:
        return []
    client, guardian, c = plan.client, plan.client.guardian, plan.clinician

    def line(role: str, name: str, signed: _dt.date | None, detail: str = "") -> dict[str, Any]:
        return {"role": role, "name": name, "date": fmt_date(signed) if signed else "not signed", "signed": signed is not None,
                "detail": detail}

    lines = [line("Client (assent)" if guarded else "Client", client.name, consent.client_signed,
                  "assent to the plan; the guardian consents" if guarded else "")]
    if guarded or consent.guardian_signed:
        name = _person(guardian.name, guardian.relationship, None) if guardian else "guardian not named"
        authority = f"authority: {AUTHORITY[guardian.authority]}" if guardian and guardian.authority else ""
        lines.append(line("Guardian", name, consent.guardian_signed, authority))
    lines.append(line("Clinician", c.name + (f", {c.credentials}" if c.credentials else ""), consent.clinician_signed,
                      _licence(c.license, c.npi)))
    if c.supervisor or consent.supervisor_signed:
        s = c.supervisor
        name = (s.name + (f", {s.credentials}" if s.credentials else "")) if s else "supervisor not named"
        lines.append(line("Supervisor", name, consent.supervisor_signed, _licence(s.license, s.npi) if s else ""))
    return lines


def _licence(license: str | None, npi: str | None) -> str:
    return " · ".join(part for part in (f"license {license}" if license else "", f"NPI {npi}" if npi else "") if part)


def _discharge(plan: Plan) -> dict[str, Any] | None:
    d = plan.discharge
    if d is None:
        return None
    return {
        "date": fmt_date(d.date),
        "reason": DISCHARGE_REASON.get(d.reason, d.reason),
        "summary": d.summary,
        "referrals": [{"to": r.to, "reason": r.reason or "", "date": fmt_date(r.date)} for r in d.referrals],
    }


def _changes(goal: Goal) -> list[dict[str, Any]]:
    """What reviews changed about the goal and its objectives, oldest first."""
    items = [(goal.id, ch) for ch in goal.changes] + [(o.id, ch) for o in goal.objectives for ch in o.changes]
    return [
        {"date": fmt_date(ch.date), "item": ident, "field": ch.field, "from": ch.from_ or "", "to": ch.to or "", "reason": ch.reason}
        for ident, ch in sorted(items, key=lambda pair: pair[1].date)
    ]


def _levels(goal: Goal, state: Attainment) -> list[dict[str, Any]]:
    """A GAS goal's five levels, -2 first, each marked baseline / target / current."""
    if not is_gas(goal) or not goal.levels:
        return []
    target = state.target
    current = state.latest.value if state.latest else None
    rows = []
    for level in sorted(goal.levels):
        marks = []
        if goal.baseline is not None and goal.baseline == level:
            marks.append("baseline")
        if target is not None and _lowest_meeting(target) == level:
            marks.append("target" + (" or better" if target.comparator in (">=", ">") else ""))
        if current is not None and current == level:
            marks.append("current")
        rows.append({"level": gas_label(level), "name": GAS_NAMES.get(level, ""), "text": goal.levels[level], "marks": marks})
    return rows


def _lowest_meeting(target: AbsoluteTarget) -> float:
    """The level a GAS target names: `>= 0` and `> -1` both aim at the expected outcome (0)."""
    return target.value + 1 if target.comparator == ">" else target.value - 1 if target.comparator == "<" else target.value


def _age(born: _dt.date, today: _dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _insurance(plan: Plan) -> list[tuple[str, str]]:
    ins = plan.client.insurance
    if ins is None:
        return []
    auth = ins.authorization
    sessions = f"{auth.sessions} sessions" if auth and auth.sessions is not None else None
    return _facts(
        ("Payer", ins.payer),
        ("Member id", ins.member_id),
        ("Group", ins.group),
        ("Authorization", auth.number if auth else None),
        ("Authorized", sessions),
        ("Authorization expires", fmt_date(auth.expires) if auth else None),
    )


def _history(plan: Plan) -> list[tuple[str, str]]:
    h = plan.history
    if h is None:
        return []
    meds = "; ".join(
        m.name + (f" {m.dose}" if m.dose else "") + (f" (prescribed by {m.prescriber})" if m.prescriber else "")
        for m in h.medications
    )
    return _facts(
        ("Medical", h.medical),
        ("Psychiatric", h.psychiatric),
        ("Medications", meds),
        ("Substance use", h.substance_use),
        ("Family", h.family),
        ("Social", h.social),
    )


def _assessment(a: Assessment, catalogue: Catalogue) -> dict[str, Any]:
    inst = catalogue.get(a.instrument)
    return {
        "date": fmt_date(a.date),
        "instrument": inst.id if inst else a.instrument,
        "name": inst.name if inst else "",
        "score": fmt_number(a.score) if a.score is not None else a.result,
        "range": inst.range_text if inst and a.score is not None else "",
        "band": (inst.band(a.score) or "") if inst and a.score is not None else "",
        "note": a.note or "",
    }


def _banner(diagnostics: list[Diagnostic]) -> Banner | None:
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if not errors:
        return None
    warnings = sum(1 for d in diagnostics if d.severity is Severity.WARNING)
    lines = [(f"line {d.line}: " if d.line else "") + f"{d.code} {d.message}" for d in errors]
    return Banner(len(errors), warnings, lines)


def measure_label(measure: str | CustomMeasure | None, catalogue: Catalogue) -> str:
    if measure is None:
        return ""
    if is_custom_measure(measure):
        return measure.name + (f" ({measure.unit})" if measure.unit else "")
    inst = catalogue.get(measure)
    return inst.id if inst else measure


def target_label(item: Goal | Objective, state: Attainment) -> str:
    """The normalised target ("≤ 9"); a relative target keeps its wording: "−50% (≤ 7)"."""
    if item.target is None:
        return ""
    if state.target is None:
        return item.target.raw
    absolute = f"{SYMBOL[state.target.comparator]} {fmt_number(round(state.target.value, 2))}"
    return f"{item.target.raw} ({absolute})" if item.target.relative else absolute


def _row(item: Goal | Objective, kind: str, state: Attainment, catalogue: Catalogue, result: Outcome | None = None) -> Row:
    latest = state.latest
    status = state.status._value_  # the member's text (Enum's `.value` is a slower descriptor)
    return Row(
        id=item.id,
        kind=kind,
        statement=item.statement,
        measure=measure_label(item.measure, catalogue),
        baseline="" if item.baseline is None else fmt_number(item.baseline),
        target=target_label(item, state),
        deadline=fmt_date(item.deadline),
        latest="" if latest is None else fmt_number(latest.value),
        latest_date="" if latest is None else latest.date.isoformat(),
        status=status,
        status_class=STATUS_CLASS[status],
        trend="" if state.trend is Trend.UNKNOWN else state.trend._value_,
        change=result.change_class._value_ if result else "",
        review_status=item.status,
        review_status_date=fmt_date(item.status_date),
    )


def _goal(
    goal: Goal, plan: Plan, catalogue: Catalogue, today: _dt.date, problems: dict[str, Any], serving: dict[str, list[Ref]], scored: Scored
) -> GoalView:
    rows, charts, levels = [], [], []
    for item, kind in [(goal, "goal")] + [(o, "objective") for o in goal.objectives]:
        state = attainment(item, plan, catalogue, today, scored)
        if item is goal:
            levels = _levels(goal, state)
        result = outcome(item, plan, catalogue, state.scores)
        row = _row(item, kind, state, catalogue, result)
        rows.append(row)
        if state.scores:
            charts.append(_chart(item, row, state, plan, result))
    return GoalView(
        id=goal.id,
        term=TERM.get(goal.term or "", "Goal"),
        statement=goal.statement,
        client_words=goal.client_words,
        addresses=[Ref(p, "problem", True, problems[p].summary) if p in problems else Ref(p, "problem", False) for p in goal.addresses],
        interventions=serving.get(goal.id, []),
        rows=rows,
        charts=charts,
        changes=_changes(goal),
        levels=levels,
    )


def _chart(item: Goal | Objective, row: Row, state: Attainment, plan: Plan, result: Outcome | None = None) -> ChartView:
    info = state.measure
    target = (state.target.comparator, state.target.value) if state.target else None
    mcid = _mcid(info)
    geometry = partial(
        _progress_chart,
        [(s.date, s.value) for s in state.scores],
        plan.created,
        item.baseline,
        target,
        item.deadline,
        (info.min, info.max) if info else (None, None),
        mcid=mcid,
    )
    parts = [f"baseline {row.baseline} on {plan.created.isoformat()}"] if row.baseline else []
    parts += [f"{fmt_number(s.value)} on {s.date.isoformat()}" for s in state.scores]
    goal_text = f"target {row.target}" + (f" by {row.deadline}" if row.deadline else "") if row.target else "no target"
    change = f"{result.change_class.value} (RC {result.rc:+.2f})" if result else ""
    # progress_chart draws the MCID band when there are both an MCID and a baseline
    band = f"; MCID band ±{fmt_number(mcid)} around the baseline" if mcid is not None and item.baseline is not None else ""
    outcome_text = band + (f"; {change}" if change else "")
    caption = f"{row.measure} for {item.id}: " + ", ".join(parts) + f"; {goal_text}; status {row.status}{outcome_text}."
    return ChartView(
        title=f"{row.measure} over time ({item.id})",
        caption=caption,
        measure=row.measure,
        target=row.target,
        geometry=geometry,
        scores=[(s.date.isoformat(), fmt_number(s.value)) for s in state.scores],
        ident=anchor("chart", item.id),
        change=change,
    )


def _mcid(info: MeasureInfo | None) -> float | None:
    """The measure's published MCID, drawn as a band around the baseline."""
    inst = info.instrument if info else None
    return inst.psychometrics.mcid.value if inst and inst.psychometrics.mcid else None


def _progress_chart(*args: Any, **kwargs: Any) -> Chart:
    """tplan.render.chart.progress_chart, imported when a document draws a chart (HTML and PDF;
    Markdown shows the scores as a table)."""
    from tplan.render.chart import progress_chart

    return progress_chart(*args, **kwargs)
