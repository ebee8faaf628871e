"""What `mcdesk bench` says about the machine it ran on and the verdict a technician reads at the end.

The ratios say whether mcdesk adds little to what this laptop can do anyway (they should hold on any
machine); the absolute budgets say whether this laptop is fast enough for learners (lessons open and
answers come back without a wait). docs/performance.md explains both.
"""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mcdesk import __version__
from mcdesk.bench import Row


def _read(path: str | Path) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def cpu_model() -> str:
    """The processor's name as the system reports it (Linux: /proc/cpuinfo), else platform's guess."""
    for line in (_read("/proc/cpuinfo") or "").splitlines():
        if line.startswith("model name") and ":" in line:
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine() or "unknown"


def usable_cores() -> int:
    """The cores this process may run on (taskset / cpuset), not just the cores the machine has."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def memory_total_mb() -> float | None:
    for line in (_read("/proc/meminfo") or "").splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) * 1024 / 1e6
    return None


def memory_limit_mb(proc_cgroup: str | None = None, root: Path = Path("/sys/fs/cgroup")) -> float | None:
    """This process's cgroup memory limit in MB (v2 memory.max or v1 memory.limit_in_bytes), None if none.

    v1 reports "no limit" as a huge number; anything at or above the machine's memory counts as none.
    """
    text = _read("/proc/self/cgroup") if proc_cgroup is None else proc_cgroup
    limits: list[int] = []
    for line in (text or "").splitlines():
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        _, controllers, path = parts
        rel = path.lstrip("/")
        if controllers == "":  # cgroup v2: the unified hierarchy
            value = _read(root / rel / "memory.max") or _read(root / "unified" / rel / "memory.max")
        elif "memory" in controllers.split(","):
            value = _read(root / "memory" / rel / "memory.limit_in_bytes")
        else:
            continue
        if value and value.strip().isdigit():
            limits.append(int(value.strip()))
    total = memory_total_mb()
    smallest = min(limits) / 1e6 if limits else None
    if smallest is None or (total is not None and smallest >= total):
        return None
    return smallest


def machine() -> dict[str, Any]:
    """The facts a reader of a bench table needs to compare it with another machine's."""
    return {
        "mcdesk": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "frozen": bool(getattr(sys, "frozen", False)),
        "cpu": cpu_model(),
        "cores": os.cpu_count() or 1,
        "cores_usable": usable_cores(),
        "memory_mb": round(memory_total_mb() or 0.0) or None,
        "memory_limit_mb": round(limit) if (limit := memory_limit_mb()) else None,
    }


def summary(rows: Sequence[Row], partial: bool = False) -> dict[str, Any]:
    """Counts of goals met and budgets held, and the verdict on this laptop (never "fast enough" from a
    ``partial`` run, one with --only)."""
    measured = [row for row in rows if row.measured]
    budgets = [row.budget for row in measured if row.budget]
    held = sum(1 for budget in budgets if budget.held)
    return {
        "rows": len(rows),
        "not_measured": [row.name for row in rows if not row.measured],
        "goals_met": sum(1 for row in measured if row.ok),
        "goals": len(measured),
        "budgets_held": held,
        "budgets": len(budgets),
        "partial": partial,
        "fast_enough": bool(budgets) and held == len(budgets) and not partial,
    }


def verdict_lines(result: dict[str, Any]) -> list[str]:
    """The closing sentences of the table: is this laptop fast enough, and does mcdesk keep its ratios."""
    lines = []
    if result["budgets"] and result.get("partial"):
        lines.append(f"Absolute budgets held: {result['budgets_held']} of {result['budgets']} in the rows run; "
                     "run the whole bench (without --only) to judge this laptop.")
    elif result["budgets"]:
        if result["fast_enough"]:
            lines.append(f"This laptop is fast enough: all {result['budgets']} absolute budgets of DESIGN.md "
                         "held (what learners feel: see the 'budget' lines).")
        else:
            lines.append(f"This laptop is NOT fast enough: {result['budgets'] - result['budgets_held']} of "
                         f"{result['budgets']} absolute budgets did not hold (see the rows above); learners "
                         "will wait. docs/performance.md says what to try.")
    else:
        lines.append("No row with an absolute budget ran, so nothing is said about this laptop's speed; "
                     "run the whole bench (without --only) to judge it.")
    lines.append(f"Ratio goals met: {result['goals_met']} of {result['goals']} measured rows.")
    if result["not_measured"]:
        lines.append(f"Not measured here ({len(result['not_measured'])}): {'; '.join(result['not_measured'])} "
                     "(each row's note says why).")
    return lines
