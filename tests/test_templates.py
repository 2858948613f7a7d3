"""Condition templates and `tplan new` / `tplan templates`, through the real entry point where it
matters (exit codes, messages, files on disk) and in-process where only the content is checked."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import run_tplan
from template_fill import filled_once, scaffolded

from tplan.errors import TplanError
from tplan.linter import LintSettings, lint_text
from tplan.loader import PLACEHOLDER, load_text
from tplan.measures import builtin_catalogue
from tplan.schema.adapt import inner_model
from tplan.schema.plan import Plan
from tplan.templates import BUILTIN_DIR, available_templates, find_template, scaffold

BUILTIN = sorted(p.stem for p in BUILTIN_DIR.glob("*.yaml"))
START = "2026-03-02"
CATALOGUE = builtin_catalogue()


def lint(text: str, today: str = START):
    return lint_text(text, "plan.yaml", LintSettings(today=dt.date.fromisoformat(today)), CATALOGUE).diagnostics


def no_traceback(result) -> bool:
    return "Traceback" not in result.stdout + result.stderr


def test_the_issue_lists_every_condition():
    wanted = {"stress", "burnout", "attachment", "depression", "generalized-anxiety", "panic", "couples",
              "grief", "trauma", "substance-use", "insomnia", "generic"}
    assert wanted <= set(BUILTIN)


# ---- every built-in template: scaffold, lint, fill, lint clean --------------------------------


@pytest.mark.parametrize("name", BUILTIN)
def test_new_output_lints_with_only_placeholders_then_clean_once_filled(name, tmp_path):
    plan = tmp_path / "plan.yaml"
    result = run_tplan("new", "--template", name, "-o", str(plan), "--start", START)
    assert result.returncode == 0, result.stderr
    text = plan.read_text(encoding="utf-8")
    assert load_text(text).data["status"] == "draft"

    linted = run_tplan("lint", "--today", START, str(plan))
    codes = set(re.findall(r": ([A-Z]\d{3}) ", linted.stdout))
    assert codes == {"T601"}, linted.stdout  # placeholders, and nothing else, are left to do
    assert linted.returncode == 1  # drafts report placeholders as warnings, which fail by default

    _NEW.setdefault(name, text)
    filled = filled_once(text)
    assert load_text(filled).placeholders == [], "the helper left a placeholder"
    findings = lint(filled)
    assert findings == [], "\n".join(f"{d.line}:{d.column} {d.code} {d.message}" for d in findings)


# ---- an episode along every template: no false alarms ----------------------------------------


def _rt():
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.width = 4096
    return yaml


def _dump(plan) -> str:
    import io

    out = io.StringIO()
    _rt().dump(plan, out)
    return out.getvalue()


def _items(plan):
    """Every goal and objective, with the goal it belongs to."""
    for goal in plan["goals"]:
        yield goal
        yield from goal.get("objectives", [])


def _measure_name(item) -> str:
    measure = item["measure"]
    return measure["name"] if isinstance(measure, dict) else measure


def _toward_target(item, share: float):
    """A score `share` of the way from the baseline to the target (1.0 meets it)."""
    number = float(re.search(r"-?\d+(?:\.\d+)?", str(item["target"])).group(0))
    if share >= 1.0:  # a strict target ("< 4") is met one step past its number
        number += {"<": -1, ">": 1}.get(re.match(r"\s*(<|>)?", str(item["target"])).group(1), 0)
    value = item["baseline"] + (number - item["baseline"]) * share
    return round(value) if float(item["baseline"]).is_integer() and number.is_integer() else round(value, 1)


# name -> the plan `tplan new --template NAME --start START` wrote, once per test process: the
# scaffolding test above checks that command's output, and the episodes below start from the same file.
_NEW: dict[str, str] = {}


def _new_plan(name: str, tmp_path: Path) -> str:
    if name not in _NEW:
        path = tmp_path / "plan.yaml"
        result = run_tplan("new", "--template", name, "-o", str(path), "--start", START)
        assert result.returncode == 0, result.stderr
        _NEW[name] = path.read_text(encoding="utf-8")
    return _NEW[name]


def _episode_start(name: str, tmp_path: Path):
    """`tplan new` at START, filled in, then made active with consent the way a clinician would."""
    plan = _rt().load(filled_once(_new_plan(name, tmp_path)))
    plan["status"] = "active"
    plan["consent"]["client_agreed"] = True
    plan["consent"]["client_signed"] = plan["consent"]["clinician_signed"] = dt.date.fromisoformat(START)
    return plan


def _add_sessions(plan) -> None:
    """Monthly scores on every goal's and objective's measure, halfway to the target; a score on
    each intake-only (monitoring) measure; and one narrative note."""
    start = dt.date.fromisoformat(START)
    progress = plan.setdefault("progress", [])
    progress.append({"date": start + dt.timedelta(days=14), "note": "Practised the first skill twice; brought the log."})
    for days, share in ((28, 0.25), (56, 0.5)):
        day = start + dt.timedelta(days=days)
        for item in _items(plan):
            progress.append({"date": day, "measure": _measure_name(item), "score": _toward_target(item, share), "goals": [item["id"]]})
    used = {_measure_name(i) for i in _items(plan)}
    for a in plan["assessments"]:
        if a["instrument"] not in used:
            progress.append({"date": start + dt.timedelta(days=56), "measure": a["instrument"], "score": a["score"]})


def _findings(plan, today: dt.date, text: str | None = None) -> list[str]:
    """The findings on `today`; `text` is the plan already dumped, when it is linted on many days."""
    text = _dump(plan) if text is None else text
    return [f"{d.line}:{d.column} {d.code} {d.severity.value} {d.message}" for d in lint(text, today.isoformat())]


def _first_short_deadline(plan) -> dt.date:
    return min(g["deadline"] for g in plan["goals"] if g.get("term") == "short" or g is plan["goals"][0])


@pytest.mark.parametrize("name", BUILTIN)
def test_episode_along_the_template_has_no_false_alarms(name, tmp_path):
    plan = _episode_start(name, tmp_path)
    start = dt.date.fromisoformat(START)
    assert _findings(plan, start) == [], "at the start day"

    _add_sessions(plan)
    review = plan["reviews"]["next"]
    first = _first_short_deadline(plan)
    assert first <= review, "the first short-term deadline comes no later than the first review"
    # the week between the first short-term deadline and the first review: R306 waits (an info)
    text = _dump(plan)  # the plan is the same every day of the week: dump it once
    for offset in range(1, (review - first).days):
        day = first + dt.timedelta(days=offset)
        findings = _findings(plan, day, text)
        assert [f for f in findings if " info " not in f] == [], f"on {day}"
        assert all(" R306 " in f for f in findings), f"on {day}"

    # the first review: what was due is met (its score recorded), and one goal's target revised
    goals = plan["goals"]
    met = next(g for g in goals if g["deadline"] == first)
    others = [g for g in goals if g is not met]
    for item in _items(plan):
        if item is met or (item["deadline"] <= review and not any(item is g for g in others[:1])):
            plan["progress"].append({"date": review, "measure": _measure_name(item), "score": _toward_target(item, 1.0), "goals": [item["id"]]})
            item["status"], item["status_date"] = "met", review
    if others:
        revised = others[0]
        comparator = re.match(r"\s*(<=|>=|<|>|==)", str(revised["target"])).group(1)
        new_target = f"{comparator} {_toward_target(revised, 0.75)}"
        revised["changes"] = [{"date": review, "field": "target", "from": str(revised["target"]), "to": new_target,
                               "reason": "a smaller step first, agreed with the client"}]
        revised["target"], revised["status"], revised["status_date"] = new_target, "revised", review
    plan["reviews"].setdefault("history", []).append({"date": review, "summary": "First review with the client; plan updated."})
    plan["reviews"]["next"] = review + dt.timedelta(days=plan["reviews"]["interval_days"])
    plan["updated"] = review
    after = review + dt.timedelta(days=1)
    serious = [f for f in _findings(plan, after) if " info " not in f]
    assert serious == [], f"after the first review, on {after}"


@pytest.mark.parametrize("name", BUILTIN)
def test_every_angle_bracket_in_a_value_is_a_whole_placeholder_or_a_target(name):
    """A placeholder split by a flow list's commas ("[<a, b>]") would slip past T601 as junk."""
    data = load_text(scaffolded(name)).data
    for value in _strings(data):
        rest = PLACEHOLDER.sub("", value)
        rest = re.sub(r"^\s*(<=|<|>=|>)\s*\d", "", rest)
        assert "<" not in rest and ">" not in rest, f"broken placeholder in {value!r}"


