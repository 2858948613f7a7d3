"""`tplan render PLANS... -o FOLDER`: a folder (or several plans) rendered in one run.

Each document must be byte-identical to rendering that plan alone; outputs are checked before
anything is written; a problem plan costs one line and never the others; exit codes are the
one-plan render's, the worst plan's.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from conftest import EXAMPLES, MINIMAL

TODAY = "2026-12-01"
NO_DEADLINE = MINIMAL.read_text().replace("    deadline: 2026-05-25\n", "")  # S103: one lint error


def plans_folder(tmp_path, n=3):
    """plans/ with n copies of the minimal plan (distinct ids), one in a subfolder."""
    plans = tmp_path / "plans"
    (plans / "adults").mkdir(parents=True)
    for i in range(n):
        folder = plans / "adults" if i == 0 else plans
        (folder / f"TP-{i}.yaml").write_text(MINIMAL.read_text().replace("TP-TEST-0001", f"TP-TEST-{i:04d}"))
    return plans


def test_a_folder_gives_one_document_per_plan_at_its_relative_path(tplan, tmp_path):
    plans = plans_folder(tmp_path)
    out = tmp_path / "out"
    result = tplan("render", plans, "--md", "-o", out, "--today", "2026-04-01")
    assert result.returncode == 0, result.stderr
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["TP-1.md", "TP-2.md", "adults/TP-0.md"]
    assert result.stderr == f"Wrote 3 documents in {out}.\n"
    for doc in out.rglob("*.md"):
        source = plans / doc.relative_to(out).with_suffix(".yaml")
        alone = tplan("render", source, "--md", "--today", "2026-04-01")
        assert doc.read_text(encoding="utf-8") == alone.stdout  # the same bytes as one plan's render
        assert result.stdout == ""


@pytest.mark.parametrize("fmt, suffix", [("--html", ".html"), ("--md", ".md")])
def test_examples_render_as_they_do_alone(tplan, tmp_path, fmt, suffix):
    out = tmp_path / "docs"
    result = tplan("render", EXAMPLES, fmt, "-o", out, "--today", TODAY)
    assert result.returncode == 0, result.stderr
    examples = sorted(EXAMPLES.glob("*.yaml"))
    assert sorted(p.name for p in out.iterdir()) == sorted(p.stem + suffix for p in examples)
    for plan in examples:
        alone = tplan("render", plan, fmt, "--today", TODAY)
        assert (out / (plan.stem + suffix)).read_text(encoding="utf-8") == alone.stdout


def test_plans_named_directly_are_written_under_their_own_names(tplan, tmp_path):
    plans = plans_folder(tmp_path)
    out = tmp_path / "new" / "deeper"  # created, parents too
    result = tplan("render", plans / "TP-1.yaml", plans / "adults" / "TP-0.yaml", "--html", "-o", out, "--today", "2026-04-01")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["TP-0.html", "TP-1.html"]
    assert (out / "TP-0.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_an_existing_document_stops_the_run_before_anything_is_written(tplan, tmp_path):
    plans = plans_folder(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "TP-2.md").write_text("my notes\n")
    result = tplan("render", plans, "-o", out, "--today", "2026-04-01")
    assert result.returncode == 2
    assert result.stderr.strip() == f"tplan: error: {out / 'TP-2.md'} already exists; use --force to overwrite it (nothing was written)"
    assert sorted(p.name for p in out.rglob("*")) == ["TP-2.md"] and (out / "TP-2.md").read_text() == "my notes\n"
    forced = tplan("render", plans, "-o", out, "--force", "--today", "2026-04-01")
    assert forced.returncode == 0, forced.stderr
    assert (out / "TP-2.md").read_text(encoding="utf-8").startswith("# ")
    assert len(list(out.rglob("*.md"))) == 3


def test_two_plans_for_one_output_file_stop_the_run(tplan, tmp_path):
    plans = plans_folder(tmp_path)
    (plans / "TP-1.yml").write_text(MINIMAL.read_text())  # TP-1.yaml and TP-1.yml → out/TP-1.md
    out = tmp_path / "out"
    result = tplan("render", plans, "-o", out, "--today", "2026-04-01")
    assert result.returncode == 2 and "both" in result.stderr and "TP-1.yml" in result.stderr
    assert "nothing was written" in result.stderr and not out.exists()


def test_output_must_be_a_folder_and_is_required(tplan, tmp_path):
    plans = plans_folder(tmp_path)
    missing = tplan("render", plans, "--md")
    assert missing.returncode == 2 and "needs -o FOLDER" in missing.stderr and missing.stdout == ""
    a_file = tmp_path / "out.md"
    a_file.write_text("x\n")
    clash = tplan("render", plans, "-o", a_file)
    assert clash.returncode == 2 and f"{a_file} is a file" in clash.stderr and a_file.read_text() == "x\n"
    stdin = tplan("render", plans, "-", "-o", tmp_path / "out")
    assert stdin.returncode == 2 and "standard input" in stdin.stderr


def test_a_problem_plan_costs_one_line_and_exit_2_the_others_are_written(tplan, tmp_path):
    plans = plans_folder(tmp_path)
    (plans / "broken.yaml").write_text("goals: [\n")
    (plans / "not-a-plan.yaml").write_text("tplan: 1\nid: X\nstatus: active\n")
    out = tmp_path / "out"
    result = tplan("render", plans, "-o", out, "--today", "2026-04-01")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{plans / 'broken.yaml'}:2:1: E001 invalid YAML") and lines[0].endswith("; not rendered")
    assert lines[1].startswith(f"{plans / 'not-a-plan.yaml'}: does not match the plan format (")
    assert lines[2] == f"Wrote 3 documents in {out}; 2 not rendered (listed above)."
    assert len(lines) == 3 and "Traceback" not in result.stderr
    assert sorted(p.name for p in out.rglob("*.md")) == ["TP-0.md", "TP-1.md", "TP-2.md"]


def test_a_missing_path_is_reported_and_the_rest_rendered(tplan, tmp_path):
    plans = plans_folder(tmp_path)
    out = tmp_path / "out"
    result = tplan("render", plans, tmp_path / "nope", "-o", out, "--today", "2026-04-01")
    assert result.returncode == 2
    assert f"{tmp_path / 'nope'}: E000 no such file or folder" in result.stderr
    assert len(list(out.rglob("*.md"))) == 3


def test_lint_errors_give_a_banner_or_with_strict_exit_1(tplan, tmp_path):
    plans = plans_folder(tmp_path)
    (plans / "TP-1.yaml").write_text(NO_DEADLINE)
    out = tmp_path / "out"
    result = tplan("render", plans, "-o", out, "--today", "2026-04-01")
    assert result.returncode == 0, result.stderr
    assert f"{plans / 'TP-1.yaml'}: rendered with a warning banner (1 lint error)" in result.stderr
    assert result.stderr.splitlines()[-1] == f"Wrote 3 documents in {out} (1 with a warning banner)."
    assert "Not ready to share: 1 lint error" in (out / "TP-1.md").read_text(encoding="utf-8")

    strict_out = tmp_path / "strict"
    strict = tplan("render", plans, "--strict", "-o", strict_out, "--today", "2026-04-01")
    assert strict.returncode == 1
    assert f"{plans / 'TP-1.yaml'}: not rendered: 1 lint error (--strict renders clean plans only)" in strict.stderr
    assert sorted(p.name for p in strict_out.rglob("*.md")) == ["TP-0.md", "TP-2.md"]
    # a plan that cannot be read outranks a --strict refusal
    (plans / "broken.yaml").write_text("goals: [\n")
    worst = tplan("render", plans, "--strict", "-o", tmp_path / "worst", "--today", "2026-04-01")
    assert worst.returncode == 2


def test_the_config_exclude_leaves_plans_out_as_lint_does(tplan, tmp_path):
    plans = plans_folder(tmp_path)
    (tmp_path / ".tplan.toml").write_text('exclude = ["plans/adults/"]\n')
    result = tplan("render", "plans", "-o", "out", "--today", "2026-04-01", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").rglob("*.md")) == ["TP-1.md", "TP-2.md"]
    assert (plans / "adults" / "TP-0.yaml").exists()


def test_redact_applies_to_every_plan(tplan, tmp_path):
    out = tmp_path / "out"
    plans = [EXAMPLES / "burnout.yaml", EXAMPLES / "attachment.yaml"]
    result = tplan("render", *plans, "--redact", "-o", out, "--today", TODAY)
    assert result.returncode == 0, result.stderr
    for plan in plans:
        alone = tplan("render", plan, "--redact", "--today", TODAY).stdout
        assert (out / f"{plan.stem}.md").read_text(encoding="utf-8") == alone
        assert alone != tplan("render", plan, "--today", TODAY).stdout


def test_one_plan_without_o_still_goes_to_standard_output(tplan):
    result = tplan("render", MINIMAL, "--today", "2026-04-01")
    assert result.returncode == 0 and result.stdout.startswith("# ") and result.stderr == ""
    jobs = tplan("render", MINIMAL, "--jobs", "2")
    assert jobs.returncode == 2 and "--jobs applies to several plans" in jobs.stderr


def test_a_big_folder_is_rendered_in_workers_with_the_same_documents(tmp_path, monkeypatch):
    """Worker processes through tplan.fanout, as status and report use; the documents are exactly
    those of one process."""
    import tplan.fanout as fanout
    from tplan.commands.render import RenderOptions
    from tplan.commands.render_many import run_render_many

    for i in range(40):
        text = MINIMAL.read_text().replace("TP-TEST-0001", f"TP-TEST-{i:04d}")
        (tmp_path / "plans").mkdir(exist_ok=True)
        (tmp_path / "plans" / f"plan-{i:02d}.yaml").write_text(NO_DEADLINE if i == 7 else text)
    (tmp_path / "plans" / "broken.yaml").write_text("id: [unclosed\n")
    monkeypatch.chdir(tmp_path)
    used = []
    real = fanout.in_workers
    monkeypatch.setattr(fanout, "in_workers", lambda *a: used.append(a[-1]) or real(*a))
    options = RenderOptions("md", today=dt.date(2026, 4, 1))
    assert run_render_many(["plans"], "workers", options, jobs=2) == 2
    assert used == [2]
    assert run_render_many(["plans"], "alone", options, jobs=1) == 2
    assert used == [2]
    names = sorted(os.listdir("alone"))
    assert len(names) == 40 and sorted(os.listdir("workers")) == names
    for name in names:
        assert (tmp_path / "workers" / name).read_bytes() == (tmp_path / "alone" / name).read_bytes()


def test_a_document_this_run_already_wrote_is_not_a_clash(tmp_path):
    """After a broken worker pool the plans are rendered again in this process: a document the
    workers wrote (the same bytes) is kept, a different file is still refused."""
    from tplan.commands.render import RenderOptions
    from tplan.commands.render_many import FAILED, RENDERED, render_to_file
    from tplan.config import project_settings
    from tplan.measures import load_catalogue

    settings = project_settings(dt.date(2026, 4, 1))
    catalogue = load_catalogue(None)
    options = RenderOptions("md", today=dt.date(2026, 4, 1))
    target = tmp_path / "plan.md"
    assert render_to_file((str(MINIMAL), str(target)), settings, catalogue, options, False).status == RENDERED
    again = render_to_file((str(MINIMAL), str(target)), settings, catalogue, options, False)
    assert again.status == RENDERED and again.line is None
    target.write_text("someone's notes\n")
    refused = render_to_file((str(MINIMAL), str(target)), settings, catalogue, options, False)
    assert refused.status == FAILED and "already exists" in (refused.line or "")
    assert target.read_text() == "someone's notes\n"


def test_documents_get_the_umask_mode_and_force_keeps_a_files_mode(tplan, tmp_path, write_route):
    plans = plans_folder(tmp_path, n=2)
    out = tmp_path / "out"
    old = os.umask(0o027)
    try:
        assert tplan("render", plans, "-o", out, "--today", "2026-04-01").returncode == 0
        assert (out / "TP-1.md").stat().st_mode & 0o777 == 0o640
        (out / "TP-1.md").chmod(0o600)
        assert tplan("render", plans, "-o", out, "--force", "--today", "2026-04-01").returncode == 0
        assert (out / "TP-1.md").stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(old)
    assert sorted(p.name for p in out.rglob("*")) == ["TP-0.md", "TP-1.md", "adults"]  # no temp files left


def test_a_symlinked_document_is_replaced_through_the_link_with_force(tplan, tmp_path):
    plans = plans_folder(tmp_path, n=2)
    out = tmp_path / "out"
    out.mkdir()
    real = tmp_path / "kept.md"
    real.write_text("old\n")
    (out / "TP-1.md").symlink_to(real)
    assert tplan("render", plans, "-o", out, "--today", "2026-04-01").returncode == 2 and real.read_text() == "old\n"
    assert tplan("render", plans, "-o", out, "--force", "--today", "2026-04-01").returncode == 0
    assert (out / "TP-1.md").is_symlink() and real.read_text(encoding="utf-8").startswith("# ")


# ---- the write path's fewer system calls (issue 19, target 3) ---------------------------------


@pytest.fixture(params=["unnamed", "named"])
def write_route(request, monkeypatch):
    """Each write-path test runs both ways a new document is written: as an unnamed file linked to
    its name (Linux's O_TMPFILE) and through a named temp file (elsewhere, or where the file system
    has no unnamed files)."""
    from tplan.commands import render_many

    if request.param == "unnamed" and render_many._NO_UNNAMED:
        pytest.fail("O_TMPFILE is not available here; the test machine is Linux with a local file system")
    monkeypatch.setattr(render_many, "_NO_UNNAMED", [] if request.param == "unnamed" else [True])
    return request.param


def test_on_linux_a_new_document_never_has_a_temp_name(tmp_path, monkeypatch):
    """The unnamed file gets its name in one step: no named temp file is made on the way."""
    from tplan.commands import render_many

    assert not render_many._NO_UNNAMED, "O_TMPFILE should be available on the test machine"

    def no_named_temp(*args):
        raise AssertionError("a named temp file was made")

    monkeypatch.setattr(render_many, "_temp_file", no_named_temp)
    render_many._new_run()
    old = os.umask(0o027)
    try:
        render_many._write(str(tmp_path / "a.md"), "# the document\n", False)
    finally:
        os.umask(old)
    assert (tmp_path / "a.md").read_text() == "# the document\n" and (tmp_path / "a.md").stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_a_file_system_without_unnamed_files_falls_back_once_and_remembers(tmp_path, monkeypatch):
    import errno

    from tplan.commands import render_many

    monkeypatch.setattr(render_many, "_NO_UNNAMED", [])
    real_open, tried = os.open, []

    def open_without_tmpfile(path, flags, *args, **kwargs):
        if flags & getattr(os, "O_TMPFILE", 0) == getattr(os, "O_TMPFILE", -1):
            tried.append(path)
            raise OSError(errno.EOPNOTSUPP, "Operation not supported")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_without_tmpfile)
    render_many._new_run()
    for name in ("a.md", "b.md"):
        render_many._write(str(tmp_path / name), f"{name}\n", False)
    assert len(tried) == 1 and render_many._NO_UNNAMED == [True]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "b.md"] and (tmp_path / "b.md").read_text() == "b.md\n"


def test_a_file_appearing_after_the_check_is_never_overwritten_without_force(tmp_path, write_route):
    """Without --force _write looks nothing up: the hard link is the check. A file that appeared
    after check_targets (a symlink, a folder, someone's notes) stays as it was, no temp file is
    left, and a file holding exactly the document is no clash."""
    from tplan.commands import render_many
    from tplan.errors import TplanError

    render_many._new_run()
    out = tmp_path / "out"
    out.mkdir()
    notes, link, folder = out / "a.md", out / "b.md", out / "c.md"
    notes.write_text("someone's notes\n")
    link.symlink_to(notes)
    folder.mkdir()
    for target in (notes, link, folder):
        with pytest.raises(TplanError, match="already exists; use --force"):
            render_many._write(str(target), "# the document\n", False)
    assert notes.read_text() == "someone's notes\n" and link.is_symlink() and folder.is_dir()
    render_many._write(str(out / "d.md"), "# the document\n", False)
    render_many._write(str(out / "d.md"), "# the document\n", False)  # the same bytes: left as it is
    assert (out / "d.md").read_text() == "# the document\n"
    assert sorted(p.name for p in out.iterdir()) == ["a.md", "b.md", "c.md", "d.md"]  # no temp files


def test_the_write_path_survives_a_taken_temp_name_and_a_removed_folder(tmp_path, monkeypatch):
    """The temp name is the process id and a counter: one left behind by an earlier process falls
    back to a random name. A folder removed after this process made it is made again."""
    import shutil

    from tplan.commands import render_many

    monkeypatch.setattr(render_many, "_NO_UNNAMED", [True])  # the named temp file's way

    render_many._new_run()
    out = tmp_path / "out" / "sub"
    render_many._write(str(out / "a.md"), "A\n", False)
    n = next(render_many._counter) + 1
    stale = out / f".b.md.{os.getpid()}-{n}.tmp"
    stale.write_text("left behind\n")
    render_many._write(str(out / "b.md"), "B\n", False)
    assert (out / "b.md").read_text() == "B\n" and stale.read_text() == "left behind\n"
    shutil.rmtree(tmp_path / "out")
    render_many._write(str(out / "c.md"), "C\n", False)
    assert [p.name for p in out.iterdir()] == ["c.md"] and (out / "c.md").read_text() == "C\n"


def test_a_removed_folder_is_made_again_on_the_unnamed_route(tmp_path, write_route):
    import shutil

    from tplan.commands import render_many

    render_many._new_run()
    out = tmp_path / "out" / "sub"
    render_many._write(str(out / "a.md"), "A\n", False)
    shutil.rmtree(tmp_path / "out")
    render_many._write(str(out / "c.md"), "C\n", False)
    assert [p.name for p in out.iterdir()] == ["c.md"] and (out / "c.md").read_text() == "C\n"
    assert ([] if write_route == "unnamed" else [True]) == render_many._NO_UNNAMED  # a missing folder is no reason to give it up


def test_force_replaces_own_files_keeping_their_mode_and_writes_new_ones(tmp_path, write_route):
    from tplan.commands import render_many

    render_many._new_run()
    own = tmp_path / "own.md"
    own.write_text("old\n")
    own.chmod(0o600)
    render_many._write(str(own), "new\n", True)
    render_many._write(str(tmp_path / "new.md"), "fresh\n", True)
    assert own.read_text() == "new\n" and own.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "new.md").read_text() == "fresh\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.md", "own.md"]


def test_check_targets_looks_once_and_still_tells_folders_and_files_apart(tmp_path):
    from tplan.commands.render_many import check_targets
    from tplan.errors import TplanError

    (tmp_path / "dir.md").mkdir()
    (tmp_path / "to-dir.md").symlink_to(tmp_path / "dir.md")
    (tmp_path / "dangling.md").symlink_to(tmp_path / "nowhere")
    (tmp_path / "file.md").write_text("x\n")
    for name, message in (("dir.md", "is a folder"), ("to-dir.md", "is a folder"), ("dangling.md", "already exists"),
                          ("file.md", "already exists")):
        with pytest.raises(TplanError, match=message):
            check_targets([("plan.yaml", str(tmp_path / name))], force=False)
    check_targets([("p.yaml", str(tmp_path / "dangling.md")), ("q.yaml", str(tmp_path / "file.md"))], force=True)
    check_targets([("p.yaml", str(tmp_path / "missing" / "p.md"))], force=False)


def test_relative_output_paths_are_the_ones_relpath_gives(tmp_path, monkeypatch):
    """plan_outputs cuts the folder's name off the found files instead of calling relpath: the
    same output paths, however the folder is written on the command line."""
    from tplan.commands.render_many import plan_outputs
    from tplan.config import project_settings

    plans_folder(tmp_path)
    monkeypatch.chdir(tmp_path)
    settings = project_settings(dt.date(2026, 4, 1))
    for given in ("plans", "plans/", "./plans", "plans//", str(tmp_path / "plans"), "plans/adults/..", "plans/adults"):
        pairs, problems = plan_outputs([given], settings, tmp_path / "out", "md")
        assert not problems and pairs
        for file, target in pairs:
            assert target == str(tmp_path / "out" / os.path.relpath(file, given)).removesuffix(".yaml") + ".md", given
