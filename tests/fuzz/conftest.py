"""Fuzz fixtures: the budget line in the test summary (how to run longer), and the hub the API fuzz uses."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fuzz.budget import describe
from tests.hubproc import Hub, running_hub


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    terminalreporter.write_line(describe())


@pytest.fixture(scope="module")
def fuzz_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    """The real hub on 127.0.0.1, shared by the tests of one module."""
    with running_hub(tmp_path_factory.mktemp("fuzz-hub") / "data") as running:
        yield running
