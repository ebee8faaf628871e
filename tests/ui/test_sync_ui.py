"""A quiz passed in the app becomes a signed record that reaches the real hub (over the network, and
in another test on a USB stick) and comes back acknowledged; the Sync tab and the status indicator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from mcdesk.evidence.outbox import verify_chain
from mcdesk.evidence.record import open_record
from mcdesk.home import Home
from mcdesk.packs.install import PackManager
from mcdesk.store.db import Store
from mcdesk.sync.client import status
from mcdesk.ui.context import Context
from mcdesk.ui.ops import Worker
from mcdesk.ui.quiz_runner import PAGE_QUESTION, PAGE_RESULTS, PAGE_START, QuizRunner
from mcdesk.ui.sync_view import SyncController, SyncIndicator, SyncTab
from tests.hubproc import Hub, running_hub
from tests.learning.test_attempts import PACK, add_learner, install_quizzes, quiz_json
from tests.ui.test_profiles import _answer_modal
from tests.ui.test_quiz_runner import give_right_answer, laid_out, press

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    with running_hub(tmp_path_factory.mktemp("hub")) as running:
        yield running


@pytest.fixture
def ctx(home: Home, store: Store, manager: PackManager, trusted_key, tmp_path: Path) -> Iterator[Context]:
    install_quizzes(manager, trusted_key, tmp_path / "build", [quiz_json()])
    context = Context(home, store, manager, Worker(), learner_id=add_learner(store))
    yield context
    context.worker.wait()


@pytest.fixture
def sync_ui(qtbot, ctx: Context) -> Iterator[tuple[SyncController, SyncTab, SyncIndicator]]:
    controller = SyncController(ctx, auto=False)
    tab = SyncTab(ctx, controller)
    indicator = SyncIndicator(controller)
    qtbot.addWidget(tab)
    qtbot.addWidget(indicator)
    tab.resize(1024, 600)
    tab.show()
    controller.start()
    qtbot.waitUntil(lambda: controller.view is not None, timeout=10_000)
    yield controller, tab, indicator
    controller.stop()


def pass_the_quiz(qtbot, ctx: Context, pack_id: str = PACK, quiz_id: str = "all-types") -> QuizRunner:
    """Take the quiz through the runner's widgets, every answer right; returns the runner on its results."""
    runner = QuizRunner(ctx)
    qtbot.addWidget(runner)
    runner.resize(1024, 600)
    runner.show()
    qtbot.waitExposed(runner)
    runner.open_quiz(pack_id, quiz_id)
    qtbot.waitUntil(lambda: runner.pages.currentIndex() == PAGE_START, timeout=10_000)
    press(qtbot, runner, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: runner.pages.currentIndex() == PAGE_QUESTION, timeout=10_000)
    total = len(runner.attempt.questions)
    for n in range(total):
        qtbot.waitUntil(lambda: laid_out(runner), timeout=5_000)
        give_right_answer(qtbot, runner)
        press(qtbot, runner, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: runner.feedback_frame.isVisibleTo(runner), timeout=10_000)
        press(qtbot, runner, Qt.Key.Key_Return)
        if n < total - 1:
            qtbot.waitUntil(lambda n=n: runner.current_index == n + 1, timeout=10_000)
    qtbot.waitUntil(lambda: runner.pages.currentIndex() == PAGE_RESULTS, timeout=10_000)
    assert runner.results_verdict.text().startswith("✓ Passed")
    ctx.worker.wait()
    return runner


def quiz_record(store: Store) -> dict:
    row = store.one("SELECT jws FROM evidence WHERE kind = 'quiz'")
    device = store.one("SELECT public_key FROM device")
    from mcdesk.keys import b64url_decode

    return open_record(row["jws"], b64url_decode(device["public_key"]))


def enrol_in_tab(qtbot, tab: SyncTab, hub: Hub) -> None:
    qtbot.keyClicks(tab.url_edit, hub.url)
    qtbot.keyClicks(tab.code_edit, hub.enrol_codes(1)[0])
    assert tab.enrol_button.isEnabled()
    qtbot.mouseClick(tab.enrol_button, LEFT)
    qtbot.waitUntil(lambda: tab.controller.view is not None and tab.controller.view.status.enrolled,
                    timeout=20_000)
    assert "Enrolled with" in tab.result.text()