def _strings(node):
    if isinstance(node, dict):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)
    elif isinstance(node, str):
        yield node


@pytest.mark.parametrize("name", BUILTIN)
def test_output_reads_well(name):
    template = find_template(name)
    text = scaffolded(name)
    lines = text.splitlines()
    assert lines[0] == f"# Treatment plan: {template.title}"
    assert lines[1] == f"# Started 2026-03-02 from the tplan template '{name}'."
    assert all(len(line) <= 100 for line in lines), [line for line in lines if len(line) > 100]
    # the template's own guidance comments survive the round trip
    comments = [line.strip() for line in template.skeleton.splitlines() if line.strip().startswith("#")]
    assert comments and all(c in text for c in comments)
    assert not re.search(r"\+\d+d\b", text), "every +Nd date must be filled in"
    _assert_spec_key_order(load_text(text).data, Plan, name)


def _assert_spec_key_order(data, model, where):
    """Keys appear in the order the schema (and PLAN-FORMAT.md) lists them."""
    if isinstance(data, list):
        for i, item in enumerate(data):
            _assert_spec_key_order(item, model, f"{where}[{i}]")
        return
    if not isinstance(data, dict) or model is None:
        return
    fields = list(model.model_fields)
    keys = [k for k in data if k in fields]
    assert keys == sorted(keys, key=fields.index), f"{where}: keys {keys} are not in spec order"
    for key in keys:
        _assert_spec_key_order(data[key], inner_model(model.model_fields[key].annotation), f"{where}.{key}")


