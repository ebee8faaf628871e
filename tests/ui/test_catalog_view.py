"""The technician's Catalog tab against the real hub: not enrolled, nothing published, a pack downloaded
and installed behind the progress dialog, a pack the installer refuses, and an expired catalog that
blocks new downloads while installed packs stay; screenshots at 1024x600 and 1366x768."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtWidgets import QApplication, QMessageBox

from mcdesk.evidence.jcs import canonical
from mcdesk.evidence.jws import parse_compact, sign_compact
from mcdesk.home import Home
from mcdesk.hub.institution import load_institution
from mcdesk.hub.packs import latest_catalog
from mcdesk.hub.store import HubData, open_store
from mcdesk.packs.install import PackManager
from mcdesk.store.db import Store
from mcdesk.sync.catalog import CATALOG_TYP
from mcdesk.sync.client import enrol
from mcdesk.ui.catalog_view import CatalogTab
from mcdesk.ui.context import Context
from mcdesk.ui.ops import Worker
from mcdesk.ui.progress_dialog import OperationProgressDialog
from mcdesk.ui.sync_view import SyncController
from tests.hubproc import Hub, running_hub
from tests.ui.test_profiles import _answer_modal
from tests.ui.test_quiz_runner import clipped_labels, controls_without_names
from tests.ui.test_wallet_issued import keep


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    """A hub of this test's own: what it has published (or not) is part of what each test checks."""
    with running_hub(tmp_path / "hub") as running:
        yield running


@pytest.fixture
def ctx(home: Home, store: Store, manager: PackManager) -> Iterator[Context]:
    context = Context(home, store, manager, Worker(), technician=True)
    yield context
    context.worker.wait()


@pytest.fixture
def tab(qtbot, ctx: Context) -> Iterator[CatalogTab]:
    controller = SyncController(ctx, auto=False)
    widget = CatalogTab(ctx, controller)
    qtbot.addWidget(widget)
    widget.resize(1024, 600)
    yield widget
    controller.stop()


def publish(hub: Hub, make_pack: Callable[..., Path], pack_id: str, **kwargs) -> None:
    hub.cli("publish", str(make_pack(pack_id=pack_id, **kwargs)))


def show_loaded(qtbot, tab: CatalogTab) -> None:
    loads = tab.state
    tab.show()
    qtbot.waitExposed(tab)
    qtbot.waitUntil(lambda: not tab.loading and tab.state is not loads, timeout=30_000)


