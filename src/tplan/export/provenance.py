"""Provenance per signature (client, guardian, clinician, supervisor), targeting the CarePlan.

The plan records signature dates only. `occurredDateTime` carries that date; `recorded` and
`signature.when` must be instants, so they are that date at 00:00:00Z (the time is not known).
"""

from __future__ import annotations

from tplan.export.codes import (
    AUTHOR_SIGNATURE,
    CONSENT_SIGNATURE,
    PROVENANCE_AGENT,
    SIGNATURE_TYPE,
    VERIFICATION_SIGNATURE,
    Resource,
    coding,
    concept,
)
from tplan.export.context import Context

# consent field → (who signed: reference kind and key, signature type, agent role or None).
SIGNERS = (
    ("client_signed", ("patient", ""), CONSENT_SIGNATURE, None),
    ("guardian_signed", ("guardian", ""), CONSENT_SIGNATURE, None),
    ("clinician_signed", ("practitioner", "clinician"), AUTHOR_SIGNATURE, ("author", "Author")),
    ("supervisor_signed", ("practitioner", "supervisor"), VERIFICATION_SIGNATURE, ("verifier", "Verifier")),
)


def signatures(ctx: Context, present: set[str]) -> list[tuple[str, Resource]]:
    """(consent field, Provenance) for each signature date whose signer is in the Bundle
    (`present`: the fullUrls exported; a guardian_signed without a guardian is skipped)."""
    consent = ctx.plan.consent
    if consent is None:
        return []
    out = []
    for field, (kind, key), signature, role in SIGNERS:
        day = getattr(consent, field, None)
        if day is None or ctx.urn(kind, key) not in present:
            continue
        instant = f"{day.isoformat()}T00:00:00Z"
        who = ctx.ref(kind, key)
        agent: Resource = {}
        if role:
            agent["type"] = concept(PROVENANCE_AGENT, *role)
        agent["who"] = who
        out.append((field, {
            "resourceType": "Provenance",
            "target": [ctx.ref("careplan")],
            "occurredDateTime": day.isoformat(),
            "recorded": instant,
            "agent": [agent],
            "signature": [{"type": [coding(SIGNATURE_TYPE, *signature)], "when": instant, "who": who}],
        }))
    return out
