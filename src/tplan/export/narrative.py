"""CarePlan.text: the human-readable summary US Core requires, as escaped XHTML.

Every value from the plan goes through `escape`, so a goal such as "reduce <b>drinking</b> & …"
stays text; characters XML forbids (control characters) are dropped. The output is one
well-formed <div> in the XHTML namespace, using only elements FHIR narrative allows.
"""

from __future__ import annotations

import html
import re

from tplan.schema.care import Intervention
from tplan.schema.goals import Goal, Objective
from tplan.schema.plan import Plan

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(text: object) -> str:
    return html.escape(_NOT_XML.sub("", str(text)), quote=True)


def careplan_div(plan: Plan, goal_lines: dict[str, str]) -> str:
    """The plan's id, status and period; its problems, goals (with targets) and interventions."""
    parts = [f"<p><b>Treatment plan {escape(plan.id)}</b> ({escape(plan.status)}), created {escape(plan.created.isoformat())}.</p>"]
    parts.append(_list("Presenting problems", [f"{escape(p.id)}: {escape(p.summary)}" for p in plan.presenting_problems]))
    goals = []
    for goal in plan.goals:
        objectives = "".join(f"<li>{goal_lines[o.id]}</li>" for o in goal.objectives)
        goals.append(goal_lines[goal.id] + (f"<ul>{objectives}</ul>" if objectives else ""))
    parts.append(_list("Goals", goals))
    parts.append(_list("Interventions", [_intervention(i) for i in plan.interventions]))
    return '<div xmlns="http://www.w3.org/1999/xhtml">' + "".join(parts) + "</div>"


def goal_line(item: Goal | Objective, target_text: str | None) -> str:
    """One goal or objective: id, statement, target and deadline; a GAS goal's five levels below it."""
    line = f"{escape(item.id)}: {escape(item.statement)}"
    details = [d for d in (target_text and f"target {escape(target_text)}",
                           item.deadline and f"by {escape(item.deadline.isoformat())}") if d]
    line += f" ({', '.join(details)})" if details else ""
    levels = getattr(item, "levels", None)
    if levels:
        line += "<ul>" + "".join(f"<li>{level:+d}: {escape(text)}</li>" if level else f"<li>0: {escape(text)}</li>"
                                 for level, text in sorted(levels.items())) + "</ul>"
    return line


def _intervention(item: Intervention) -> str:
    text = f"{escape(item.id)}: {escape(item.name)}"
    if item.frequency:
        text += f", {escape(item.frequency)}"
    return text


def _list(title: str, items: list[str]) -> str:
    if not items:
        return ""
    return f"<p>{escape(title)}:</p><ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