def test_a_quiz_passed_in_the_app_reaches_the_hub_over_the_network_and_comes_back_acknowledged(
        qtbot, ctx: Context, store: Store, hub: Hub, sync_ui, tmp_path: Path) -> None:
    controller, tab, indicator = sync_ui
    pass_the_quiz(qtbot, ctx)
    record = quiz_record(store)
    assert record["verb"] == "passed" and record["result"]["success"] is True
    assert record["activity"] == {"type": "quiz", "id": "all-types"}
    assert verify_chain(store).ok
    qtbot.waitUntil(lambda: controller.view.status.queued >= 2, timeout=10_000)  # the quiz and its credential
    assert indicator.text() == "Not enrolled"

    enrol_in_tab(qtbot, tab, hub)
    assert tab.sync_button.isEnabled()
    with qtbot.waitSignal(controller.finished, timeout=30_000):
        qtbot.mouseClick(tab.sync_button, LEFT)
    qtbot.waitUntil(lambda: controller.view.status.queued == 0, timeout=10_000)
    assert status(store).acked == status(store).total >= 2
    assert "accepted" in tab.result.text()
    qtbot.waitUntil(lambda: indicator.text().startswith("All sent"), timeout=10_000)
    tab.grab().save(str(tmp_path / "sync-tab-1024.png"))


def test_a_quiz_passed_in_the_app_travels_on_a_usb_stick_and_the_reply_acknowledges_it(
        qtbot, ctx: Context, store: Store, hub: Hub, sync_ui, tmp_path: Path) -> None:
    controller, tab, indicator = sync_ui
    enrol_in_tab(qtbot, tab, hub)  # enrolment needs the network once; afterwards the stick is enough
    pass_the_quiz(qtbot, ctx)
    assert quiz_record(store)["verb"] == "passed"
    stick = tmp_path / "stick"
    stick.mkdir()
    tab.choose_export_folder = lambda: stick  # the folder chooser, answered as a technician would
    qtbot.mouseClick(tab.export_button, LEFT)
    qtbot.waitUntil(lambda: any(stick.glob("*.mcsync")), timeout=10_000)
    qtbot.waitUntil(lambda: tab.export_button.isEnabled(), timeout=10_000)
    bundle = next(stick.glob("*.mcsync"))
    assert "Take it to the institution" in tab.result.text()

    hub.cli("ingest", str(bundle), "-o", str(stick / "reply.mcreply"))
    tab.choose_reply_file = lambda: stick / "reply.mcreply"
    qtbot.mouseClick(tab.import_button, LEFT)
    qtbot.waitUntil(lambda: "acknowledged by the institution" in tab.result.text(), timeout=10_000)
    qtbot.waitUntil(lambda: controller.view.status.queued == 0, timeout=10_000)
    assert status(store).acked == status(store).total >= 2


def test_a_refused_enrolment_is_shown_and_nothing_is_saved(qtbot, ctx: Context, store: Store, hub: Hub,
                                                           sync_ui) -> None:
    controller, tab, _indicator = sync_ui
    seen: list[str] = []
    closer = _answer_modal("OK", seen)
    qtbot.keyClicks(tab.url_edit, hub.url)
    qtbot.keyClicks(tab.code_edit, "ZZZZ-ZZZZ-ZZZZ")
    qtbot.mouseClick(tab.enrol_button, LEFT)
    qtbot.waitUntil(lambda: bool(seen) and tab.enrol_button.isEnabled(), timeout=20_000)
    closer.stop()
    assert "not known" in seen[0]
    assert not controller.view.status.enrolled and status(store).enrolled is False


# --- automatic sync ----------------------------------------------------------------------------------


