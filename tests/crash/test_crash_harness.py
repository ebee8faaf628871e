"""The crash harness: the core flows (pack install, quiz answering, lessons writing evidence, sync to a
real hub) run in a child process that is killed with SIGKILL at 200 random moments, about 50 inside
each flow; after every kill the laptop's database, packs, evidence chain and the hub are checked.

One hub process and one laptop data folder live through the whole run, like a lab laptop through
a season of power cuts. Each round starts a child (tests/crash/driver.py) on that folder, waits until
the round's target (a flow, or one step of a flow) begins, waits a random time within its usual
duration (measured first, then from everything the children report), and kills it. The parent side
lives in tests/crash/harness.py, the checks in tests/crash/invariants.py; see docs/crash-harness.md.

MCDESK_CRASH_SEED replays a run's plan (targets, delays and the children's choices; the moments
the kills land still depend on timing); MCDESK_CRASH_KILLS changes the number of kills.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.crash.harness import KILLS, Run, make_laptop, plan, tally
from tests.crash.material import PHASES
from tests.hubproc import running_hub

pytestmark = pytest.mark.slow


def test_two_hundred_kills_across_install_quiz_evidence_and_sync_lose_nothing_and_break_nothing(
        tmp_path: Path) -> None:
    seed = int(os.environ.get("MCDESK_CRASH_SEED", random.SystemRandom().randrange(2**32)))
    print(f"\ncrash harness: seed {seed} (MCDESK_CRASH_SEED={seed} replays it), {KILLS} kills")
    started = time.monotonic()
    rng = random.Random(seed)
    targets = plan(rng, KILLS)
    with running_hub(tmp_path / "hub") as hub:
        run = Run(make_laptop(tmp_path, hub), hub, rng)
        stage = "calibration"
        try:
            run.run_child("--calibrate=2")  # every flow twice, unkilled: measures them and proves they work
            run.check()
            for n, target in enumerate(targets):
                stage = f"kill {n + 1} of {KILLS} (target {target})"
                run.kill_round(target)
                run.check()
            stage = "the final clean sync"
            run.run_child("--final")
            assert run.lines[-1] == "DONE"
            held = run.check()
            assert held == len(run.records) and all(r.acked for r in run.records), \
                f"after the final sync the hub holds {held} of the laptop's {len(run.records)} records"
        except Exception as exc:  # an assertion, or an error of the project's raised while checking
            exc.add_note(f"crash harness seed {seed}, at {stage}; data folder {run.laptop.root}; "
                         f"last lines of the child:\n  " + "\n  ".join(run.lines[-15:]))
            raise
    result = tally(run)
    result["seed"], result["seconds"] = seed, round(time.monotonic() - started, 1)
    result["checking_seconds"] = round(run.check_seconds, 1)
    path = tmp_path / "crash-tally.json"
    path.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result, indent=2))
    print(f"crash harness tally written to {path}")

    # The kills must have hit every flow in its middle, not only between flows.
    inside = Counter(k.landed for k in run.kills if k.landed == k.target.phase)
    assert all(inside[p] >= KILLS // 40 for p in PHASES), f"too few kills landed inside a flow: {inside}"
    assert result["done"]["answers_saved"] and result["done"]["attempts_finished"] and run.ledger.completed
