"""The fuzz run's budget: hypothesis settings per test, reproducible in CI and scalable for a longer run.

CI runs every test derandomized (the same examples each time) at the counts the tests give.
``MCDESK_FUZZ_SCALE=10`` multiplies every count; ``MCDESK_FUZZ_RANDOM=1`` draws fresh random examples
(hypothesis prints the seed and a ``@reproduce_failure`` blob for any failure it finds).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

SCALE = float(os.environ.get("MCDESK_FUZZ_SCALE", "1") or "1")
RANDOM = os.environ.get("MCDESK_FUZZ_RANDOM", "") not in ("", "0")


def fuzz(max_examples: int) -> settings:
    """Settings for one fuzz test: ``max_examples`` times the scale, no deadline, derandomized in CI."""
    return settings(
        max_examples=max(1, round(max_examples * SCALE)),
        deadline=None,
        derandomize=not RANDOM,
        database=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                               HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


def describe() -> str:
    mode = "random" if RANDOM else "derandomized (the same examples every run)"
    return (f"fuzz: examples x{SCALE:g}, {mode}. For a longer run: "
            "MCDESK_FUZZ_SCALE=10 MCDESK_FUZZ_RANDOM=1 python -m pytest tests/fuzz")
