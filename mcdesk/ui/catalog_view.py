"""The technician's Catalog tab: the packs the institution offers this laptop (its signed catalog) and
"Download and install" for each, on the sync worker, behind a progress dialog with Cancel."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from mcdesk.errors import McdeskError
from mcdesk.ui.context import PACKS, Context
from mcdesk.ui.dialogs import open_notice
from mcdesk.ui.errors import show_error
from mcdesk.ui.ops import QtReporter
from mcdesk.ui.progress_dialog import ProgressRun, run_with_progress
from mcdesk.ui.sync_view import SYNC, SyncController
from mcdesk.ui.technician import _table, _wrapped, format_size, format_time

ROLE_ID = Qt.ItemDataRole.UserRole
AVAILABLE, UPDATE, INSTALLED, NEWER = "available", "update", "installed", "newer installed"


@dataclass(frozen=True)
class CatalogRow:
    """One pack of the catalog and what downloading it would do on this laptop."""

    entry: Any  # mcdesk.sync.catalog.CatalogEntry
    installed_version: int | None
    installed_display: str | None
    state: str  # available | update | installed | newer installed

    @property
    def downloadable(self) -> bool:
        return self.state in (AVAILABLE, UPDATE)


@dataclass(frozen=True)
class CatalogState:
    """What the tab shows; made on the sync worker."""

    enrolled: bool
    institution: str
    catalog: Any  # mcdesk.sync.catalog.Catalog, or None when there is none yet
    rows: tuple[CatalogRow, ...]
    expired: bool
    problem: str | None  # why no fresh catalog could be had from the hub (the last one kept is shown)


def load_catalog(home: Any, store: Any, reporter: QtReporter | None, *, online: bool) -> CatalogState:
    """On the sync worker (its own connection): the catalog, fetched from the hub when ``online`` (the
    last verified one otherwise, or when the hub cannot give one), with the installed versions."""
    from mcdesk.packs.install import PackManager
    from mcdesk.sync.catalog import fetch_catalog, stored_catalog
    from mcdesk.sync.client import enrolment

    current = enrolment(store)
    if current is None:
        return CatalogState(False, "", None, (), False, None)
    problem = None
    catalog = None
    if online:
        try:
            catalog = fetch_catalog(home, store, reporter)
        except McdeskError as exc:
            problem = str(exc)
    if catalog is None:
        catalog = stored_catalog(store)
    installed = {pack.id: pack for pack in PackManager(home, store).list()}
    rows = []
    for entry in catalog.packs if catalog is not None else ():
        have = installed.get(entry.id)
        if have is None:
            state = AVAILABLE
        elif have.version < entry.version:
            state = UPDATE
        elif have.version == entry.version:
            state = INSTALLED
        else:
            state = NEWER
        rows.append(CatalogRow(entry, have.version if have else None, have.display_version if have else None, state))
    return CatalogState(True, current.institution_name, catalog, tuple(rows),
                        bool(catalog is not None and catalog.expired()), problem)


class _OnSyncWorker:
    """Runs a progress dialog's job on the sync worker instead of the database worker, so a long download
    never holds up the learners' lessons; it announces changes on the same bus (the Context.run contract)."""

    def __init__(self, ctx: Context, controller: SyncController) -> None:
        self.ctx, self.controller = ctx, controller

    def run(self, fn: Callable[[QtReporter], Any], *, on_done: Callable[[Any], None] | None = None,
            on_failed: Callable[[BaseException, str], None] | None = None,
            on_progress: Callable[[str, int | None, int], None] | None = None,
            changes: Iterable[str] = ()) -> QtReporter:
        topics = tuple(changes)

        def done(result: Any) -> None:
            if topics:
                self.ctx.bus.notify(*topics)
            if on_done is not None:
                on_done(result)

        return self.controller.worker.run(fn, on_done=done, on_failed=on_failed, on_progress=on_progress)