def queue_records(ctx: Context, store: Store, n: int) -> None:
    from mcdesk.evidence.outbox import record_event
    from mcdesk.learning.credentials import LessonCompleted
    from mcdesk.store.db import utcnow

    with store.transaction() as conn:
        for i in range(n):
            record_event(conn, LessonCompleted(ctx.learner_id, PACK, f"extra-{i}", utcnow()))


def test_sync_runs_by_itself_once_enrolled_and_again_soon_after_new_evidence(qtbot, ctx: Context, store: Store,
                                                                             hub: Hub) -> None:
    from mcdesk.sync.client import enrol

    queue_records(ctx, store, 3)
    enrol(ctx.home, store, hub.url, hub.enrol_codes(1)[0])
    controller = SyncController(ctx, auto=True)
    controller.first_check_ms = controller.after_new_evidence_ms = 50
    indicator = SyncIndicator(controller)
    qtbot.addWidget(indicator)
    try:
        controller.start()
        qtbot.waitUntil(lambda: status(store).queued == 0, timeout=20_000)
        qtbot.waitUntil(lambda: not controller.running and controller.timer.isActive(), timeout=10_000)
        assert controller.timer.remainingTime() > 60_000  # connected: the next look is minutes away
        queue_records(ctx, store, 2)
        ctx.bus.notify("progress")  # what the quiz runner and reader announce after a completion
        qtbot.waitUntil(lambda: status(store).queued == 0, timeout=20_000)
        qtbot.waitUntil(lambda: indicator.text().startswith("All sent"), timeout=10_000)
    finally:
        controller.stop()


def test_an_unreachable_hub_is_retried_with_growing_randomised_delays_not_a_busy_loop(
        qtbot, ctx: Context, store: Store, tmp_path: Path) -> None:
    import random

    from mcdesk.sync.client import enrol

    with running_hub(tmp_path / "gone-hub") as gone:  # a hub that answers once, for the enrolment, then is gone
        enrol(ctx.home, store, gone.url, gone.enrol_codes(1)[0])
    queue_records(ctx, store, 1)
    controller = SyncController(ctx, auto=True, rng=random.Random(7))
    controller.first_check_ms = 10
    controller.backoff_base_s, controller.backoff_cap_s = 0.05, 0.4
    delays: list[int] = []
    controller.finished.connect(lambda _outcome: delays.append(controller.timer.interval()))
    try:
        controller.start()
        qtbot.waitUntil(lambda: len(delays) >= 6, timeout=30_000)
    finally:
        controller.stop()
    assert controller.failures >= 6 and status(store).queued == 1
    assert all(25 <= d <= 400 for d in delays), delays  # between base/2 and the cap
    assert max(delays[3:]) > max(delays[:1])  # the ceiling grows with each failure
    assert len(set(delays)) > 1  # jittered, so a room of laptops does not retry in step
    assert "does not answer" in (status(store).last_error or "")


# --- what showing the status costs -------------------------------------------------------------------


def test_the_first_start_makes_the_device_key_in_the_background_and_later_starts_only_read_it(
        qtbot, ctx: Context, store: Store) -> None:
    """Issue 4: a key pair per installation, made at first start — after the window is ready, on the
    sync worker. A later start finds it: the status shows it without making another."""
    assert store.one("SELECT 1 FROM device") is None
    controller = SyncController(ctx, auto=False)
    tab = SyncTab(ctx, controller)
    qtbot.addWidget(tab)
    tab.show()
    controller.start()
    qtbot.waitUntil(lambda: store.one("SELECT 1 FROM device") is not None, timeout=10_000)
    device = store.one("SELECT device_id, storage FROM device")
    qtbot.waitUntil(lambda: tab.device_value.text() == device["device_id"], timeout=10_000)
    assert controller.view.key_storage == device["storage"] == "file"
    controller.stop()

    again = SyncController(ctx, auto=False)  # the next start of the app
    again.start()
    qtbot.waitUntil(lambda: again.view is not None, timeout=10_000)
    again.worker.wait()
    assert again.view.device_id == device["device_id"] and not again._key_requested
    assert store.one("SELECT count(*) AS n FROM device")["n"] == 1
    again.stop()