def expire_the_catalog(hub: Hub) -> None:
    """The institution's newest catalog, signed again with dates that have passed (a catalog nobody
    renewed): a newer version, so the laptop accepts it, that blocks new downloads."""
    data = HubData.open(hub.data)
    with open_store(data) as hub_store:
        institution = load_institution(hub_store, data)
        current = latest_catalog(hub_store)
        payload = json.loads(parse_compact(current.jws).payload_bytes)
        now = datetime.now(UTC).replace(microsecond=0)
        payload.update(version=current.version + 1, issued=(now - timedelta(days=40)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                       expires=(now - timedelta(days=10)).strftime("%Y-%m-%dT%H:%M:%SZ"))
        jws = sign_compact(institution.private_key, institution.kid, canonical(payload), CATALOG_TYP)
        with hub_store.transaction() as conn:
            conn.execute("INSERT INTO catalogs (version, issued_at, expires_at, jws) VALUES (?, ?, ?, ?)",
                         (payload["version"], payload["issued"], payload["expires"], jws))


def test_a_laptop_not_enrolled_is_told_how_to_get_a_catalog(qtbot, tab: CatalogTab) -> None:
    show_loaded(qtbot, tab)
    assert not tab.state.enrolled
    assert "not enrolled with an institution" in tab.summary.text() and "Sync tab" in tab.summary.text()
    assert tab.table.topLevelItemCount() == 0 and not tab.table.isVisibleTo(tab)
    assert controls_without_names(tab) == []


def test_a_hub_that_published_nothing_says_so(qtbot, tab: CatalogTab, hub: Hub, home: Home, store: Store) -> None:
    enrol(home, store, hub.url, hub.enrol_codes(1)[0])
    show_loaded(qtbot, tab)
    assert tab.state.enrolled and tab.state.catalog is None
    assert "has not published any pack yet" in tab.summary.text()
    assert tab.download_buttons() == {}


def test_a_pack_from_the_catalog_is_downloaded_and_installed_behind_the_progress_dialog(
        qtbot, tab: CatalogTab, hub: Hub, home: Home, store: Store, manager: PackManager,
        make_pack: Callable[..., Path], tmp_path: Path) -> None:
    publish(hub, make_pack, "org.example.catalog.one")
    publish(hub, make_pack, "org.example.catalog.two")
    enrol(home, store, hub.url, hub.enrol_codes(1)[0], "lab laptop")
    show_loaded(qtbot, tab)
    assert "Catalog version 2 from " in tab.summary.text()
    assert [tab.table.topLevelItem(i).text(1) for i in range(2)] == ["org.example.catalog.one",
                                                                      "org.example.catalog.two"]
    assert tab.table.topLevelItem(0).text(4) == "Not installed"
    buttons = tab.download_buttons()
    assert set(buttons) == {"org.example.catalog.one", "org.example.catalog.two"}
    assert buttons["org.example.catalog.one"].accessibleName() == "Download and install Test pack"
    assert controls_without_names(tab) == []
    for width, height in ((1024, 600), (1366, 768)):
        tab.resize(width, height)
        qtbot.waitUntil(lambda w=width: tab.width() == w, timeout=5_000)
        qtbot.waitUntil(lambda: clipped_labels(tab) == [], timeout=5_000)
        shot = tmp_path / f"catalog-tab-{width}x{height}.png"
        assert tab.grab().save(str(shot))
        keep(shot, shot.name)

    buttons["org.example.catalog.one"].click()
    assert isinstance(tab.progress.dialog, OperationProgressDialog)
    assert tab.progress.dialog.title == "Downloading and installing Test pack"
    qtbot.waitUntil(lambda: tab.message is not None and tab.message.isVisible(), timeout=30_000)
    assert tab.message.text() == "Installed Test pack 1.1.0 (version 1) from the institution's catalog."
    tab.message.button(QMessageBox.StandardButton.Ok).click()
    installed = manager.get("org.example.catalog.one")
    assert installed is not None and installed.version == 1
    qtbot.waitUntil(lambda: tab.table.topLevelItem(0).text(4) == "Installed, up to date", timeout=10_000)
    assert set(tab.download_buttons()) == {"org.example.catalog.two"}


def test_a_pack_the_installer_refuses_is_reported_and_nothing_is_installed(
        qtbot, tab: CatalogTab, hub: Hub, home: Home, store: Store, manager: PackManager,
        make_pack: Callable[..., Path]) -> None:
    publish(hub, make_pack, "org.example.catalog.stranger", key=Ed25519PrivateKey.generate())  # not trusted here
    enrol(home, store, hub.url, hub.enrol_codes(1)[0])
    show_loaded(qtbot, tab)
    seen: list[str] = []
    closer = _answer_modal("OK", seen)
    tab.download_buttons()["org.example.catalog.stranger"].click()
    qtbot.waitUntil(lambda: bool(seen) and tab.status.text() == "Nothing was installed.", timeout=30_000)
    closer.stop()
    assert "trust" in seen[0].lower(), seen
    assert manager.get("org.example.catalog.stranger") is None
    qtbot.waitUntil(lambda: not tab.loading, timeout=10_000)
    assert tab.download_buttons()["org.example.catalog.stranger"].isEnabled()  # it may be trusted and tried again
    assert QApplication.activeModalWidget() is None


def test_an_expired_catalog_blocks_new_downloads_and_installed_packs_stay(
        qtbot, tab: CatalogTab, hub: Hub, home: Home, store: Store, manager: PackManager,
        make_pack: Callable[..., Path], tmp_path: Path) -> None:
    publish(hub, make_pack, "org.example.catalog.kept")
    publish(hub, make_pack, "org.example.catalog.later")
    enrol(home, store, hub.url, hub.enrol_codes(1)[0])
    from mcdesk.sync.catalog import fetch_pack

    fetch_pack(home, store, manager, "org.example.catalog.kept")
    expire_the_catalog(hub)
    show_loaded(qtbot, tab)
    assert tab.state.expired
    assert "expired on" in tab.summary.text() and "Packs already installed keep working" in tab.summary.text()
    assert tab.table.topLevelItem(0).text(4) == "Installed, up to date"
    later = tab.download_buttons()["org.example.catalog.later"]
    assert not later.isEnabled() and "expired" in later.toolTip()
    assert manager.get("org.example.catalog.kept") is not None
    shot = tmp_path / "catalog-tab-expired-1024x600.png"
    assert tab.grab().save(str(shot))
    keep(shot, shot.name)
