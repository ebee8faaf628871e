"""Issue 5's end-to-end check in the app: a learner completes a credential's lessons and passes its quiz
through the real widgets, the laptop enrols with the real hub and syncs through the Sync tab, and the
wallet shows the issued Open Badges 3.0 credential verified offline; its JSON (checked by `mcdesk
credential verify`), printable PDF certificate and badge image are saved through the wallet's buttons.
Also: a revoked credential shows its reason, and one that does not verify is never shown as verified."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QPushButton

from mcdesk.errors import CredentialError
from mcdesk.home import Home
from mcdesk.learning.progress import add_learner
from mcdesk.packs.install import PackManager
from mcdesk.store.db import Store
from mcdesk.sync.client import enrol, sync
from mcdesk.ui.certificate import certificate_facts, certificate_image
from mcdesk.ui.context import Context
from mcdesk.ui.ops import Worker
from mcdesk.ui.reader import ReaderView
from mcdesk.ui.sync_view import SyncController, SyncTab
from mcdesk.ui.wallet import WalletView
from tests.conftest import built_test_pack
from tests.hubproc import Hub, running_hub
from tests.sync.test_credentials_sync import PACK, REF, feed_item, pass_credential, tampered
from tests.ui.test_quiz_runner import clipped_labels, controls_without_names
from tests.ui.test_sync_ui import enrol_in_tab, pass_the_quiz

LEFT = Qt.MouseButton.LeftButton
SHOTS = os.environ.get("MCDESK_SHOTS")  # a folder to keep copies of the PDF, badge and screenshots in


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Ed25519PrivateKey]:
    """The course pack (two lessons and a quiz lead to "Test credential"), built once, and its key."""
    return built_test_pack(tmp_path_factory.mktemp("pack"))


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, published: tuple[Path, Ed25519PrivateKey]) -> Iterator[Hub]:
    with running_hub(tmp_path_factory.mktemp("hub")) as running:
        running.cli("publish", str(published[0]))  # the hub knows the credential's criteria from the pack
        yield running


@pytest.fixture
def laptop(manager: PackManager, published: tuple[Path, Ed25519PrivateKey]) -> PackManager:
    manager.trust.add(published[1].public_key(), "Test publisher")
    manager.install(published[0])
    return manager


@pytest.fixture
def ctx(home: Home, store: Store, laptop: PackManager) -> Iterator[Context]:
    context = Context(home, store, laptop, Worker(), learner_id=add_learner(store, "Amina Wanjiru"))
    yield context
    context.worker.wait()


def keep(path: Path, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, Path(SHOTS) / name)


def texts(view: WalletView) -> list[str]:
    return [label.text() for label in view.scroll.widget().findChildren(QLabel)]


def shown(view: WalletView, text: str) -> bool:
    return any(text in t for t in texts(view))


def open_wallet(qtbot, ctx: Context, size: tuple[int, int] = (1024, 600)) -> WalletView:
    view = WalletView(ctx)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view.data is not None, timeout=10_000)
    return view


def complete_lessons_in_the_reader(qtbot, ctx: Context) -> None:
    reader = ReaderView(ctx)
    qtbot.addWidget(reader)
    reader.resize(1024, 600)
    reader.show()
    for lesson in ("lesson-1", "lesson-2"):
        reader.show_lesson(PACK, lesson)
        qtbot.waitUntil(lambda lesson=lesson: reader.page is not None and reader.page.lesson_id == lesson,
                        timeout=10_000)
        qtbot.waitUntil(reader.complete_button.isEnabled, timeout=10_000)
        qtbot.mouseClick(reader.complete_button, LEFT)
        ctx.worker.wait()


def pass_the_quiz_in_the_runner(qtbot, ctx: Context) -> None:
    runner = pass_the_quiz(qtbot, ctx, PACK, "check")
    assert "Test credential" in runner.results_credentials.text()


def export_button(view: WalletView, name: str) -> QPushButton:
    buttons = [b for b in view.scroll.widget().findChildren(QPushButton) if b.objectName() == name]
    assert len(buttons) == 1, [b.objectName() for b in view.scroll.widget().findChildren(QPushButton)]
    return buttons[0]


def saved(view: WalletView, path: Path, qtbot) -> None:
    qtbot.waitUntil(lambda: path.exists() and view.notice.text() == f"Saved {path}", timeout=20_000)


def pdf_pages(data: bytes) -> list[bytes]:
    """The page objects' dictionaries (/Type /Page, not /Pages) of a PDF file."""
    return re.findall(rb"/Type\s*/Page(?!s)\b[^>]*", data)


