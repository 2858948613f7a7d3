"""What every resource builder needs: the plan, the catalogue and stable ids for each element.

Ids are uuid5 of the plan id and the element's kind and id, so the same plan always exports to the
same Bundle (byte-identical), and a re-export after an edit changes only what the edit changed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from tplan.export.codes import Resource
from tplan.measures import Catalogue
from tplan.schema.plan import Plan

# A fixed namespace for tplan's uuid5 ids; changing it would change every exported id.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:tplan:fhir-export")


def element_uuid(plan_id: str, kind: str, key: str = "") -> str:
    """The uuid5 of one element of one plan, e.g. ("TP-1", "goal", "G1")."""
    return str(uuid.uuid5(NAMESPACE, f"{plan_id}/{kind}/{key}"))


@dataclass(frozen=True)
class Context:
    plan: Plan
    catalogue: Catalogue

    def urn(self, kind: str, key: str = "") -> str:
        return f"urn:uuid:{element_uuid(self.plan.id, kind, key)}"

    def ref(self, kind: str, key: str = "", display: str | None = None) -> Resource:
        out = {"reference": self.urn(kind, key)}
        if display:
            out["display"] = display
        return out

    @property
    def patient(self) -> Resource:
        return self.ref("patient")

    @property
    def clinician(self) -> Resource:
        return self.ref("practitioner", "clinician")

    @property
    def goal_ids(self) -> set[str]:
        """Ids of goals and objectives: a reference to any other id (a G203 error exported with
        --force) is left out rather than left dangling."""
        return {g.id for g in self.plan.goals} | {o.id for g in self.plan.goals for o in g.objectives}

    @property
    def problem_ids(self) -> set[str]:
        return {p.id for p in self.plan.presenting_problems}

    @property
    def start(self) -> str:
        return self.plan.created.isoformat()
