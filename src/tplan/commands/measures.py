"""`tplan measures`: the instrument catalogue as a table."""

from __future__ import annotations

from tplan.measures import builtin_catalogue


def run_measures() -> int:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="tplan measures catalogue", show_lines=False)
    for column in ("id", "name", "range", "better", "bands", "LOINC"):
        table.add_column(column, overflow="fold")
    for inst in builtin_catalogue().instruments:
        bands = ", ".join(f"≤{b.max:g} {b.label}" for b in inst.bands)
        table.add_row(inst.id, inst.name, inst.range_text, inst.better, bands, inst.loinc or "")
    Console().print(table)
    return 0
