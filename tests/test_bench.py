"""`mcdesk bench`: row structure, ratio and goal arithmetic, registry, cleanup; never speed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mcdesk import bench
from mcdesk.bench import (
    Budget,
    Measurement,
    PackSpec,
    Row,
    goal_holds,
    is_difference_goal,
    parse_goal,
    run_bench,
)
from mcdesk.bench_report import memory_limit_mb, summary, verdict_lines
from mcdesk.cli import main
from mcdesk.errors import McdeskError
from mcdesk.packs.build import build_pack

ROW_KEYS = {"name", "value", "unit", "floor", "ratio", "goal", "ok"}


def check_row(row: dict) -> None:
    """The documented shape, and ratio/ok derived from value, floor and goal (no speed checks)."""
    assert ROW_KEYS <= row.keys() <= ROW_KEYS | {"note", "budget", "budget_held"}
    assert isinstance(row["name"], str) and row["name"]
    assert isinstance(row["unit"], str) and row["unit"]
    assert isinstance(row["ok"], bool)
    for key in ("value", "floor", "ratio"):
        assert isinstance(row[key], int | float) and row[key] >= 0
    parse_goal(row["goal"])
    assert row["value"] > 0  # the mcdesk side ran (a positive number, not a speed bound)
    if row["floor"] > 0:
        assert row["ratio"] == pytest.approx(row["value"] / row["floor"])
        measure = row["value"] - row["floor"] if is_difference_goal(row["goal"]) else row["ratio"]
        assert row["ok"] == goal_holds(measure, row["goal"])
    else:
        assert row["ratio"] == 0 and row["ok"] is False and row.get("note")
    if "note" in row:
        assert isinstance(row["note"], str) and row["note"]
    assert ("budget" in row) == ("budget_held" in row)
    if "budget" in row:
        assert row["floor"] > 0 and isinstance(row["budget_held"], bool) and row["budget"]


def test_cli_quick_json_rows(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--quick", "--json"]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert set(report) == {"machine", "quick", "rows", "summary"} and report["quick"] is True
    rows = report["rows"]
    assert [r["name"] for r in rows] == [b.name for b in bench.REGISTRY]
    for row in rows:
        check_row(row)
    names = {r["name"] for r in rows}
    assert "pack install throughput vs unzip+sha256sum" in names
    assert "pack verify throughput vs unzip -t" in names
    assert all(r["unit"] == "MB/s" and r["goal"] == ">= 1.0" for r in rows if r["name"].startswith("pack "))
    assert "Generating a pack source" in captured.err  # progress goes to stderr, not the JSON
    machine = report["machine"]
    assert machine["cores_usable"] >= 1 and machine["cores"] >= machine["cores_usable"]
    assert machine["python"].startswith("3.") and machine["cpu"]
    summary = report["summary"]
    measured = [r for r in rows if r["floor"] > 0]
    assert summary["goals"] == len(measured) and summary["goals_met"] == sum(r["ok"] for r in measured)
    assert summary["not_measured"] == [r["name"] for r in rows if r["floor"] == 0]
    with_budget = [r for r in rows if "budget" in r]
    assert summary["budgets"] == len(with_budget) >= 1  # at least the evidence row always has one
    assert summary["budgets_held"] == sum(r["budget_held"] for r in with_budget)


def test_cli_quick_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--quick", "--only", "VERIFY"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("row")
    rows = [line for line in out[1:] if line and not line.startswith("    ")]
    assert rows[0].startswith("pack verify throughput vs unzip -t")
    assert rows[1].startswith("No row with an absolute budget ran")  # verify has no absolute budget
    assert re.fullmatch(r"Ratio goals met: [01] of 1 measured rows\.", rows[2])


def test_only_filters_and_temp_files_are_removed(tmp_path: Path) -> None:
    assert shutil.which("unzip"), "the floor needs unzip (.ci/system-packages installs it)"
    lines: list[str] = []
    rows = run_bench(quick=True, only=["verify"], log=lines.append, workdir=tmp_path)
    assert [r.name for r in rows] == ["pack verify throughput vs unzip -t"]
    check_row(rows[0].as_json())
    assert rows[0].floor > 0
    assert lines and any("unzip -tq" in line for line in lines)
    assert list(tmp_path.iterdir()) == []


def test_missing_tool_gives_a_row_not_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    real_which = shutil.which

    def which(name: str, *args: object, **kwargs: object) -> str | None:
        return None if name == "unzip" else real_which(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(bench.shutil, "which", which)
    rows = run_bench(quick=True, only=["pack install", "pack verify"], workdir=tmp_path)
    assert len(rows) == 2
    for row in rows:
        data = row.as_json()
        check_row(data)
        assert data["floor"] == 0 and data["ratio"] == 0 and data["ok"] is False
        assert "unzip" in data["note"]
    assert list(tmp_path.iterdir()) == []


def test_unknown_row_is_refused() -> None:
    with pytest.raises(McdeskError, match="No benchmark row matches 'no such row'"):
        run_bench(quick=True, only=["no such row"])


# --- the pieces, without running anything slow -------------------------------------------


@pytest.mark.parametrize(("ratio", "goal", "holds"), [
    (1.0, ">= 1.0", True), (0.99, ">= 1.0", False), (1.5, "<= 1.5", True), (1.51, "<= 1.5", False),
    (0.6, "> 0.5", True), (0.5, "> 0.5", False), (0.4, "< 0.5", True),
])
def test_goal_holds(ratio: float, goal: str, holds: bool) -> None:
    assert goal_holds(ratio, goal) is holds


@pytest.mark.parametrize("goal", ["1.0", ">=1.0", "== 1", ">= x", ">= nan", ""])
def test_malformed_goals_are_refused(goal: str) -> None:
    with pytest.raises(ValueError):
        parse_goal(goal)


def test_budget_is_reported_only_for_measured_rows() -> None:
    held = Row.make("r", "ms", "<= 2.0", 5.0, 2.0, budget=Budget("under 16 ms", True))  # ratio 2.5: goal not met
    assert not held.ok and held.as_json()["budget"] == "under 16 ms" and held.as_json()["budget_held"] is True
    unmeasured = Row.make("r", "ms", "<= 2.0", 3.0, 0.0, note="no hub", budget=Budget("under 16 ms", True))
    assert unmeasured.budget is None and "budget" not in unmeasured.as_json() and not unmeasured.measured


def _rows(*budgets: Budget | None, unmeasured: int = 0) -> list[Row]:
    rows = [Row.make(f"r{n}", "ms", "<= 2.0", 1.0, 1.0, budget=b) for n, b in enumerate(budgets)]
    return rows + [Row.make(f"u{n}", "s", "<= 2.0", 0.0, 0.0, note="no hub") for n in range(unmeasured)]


def test_summary_says_fast_enough_only_when_every_budget_held() -> None:
    ok = summary(_rows(Budget("a", True), Budget("b", True), None, unmeasured=1))
    assert ok["fast_enough"] and (ok["budgets_held"], ok["budgets"], ok["goals_met"], ok["goals"]) == (2, 2, 3, 3)
    assert ok["not_measured"] == ["u0"]
    lines = verdict_lines(ok)
    assert lines[0].startswith("This laptop is fast enough") and "u0" in lines[-1]
    slow = summary(_rows(Budget("a", True), Budget("b", False)))
    assert not slow["fast_enough"] and verdict_lines(slow)[0].startswith("This laptop is NOT fast enough: 1 of 2")
    partial = summary(_rows(Budget("a", True)), partial=True)
    assert not partial["fast_enough"] and verdict_lines(partial)[0].startswith("Absolute budgets held: 1 of 1")
    none = summary(_rows(None))
    assert not none["fast_enough"] and verdict_lines(none)[0].startswith("No row with an absolute budget ran")


@pytest.mark.parametrize(("cgroup", "files", "limit"), [
    ("0::/lab\n", {"lab/memory.max": "2000000000\n"}, 2000.0),  # cgroup v2
    ("0::/lab\n", {"lab/memory.max": "max\n"}, None),
    ("4:memory:/lab\n1:cpu:/\n", {"memory/lab/memory.limit_in_bytes": "1000000000\n"}, 1000.0),  # v1
    ("4:memory:/lab\n", {"memory/lab/memory.limit_in_bytes": "9223372036854771712\n"}, None),  # v1 "none"
    ("4:memory:/gone\n", {}, None),
])
def test_memory_limit_is_read_from_the_cgroup(tmp_path: Path, cgroup: str, files: dict[str, str],
                                              limit: float | None) -> None:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    assert memory_limit_mb(cgroup, tmp_path) == limit


def test_a_plus_bound_holds_the_difference_not_the_ratio() -> None:
    assert is_difference_goal("<= +30") and not is_difference_goal("<= 1.5")
    within = Row.make("mem", "MB", "<= +30", 80.0, 51.0)  # +29 MB, ratio 1.57
    assert within.ok and within.ratio == pytest.approx(80 / 51)
    over = Row.make("mem", "MB", "<= +30", 82.0, 51.0)  # +31 MB
    assert not over.ok
    assert not Row.make("mem", "MB", "<= +30", 20.0, 0.0, note="no floor").ok


def test_row_make_derives_ratio_and_ok() -> None:
    row = Row.make("r", "MB/s", ">= 1.0", 150.0, 100.0)
    assert row.ratio == pytest.approx(1.5) and row.ok
    assert row.as_json() == {"name": "r", "value": 150.0, "unit": "MB/s", "floor": 100.0,
                             "ratio": row.ratio, "goal": ">= 1.0", "ok": True}
    slow = Row.make("r", "MB/s", ">= 1.0", 50.0, 100.0, note="why")
    assert not slow.ok and slow.as_json()["note"] == "why"
    unmeasured = Row.make("r", "MB/s", "<= 1.5", 50.0, 0.0, note="no tool")
    assert unmeasured.ratio == 0 and not unmeasured.ok  # 0 <= 1.5, but nothing was compared


def test_registry_runs_new_rows_and_shares_inputs(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench, "REGISTRY", [])
    built: list[int] = []

    def make_input(ctx: bench.BenchContext) -> int:
        built.append(1)
        return 7

    @bench.register("fake lower is better", unit="s", goal="<= 1.5")
    def fake_a(ctx: bench.BenchContext) -> Measurement:
        assert ctx.quick and ctx.root.is_dir()
        return Measurement(ctx.shared("input", make_input) * 2.0, 10.0)

    @bench.register("Fake higher is better", unit="MB/s", goal=">= 0.5")
    def fake_b(ctx: bench.BenchContext) -> Measurement:
        ctx.scratch("x").mkdir()
        return Measurement(ctx.shared("input", make_input) * 1.0, 0.0, note="no floor tool")

    with pytest.raises(ValueError, match="already registered"):
        bench.register("fake lower is better", unit="s", goal="<= 1")(fake_a)
    with pytest.raises(ValueError):
        bench.register("bad goal", unit="s", goal="at most 1")

    rows = run_bench(quick=True, workdir=tmp_path)
    assert [r.name for r in rows] == ["fake lower is better", "Fake higher is better"]
    assert rows[0].ratio == pytest.approx(1.4) and rows[0].ok
    assert rows[1].ratio == 0 and not rows[1].ok and rows[1].note == "no floor tool"
    assert built == [1]  # shared input made once per run
    assert [r.name for r in run_bench(quick=True, only="FAKE H", workdir=tmp_path)] == [
        "Fake higher is better"]
    assert list(tmp_path.iterdir()) == []


def test_generated_source_is_deterministic_and_builds(tmp_path: Path) -> None:
    spec = PackSpec(300_000, 30)
    sizes = [bench.write_source(tmp_path / name, spec) for name in ("a", "b")]
    assert sizes == [spec.total_bytes] * 2
    src = tmp_path / "a"
    files_a = sorted(p.relative_to(src) for p in src.rglob("*") if p.is_file())
    assert len(files_a) == spec.files + 1  # plus manifest.json
    for rel in files_a:
        assert (src / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()
    result = build_pack(src, Ed25519PrivateKey.generate(), tmp_path / "a.mcpack")
    assert len(result.manifest.files) == spec.files


def test_bench_does_not_import_qt() -> None:
    code = ("import sys, mcdesk.bench; "
            "sys.exit(any(m.split('.')[0] == 'PySide6' for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