class CatalogTab(QWidget):
    """The institution's catalog: states for not enrolled, expired, nothing published; download and install."""

    def __init__(self, ctx: Context, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.controller = controller
        self.state: CatalogState | None = None
        self.loading = False
        self.progress: ProgressRun | None = None  # the download in flight, if any
        self.message: QMessageBox | None = None  # the notice open now, if any
        self._stale = True  # fetch from the hub when next shown

        self.intro = _wrapped()
        self.summary = _wrapped()
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table: QTreeWidget = _table(6)
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(lambda: self.refresh(online=True))
        self.status = _wrapped()
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addStretch(0)  # takes the room when the list is hidden (not enrolled, nothing published)
        self.retranslate()
        ctx.bus.changed.connect(self._changed)

    # --- loading ---

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self.refresh(online=True)

    def _changed(self, topics: frozenset[str]) -> None:
        if SYNC in topics:  # enrolled (again): the hub's catalog, as soon as the tab is looked at
            self._stale = True
            if self.isVisible():
                self.refresh(online=True)
        elif PACKS in topics and self.state is not None:
            self.refresh(online=False)  # installed versions changed; the catalog did not

    def refresh(self, *, online: bool) -> None:
        if self.loading:
            return
        self.loading = True
        self._stale = self._stale and not online
        if online:
            self.summary.setText(self.tr("Reading the institution's catalog…"))
        self._update_buttons()

        def job(home: Any, store: Any, reporter: QtReporter) -> CatalogState:
            return load_catalog(home, store, reporter, online=online)

        self.controller.run(job, on_done=self._loaded, on_failed=self._load_failed)

    def _loaded(self, state: CatalogState) -> None:
        if not isValid(self):
            return
        self.loading = False
        self.state = state
        self._show()

    def _load_failed(self, exc: BaseException) -> None:
        if not isValid(self):
            return
        self.loading = False
        self._show()
        show_error(self, exc)

    # --- showing ---

    def _summary_text(self, state: CatalogState) -> str:
        if not state.enrolled:
            return self.tr("This laptop is not enrolled with an institution, so it has no catalog. Enrol it in "
                           "the Sync tab; until then, install packs from a USB stick in the Packs tab.")
        catalog = state.catalog
        if catalog is None:
            return self.tr("No catalog from {0} yet: {1}").format(
                state.institution, state.problem or self.tr("press Refresh to ask the hub for it."))
        parts = []
        if state.problem:
            parts.append(self.tr("The hub could not give a new catalog ({0}). This is the last one it sent.")
                         .format(state.problem))
        if state.expired:
            parts.append(self.tr("The catalog of {0} expired on {1}. Packs already installed keep working; new "
                                 "downloads wait until the institution renews its catalog.").format(
                state.institution, format_time(catalog.expires)))
        else:
            parts.append(self.tr("Catalog version {0} from {1}, issued {2}, valid until {3}.").format(
                catalog.version, state.institution, format_time(catalog.issued), format_time(catalog.expires)))
        if not catalog.packs:
            parts.append(self.tr("It lists no packs yet: the institution has not published any."))
        return " ".join(parts)

    def _show(self) -> None:
        state = self.state
        self.table.clear()
        if state is None:
            self.summary.setText("")
            self._update_buttons()
            return
        self.summary.setText(self._summary_text(state))
        for row in state.rows:
            entry = row.entry
            item = QTreeWidgetItem([entry.title, entry.id,
                                    self.tr("{0} ({1})").format(entry.display_version, entry.version),
                                    format_size(entry.length), self._installed_text(row)])
            item.setData(0, ROLE_ID, entry.id)
            self.table.addTopLevelItem(item)
        self.table.setVisible(bool(state.rows))
        self._place_buttons()
        self._update_buttons()

    def _installed_text(self, row: CatalogRow) -> str:
        if row.state == AVAILABLE:
            return self.tr("Not installed")
        if row.state == UPDATE:
            return self.tr("{0} installed; update offered").format(row.installed_display)
        if row.state == INSTALLED:
            return self.tr("Installed, up to date")
        return self.tr("A newer version ({0}) is installed").format(row.installed_display)

    def _place_buttons(self) -> None:
        """A "Download and install" button in the last column of each row that can be downloaded."""
        state = self.state
        if state is None:
            return
        height = QPushButton(self.tr("Download and install")).sizeHint().height()
        for index, row in enumerate(state.rows):
            # Every row as tall as a button, with or without one (the rows have one height).
            self.table.topLevelItem(index).setSizeHint(5, QSize(1, height))
            if not row.downloadable:
                continue
            button = QPushButton(self.tr("Download and install"))
            button.setAccessibleName(self.tr("Download and install {0}").format(row.entry.title))
            button.setObjectName(f"download:{row.entry.id}")
            button.clicked.connect(lambda _checked=False, r=row: self.download(r))
            self.table.setItemWidget(self.table.topLevelItem(index), 5, button)

    def download_buttons(self) -> dict[str, QPushButton]:
        """The rows' "Download and install" buttons by pack id."""
        found = {}
        for index in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(index)
            widget = self.table.itemWidget(item, 5)
            if isinstance(widget, QPushButton):
                found[item.data(0, ROLE_ID)] = widget
        return found

    def _update_buttons(self) -> None:
        busy = self.loading or (self.progress is not None and not self.progress.finished)
        self.refresh_button.setEnabled(not busy)
        expired = self.state is not None and self.state.expired
        for button in self.download_buttons().values():
            button.setEnabled(not busy and not expired)
            button.setToolTip(self.tr("The catalog has expired: new downloads wait until the institution "
                                      "renews it.") if expired else "")

    # --- download and install ---

    def download(self, row: CatalogRow) -> None:
        if self.progress is not None and not self.progress.finished:
            return
        entry, home = row.entry, self.ctx.home
        self.status.setText(self.tr("Downloading {0}…").format(entry.title))

        def job(reporter: QtReporter) -> Any:
            from mcdesk.packs.install import PackManager
            from mcdesk.store.db import open_store
            from mcdesk.sync.catalog import fetch_pack

            store = open_store(home)
            try:
                return fetch_pack(home, store, PackManager(home, store), entry.id, reporter)
            finally:
                store.close()

        self.progress = run_with_progress(
            self, _OnSyncWorker(self.ctx, self.controller),  # type: ignore[arg-type]
            self.tr("Downloading and installing {0}").format(entry.title), job,
            on_done=self._fetched, changes=(PACKS,), on_failed=self._fetch_failed)
        self._update_buttons()

    def _fetched(self, result: Any) -> None:
        if result.install is None:
            text = self.tr("{0} version {1} is already installed; nothing was downloaded.").format(
                result.pack_id, result.version)
        else:
            done = result.install
            text = self.tr("Installed {0} {1} (version {2}) from the institution's catalog.").format(
                done.title, done.display_version, done.version)
            if result.resumed_from:
                text += " " + self.tr("The download resumed where an earlier one stopped.")
        self.status.setText(text)
        self._update_buttons()
        self._notice(text)

    def _fetch_failed(self, exc: BaseException) -> None:
        if not isValid(self):
            return
        self.status.setText(self.tr("Nothing was installed."))
        self.refresh(online=False)
        self._update_buttons()

    def _notice(self, text: str) -> None:
        self.message = open_notice(self, self.tr("Packs from the institution"), text,
                                   lambda: setattr(self, "message", None), accessible_name=self.tr("Installed"))

    # --- language ---

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _headers(self) -> list[str]:
        return [self.tr("Title"), self.tr("Id"), self.tr("Version"), self.tr("Size"), self.tr("On this laptop"), ""]

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("C&atalog"))
        self.intro.setText(self.tr("Packs your institution offers to this laptop. Each one is checked like a pack "
                                   "from a USB stick before it is installed, and a cut-off download resumes where "
                                   "it stopped."))
        self.table.setHeaderLabels(self._headers())
        self.table.setAccessibleName(self.tr("Packs in the institution's catalog"))
        self.refresh_button.setText(self.tr("&Refresh catalog"))
        self.refresh_button.setAccessibleName(self.tr("Ask the hub for its catalog again"))
        if self.state is not None:
            self._show()
        else:
            self.summary.setText("")
            self._update_buttons()


def add_catalog_tab(panel: Any, ctx: Context, controller: SyncController) -> CatalogTab:
    """The main window's hook: a Catalog tab in the technician panel, on the sync controller's worker."""
    tab = CatalogTab(ctx, controller)
    panel.add_tab(tab, tab.windowTitle())
    return tab
