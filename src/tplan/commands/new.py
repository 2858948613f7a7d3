"""`tplan new`: scaffold a draft plan from a condition template."""

from __future__ import annotations

import datetime as _dt
import sys
from pathlib import Path

from tplan.config import project_template_dirs
from tplan.errors import TplanError


def run_new(
    template: str,
    output: str | None = None,
    client: str | None = None,
    clinician: str | None = None,
    start: _dt.date | None = None,
    plan_id: str | None = None,
    force: bool = False,
    template_dirs: list[str] | None = None,
) -> int:
    """Write the new plan to `output` (atomically, never over a file without --force) or stdout."""
    from tplan.fsio import atomic_write
    from tplan.loader import load_text
    from tplan.templates import find_template, scaffold

    if output is not None:
        _check_output(Path(output), force)
    chosen = find_template(template, project_template_dirs(template_dirs))
    text = scaffold(chosen, start or _dt.date.today(), plan_id=plan_id, client=client, clinician=clinician)
    if output is None:
        sys.stdout.write(text)
        return 0
    atomic_write(output, text, overwrite=force)
    left = len(load_text(text).placeholders)
    todo = f"{left} place{'s' if left != 1 else ''} to fill in" if left else "nothing left to fill in"
    print(f"Wrote {output} from the '{chosen.name}' template ({todo}); `tplan lint {output}` lists them.", file=sys.stderr)
    return 0


def _check_output(path: Path, force: bool) -> None:
    """Refuse before doing any work, so a refused run leaves everything as it was."""
    from tplan.fsio import check_output

    check_output(path, force, example="TP-2026-0042.yaml")
    if path.suffix not in (".yaml", ".yml"):
        raise TplanError(f"{path}: plan files must end in .yaml or .yml, so that `tplan lint` finds them in a folder")
