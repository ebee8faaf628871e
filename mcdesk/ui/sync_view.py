"""Sync in the desktop app: the scheduler that syncs by itself, the status-bar indicator, and the
technician's Sync tab (enrol, sync now, USB-stick export and import, the device key).

Sync jobs run on a worker of their own, with their own database connection, so a slow or flaky
network never holds up a learner's lessons (the database worker stays free). Automatic sync uses one
single-shot timer: a cheap reachability check, then a sync; after a failure it waits longer each time
(exponential backoff with jitter), and it never polls faster than every few minutes.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from mcdesk.errors import Cancelled
from mcdesk.ui.context import CREDENTIALS, PROGRESS, Context
from mcdesk.ui.errors import show_error
from mcdesk.ui.ops import QtReporter, Worker
from mcdesk.ui.qt_enums import ChangeWatch, set_enum_property

SYNC = "sync"  # bus topic: enrolment, the outbox or its acknowledgements changed

FIRST_CHECK_MS = 3_000  # after the window is up, so start-up is never slowed by the network
AFTER_NEW_EVIDENCE_MS = 10_000  # a learner finished something: send it soon (debounced)
CONNECTED_INTERVAL_MS = 10 * 60_000  # while the hub answers: look again every ten minutes
BACKOFF_BASE_S = 30.0
BACKOFF_CAP_S = 30 * 60.0


@dataclass(frozen=True)
class SyncView:
    """What the indicator and the tab show; made on the sync worker."""

    status: Any  # mcdesk.sync.client.SyncStatus
    device_id: str | None
    key_storage: str | None


def _load_view(home: Any, store: Any, device: bool = True) -> SyncView:
    """What is shown, made on the sync worker. The device key is never made or read here: enrolment and
    the first evidence record make it when they need it, so showing the status loads no cryptography.
    Where the key is kept is read only with ``device`` (for the Sync tab; the indicator needs none of it)."""
    from mcdesk.sync.client import status

    current = status(store)
    if not device:
        return SyncView(status=current, device_id=current.device_id, key_storage=None)
    from mcdesk.evidence.device import device_identity

    identity = device_identity(home, store)
    return SyncView(status=current, device_id=identity.device_id if identity else current.device_id,
                    key_storage=identity.storage if identity else None)


def _with_own_store(home: Any, fn: Callable[[Any], Any]) -> Any:
    """``fn(store)`` on a connection of its own, opened and closed here (the jobs of the sync controller run on
    worker threads and never share the app's connection)."""
    from mcdesk.store.db import open_store

    store = open_store(home)
    try:
        return fn(store)
    finally:
        store.close()


class SyncController(QObject):
    """Owns the sync worker and the automatic-sync timer; announces SYNC on the bus."""

    first_check_ms = FIRST_CHECK_MS
    after_new_evidence_ms = AFTER_NEW_EVIDENCE_MS
    connected_interval_ms = CONNECTED_INTERVAL_MS
    backoff_base_s = BACKOFF_BASE_S
    backoff_cap_s = BACKOFF_CAP_S

    view_changed = Signal(object)  # SyncView
    running_changed = Signal(bool)
    progress = Signal(str, object, int)  # stage text, total, done
    finished = Signal(object)  # a SyncReport, or the exception that stopped it

    def __init__(self, ctx: Context, parent: QObject | None = None, *, auto: bool = True,
                 rng: random.Random | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.worker = Worker()
        self.view: SyncView | None = None
        self.running = False
        self.failures = 0
        self.auto = auto
        self.reporter: QtReporter | None = None
        self.show_device = False  # also load where the device key is kept (once a Sync tab shows it)
        self._rng = rng or random.Random()
        self._notifying = False
        self._key_requested = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._auto_sync)
        ctx.bus.changed.connect(self._changed)

    # --- jobs on the sync worker, each with its own connection to the database ---

    def run(self, fn: Callable[[Any, Any, QtReporter], Any], *, on_done: Callable[[Any], None] | None = None,
            on_failed: Callable[[BaseException], None] | None = None,
            on_progress: Callable[[str, int | None, int], None] | None = None) -> QtReporter:
        home = self.ctx.home

        def job(reporter: QtReporter) -> Any:
            return _with_own_store(home, lambda store: fn(home, store, reporter))

        # A result that arrives after the window (and this controller) is gone has nobody to tell.
        def done(result: Any) -> None:
            if isValid(self) and on_done is not None:
                on_done(result)

        def failed(exc: BaseException, _tb: str) -> None:
            if isValid(self) and on_failed is not None:
                on_failed(exc)

        def progress(text: str, total: int | None, count: int) -> None:
            if isValid(self) and on_progress is not None:
                on_progress(text, total, count)

        return self.worker.run(job, on_done=done, on_failed=failed, on_progress=progress)

    def start(self) -> None:
        """Load the status; start the automatic sync a little after the window is up."""
        self.refresh()
        if self.auto:
            self.timer.start(self.first_check_ms)

    def stop(self) -> None:
        self.timer.stop()
        if self.reporter is not None:
            self.reporter.cancel()
        self.worker.wait(10_000)

    def refresh(self) -> None:
        """Load what the indicator and the tab show. A short read, so it runs on the app's database worker
        (with a connection of its own, as every sync job has): the sync worker's thread starts only when a
        sync, an enrolment or a USB bundle needs it, and a laptop that is not enrolled never starts it."""
        device, home = self.show_device, self.ctx.home

        def job(_reporter: QtReporter) -> SyncView:
            return _with_own_store(home, lambda store: _load_view(home, store, device))

        def done(view: SyncView) -> None:
            if isValid(self):  # the window (and this controller) may be gone by the time it is read
                self._set_view(view)

        self.ctx.run(job, on_done=done, on_failed=lambda _exc, _tb: None)

    def _set_view(self, view: SyncView) -> None:
        self.view = view
        if view.device_id is None and not self._key_requested:
            self._make_device_key()
        self.view_changed.emit(view)

    def _make_device_key(self) -> None:
        """The installation's first start: make its device key now, in the background (once; later
        starts find it and never load cryptography for it)."""
        self._key_requested = True

        def make(home: Any, store: Any, _rep: QtReporter) -> None:
            from mcdesk.evidence.device import ensure_device

            ensure_device(home, store)

        self.run(make, on_done=lambda _none: self.refresh(), on_failed=lambda _exc: None)

    def _changed(self, topics: frozenset[str]) -> None:
        if SYNC in topics:
            self.refresh()
            if self.auto and not self._notifying:
                self._soon(self.first_check_ms)
        elif PROGRESS in topics or CREDENTIALS in topics:  # new evidence was recorded
            self.refresh()
            if self.auto:
                self._soon(self.after_new_evidence_ms)

    def _soon(self, msecs: int) -> None:
        if not self.running and (not self.timer.isActive() or self.timer.remainingTime() > msecs):
            self.timer.start(msecs)

    # --- syncing ---

    def sync_now(self) -> bool:
        """Sync at once (the indicator's click, the tab's button); False if one is running already."""
        return self._start(check_first=False)

    def _auto_sync(self) -> None:
        if self.view is not None and not self.view.status.enrolled:
            return  # nothing to do until the laptop is enrolled (SYNC on the bus wakes us up)
        self._start(check_first=True)

    def _start(self, check_first: bool) -> bool:
        if self.running:
            return False
        self.running = True
        self.timer.stop()
        self.running_changed.emit(True)

        def job(home: Any, store: Any, reporter: QtReporter) -> Any:
            from mcdesk.sync.client import sync, sync_if_reachable

            return sync_if_reachable(home, store, reporter) if check_first else sync(home, store, reporter)

        self.reporter = self.run(job, on_done=self._synced, on_failed=self._sync_failed,
                                 on_progress=self.progress.emit)
        return True

    def cancel(self) -> None:
        if self.reporter is not None and self.running:
            self.reporter.cancel()

    def _synced(self, report: Any) -> None:
        self._ended()
        self.failures = 0
        if report is not None and report.changed_anything:  # the wallet and dashboard show these too
            self._notifying = True  # our own news: views refresh, but it needs no further sync
            try:
                self.ctx.bus.notify(SYNC)
            finally:
                self._notifying = False
        elif report is not None:
            self.refresh()
        if self.auto and report is not None:
            self.timer.start(self.connected_interval_ms)
        self.finished.emit(report)

    def _sync_failed(self, exc: BaseException) -> None:
        self._ended()
        self.refresh()  # the last error is recorded in the database
        if not isinstance(exc, Cancelled):
            self.failures += 1
        if self.auto:
            from mcdesk.sync.client import backoff_delay

            delay = backoff_delay(self.failures, self.backoff_base_s, self.backoff_cap_s, self._rng)
            self.timer.start(int(delay * 1000))
        self.finished.emit(exc)

    def _ended(self) -> None:
        self.running = False
        self.reporter = None
        self.running_changed.emit(False)


# --- the status-bar indicator -------------------------------------------------------------------------


class SyncIndicator(QToolButton):
    """"3 to send · synced 14:02" in the status bar; a click syncs now."""

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setAutoRaise(True)
        set_enum_property(self, "toolButtonStyle", "ToolButtonTextOnly")  # not Qt's enum: see mcdesk.ui.qt_enums
        self.clicked.connect(self._clicked)
        controller.view_changed.connect(lambda _view: self.update_text())
        controller.running_changed.connect(lambda _running: self.update_text())
        controller.progress.connect(self._progress)
        self._sent = (0, 0)
        self._language_watch = ChangeWatch(self, lambda _kind: self.update_text())  # see mcdesk.ui.qt_enums
        self.update_text()

    def _clicked(self) -> None:
        view = self.controller.view
        if view is not None and view.status.enrolled:
            self.controller.sync_now()

    def _progress(self, text: str, total: int | None, done: int) -> None:
        if text:
            self._sent = (0, int(total or 0))
        else:
            self._sent = (done, self._sent[1])
        self.update_text()

    def update_text(self) -> None:
        view = self.controller.view
        self.setAccessibleName(self.tr("Sync status"))
        if self.controller.running:
            done, total = self._sent
            text = self.tr("Sending {0} of {1}…").format(done, total) if total else self.tr("Syncing…")
            tip = self.tr("Sending evidence to the institution.")
        elif view is None:
            text, tip = "", ""
        elif not view.status.enrolled:
            text = self.tr("Not enrolled")
            tip = self.tr("This laptop is not enrolled with an institution yet; a technician can enrol it in "
                          "the technician panel (Sync tab). Evidence is kept safely until then.")
        else:
            status = view.status
            parts = [self.tr("%n to send", "", status.queued) if status.queued else self.tr("All sent")]
            if status.last_success:
                parts.append(self.tr("synced {0}").format(_short_time(status.last_success)))
            text = " · ".join(parts)
            tip = self.tr("Institution: {0}\nQueued: {1} · Acknowledged: {2}\nLast synced: {3}").format(
                status.institution_name, status.queued, status.acked,
                _short_time(status.last_success) if status.last_success else self.tr("never"))
            if status.last_error:
                text = self.tr("Sync problem · {0}").format(text)
                tip += "\n" + self.tr("Last problem: {0}").format(status.last_error)
            tip += "\n" + self.tr("Click to sync now.")
        self.setText(text)
        self.setToolTip(tip)
        self.setAccessibleDescription(tip)


def _short_time(iso: str) -> str:
    from mcdesk.ui.technician import format_time

    return format_time(iso)


# --- the technician's Sync tab ------------------------------------------------------------------------


def _wrapped(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    set_enum_property(label, "textFormat", "PlainText")
    set_enum_property(label, "textInteractionFlags", "TextSelectableByMouse")
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


class SyncTab(QWidget):
    """The device key, the enrolment, sync now (with progress and cancel), USB-stick export/import."""

    def __init__(self, ctx: Context, controller: SyncController, parent: QWidget | None = None) -> None:
        # The tab's own widget classes load with the tab, not with the status-bar indicator every start
        # makes (PySide6 builds a class's Python type when it is imported: see mcdesk.ui.qt_enums).
        from PySide6.QtWidgets import QFormLayout, QGroupBox, QLineEdit

        super().__init__(parent)
        self.ctx = ctx
        self.controller = controller

        self.device_box = QGroupBox()
        self.device_caption, self.device_value = QLabel(), _wrapped()
        self.storage_caption, self.storage_value = QLabel(), _wrapped()
        self.institution_caption, self.institution_value = QLabel(), _wrapped()
        self.records_caption, self.records_value = QLabel(), _wrapped()
        self.last_caption, self.last_value = QLabel(), _wrapped()
        self.problem_value = _wrapped()
        form = QFormLayout(self.device_box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for caption, value in ((self.device_caption, self.device_value), (self.storage_caption, self.storage_value),
                               (self.institution_caption, self.institution_value),
                               (self.records_caption, self.records_value), (self.last_caption, self.last_value)):
            form.addRow(caption, value)
        form.addRow(self.problem_value)

        self.enrol_box = QGroupBox()
        self.url_edit, self.code_edit, self.name_edit = QLineEdit(), QLineEdit(), QLineEdit()
        self.url_edit.setPlaceholderText("https://hub.example.org")
        self.code_edit.setPlaceholderText("ABCD-EFGH-JKLM")
        self.url_caption, self.code_caption, self.name_caption = QLabel(), QLabel(), QLabel()
        for caption, edit in ((self.url_caption, self.url_edit), (self.code_caption, self.code_edit),
                              (self.name_caption, self.name_edit)):
            caption.setBuddy(edit)
        self.enrol_button = QPushButton()
        self.enrol_button.clicked.connect(self.enrol)
        for edit in (self.url_edit, self.code_edit):
            edit.textChanged.connect(self._update_buttons)
            edit.returnPressed.connect(self.enrol)
        enrol_form = QFormLayout(self.enrol_box)
        enrol_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        enrol_form.addRow(self.url_caption, self.url_edit)
        enrol_form.addRow(self.code_caption, self.code_edit)
        enrol_form.addRow(self.name_caption, self.name_edit)
        enrol_row = QHBoxLayout()
        enrol_row.addStretch(1)
        enrol_row.addWidget(self.enrol_button)
        enrol_form.addRow(enrol_row)

        self.sync_button, self.cancel_button = QPushButton(), QPushButton()
        self.export_button, self.import_button = QPushButton(), QPushButton()
        self.sync_button.clicked.connect(self.sync_now)
        self.cancel_button.clicked.connect(controller.cancel)
        self.export_button.clicked.connect(self.export_bundle)
        self.import_button.clicked.connect(self.import_reply)
        self.bar = QProgressBar()
        self.bar.setVisible(False)
        self.result = _wrapped()
        buttons = QHBoxLayout()
        for button in (self.sync_button, self.cancel_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.export_button, self.import_button):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.device_box)
        layout.addWidget(self.enrol_box)
        layout.addLayout(buttons)
        layout.addWidget(self.bar)
        layout.addWidget(self.result)
        layout.addStretch(1)

        controller.view_changed.connect(self._show)
        controller.running_changed.connect(lambda _r: self._update_buttons())
        controller.progress.connect(self._progress)
        controller.finished.connect(self._finished)
        self.busy = False  # an enrolment, export or import in flight
        controller.show_device = True
        self.retranslate()
        if controller.view is not None:
            self._show(controller.view)
        self._update_buttons()

    # File choosers: tests replace these on the instance.
    def choose_export_folder(self) -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        name = QFileDialog.getExistingDirectory(self, self.tr("Export evidence to a USB stick"))
        return Path(name) if name else None

    def choose_reply_file(self) -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        name, _filter = QFileDialog.getOpenFileName(self, self.tr("Import the institution's reply"), "",
                                                    self.tr("mcdesk replies (*.mcreply);;All files (*)"))
        return Path(name) if name else None

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.controller.refresh()

    def _show(self, view: SyncView) -> None:
        status = view.status
        self.device_value.setText(view.device_id or self.tr("not made yet"))
        self.storage_value.setText(self.tr("the system keyring") if view.key_storage == "keyring"
                                   else self.tr("a file only this account can read"))
        if status.enrolled:
            self.institution_value.setText(self.tr("{0} ({1})").format(status.institution_name, status.hub_url))
        else:
            self.institution_value.setText(self.tr("Not enrolled yet"))
        self.records_value.setText(self.tr("{0} in all: {1} waiting to be sent, {2} acknowledged by the "
                                           "institution").format(status.total, status.queued, status.acked))
        self.last_value.setText(_short_time(status.last_success) if status.last_success else self.tr("never"))
        problems = []
        if status.errors:
            problems.append(self.tr("%n record(s) refused by the hub.", "", status.errors))
        if status.last_error:
            problems.append(self.tr("Last problem: {0}").format(status.last_error))
        self.problem_value.setText(" ".join(problems))
        self.problem_value.setVisible(bool(problems))
        self.enrol_box.setTitle(self.tr("Enrol again") if status.enrolled else self.tr("Enrol this laptop"))
        if status.enrolled and not self.url_edit.text():
            self.url_edit.setText(status.hub_url or "")
        self._update_buttons()

    def _update_buttons(self) -> None:
        running = self.controller.running
        enrolled = self.controller.view is not None and self.controller.view.status.enrolled
        idle = not running and not self.busy
        filled = bool(self.url_edit.text().strip()) and bool(self.code_edit.text().strip())
        self.enrol_button.setEnabled(idle and filled)
        self.sync_button.setEnabled(idle and enrolled)
        self.cancel_button.setVisible(running)
        self.export_button.setEnabled(idle)
        self.import_button.setEnabled(idle and enrolled)

    # --- actions ---

    def enrol(self) -> None:
        if not self.enrol_button.isEnabled():
            return
        url, code, name = self.url_edit.text().strip(), self.code_edit.text().strip(), self.name_edit.text().strip()
        self._begin(self.tr("Enrolling…"))

        def job(home: Any, store: Any, _rep: QtReporter) -> Any:
            from mcdesk.sync.client import enrol

            return enrol(home, store, url, code, name or None)

        self.controller.run(job, on_done=self._enrolled, on_failed=self._failed)

    def _enrolled(self, enrolment: Any) -> None:
        self._end(self.tr("Enrolled with {0}. Evidence will be sent there.").format(enrolment.institution_name))
        self.code_edit.clear()
        self.ctx.bus.notify(SYNC)

    def sync_now(self) -> None:
        if self.controller.sync_now():
            self.result.setText(self.tr("Syncing…"))
            self.bar.setRange(0, 0)
            self.bar.setVisible(True)

    def export_bundle(self) -> None:
        folder = self.choose_export_folder()
        if folder is None:
            return
        self._begin(self.tr("Writing the bundle…"))

        def job(home: Any, store: Any, _rep: QtReporter) -> Any:
            from mcdesk.sync.client import export_bundle

            return export_bundle(home, store, folder)

        self.controller.run(job, on_done=self._exported, on_failed=self._failed)

    def _exported(self, result: Any) -> None:
        self._end(self.tr("Wrote %n record(s) to {0}. Take it to the institution and bring back its reply.", "",
                          result.records).format(result.path))

    def import_reply(self) -> None:
        path = self.choose_reply_file()
        if path is None:
            return
        self._begin(self.tr("Checking the reply…"))

        def job(home: Any, store: Any, _rep: QtReporter) -> Any:
            from mcdesk.sync.client import import_reply

            return import_reply(home, store, path)

        self.controller.run(job, on_done=self._imported, on_failed=self._failed)

    def _imported(self, result: Any) -> None:
        text = self.tr("%n record(s) acknowledged by the institution.", "", result.acknowledged)
        if result.rejected:
            text += " " + self.tr("%n record(s) refused; see the last problem above.", "", result.rejected)
        self._end(text)
        self.ctx.bus.notify(SYNC)

    # --- progress and results ---

    def _begin(self, text: str) -> None:
        self.busy = True
        self.result.setText(text)
        self.bar.setRange(0, 0)
        self.bar.setVisible(True)
        self._update_buttons()

    def _end(self, text: str) -> None:
        if not isValid(self):
            return
        self.busy = False
        self.bar.setVisible(False)
        self.result.setText(text)
        self._update_buttons()

    def _failed(self, exc: BaseException) -> None:
        if not isValid(self):
            return
        self._end("")
        show_error(self, exc)

    def _progress(self, text: str, total: int | None, done: int) -> None:
        if text:
            self.bar.setVisible(True)
            self.bar.setRange(0, int(total or 0))
            self.result.setText(self.tr("Sending evidence…") if total else self.tr("Reading the hub's answers…"))
        if self.bar.maximum():
            self.bar.setValue(min(done, self.bar.maximum()))

    def _finished(self, outcome: Any) -> None:
        if not isValid(self) or self.busy:
            return
        self.bar.setVisible(False)
        if isinstance(outcome, Cancelled):
            self.result.setText(self.tr("Sync cancelled. What was acknowledged stays acknowledged."))
        elif isinstance(outcome, BaseException):
            self.result.setText(self.tr("Sync failed: {0}").format(str(outcome)))
        elif outcome is not None:
            self.result.setText(self.tr("Sent {0} record(s): {1} accepted, {2} already at the hub, {3} refused.")
                                .format(outcome.sent, outcome.accepted, outcome.duplicate, outcome.rejected))
        self._update_buttons()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("S&ync"))
        self.device_box.setTitle(self.tr("This laptop"))
        self.device_caption.setText(self.tr("Device key id:"))
        self.storage_caption.setText(self.tr("Private key kept in:"))
        self.institution_caption.setText(self.tr("Institution:"))
        self.records_caption.setText(self.tr("Evidence records:"))
        self.last_caption.setText(self.tr("Last synced:"))
        self.url_caption.setText(self.tr("Hub &address:"))
        self.code_caption.setText(self.tr("Enrolment &code:"))
        self.name_caption.setText(self.tr("Laptop &name:"))
        self.name_edit.setPlaceholderText(self.tr("optional; the computer's name by default"))
        self.url_edit.setAccessibleName(self.tr("Hub address"))
        self.code_edit.setAccessibleName(self.tr("Enrolment code"))
        self.name_edit.setAccessibleName(self.tr("Laptop name"))
        self.enrol_button.setText(self.tr("&Enrol"))
        self.enrol_button.setAccessibleName(self.tr("Enrol this laptop with the hub"))
        self.sync_button.setText(self.tr("Sync &now"))
        self.sync_button.setAccessibleName(self.tr("Send evidence to the institution now"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setAccessibleName(self.tr("Cancel the sync"))
        self.export_button.setText(self.tr("E&xport to USB stick…"))
        self.export_button.setAccessibleName(self.tr("Export queued evidence to a USB stick"))
        self.import_button.setText(self.tr("&Import reply…"))
        self.import_button.setAccessibleName(self.tr("Import the institution's reply from a USB stick"))
        self.bar.setAccessibleName(self.tr("Sync progress"))
        if self.controller.view is not None:
            self._show(self.controller.view)
        else:
            self.enrol_box.setTitle(self.tr("Enrol this laptop"))