def test_a_credential_earned_in_the_app_comes_back_issued_verified_and_exports_json_pdf_and_badge(
        qtbot, ctx: Context, store: Store, home: Home, hub: Hub, tmp_path: Path) -> None:
    wallet = open_wallet(qtbot, ctx)
    assert shown(wallet, "No credentials yet")

    # The learner works through the course in the app.
    complete_lessons_in_the_reader(qtbot, ctx)
    pass_the_quiz_in_the_runner(qtbot, ctx)
    qtbot.waitUntil(lambda: shown(wallet, "Earned — awaiting verification"), timeout=10_000)
    assert not shown(wallet, "verified on this laptop") and not export_buttons_of(wallet)

    # The technician enrols the laptop and syncs in the Sync tab: the hub issues on intake.
    controller = SyncController(ctx, auto=False)
    tab = SyncTab(ctx, controller)
    qtbot.addWidget(tab)
    tab.resize(1024, 600)
    tab.show()
    controller.start()
    try:
        qtbot.waitUntil(lambda: controller.view is not None, timeout=10_000)
        enrol_in_tab(qtbot, tab, hub)
        for _attempt in range(2):  # a credential issued after the intake comes back on the next feed
            with qtbot.waitSignal(controller.finished, timeout=60_000) as finished:
                qtbot.mouseClick(tab.sync_button, LEFT)
            assert not isinstance(finished.args[0], BaseException), finished.args[0]
            if finished.args[0].credentials:
                break
        qtbot.waitUntil(lambda: shown(wallet, "verified on this laptop"), timeout=10_000)
    finally:
        controller.stop()

    card = wallet.cards[0]
    institution = card.issuer
    assert card.verified and card.entry.ref == REF and card.entry.credential_id.startswith("urn:uuid:")
    assert institution and shown(wallet, f"Issued by {institution} — verified on this laptop")
    assert shown(wallet, "· status checked on ")  # the status list was read after the feed
    assert not shown(wallet, "awaiting verification")
    assert controls_without_names(wallet) == []

    # Exports through the wallet's buttons, each file chooser answered as the learner would.
    out = tmp_path / "usb"
    out.mkdir()
    wallet.choose_json_file = lambda suggested: out / suggested
    wallet.choose_pdf_file = lambda suggested: out / suggested
    wallet.choose_badge_file = lambda suggested: out / suggested

    qtbot.mouseClick(export_button(wallet, "save_json"), LEFT)
    qtbot.waitUntil(lambda: any(out.glob("*.credential.json")), timeout=20_000)
    json_path = next(out.glob("*.credential.json"))
    saved(wallet, json_path, qtbot)
    verify = subprocess.run([sys.executable, "-m", "mcdesk", "credential", "verify", str(json_path),
                             "--home", str(home.root)], capture_output=True, text=True, timeout=120)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "Test credential" in verify.stdout
    with_hub_keys = subprocess.run([sys.executable, "-m", "mcdesk", "credential", "verify", str(json_path),
                                    "--jwks", f"{hub.url}/.well-known/jwks.json"], capture_output=True, text=True,
                                   timeout=120)
    assert with_hub_keys.returncode == 0, with_hub_keys.stdout + with_hub_keys.stderr

    qtbot.mouseClick(export_button(wallet, "print_certificate"), LEFT)
    qtbot.waitUntil(lambda: any(out.glob("*-certificate.pdf")), timeout=20_000)
    pdf = next(out.glob("*-certificate.pdf"))
    saved(wallet, pdf, qtbot)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    pages = pdf_pages(data)
    assert len(pages) == 1 and re.search(rb"/MediaBox\s*\[0 0 595(\.0+)? 842(\.0+)?\]", data)  # one A4 portrait page
    assert not list(out.glob(".*"))  # written whole, then renamed: no part file left behind

    qtbot.mouseClick(export_button(wallet, "save_badge"), LEFT)
    qtbot.waitUntil(lambda: any(out.glob("*-badge.png")), timeout=20_000)
    badge_path = next(out.glob("*-badge.png"))
    saved(wallet, badge_path, qtbot)
    badge = QImage(str(badge_path))
    assert (badge.width(), badge.height()) == (512, 512)
    assert badge.pixelColor(2, 2).alpha() == 0 and badge.pixelColor(256, 256).alpha() == 255  # round, on clear

    # The same drawing as the PDF's page, as an image to look at (QtPdf is not in PySide6-Essentials).
    facts = certificate_facts(store, card.entry.credential_id)
    assert (facts.learner, facts.issuer, facts.achievement) == ("Amina Wanjiru", institution, "Test credential")
    assert facts.link and facts.link.startswith(hub.url) and facts.qr is not None
    page = tmp_path / "certificate-page.png"
    assert certificate_image(facts).save(str(page))
    for path, name in ((pdf, "certificate.pdf"), (page, "certificate-page.png"), (badge_path, "badge.png"),
                       (json_path, "credential.json")):
        keep(path, name)
    for width, height in ((1024, 600), (1366, 768)):
        wallet.resize(width, height)
        qtbot.waitUntil(lambda w=width: wallet.width() == w, timeout=5_000)
        qtbot.waitUntil(lambda: clipped_labels(wallet) == [], timeout=5_000)
        shot = tmp_path / f"wallet-issued-{width}x{height}.png"
        assert wallet.grab().save(str(shot))
        keep(shot, shot.name)
        for button in export_buttons_of(wallet):
            assert button.width() >= button.sizeHint().width(), button.text()  # no button text cut off


