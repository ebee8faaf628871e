"""The evidence bench row runs the real recorder, measures a floor and cleans up (no speed asserted)."""

from __future__ import annotations

from pathlib import Path

from mcdesk.bench import EVIDENCE_RECORD, run_bench


def test_the_evidence_row_measures_the_recorder_and_a_floor_and_leaves_nothing(tmp_path: Path) -> None:
    lines: list[str] = []
    [row] = run_bench(quick=True, only=["evidence record"], log=lines.append, workdir=tmp_path)
    assert row.name == EVIDENCE_RECORD and row.unit == "ms"
    assert row.value > 0 and row.floor > 0 and row.ratio == row.value / row.floor
    assert row.note and row.budget and row.budget.text == "under 1 ms per record"  # DESIGN's absolute budget
    assert row.budget.held == (row.value < 1.0)
    assert any("mcdesk recorder" in line and "bare sign + INSERT" in line for line in lines)
    assert list(tmp_path.iterdir()) == []