def test_key_order_check_catches_a_swap():
    with pytest.raises(AssertionError):
        _assert_spec_key_order({"id": "x", "tplan": 1}, Plan, "plan")


def test_dates_ids_and_names_are_filled(tplan):
    result = tplan("new", "-t", "burnout", "--start", "2026-03-02", "--id", "TP-2026-0042",
                   "--client", "Alex Example", "--clinician", "Dana Example")
    assert result.returncode == 0, result.stderr
    data = load_text(result.stdout).data
    assert data["id"] == "TP-2026-0042" and data["status"] == "draft" and data["template"] == "burnout"
    assert data["created"] == dt.date(2026, 3, 2) and data["updated"] == dt.date(2026, 3, 2)
    assert data["client"]["name"] == "Alex Example" and data["clinician"]["name"] == "Dana Example"
    assert data["reviews"]["next"] == dt.date(2026, 5, 31)  # +90d
    assert data["goals"][0]["deadline"] == dt.date(2026, 5, 25)  # +84d
    assert data["goals"][0]["objectives"][0]["deadline"] == dt.date(2026, 4, 13)  # +42d


def test_start_defaults_to_today(tplan):
    data = load_text(tplan("new", "-t", "stress").stdout).data
    assert data["created"] == dt.date.today()


def test_names_that_need_quoting_stay_valid_yaml(tplan):
    result = tplan("new", "-t", "generic", "--client", "Jo O'Example: Jr #2", "--start", START)
    assert load_text(result.stdout).data["client"]["name"] == "Jo O'Example: Jr #2"


# ---- writing files ----------------------------------------------------------------------------


