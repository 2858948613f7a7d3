"""Issue 20, reading side: one guarded reader for every command, no segfault on deep nesting,
linear time on duplicate keys and aliases, valid YAML never E001, positions as an editor counts.

Each test names the behaviour before the fix in a comment (the figure the issue reported)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import subprocess
import sys
import time

import pytest
from conftest import MINIMAL, run_tplan, run_tplan_process, tplan_command
from timing import LINEAR_LIMIT_FOR_10X, growth_for_10x

from tplan.linter import LintSettings, lint_text
from tplan.loader import LoadError, load_text
from tplan.measures import builtin_catalogue
from tplan.reading import DEFAULT_MAX_FILE_BYTES, read_plan_text
from tplan.rules import Limits

TEXT = MINIMAL.read_text(encoding="utf-8")
TODAY = ("--today", "2026-04-01")
SETTINGS = LintSettings(today=dt.date(2026, 4, 1))


def lint(text: str) -> list[str]:
    result = lint_text(text, "plan.yaml", SETTINGS, builtin_catalogue())
    return sorted(f"{d.line}:{d.column} {d.code}" for d in result.diagnostics)


def run(*args: str, timeout: float = 20) -> subprocess.CompletedProcess:
    """The installed program, killed after `timeout` seconds: for the inputs that hung or crashed
    the process (pipes, devices, deep nesting), so a regression fails the test, not the suite."""
    return run_tplan_process(*args, timeout=timeout)


# ---- 1. the guarded reader -------------------------------------------------------------------------


def test_read_plan_text_refuses_pipes_devices_and_folders_at_once(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    for path, kind in ((fifo, "a named pipe"), ("/dev/zero", "a device"), (tmp_path, "a folder")):
        start = time.perf_counter()
        with pytest.raises(LoadError) as caught:
            read_plan_text(path, Limits())
        assert time.perf_counter() - start < 1
        assert caught.value.code == "E000"
        assert caught.value.message == f"not a regular file ({kind}); tplan reads plan files only"


def test_read_plan_text_caps_the_size_and_names_the_limit(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(TEXT + "# padding\n" * 200)
    small = Limits(max_file_bytes=1000)
    with pytest.raises(LoadError) as caught:
        read_plan_text(plan, small)
    assert caught.value.code == "E000"
    assert f"the file is {plan.stat().st_size:,} bytes, over the max-file-bytes limit of 1,000" in caught.value.message
    assert read_plan_text(plan, Limits(max_file_bytes=plan.stat().st_size)) == plan.read_text()
    assert Limits().max_file_bytes == DEFAULT_MAX_FILE_BYTES == 5 * 1024 * 1024


def test_read_plan_text_decodes_utf8_with_a_bom_and_names_utf16(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(b"\xef\xbb\xbf" + TEXT.encode())
    assert read_plan_text(plan) == TEXT
    for encoding in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):  # with a BOM, then without
        plan.write_bytes(TEXT.encode(encoding))
        with pytest.raises(LoadError) as caught:
            read_plan_text(plan)
        wide = "UTF-32" if "32" in encoding else "UTF-16"
        assert caught.value.message == f"the file is saved as {wide}; save it as UTF-8 in your editor", encoding
    plan.write_bytes(b"tplan: 1\x00\x01\x02 binary")
    with pytest.raises(LoadError, match="binary file"):
        read_plan_text(plan)
    with pytest.raises(LoadError, match="^no such file$"):
        read_plan_text(tmp_path / "missing.yaml")


def test_lint_uses_the_reader_limit_from_the_config(tmp_path):
    (tmp_path / ".tplan.toml").write_text("max-file-bytes = 1000\n")
    plan = tmp_path / "plan.yaml"
    plan.write_text(TEXT + "# padding\n" * 200)
    result = run_tplan("lint", *TODAY, "plan.yaml", cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "plan.yaml: E000 error the file is 3," in result.stdout and "max-file-bytes limit of 1,000" in result.stdout


@pytest.mark.process
@pytest.mark.parametrize("command", ["render", "status", "export --fhir"])
def test_render_status_and_export_on_a_pipe_and_dev_zero_return_at_once(tmp_path, command):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    for path in (str(fifo), "/dev/zero"):
        result = run(*command.split(), *TODAY, path, timeout=20)  # render hung on a pipe; /dev/zero grew past 3.6 GB
        assert result.returncode == 2, (path, result.stdout, result.stderr)
        out = result.stdout + result.stderr
        assert "E000" in out and "not a regular file" in out, out
        assert "Traceback" not in out


@pytest.mark.parametrize("command", ["render", "export --fhir"])
def test_render_and_export_refuse_an_oversized_plan_with_e000(tmp_path, command):
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(TEXT.encode() + b"#" * (DEFAULT_MAX_FILE_BYTES + 1))
    result = run_tplan(*command.split(), *TODAY, str(plan))
    assert result.returncode == 2
    assert f"{plan}: E000 the file is {plan.stat().st_size:,} bytes, over the max-file-bytes limit" in result.stderr


# ---- 2. block nesting: a quick E001 with a position, never a segfault ------------------------------

DEEP = {
    "sequence": "- " * 30000 + "x",
    "explicit-keys": "? " * 100000 + "x",
    "plan": TEXT + "x-deep:\n  " + "- " * 100000 + "x\n",
    "plan-mapping": TEXT + "x-deep:\n" + "".join(" " * i + "- a:\n" for i in range(0, 2400, 2)),
}


@pytest.mark.parametrize("name", DEEP)
def test_deep_block_nesting_is_a_quick_e001_with_a_position(name):
    start = time.perf_counter()
    with pytest.raises(LoadError) as caught:
        load_text(DEEP[name])  # SIGSEGV (exit 139) before, in lint, render and status
    assert time.perf_counter() - start < 2
    assert caught.value.code == "E001" and "nested too deeply" in caught.value.message
    assert caught.value.line >= 1 and caught.value.column >= 1


def test_the_nesting_scan_finds_the_tokens_finditer_finds():
    """loader._nesting_tokens jumps between the characters that can start a token; it must find
    exactly what _NESTING_TOKENS.finditer finds: quotes only at the start of a value, comments only
    after white space, brackets anywhere else; on plans and on random mixes of those characters."""
    import random

    from tplan.loader import _NESTING_TOKENS, _nesting_tokens

    examples = MINIMAL.parent.parent.parent / "examples"
    texts = [p.read_text(encoding="utf-8") for p in (*sorted(examples.glob("*.yaml")), MINIMAL)]
    texts += [
        "a: [b's, 'c]d', \"e]\\\"f\"]#g\n# [h\nx: it's [ok] # [no\r'[': {'': ''''}}\u2028'x]'\x85\"y}\"",
        "'unclosed [\n[\"also unclosed {", "#[\n#{", "a#[b] c:#{d} e:'[' f,'{' g\t'[' [[['x]]]']",
    ]
    rng = random.Random(20261201)
    alphabet = [*"[]{}'\"#\\ :,\n\r\ta-x", "\u2028", "\x85"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60))) for _ in range(400)]
    for text in texts:
        assert [m.span() for m in _nesting_tokens(text)] == [m.span() for m in _NESTING_TOKENS.finditer(text)], text


@pytest.mark.process
def test_deep_block_nesting_in_every_command(tmp_path):
    plan = tmp_path / "deep.yaml"
    plan.write_text(DEEP["plan"])
    line = TEXT.count("\n") + 2
    for command in ("lint", "render", "status"):
        result = run(command, *TODAY, str(plan))
        assert result.returncode == 2, (command, result.returncode, result.stderr[-300:])
        out = result.stdout + result.stderr
        assert (f":{line}:" in out or f"at line {line}:" in out) and "E001" in out and "nested too deeply" in out, command


@pytest.mark.process
def test_a_pathological_file_does_not_lose_the_other_files_results(tmp_path):
    for i in range(5):
        (tmp_path / f"plan-{i}.yaml").write_text(TEXT.replace("TP-TEST-0001", f"TP-TEST-000{i}"))
    (tmp_path / "plan-2.yaml").write_text(TEXT.replace("TP-TEST-0001", "TP-TEST-0002").replace("status: active", "status: actve"))
    for name, text in DEEP.items():
        (tmp_path / f"deep-{name}.yaml").write_text(text)
    result = run("lint", *TODAY, str(tmp_path))
    assert result.returncode == 2, result.stderr
    assert f"{tmp_path / 'plan-2.yaml'}:4:9: E003" in result.stdout  # the others' findings are kept
    assert result.stdout.count("nested too deeply") == len(DEEP)
    assert f"Found {len(DEEP) + 1} errors" in result.stdout and f"of {len(DEEP) + 5} files checked" in result.stdout


def test_reasonable_block_nesting_still_reads():
    nested = TEXT + "x-deep:\n" + "".join(" " * (2 * i + 2) + f"k{i}:\n" for i in range(200)) + " " * 402 + "v\n"
    doc = load_text(nested)
    node = doc.data["x-deep"]
    for i in range(199):
        node = node[f"k{i}"]
    assert node == {"k199": "v"}
    assert lint(nested) == []


def test_a_file_that_kills_its_process_in_a_small_run_is_reported_and_the_others_kept(tmp_path, monkeypatch):
    """Defence in depth for crashes no guard foresaw: in a run too small for a worker pool, a
    file larger than a plan usually is gets its own process, so a crash costs only that file."""
    import tplan.linter as linter

    big = tmp_path / "big.yaml"
    big.write_text(TEXT + "# note\n" * (linter.ISOLATE_BYTES // 7 + 1))
    small = tmp_path / "small.yaml"
    small.write_text(TEXT.replace("status: active", "status: actve"))
    real = linter.lint_file

    def crashing(file, settings, catalogue):
        if file.endswith("big.yaml"):
            os.abort()  # only ever runs in the worker process: the parent would die here otherwise
        return real(file, settings, catalogue)

    monkeypatch.setattr(linter, "lint_file", crashing)
    results = linter.lint_files([str(big), str(small)], SETTINGS, builtin_catalogue())
    by_file = {r.file: [d.code for d in r.diagnostics] for r in results}
    assert by_file == {str(big): ["E000"], str(small): ["E003"]}
    assert "worker process stopped" in results[0].diagnostics[0].message


# ---- 4. valid YAML is never E001: the pure-Python parser decides when the C parser rejects -------

# Valid YAML 1.2 that ruamel.yaml.clib's C parser rejects (written in the style of the
# yaml-test-suite's cases: colons in flow context, a reserved directive, a redefined anchor).
C_PARSER_REJECTS = {
    "colon-in-a-flow-list": ("x: [Sessions after 10:00]\n", {"x": ["Sessions after 10:00"]}),
    "url-in-a-flow-list": ("x: [https://example.org/a, {b: http://c.org:80/d}]\n", {"x": ["https://example.org/a", {"b": "http://c.org:80/d"}]}),
    "url-in-a-flow-mapping": ("x: {url: https://example.org}\n", {"x": {"url": "https://example.org"}}),
    "colon-inside-a-flow-scalar": ("x: [b:c, d]\n", {"x": ["b:c", "d"]}),
    "colon-ending-a-flow-scalar": ("x: [b:]\n", {"x": ["b:"]}),
    "colon-in-a-flow-value": ("x: {b: c:d}\n", {"x": {"b": "c:d"}}),
    "reserved-directive": ("%FOO  bar baz # a comment\n---\nx: 1\n", {"x": 1}),
    "anchor-defined-twice": ("a: &x 1\nb: &x 2\nc: *x\n", {"a": 1, "b": 2, "c": 2}),
}
# Valid inputs the C parser reads itself (directives, tabs as separation): they never reach the
# pure parser, which rejects some of them (a tab after a value).
C_PARSER_READS = {
    "yaml-directive": ("%YAML 1.2\n---\nx: 1\n...\n", {"x": 1}),
    "tab-after-a-key": ("x:\t1\ny: [1,\t2]\n", {"x": 1, "y": [1, 2]}),
    "tab-before-a-comment": ("x: 1\t# note\n", {"x": 1}),
}


@pytest.mark.parametrize("name", sorted(C_PARSER_REJECTS))
def test_valid_yaml_the_c_parser_rejects_is_read(name):
    text, expected = C_PARSER_REJECTS[name]
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    with pytest.raises(YAMLError):
        YAML(typ="safe").load(text)  # the C parser's verdict (E001 before)
    assert load_text(text).data == expected


@pytest.mark.parametrize("name", sorted(C_PARSER_READS))
def test_valid_yaml_the_c_parser_reads_never_asks_the_pure_parser(name, monkeypatch):
    import tplan.loader as loader

    def never():
        raise AssertionError("the pure parser was asked")

    monkeypatch.setattr(loader, "_pure_yaml", never)
    text, expected = C_PARSER_READS[name]
    assert load_text(text).data == expected
    assert load_text(TEXT).data["id"] == "TP-TEST-0001"


def test_a_plan_with_a_time_in_a_flow_list_lints_and_renders(tmp_path):
    text = TEXT.replace("status: active\n", "status: active\naccommodations: [Sessions after 10:00, https://example.org/access]\n")
    assert lint(text) == []  # was 5:37 E001 "found unexpected ':'"
    plan = tmp_path / "plan.yaml"
    plan.write_text(text)
    result = run_tplan("render", *TODAY, str(plan))
    assert result.returncode == 0, result.stderr
    assert "Sessions after 10:00" in result.stdout


def test_invalid_yaml_is_e001_with_the_pure_parsers_position_and_hint():
    cases = {
        "x: [a, b: c:\n  d\ny: 1\n": None,  # rejected by both
        "x: [one, two\ny: 1\n": "a [ … ] list is not closed",
        "x: 'not closed\ny: 1\n": "a quote opened here is never closed",
    }
    for text, hint in cases.items():
        with pytest.raises(LoadError) as caught:
            load_text(text)
        assert caught.value.code == "E001" and caught.value.line >= 1 and caught.value.column >= 1, text
        if hint:
            assert hint in caught.value.message, (text, caught.value.message)


def test_e001_on_a_control_character_has_line_and_column():
    with pytest.raises(LoadError) as caught:
        load_text("tplan: 1\nid: TP-1\nstatus: act\x07ive\n")  # no position before
    error = caught.value
    assert (error.code, error.line, error.column) == ("E001", 3, 12)
    assert error.message == "invalid YAML: U+0007 (a control character) is not allowed in a plan; delete it"


# ---- 5. positions count lines as an editor does ----------------------------------------------------


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_unicode_line_separators_in_a_value_do_not_shift_later_lines(char):
    bad = TEXT.replace("status: active", "status: actve")
    assert lint(bad) == ["4:9 E003"]
    for value in (f'"one{char}two"', f"'one{char}two'", f"[one{char}two]", f"one {char} two"):
        text = bad.replace("tplan: 1\n", f"tplan: 1\nx-note: {value}\n")
        assert lint(text) == ["5:9 E003"], (value, lint(text))  # was 6:9 (or 7:9) before


def test_positions_after_cr_only_and_crlf_line_ends():
    bad = TEXT.replace("status: active", "status: actve")
    for newline in ("\r", "\r\n"):
        text = bad.replace("\n", newline).replace("tplan: 1", 'tplan: 1\rx-note: "a\u2028b"')
        assert lint(text) == ["5:9 E003"], newline


# ---- 3. linear time: duplicate keys, aliases of a large string; memory of a large plan ------------


def _lint_or_load_error(text: str) -> None:
    with contextlib.suppress(LoadError):
        lint_text(text, "plan.yaml", SETTINGS, builtin_catalogue())


def test_duplicate_keys_cost_linear_time():
    def plan(n: int) -> str:
        return TEXT + "x-notes:\n" + "".join(f"  k: {i}\n" for i in range(n))

    result = lint_text(plan(20), "plan.yaml", SETTINGS, builtin_catalogue())
    assert [d.code for d in result.diagnostics] == ["E006"] * 19
    assert growth_for_10x(plan, 2_000, _lint_or_load_error) <= LINEAR_LIMIT_FOR_10X  # 20,000 took 11 s: quadratic


def test_aliases_of_a_large_string_are_counted_by_size_and_cost_linear_time():
    def plan(n: int) -> str:
        return TEXT + "x-big: &big " + "a" * 1_000_000 + "\nx-copies:\n" + "".join("  - *big\n" for _ in range(n))

    with pytest.raises(LoadError) as caught:
        load_text(plan(20_000))  # 9 s before, and every later step walked 20 GB of text
    assert caught.value.code == "E001" and "too many aliases" in caught.value.message
    assert growth_for_10x(plan, 2_000, _lint_or_load_error) <= LINEAR_LIMIT_FOR_10X
    assert load_text(TEXT + "x-a: &a Some shared words\nx-b: [*a, *a, *a]\n").data["x-b"] == ["Some shared words"] * 3


@pytest.mark.process
def test_a_10_mb_plan_needs_memory_in_proportion(tmp_path):
    """Peak memory of linting a 10 MB plan in a fresh process (max-file-bytes raised for it)."""
    (tmp_path / ".tplan.toml").write_text(f"max-file-bytes = {20 * 1024 * 1024}\n")
    note = "Session went as planned; homework reviewed, sleep diary kept on most nights, next steps agreed"
    entries = "".join(f"  - {{date: 2026-03-{1 + i % 28:02d}, score: {i % 21}, note: {note} {i}}}\n" for i in range(75_000))
    (tmp_path / "big.yaml").write_text(TEXT + "x-log:\n" + entries)
    assert (tmp_path / "big.yaml").stat().st_size > 10_000_000
    script = (
        "import resource, sys\n"
        "from tplan.cli import main\n"
        "sys.argv = ['tplan', 'lint', '--today', '2026-04-01', 'big.yaml']\n"
        "try:\n    main()\n"
        "except SystemExit:\n    pass\n"
        "print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    peak_kb = int(result.stdout.rsplit("PEAK", 1)[1])
    assert "E000" not in result.stdout, result.stdout[:300]
    assert peak_kb < 900 * 1024, peak_kb  # 1.4 GB before


# ---- 6. SARIF on a file name that is not UTF-8 ------------------------------------------------------


@pytest.mark.process
def test_sarif_on_a_non_utf8_file_name_escapes_the_uri_and_keeps_the_other_results(tmp_path):
    import json

    bad = os.fsdecode(b"bad-\xff.yaml")  # a name from a Latin-1 system: os.fsdecode gives a surrogate
    (tmp_path / bad).write_text(TEXT.replace("TP-TEST-0001", "TP-TEST-0002").replace("status: active", "status: actve"))
    (tmp_path / "ok.yaml").write_text(TEXT.replace("status: active", "status: closd"))
    result = subprocess.run(
        [*tplan_command(), "lint", *TODAY, "--format", "sarif", "."], capture_output=True, cwd=tmp_path, timeout=60
    )
    assert result.returncode == 1, result.stderr  # exit 2 with an empty output and an internal error before
    sarif = json.loads(result.stdout.decode("utf-8"))
    found = sorted(
        (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["ruleId"]) for r in sarif["runs"][0]["results"]
    )
    assert found == [("bad-%FF.yaml", "E003"), ("ok.yaml", "E003")]


@pytest.mark.parametrize("separator", ["\u2028", "\x85", "\r"])
def test_deep_block_nesting_after_a_line_separator_is_caught(separator):
    with pytest.raises(LoadError) as caught:
        load_text("x: 1" + separator + "- " * 30000 + "x\n")  # ruamel's C parser starts a line there
    assert caught.value.code == "E001" and "nested too deeply" in caught.value.message
    assert caught.value.line == (2 if separator == "\r" else 1)  # an editor's line
