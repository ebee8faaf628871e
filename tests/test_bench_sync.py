"""The sync rows of `mcdesk bench`: a real hub on loopback, the raw floor, bytes on the wire."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from mcdesk.bench import run_bench
from mcdesk.bench_sync import SYNC_ROW, WIRE_ROW


def test_the_sync_rows_measure_mcdesk_and_the_raw_floor_against_a_real_hub(tmp_path: Path) -> None:
    lines: list[str] = []
    rows = {row.name: row for row in run_bench(quick=True, only=[SYNC_ROW, WIRE_ROW], log=lines.append,
                                               workdir=tmp_path)}
    assert set(rows) == {SYNC_ROW, WIRE_ROW}
    for row in rows.values():
        assert row.value > 0 and row.floor > 0 and row.ratio == row.value / row.floor
    assert rows[WIRE_ROW].unit == "B" and rows[SYNC_ROW].unit == "s"
    assert any("mcdesk sync" in line and "raw sign + post" in line for line in lines)
    assert list(tmp_path.iterdir()) == []  # the hub's data folder and the device's are removed


def test_without_the_hub_extra_the_rows_say_what_to_install() -> None:
    script = ("import json, sys; sys.modules['fastapi'] = None\n"
              "from mcdesk.bench import run_bench\n"
              f"print(json.dumps([r.as_json() for r in run_bench(quick=True, only=[{WIRE_ROW!r}])]))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    row = json.loads(done.stdout)[0]
    assert row["floor"] == 0 and not row["ok"] and "mcdesk[hub]" in row["note"]
