"""The `mcdesk selftest` command: the technician's check of a new laptop and of its connection to the hub."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mcdesk.cli.output import Output


def add_parsers(sub: Any) -> None:
    """``mcdesk selftest [--hub URL --code CODE] [--keep DIR] [--json]``."""
    p = sub.add_parser(
        "selftest", help="check this laptop (and its connection to the hub) end to end",
        description="In a throwaway data folder (this laptop's own data is not touched): install the sample "
        "packs, play a learner through one credential with correct answers and check the evidence chain. "
        "With --hub and --code, also enrol that throwaway installation, sync, wait for the issued credential, "
        "verify it offline and export it. Prints each step and a verdict; exit code 0 only when all passed.")
    p.add_argument("--hub", metavar="URL", help="the hub's address, to check the round trip through it")
    p.add_argument("--code", metavar="CODE", help="a one-time enrolment code from that hub (it is used up)")
    p.add_argument("--keep", metavar="DIR",
                   help="an empty folder to keep the data folder (DIR/data) and the exported credential "
                   "(DIR/export) in, instead of removing them")
    p.add_argument("--json", action="store_true", help="print the steps and the verdict as JSON")
    p.set_defaults(func="selftest:selftest")


def selftest(args: argparse.Namespace, out: Output) -> int:
    from pathlib import Path

    from mcdesk.errors import McdeskError
    from mcdesk.selftest import Step, run_selftest

    if (args.hub is None) != (args.code is None):
        raise McdeskError("--hub and --code go together.", "Give both (the hub and a one-time enrolment code) "
                          "or neither.")

    def show(step: Step) -> None:
        mark = "✓" if step.ok else "✗"
        out.line(f"{mark} {step.name}: {step.detail}")

    out.line("mcdesk selftest" + (f" against {args.hub}" if args.hub else " (no hub given: the laptop alone)"))
    report = run_selftest(args.hub, args.code, Path(args.keep) if args.keep else None, show)
    if out.json_mode:
        out.json({"ok": report.ok, "steps": [step.__dict__ for step in report.steps],
                  "kept": str(report.kept) if report.kept else None,
                  "exported": [str(p) for p in report.exported] if report.kept else []})
        return 0 if report.ok else 1
    passed = sum(step.ok for step in report.steps)
    if report.ok:
        out.line(f"PASSED: all {passed} steps passed.")
    else:
        failed = next(step for step in report.steps if not step.ok)
        out.line(f"FAILED at {failed.name!r} ({passed} of {len(report.steps)} steps passed).")
    if report.kept:
        out.line(f"Kept the data folder in {report.kept}")
        for path in report.exported:
            out.line(f"Exported {path}")
    return 0 if report.ok else 1
