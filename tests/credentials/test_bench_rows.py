"""The credential rows of `mcdesk bench`: issuing and verifying one credential against bare RSA floors."""

from __future__ import annotations

from pathlib import Path

from mcdesk.bench import REGISTRY, run_bench
from mcdesk.bench_credentials import ISSUE_ROW, VERIFY_ROW


def test_credential_rows_are_registered_with_their_goals() -> None:
    goals = {bench.name: bench.goal for bench in REGISTRY}
    assert goals[ISSUE_ROW] == "<= 2.0" and goals[VERIFY_ROW] == "<= 2.0"


def test_credential_rows_measure_mcdesk_and_the_bare_rsa_floor(tmp_path: Path) -> None:
    lines: list[str] = []
    rows = {row.name: row for row in run_bench(quick=True, only=[ISSUE_ROW, VERIFY_ROW], log=lines.append,
                                               workdir=tmp_path)}
    assert set(rows) == {ISSUE_ROW, VERIFY_ROW}
    for row in rows.values():
        assert row.value > 0 and row.floor > 0 and row.ratio == row.value / row.floor and row.unit == "µs"
    assert any("bare RSA" in line for line in lines)
    assert list(tmp_path.iterdir()) == []
