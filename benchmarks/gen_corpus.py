#!/usr/bin/env python3
# A copy of shared/bench/gen_corpus.py (the corpus the performance targets are defined on), kept
# here so that `python benchmarks/run.py` works from a checkout. Synthetic, invented people only.
"""Generate a synthetic corpus of treatment-plan YAML files (no real people).

Usage: gen_corpus.py OUTDIR N [--seed S]
Each file is a realistic ~160-line plan in the tplan format v1 (shared/PLAN-FORMAT.md),
valid and lint-clean when linted with --today 2026-12-01. For benchmarks only.
"""
import random
import sys
from datetime import date, timedelta
from pathlib import Path

TODAY = date(2026, 12, 1)  # lint with --today 2026-12-01

FIRST = ["Alex", "Jordan", "Sam", "Riley", "Casey", "Morgan", "Taylor", "Jamie", "Avery", "Quinn"]
LAST = ["Rivera", "Chen", "Okafor", "Novak", "Haddad", "Silva", "Kowalski", "Nguyen", "Baptiste", "Lind"]
WORDS = [
    "I want to sleep through the night again.",
    "I want to stop dreading Monday mornings.",
    "I want my evenings back for my family.",
    "I'd like to feel like myself at work.",
    "I want to see my friends without making excuses.",
    "I want to stop snapping at my kids.",
]
CONDITIONS = {
    "stress": ("PSS-10", 0, 40, ["Cognitive Behavioral Therapy", "Mindfulness training", "Progressive muscle relaxation", "Behavioral activation"]),
    "burnout": ("PSS-10", 0, 40, ["Cognitive Behavioral Therapy", "Assertiveness training", "Time management coaching", "Mindfulness meditation"]),
    "depression": ("PHQ-9", 0, 27, ["Cognitive Behavioral Therapy", "Behavioral activation", "Sleep hygiene education"]),
    "anxiety": ("GAD-7", 0, 21, ["Cognitive Behavioral Therapy", "Exposure exercises", "Diaphragmatic breathing"]),
    "attachment": ("ECR-R", 1, 7, ["Attachment-based therapy", "Emotion-focused therapy", "Mindfulness techniques"]),
}


def plan(i: int, rng: random.Random) -> str:
    cond = rng.choice(sorted(CONDITIONS))
    measure, lo, hi, interventions = CONDITIONS[cond]
    start = TODAY - timedelta(days=rng.randrange(30, 80))
    base = rng.randint((lo + hi) // 2, hi)
    target = max(lo, base // 2)
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    lines = [
        "# Treatment plan (synthetic example)",
        "tplan: 1",
        f"id: TP-{i:06d}",
        "status: active",
        f"template: {cond}",
        f"created: {start.isoformat()}",
        "client:",
        f"  name: {name}",
        f"  date_of_birth: {1960 + rng.randrange(45)}-0{1 + rng.randrange(9)}-1{rng.randrange(10)}",
        "  contact:",
        f"    phone: '+1-555-{rng.randrange(1000, 9999)}'",
        f"    email: client{i}@example.org",
        "    address: 12 Example Street, Springfield",
        "  emergency_contact:",
        f"    name: {rng.choice(FIRST)} {rng.choice(LAST)}",
        "    relationship: sibling",
        f"    phone: '+1-555-{rng.randrange(1000, 9999)}'",
        "  insurance:",
        "    payer: Example Health",
        f"    member_id: EX{rng.randrange(10**7, 10**8)}",
        "clinician:",
        "  name: Dana Example",
        "  credentials: LMHC",
        "  npi: '1234567893'",
        "diagnoses:",
        "  - code: F43.8",
        "    description: Other reactions to severe stress",
        "presenting_problems:",
        "  - id: P1",
        f"    summary: {cond.capitalize()} symptoms affecting sleep and work performance",
        "    stressors: [work, financial]",
        "    duration: 8 months",
        "    severity: moderate",
        "    impact: [sleep, work performance, relationships]",
        "  - id: P2",
        "    summary: Withdrawal from social activities",
        "    stressors: [relationship]",
        "    duration: 3 months",
        "    severity: mild",
        "    impact: [relationships]",
        "assessments:",
        f"  - instrument: {measure}",
        f"    date: {start.isoformat()}",
        f"    score: {base}",
        "goals:",
    ]
    for g in range(1, 4):
        due = start + timedelta(days=90 * g)
        lines += [
            f"  - id: G{g}",
            f"    addresses: [P{1 + (g > 2)}]",
            f"    term: {'short' if g == 1 else 'long'}",
            f"    statement: Reduce {cond} symptoms as measured by {measure}",
            f"    client_words: \"{rng.choice(WORDS)}\"",
            f"    measure: {measure}",
            f"    baseline: {base}",
            f"    target: '<= {target}'",
            f"    deadline: {due.isoformat()}",
            "    objectives:",
        ]
        for o in range(1, 3):
            lines += [
                f"      - id: G{g}.{o}",
                "        statement: Practice one relaxation exercise on at least 5 days a week",
                "        measure: {name: days practiced, unit: days/week, min: 0, max: 7, direction: higher}",
                "        baseline: 1",
                "        target: '>= 5'",
                f"        deadline: {(start + timedelta(days=30 * o * g)).isoformat()}",
            ]
    lines.append("interventions:")
    for k, iv in enumerate(interventions, 1):
        lines += [
            f"  - id: I{k}",
            f"    name: {iv}",
            f"    modality: {iv}",
            f"    goals: [G{1 + (k % 3)}]",
            "    frequency: weekly",
        ]
    lines += [
        "schedule:",
        "  frequency: weekly",
        "  session_minutes: 50",
        "  setting: telehealth",
        "progress:",
    ]
    score = base
    for w in range(1, (TODAY - start).days // 14 + 1):
        score = max(lo, score - rng.randrange(3))
        lines += [
            f"  - date: {(start + timedelta(days=14 * w)).isoformat()}",
            f"    measure: {measure}",
            f"    score: {score}",
            "    goals: [G1]",
            "    note: Client reports practicing breathing exercises; sleep improving.",
        ]
    lines += [
        "reviews:",
        "  interval_days: 90",
        f"  next: {(start + timedelta(days=90)).isoformat()}",
        "  history: []",
        "follow_up:",
        "  referrals: []",
        "discharge_criteria:",
        f"  - {measure} at or below {target} at two reviews in a row",
        "  - Back to usual work and social routine for four weeks",
        "accommodations: []",
        "consent:",
        "  client_agreed: true",
        f"  client_signed: {start.isoformat()}",
        f"  clinician_signed: {start.isoformat()}",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    out, n = Path(sys.argv[1]), int(sys.argv[2])
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 1
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (out / f"plan-{i:06d}.yaml").write_text(plan(i, rng))


if __name__ == "__main__":
    main()
