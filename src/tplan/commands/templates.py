"""`tplan templates` and `tplan templates show NAME`: what templates there are and what is in one."""

from __future__ import annotations

import sys
import textwrap

from tplan.config import project_template_dirs


def run_templates(template_dirs: list[str] | None = None) -> int:
    """A table of every template (name, title, measures); user templates show where they come from."""
    from tplan.templates import available_templates

    template_dirs = list(project_template_dirs(template_dirs))
    templates = available_templates(template_dirs)
    columns = ["name", "title", "measures"] + (["from"] if template_dirs else [])
    rows = [
        [t.name, t.title, ", ".join(t.measures)] + ([t.origin] if template_dirs else [])
        for t in templates.values()
    ]
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(title="tplan templates", show_lines=False)
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*row)
        Console().print(table)
    else:  # plain, aligned columns for pipes and logs
        widths = [max(len(r[i]) for r in [columns, *rows]) for i in range(len(columns))]
        for row in [columns, *rows]:
            print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    print("\n`tplan templates show NAME` describes one; `tplan new --template NAME -o FILE` starts a plan from it.")
    return 0


def run_template_show(name: str, template_dirs: list[str] | None = None) -> int:
    """The template's description, measures and sources, then its plan skeleton as written."""
    from tplan.templates import find_template

    t = find_template(name, project_template_dirs(template_dirs))
    out = [f"{t.name}: {t.title}", f"({t.origin}: {t.path})", ""]
    out += textwrap.wrap(t.description, width=100) + [""]
    out.append("Measures: " + ", ".join(t.measures))
    if t.sources:
        out.append("Sources:")
        out += [f"  - {s}" for s in t.sources]
    out += ["", "Plan skeleton ('+Nd' = N days after the start date; `tplan new` fills dates and names):", ""]
    sys.stdout.write("\n".join(out) + "\n" + t.skeleton)
    return 0