def export_buttons_of(view: WalletView) -> list[QPushButton]:
    return [b for b in view.scroll.widget().findChildren(QPushButton)
            if b.objectName() in ("save_json", "print_certificate", "save_badge")]


def test_a_credential_revoked_by_the_institution_shows_its_reason_and_offers_no_export(
        qtbot, ctx: Context, store: Store, home: Home, laptop: PackManager, hub: Hub, tmp_path: Path) -> None:
    learner = pass_credential(laptop, store, "Kofi Mensah")
    ctx.learner_id = learner
    enrol(home, store, hub.url, hub.enrol_codes(1)[0])
    assert sync(home, store).credentials == 1
    credential_id = store.one("SELECT credential_id FROM issued_credentials WHERE learner_id = ?",
                              (learner,))["credential_id"]
    hub.cli("revoke", credential_id, "--reason", "Exam irregularity")
    assert sync(home, store).revoked == 1
    wallet = open_wallet(qtbot, ctx)
    qtbot.waitUntil(lambda: shown(wallet, "Revoked by your institution: Exam irregularity"), timeout=10_000)
    assert not shown(wallet, "verified") and export_buttons_of(wallet) == []
    assert shown(wallet, "Status checked on ")
    with pytest.raises(CredentialError, match="revoked"):
        certificate_facts(store, credential_id)  # no certificate for a revoked credential, even if asked
    shot = tmp_path / "wallet-revoked-1024x600.png"
    wallet.grab().save(str(shot))
    keep(shot, shot.name)


def test_a_credential_that_does_not_verify_is_never_shown_as_verified(
        qtbot, ctx: Context, store: Store, home: Home, laptop: PackManager, hub: Hub) -> None:
    learner = pass_credential(laptop, store, "Ama Owusu")
    other = add_learner(store, "Yaw Boateng")
    other_uuid = store.one("SELECT uuid FROM learners WHERE id = ?", (other,))["uuid"]
    enrolled = enrol(home, store, hub.url, hub.enrol_codes(1)[0])
    sync(home, store)
    genuine = store.one("SELECT credential_id, jwt FROM issued_credentials WHERE learner_id = ?", (learner,))
    # A forged credential in the feed (altered after signing): kept, but invalid.
    feed_item(hub, enrolled.device_id, "credential", {
        "credential_id": "urn:uuid:00000000-0000-4000-8000-0000000000aa", "ref": REF, "learner": other_uuid,
        "jwt": tampered(genuine["jwt"]), "issued": "2030-01-01T00:00:00Z"})
    assert sync(home, store).invalid == 1
    ctx.learner_id = other
    wallet = open_wallet(qtbot, ctx)
    qtbot.waitUntil(lambda: shown(wallet, "Could not be verified: "), timeout=10_000)
    assert not shown(wallet, "verified on this laptop") and export_buttons_of(wallet) == []
    assert [c.verified for c in wallet.cards] == [False]

    # The genuine one, altered on disk after it verified (a learner editing the database): the wallet
    # checks the signature again when it loads, so it is not shown as verified either.
    ctx.learner_id = learner
    wallet = open_wallet(qtbot, ctx)
    qtbot.waitUntil(lambda: shown(wallet, "verified on this laptop"), timeout=10_000)
    with store.transaction() as conn:
        conn.execute("UPDATE issued_credentials SET jwt = ? WHERE credential_id = ?",
                     (tampered(genuine["jwt"]), genuine["credential_id"]))
    wallet.refresh()
    qtbot.waitUntil(lambda: shown(wallet, "Could not be verified: "), timeout=10_000)
    assert not shown(wallet, "verified on this laptop") and export_buttons_of(wallet) == []
