"""Hub fixtures: one real hub process per test module, and freshly enrolled laptops for each test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.hub.laptops import Laptop
from tests.hubproc import Hub, running_hub


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    """The real hub on 127.0.0.1, shared by the tests of one module (each test uses its own laptops)."""
    with running_hub(tmp_path_factory.mktemp("hub") / "data") as running:
        yield running


@pytest.fixture
def enrolled(hub: Hub) -> Callable[..., Laptop]:
    """Make a laptop with a new key and enrol it at the module's hub."""

    def make(name: str = "Lab 1 - PC 1") -> Laptop:
        laptop = Laptop(name=name)
        laptop.token = hub.enrol(laptop.key, name)["device_token"]
        return laptop

    return make


@pytest.fixture
def laptop(enrolled: Callable[..., Laptop]) -> Laptop:
    return enrolled()


@pytest.fixture
def hub_data(hub: Hub) -> Path:
    return hub.data