def test_stdout_mode_writes_no_file(tplan, tmp_path):
    result = tplan("new", "-t", "grief", "--start", START, cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("# Treatment plan: ")
    assert list(tmp_path.iterdir()) == []


def test_writes_file_and_says_what_is_left(tplan, tmp_path):
    plan = tmp_path / "TP-1.yaml"
    result = tplan("new", "-t", "panic", "-o", str(plan), "--start", START)
    assert result.returncode == 0 and result.stdout == ""
    assert plan.read_text(encoding="utf-8").startswith("# Treatment plan: Panic disorder\n")
    left = len(load_text(plan.read_text(encoding="utf-8")).placeholders)
    assert f"{left} places to fill in" in result.stderr


def test_refuses_to_overwrite_and_leaves_the_file_byte_identical(tplan, tmp_path):
    plan = tmp_path / "plan.yaml"
    original = b"# my notes\r\nid: keep-me\n\xc3\xa9\n"
    plan.write_bytes(original)
    result = tplan("new", "-t", "burnout", "-o", str(plan))
    assert result.returncode == 2
    assert "already exists; use --force to overwrite it" in result.stderr
    assert no_traceback(result)
    assert plan.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir()] == ["plan.yaml"]  # no temp file left behind


def test_force_overwrites(tplan, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text("old\n")
    result = tplan("new", "-t", "burnout", "-o", str(plan), "--force", "--start", START)
    assert result.returncode == 0, result.stderr
    assert load_text(plan.read_text()).data["template"] == "burnout"


def test_new_creates_the_output_folder(tplan, tmp_path):
    result = tplan("new", "-t", "burnout", "-o", str(tmp_path / "plans" / "TP-1.yaml"), "--start", START)
    assert result.returncode == 0, result.stderr
    assert load_text((tmp_path / "plans" / "TP-1.yaml").read_text()).data["template"] == "burnout"


def test_bad_output_and_options_are_clear_errors(tplan, tmp_path):
    cases = [
        (["new", "-t", "burnout", "-o", str(tmp_path)], "is a folder; give a file name"),
        (["new", "-t", "burnout", "-o", str(tmp_path / "plan.txt")], "must end in .yaml or .yml"),
        (["new", "-t", "burnout", "--id", "TP 42/a"], "--id 'TP 42/a' may only use"),
        (["new", "-t", "burnout", "--start", "03/02/2026"], "--start must be a date"),
        (["new", "-t", "burnout", "--template-dir", str(tmp_path / "missing")], "no such folder"),
    ]
    for args, message in cases:
        result = tplan(*args)
        assert result.returncode == 2, args
        assert message in result.stderr, (args, result.stderr)
        assert no_traceback(result)
    assert list(tmp_path.iterdir()) == []


# ---- unknown names ------------------------------------------------------------------------------


def test_unknown_template_lists_the_available_ones_and_suggests_one(tplan):
    result = tplan("new", "--template", "burnot")
    assert result.returncode == 2
    assert "there is no template called 'burnot'; did you mean 'burnout'? Available templates" in result.stderr
    for name in BUILTIN:
        assert name in result.stderr
    assert no_traceback(result)


@pytest.mark.parametrize("typed,meant", [("ptsd", "trauma"), ("sleep", "insomnia"), ("alcohol", "substance-use"),
                                         ("relationship", "couples"), ("anxiety", "generalized-anxiety")])
def test_other_names_for_a_condition_suggest_its_template(typed, meant):
    with pytest.raises(TplanError, match=f"did you mean '{meant}'"):
        find_template(typed)


def test_nothing_close_gives_no_suggestion():
    with pytest.raises(TplanError) as exc:
        find_template("zzzz")
    assert "did you mean" not in str(exc.value) and "called 'zzzz'. Available templates: attachment" in str(exc.value)


# ---- listing and showing ------------------------------------------------------------------------


def test_templates_lists_name_title_and_measures(tplan):
    result = tplan("templates")
    assert result.returncode == 0
    for template in available_templates().values():
        row = next(line for line in result.stdout.splitlines() if line.startswith(template.name + " "))
        assert template.title in row and ", ".join(template.measures) in row


def test_templates_show_prints_description_sources_and_skeleton(tplan):
    result = tplan("templates", "show", "insomnia")
    assert result.returncode == 0
    template = find_template("insomnia")
    assert result.stdout.startswith(f"insomnia: {template.title}\n")
    assert "Measures: ISI" in result.stdout
    assert template.sources[0] in result.stdout
    assert result.stdout.endswith(template.skeleton)
    missing = tplan("templates", "show", "insomina")
    assert missing.returncode == 2 and "did you mean 'insomnia'?" in missing.stderr


# ---- a clinic's own templates -------------------------------------------------------------------


def _own_template(folder: Path, name: str, title: str, statement: str = "Sleeps 7 hours on 5 nights a week") -> Path:
    skeleton = BUILTIN_DIR.joinpath("generic.yaml").read_text(encoding="utf-8").split("\n---\n", 1)[1]
    skeleton = skeleton.replace("template: generic", f"template: {name}")
    skeleton = skeleton.replace("statement: <observable change within 3 months>", f"statement: {statement}")
    path = folder / f"{name}.yaml"
    path.write_text(
        f"name: {name}\ntitle: {title}\ndescription: A clinic's own template.\nmeasures: [ORS]\n---\n{skeleton}",
        encoding="utf-8",
    )
    return path


def test_a_template_dir_adds_templates(tplan, tmp_path):
    _own_template(tmp_path, "sleep-clinic", "Our sleep clinic plan")
    listed = tplan("templates", "--template-dir", str(tmp_path))
    assert listed.returncode == 0
    row = next(line for line in listed.stdout.splitlines() if line.startswith("sleep-clinic "))
    assert "Our sleep clinic plan" in row and str(tmp_path) in row
    assert "built-in" in listed.stdout  # the built-ins are still there
    new = tplan("new", "-t", "sleep-clinic", "--template-dir", str(tmp_path), "--start", START)
    assert new.returncode == 0, new.stderr
    data = load_text(new.stdout).data
    assert data["template"] == "sleep-clinic"
    assert data["goals"][0]["statement"] == "Sleeps 7 hours on 5 nights a week"
    shown = tplan("templates", "--template-dir", str(tmp_path), "show", "sleep-clinic")
    assert shown.returncode == 0 and "Our sleep clinic plan" in shown.stdout


def test_a_user_template_overrides_the_builtin_of_the_same_name(tplan, tmp_path):
    _own_template(tmp_path, "burnout", "Burnout, our clinic's way", statement="Works 4 days a week")
    listed = tplan("templates", "--template-dir", str(tmp_path)).stdout
    row = next(line for line in listed.splitlines() if line.startswith("burnout "))
    assert "Burnout, our clinic's way" in row and "Occupational burnout" not in listed
    new = tplan("new", "-t", "burnout", "--template-dir", str(tmp_path), "--start", START)
    assert load_text(new.stdout).data["goals"][0]["statement"] == "Works 4 days a week"


def test_later_template_dirs_win(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    _own_template(first, "intake", "From a")
    _own_template(second, "intake", "From b")
    assert available_templates([first, second])["intake"].title == "From b"
    assert available_templates([second, first])["intake"].title == "From a"
    assert available_templates([first])["intake"].builtin is False
    assert available_templates()["burnout"].builtin is True


def test_a_template_saved_with_windows_line_endings_works(tmp_path):
    path = _own_template(tmp_path, "windows", "Saved on Windows")
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    text = scaffold(find_template("windows", [tmp_path]), dt.date(2026, 3, 2))
    assert "\r" not in text and load_text(text).data["template"] == "windows"


# ---- broken templates ---------------------------------------------------------------------------


BROKEN = {
    "no-separator": ("name: no-separator\ntitle: T\ndescription: D\nmeasures: [ORS]\n", "separated by one line '---'"),
    "bad-key": ("name: bad-key\ntitel: T\ndescription: D\nmeasures: [ORS]\n---\n{skeleton}",
                "unknown metadata key 'titel'; did you mean 'title'?"),
    "wrong-name": ("name: other\ntitle: T\ndescription: D\nmeasures: [ORS]\n---\n{skeleton}",
                   "does not match the file name 'wrong-name.yaml'"),
    "bad-measure": ("name: bad-measure\ntitle: T\ndescription: D\nmeasures: [PHQ-99]\n---\n{skeleton}",
                    "measure 'PHQ-99' is not in the measures catalogue"),
    "bad-yaml": ("name: bad-yaml\ntitle: T\ndescription: D\nmeasures: [ORS]\n---\ntplan: 1\ngoals: [\n",
                 "bad-yaml.yaml:8:1: broken template: the plan skeleton (after '---'): invalid YAML"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_template_file_gives_a_clear_error_naming_it(name, tplan, tmp_path):
    skeleton = BUILTIN_DIR.joinpath("generic.yaml").read_text(encoding="utf-8").split("\n---\n", 1)[1]
    text, message = BROKEN[name]
    (tmp_path / f"{name}.yaml").write_text(text.replace("{skeleton}", skeleton), encoding="utf-8")
    for args in (["new", "-t", name], ["templates"]):
        result = tplan(*args, "--template-dir", str(tmp_path))
        assert result.returncode == 2, (args, result.stdout)
        assert str(tmp_path / f"{name}.yaml") in result.stderr
        assert message in result.stderr, result.stderr
        assert no_traceback(result)


def test_a_skeleton_that_fails_the_schema_points_at_the_line(tplan, tmp_path):
    path = _own_template(tmp_path, "clinic", "Clinic")
    text = path.read_text(encoding="utf-8").replace("    term: long\n", "    term: medium\n")
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    term: medium") + 1
    result = tplan("new", "-t", "clinic", "--template-dir", str(tmp_path))
    assert result.returncode == 2
    assert "broken template 'clinic'" in result.stderr
    assert f"{path}:{line}:11: E003" in result.stderr
    assert no_traceback(result)


def test_a_broken_user_template_does_not_block_other_templates(tplan, tmp_path):
    (tmp_path / "broken.yaml").write_text("not a template\n")
    result = tplan("new", "-t", "stress", "--template-dir", str(tmp_path), "--start", START)
    assert result.returncode == 0, result.stderr


# ---- T601 -------------------------------------------------------------------------------------


def test_t601_names_every_placeholder_in_one_value():
    text = Path(__file__).parent.joinpath("fixtures", "minimal.yaml").read_text()
    text = text.replace("summary: Worry most days about work and health.",
                        "summary: Worry about <Dana's job> for <how long>, and TODO.")
    [finding] = [d for d in lint(text, "2026-04-01") if d.code == "T601"]
    assert finding.message == (
        # the templates' own placeholders are named; a clinician's own bracketed note is not repeated
        "fill in presenting_problems[0].summary: 3 placeholders '<…>', '<how long>', 'TODO' are still there"
    )
    assert finding.severity.value == "error"  # an active plan


def test_t601_is_a_warning_on_drafts():
    text = scaffold(find_template("generic"), dt.date(2026, 3, 2))
    severities = {d.severity.value for d in lint(text) if d.code == "T601"}
    assert severities == {"warning"}


# Instructions to the clinician ("delete if done") belong in `#` comments: a value is printed
# verbatim in the rendered plan, so an instruction inside one would reach the client and the payer.
_INSTRUCTION = re.compile(r"\((?:[^()]*\b)?(?:delete|remove|adapt|keep only|fill in)\b[^()]*\)", re.I)


@pytest.mark.parametrize("name", BUILTIN)
def test_template_values_hold_no_instructions_to_the_clinician(name):
    data = load_text(scaffolded(name)).data
    for text in _strings(data):
        outside_placeholders = PLACEHOLDER.sub("", text)  # a <placeholder> may say what to write
        assert not _INSTRUCTION.search(outside_placeholders), f"{name}: instruction in a value: {text!r}"


def test_the_instruction_check_catches_the_old_burnout_wording():
    assert _INSTRUCTION.search("physical check for causes of fatigue (delete if done in the last six months)")
    assert not _INSTRUCTION.search("weekly (sessions 3-8)")
