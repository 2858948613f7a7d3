"""`tplan measures`: the instrument catalogue as a table; `--details` adds the cited psychometrics."""

from __future__ import annotations

import sys

from tplan.measures import Instrument, builtin_catalogue, fmt_number


def run_measures(ids: list[str] | None = None, details: bool = False) -> int:
    catalogue = builtin_catalogue()
    chosen = list(catalogue.instruments)
    if ids:
        from tplan.errors import TplanError

        chosen = []
        for name in ids:
            inst = catalogue.get(name)
            if inst is None:
                raise TplanError(f"unknown measure '{name}'; `tplan measures` lists the catalogue")
            chosen.append(inst)
    if details:
        sys.stdout.write("\n\n".join(details_text(inst) for inst in chosen) + "\n")
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title="tplan measures catalogue", show_lines=False)
    for column in ("id", "name", "range", "better", "bands", "LOINC"):
        table.add_column(column, overflow="fold")
    for inst in chosen:
        bands = ", ".join(f"≤{b.max:g} {b.label}" for b in inst.bands)
        table.add_row(inst.id, inst.name, inst.range_text, inst.better, bands, inst.loinc or "")
    Console().print(table)
    return 0


def details_text(inst: Instrument) -> str:
    """One instrument with every psychometric value and its source; absent values are said to be absent."""
    from tplan.outcomes import basis, reliable_change_points, s_diff

    p = inst.psychometrics
    lines = [
        f"{inst.id} — {inst.name}",
        f"  range {inst.range_text}, {inst.better} is better" + (f"; LOINC {inst.loinc}" if inst.loinc else ""),
    ]
    if inst.reference:
        lines.append(f"  instrument: {inst.reference}")

    def cited(label: str, text: str, source: str) -> None:
        lines.append(f"  {label}: {text}")
        lines.append(f"      source: {source}")

    if p.mcid:
        cited("MCID", f"{fmt_number(p.mcid.value)} points", p.mcid.source)
    if p.reliability:
        cited("reliability", f"{fmt_number(p.reliability.value)} ({p.reliability.kind})", p.reliability.source)
    if p.sd:
        cited("reference SD", fmt_number(p.sd.value), p.sd.source)
    if p.sem:
        cited("standard error of measurement", fmt_number(p.sem.value), p.sem.source)
    if p.reliable_change:
        cited("published reliable change", f"{fmt_number(p.reliable_change.value)} points", p.reliable_change.source)
    if p.cutoff:
        cited("clinical cut-off", f"non-clinical (recovered) at {p.cutoff}", p.cutoff.source)
    points = reliable_change_points(p)
    if points is not None:
        lines.append(
            f"  reliable change: {points:.2f} points or more (|RC| ≥ 1.96, S_diff {s_diff(p):.2f} from {basis(p)}; "
            "method: Jacobson & Truax 1991, J Consult Clin Psychol 59(1):12-19)"
        )
    missing = [name for name, value in (("MCID", p.mcid), ("reliability", p.reliability), ("clinical cut-off", p.cutoff)) if value is None]
    if points is None:
        missing.append("a basis for the reliable change index")
    if missing:
        lines.append(f"  not published in a source tplan could verify: {', '.join(missing)} (the rules that need it do not apply)")
    return "\n".join(lines)
