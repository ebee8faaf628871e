"""The technician panel: install (after a verify report), list and remove packs, trusted publisher keys,
disk use; the main window adds its learners tab with ``add_tab``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from PySide6.QtCore import QDateTime, QEvent, QLocale, QSize, Qt
from PySide6.QtGui import QFont, QFontDatabase, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTabBar,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mcdesk.errors import Cancelled
from mcdesk.keys import key_id, load_public_key, short_id
from mcdesk.packs.disk import DiskUse, disk_use
from mcdesk.packs.install import InstalledPack, InstallResult, VerifyReport, scan_for_packs
from mcdesk.packs.trust import ORIGIN_LABELS, ORIGIN_LOCAL_SAMPLE, ORIGIN_TECHNICIAN, TrustedKey
from mcdesk.ui.context import PACKS, TRUST, Context
from mcdesk.ui.dialogs import confirmation, open_notice
from mcdesk.ui.errors import show_error
from mcdesk.ui.progress_dialog import ProgressRun, run_for_widget, run_with_progress

ROLE_ID = Qt.ItemDataRole.UserRole


def format_size(n: int) -> str:
    """Bytes as a person reads them, in the current language ("1.5 MB", "1,5 Mo")."""
    return QLocale().formattedDataSize(n, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat)


def format_time(iso: str) -> str:
    """A stored UTC timestamp in local time, short form, in the current language."""
    moment = QDateTime.fromString(iso, Qt.DateFormat.ISODate)
    if not moment.isValid():
        return iso
    return QLocale().toString(moment.toLocalTime(), QLocale.FormatType.ShortFormat)


def _wrapped(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


class ScrollBody(QWidget):
    """The inside of a scroll area holding word-wrapped labels: its height follows its width, so the
    scroll bar appears only when the text really does not fit (Qt would otherwise size it for the
    narrowest possible wrap)."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(super().minimumSizeHint().width(), 0)


def _table(columns: int) -> QTreeWidget:
    table = QTreeWidget()
    table.setColumnCount(columns)
    table.setRootIsDecorated(False)
    table.setUniformRowHeights(True)
    table.setAlternatingRowColors(True)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.header().setStretchLastSection(False)
    table.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return table


def _selected_id(table: QTreeWidget) -> str | None:
    items = table.selectedItems()
    return items[0].data(0, ROLE_ID) if items else None


# --- the verify report -----------------------------------------------------------------------------


class VerifyReportDialog(QDialog):
    """What verify found in one pack, check by check, and the technician's decision.

    ``done`` codes: Accepted = install, Rejected = skip, STOP = skip this pack and the rest."""

    STOP = 2

    def __init__(self, report: VerifyReport, parent: QWidget | None = None, *, position: int = 1,
                 count: int = 1) -> None:
        super().__init__(parent)
        self.report = report
        self.position, self.count = position, count
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setSizeGripEnabled(True)

        self.heading = _wrapped()
        font = QFont(self.heading.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.heading.setFont(font)
        self.counter = _wrapped()
        self.facts = QGridLayout()
        self.facts.setColumnStretch(1, 1)
        self.facts.setHorizontalSpacing(12)
        self.fact_labels: list[tuple[QLabel, QLabel]] = []
        self.checks_heading = QLabel()
        self.checks_heading.setFont(font)
        self.checks = QGridLayout()
        self.checks.setColumnStretch(2, 1)
        self.checks.setHorizontalSpacing(12)
        self.check_rows: list[tuple[QLabel, QLabel, QLabel]] = []  # name, ok/FAIL, detail
        for _check in report.checks:
            row = (QLabel(), QLabel(), _wrapped())
            row[0].setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            row[1].setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            row[2].setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            for column, label in enumerate(row):
                self.checks.addWidget(label, len(self.check_rows), column)
            self.check_rows.append(row)
        self.verdict = _wrapped()
        verdict_font = QFont(self.verdict.font())
        verdict_font.setBold(True)
        self.verdict.setFont(verdict_font)
        self.verdict.setFrameShape(QFrame.Shape.StyledPanel)
        self.verdict.setMargin(8)
        self.force = QCheckBox()
        self.can_force = report.action in ("reinstall", "downgrade")
        self.force.setVisible(self.can_force)
        self.force.toggled.connect(self._update_buttons)

        body = ScrollBody()
        inner = QVBoxLayout(body)
        inner.addWidget(self.counter)
        inner.addWidget(self.heading)
        inner.addLayout(self.facts)
        inner.addSpacing(8)
        inner.addWidget(self.checks_heading)
        inner.addLayout(self.checks)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)

        self.buttons = QDialogButtonBox()
        self.install_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.skip_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.stop_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.stop_button.setVisible(count - position > 0)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.stop_button.clicked.connect(lambda: self.done(self.STOP))

        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.verdict)
        layout.addWidget(self.force)
        layout.addWidget(self.buttons)
        self.retranslate()
        self._update_buttons()
        self._fit(parent)

    @property
    def installable(self) -> bool:
        """Every check passed, or only the version check failed and the technician forces it."""
        failed = [c.name for c in self.report.checks if not c.ok]
        if not self.report.checks:
            return False
        if not failed:
            return True
        return failed == ["version"] and self.can_force and self.force.isChecked()

    def _update_buttons(self) -> None:
        self.install_button.setEnabled(self.installable)
        (self.install_button if self.installable else self.skip_button).setDefault(True)

    def _fit(self, parent: QWidget | None) -> None:
        window = parent.window() if parent is not None else None
        avail = window.size() if window is not None else None
        width = 760 if avail is None else max(480, min(760, avail.width() - 40))
        height = 600 if avail is None else max(360, min(600, avail.height() - 40))
        self.resize(width, height)

    def check_names(self) -> dict[str, str]:
        return {
            "archive": self.tr("Archive"),
            "manifest": self.tr("Manifest"),
            "signature": self.tr("Signature"),
            "compatibility": self.tr("Compatibility"),
            "version": self.tr("Version"),
            "disk": self.tr("Disk space"),
            "files": self.tr("Files"),
        }

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.PaletteChange:
            self._colour_statuses()
        super().changeEvent(event)

    def retranslate(self) -> None:
        report = self.report
        name = Path(report.path).name
        self.setWindowTitle(self.tr("Check before installing"))
        self.counter.setText(self.tr("Pack {0} of {1}").format(self.position, self.count))
        self.counter.setVisible(self.count > 1)
        self.heading.setText(f"{report.title} {report.display_version}" if report.title else name)
        unknown = self.tr("unknown")
        facts = [(self.tr("File:"), report.path)]
        if report.pack_id:
            facts += [
                (self.tr("Pack id:"), report.pack_id),
                (self.tr("Version:"), self.tr("{0} (version number {1})").format(report.display_version,
                                                                                report.version)),
                (self.tr("Publisher:"), report.publisher or unknown),
                (self.tr("Signed by:"), report.trusted_as if report.trusted_as
                 else self.tr("a key that is not trusted here ({0})").format(short_id(report.key_id or "") or unknown)),
                (self.tr("Installed now:"), self.tr("version {0}").format(report.installed_version)
                 if report.installed_version is not None else self.tr("not installed")),
                (self.tr("Size:"), self.tr("%n file(s), {0}", "", report.file_count or 0).format(
                    format_size(report.size_bytes or 0))),
            ]
        while len(self.fact_labels) < len(facts):
            caption, value = QLabel(), _wrapped()
            caption.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts.addWidget(caption, len(self.fact_labels), 0)
            self.facts.addWidget(value, len(self.fact_labels), 1)
            self.fact_labels.append((caption, value))
        for (caption, value), (caption_text, value_text) in zip(self.fact_labels, facts, strict=True):
            caption.setText(caption_text)
            value.setText(value_text)
        self.checks_heading.setText(self.tr("Checks"))
        names = self.check_names()
        for check, (name_label, status, detail) in zip(report.checks, self.check_rows, strict=True):
            name_label.setText(names.get(check.name, check.name))
            status.setText(self.tr("ok") if check.ok else self.tr("FAIL"))
            status.setAccessibleName(self.tr("{0}: ok").format(name_label.text()) if check.ok
                                     else self.tr("{0}: failed").format(name_label.text()))
            detail.setText(check.detail)
        self._colour_statuses()
        self.verdict.setText(self.verdict_text())
        self.force.setText(self.tr("Replace the installed version on purpose (roll back or reinstall)"))
        self.force.setAccessibleName(self.force.text())
        self.install_button.setText(self.tr("&Install"))
        self.install_button.setAccessibleName(self.tr("Install this pack"))
        self.skip_button.setText(self.tr("&Skip"))
        self.skip_button.setAccessibleName(self.tr("Skip this pack"))
        self.stop_button.setText(self.tr("Skip &the rest"))
        self.stop_button.setAccessibleName(self.tr("Skip this pack and the rest"))
        self.stop_button.setToolTip(self.stop_button.accessibleName())

    def _colour_statuses(self) -> None:
        """Green ok and red FAIL, dark on a light theme and light on a dark or high-contrast one."""
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        colours = {True: "#a5d6a7" if dark else "#1b5e20", False: "#ff8a80" if dark else "#b71c1c"}
        for check, (_name, status, _detail) in zip(self.report.checks, self.check_rows, strict=True):
            status.setStyleSheet(f"font-weight: bold; color: {colours[check.ok]};")

    def verdict_text(self) -> str:
        report = self.report
        failed = [c.name for c in report.checks if not c.ok]
        if not failed:
            if report.action == "update":
                return self.tr("Every check passed. Installing updates version {0} to {1}; "
                               "learners' progress is kept.").format(report.installed_version, report.version)
            return self.tr("Every check passed. This pack can be installed.")
        if failed == ["version"] and report.action == "reinstall":
            return self.tr("Every other check passed, but version {0} is already installed. "
                           "Reinstall it only on purpose.").format(report.version)
        if failed == ["version"] and report.action == "downgrade":
            return self.tr("Every other check passed, but this is version {0}, older than the installed "
                           "version {1}. Install it only to roll back on purpose.").format(
                               report.version, report.installed_version)
        text = self.tr("Do not install this pack: %n check(s) failed.", "", len(failed))
        if "signature" in failed and report.key_id and not report.trusted_as:
            text += " " + self.tr("If you trust its publisher, add their key under Trusted publishers "
                                  "and try again.")
        return text


# --- packs -------------------------------------------------------------------------------------------


@dataclass
class _Session:
    """Packs found in one "install" request, looked at one by one."""

    paths: list[Path]
    index: int = 0
    installed: list[str] = field(default_factory=list)
    skipped: int = 0
    failed: int = 0
    cancelled: bool = False


class PacksTab(QWidget):
    """Installed packs; install from files or a folder (verify report first); remove."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.packs: list[InstalledPack] = []
        self.session: _Session | None = None
        self.report_dialog: VerifyReportDialog | None = None
        self.progress: ProgressRun | None = None  # the last check or install started
        self.message: QMessageBox | None = None  # the confirmation or notice open now, if any

        self.intro = _wrapped()
        self.table = _table(6)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.empty = _wrapped()
        self.install_files_button = QPushButton()
        self.install_folder_button = QPushButton()
        self.remove_button = QPushButton()
        self.install_files_button.clicked.connect(self.install_from_files)
        self.install_folder_button.clicked.connect(self.install_from_folder)
        self.remove_button.clicked.connect(self.remove_selected)
        self.status = _wrapped()
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QHBoxLayout()
        buttons.addWidget(self.install_files_button)
        buttons.addWidget(self.install_folder_button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.retranslate()
        self._update_buttons()
        ctx.bus.changed.connect(self._changed)
        self.refresh()

    # File choosers: tests replace these on the instance.
    def choose_files(self) -> list[Path]:
        names, _filter = QFileDialog.getOpenFileNames(
            self, self.tr("Install packs from files"), "", self.tr("Content packs (*.mcpack)"))
        return [Path(name) for name in names]

    def choose_folder(self) -> Path | None:
        name = QFileDialog.getExistingDirectory(self, self.tr("Install packs from a folder or USB stick"))
        return Path(name) if name else None

    # --- list ---

    def _changed(self, topics: frozenset[str]) -> None:
        if PACKS in topics:
            self.refresh()

    def refresh(self) -> None:
        manager = self.ctx.manager
        run_for_widget(self, self.ctx, lambda _rep: manager.list(), on_done=self._show)

    def _show(self, packs: list[InstalledPack]) -> None:
        self.packs = packs
        selected = _selected_id(self.table)
        self.table.clear()
        for pack in packs:
            row = QTreeWidgetItem([
                pack.title, pack.id, self.tr("{0} ({1})").format(pack.display_version, pack.version),
                format_size(pack.size_bytes), pack.publisher, format_time(pack.installed_at)])
            row.setData(0, ROLE_ID, pack.id)
            row.setToolTip(2, self.tr("Version number {0}").format(pack.version))
            self.table.addTopLevelItem(row)
            if pack.id == selected:
                row.setSelected(True)
        self.empty.setVisible(not packs)
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.session is not None
        self.install_files_button.setEnabled(not busy)
        self.install_folder_button.setEnabled(not busy)
        self.remove_button.setEnabled(not busy and _selected_id(self.table) is not None)

    # --- install ---

    def install_from_files(self) -> None:
        paths = self.choose_files()
        if paths:
            self._scan(paths, None)

    def install_from_folder(self) -> None:
        folder = self.choose_folder()
        if folder is not None:
            self._scan([folder], folder)

    def _scan(self, paths: list[Path], folder: Path | None) -> None:
        self.session = _Session([])
        self._update_buttons()
        self.status.setText(self.tr("Looking for packs…"))

        def found(packs: list[Path]) -> None:
            if not packs:
                self.session = None
                self._update_buttons()
                text = self.tr("No .mcpack files were found in {0}.").format(folder or paths[0])
                self.status.setText(text)
                self._notice(text)
                return
            self.session = _Session(packs)
            self._next()

        def failed(exc: BaseException) -> None:
            self.session = None
            self._update_buttons()
            self.status.setText("")
            show_error(self, exc)

        run_for_widget(self, self.ctx, lambda _rep: scan_for_packs(paths), on_done=found, on_failed=failed)

    def _next(self) -> None:
        session = self.session
        assert session is not None
        if session.cancelled or session.index >= len(session.paths):
            self._finish()
            return
        path = session.paths[session.index]
        session.index += 1
        self.status.setText(self.tr("Checking {0} ({1} of {2})…").format(
            path.name, session.index, len(session.paths)))
        manager = self.ctx.manager
        self.progress = run_with_progress(
            self, self.ctx, self.tr("Checking {0}").format(path.name), lambda rep: manager.verify(path, rep),
            on_done=lambda report: self._show_report(path, report), on_failed=self._step_failed)

    def _show_report(self, path: Path, report: VerifyReport) -> None:
        session = self.session
        assert session is not None
        dialog = VerifyReportDialog(report, self, position=session.index, count=len(session.paths))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda code: self._decided(path, dialog, code))
        self.report_dialog = dialog
        dialog.open()

    def _decided(self, path: Path, dialog: VerifyReportDialog, code: int) -> None:
        session = self.session
        assert session is not None
        self.report_dialog = None
        if code != QDialog.DialogCode.Accepted.value or not dialog.installable:
            session.skipped += 1
            if code == VerifyReportDialog.STOP:
                session.skipped += len(session.paths) - session.index
                session.index = len(session.paths)
            self._next()
            return
        force = dialog.can_force and dialog.force.isChecked()
        title = dialog.report.title or path.name
        manager = self.ctx.manager
        self.progress = run_with_progress(
            self, self.ctx, self.tr("Installing {0}").format(title),
            lambda rep: manager.install(path, rep, force_downgrade=force),
            on_done=self._installed, changes=(PACKS,), on_failed=self._step_failed)

    def _installed(self, result: InstallResult) -> None:
        assert self.session is not None
        self.session.installed.append(result.title)
        self._next()

    def _step_failed(self, exc: BaseException) -> None:
        assert self.session is not None
        if isinstance(exc, Cancelled):
            self.session.cancelled = True
        else:
            self.session.failed += 1
        self._next()

    def _finish(self) -> None:
        session = self.session
        assert session is not None
        self.session = None
        parts = []
        if session.installed:
            parts.append(self.tr("Installed %n pack(s): {0}.", "", len(session.installed)).format(
                ", ".join(session.installed)))
        if session.skipped:
            parts.append(self.tr("Skipped %n.", "", session.skipped))
        if session.failed:
            parts.append(self.tr("%n could not be installed.", "", session.failed))
        if session.cancelled:
            parts.append(self.tr("The last step was cancelled; it changed nothing."))
        self.status.setText(" ".join(parts) if parts else self.tr("Nothing was installed."))
        self._update_buttons()

    # --- remove ---

    def remove_selected(self) -> None:
        pack_id = _selected_id(self.table)
        pack = next((p for p in self.packs if p.id == pack_id), None)
        if pack is None:
            return
        box, remove = confirmation(
            self, self.tr("Remove a pack"), self.tr("Remove {0} ({1}) from this laptop?").format(pack.title, pack.id),
            self.tr("Learners' progress in it is kept, and comes back if the pack is installed again."),
            self.tr("&Remove"), action_name=self.tr("Remove the pack"), keep_name=self.tr("Keep the pack"))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _code: self._remove_answered(pack, box.clickedButton() is remove))
        self.message = box
        box.open()

    def _remove_answered(self, pack: InstalledPack, confirmed: bool) -> None:
        self.message = None
        if not confirmed:
            return
        manager = self.ctx.manager
        self.status.setText(self.tr("Removing {0}…").format(pack.title))
        def failed(exc: BaseException) -> None:
            self.status.setText("")
            show_error(self, exc)

        run_for_widget(self, self.ctx, lambda _rep: manager.remove(pack.id), changes=(PACKS,),
                       on_done=lambda removed: self.status.setText(
                           self.tr("Removed {0}. Learners' progress in it is kept.").format(removed.title)),
                       on_failed=failed)

    def _notice(self, text: str) -> None:
        self.message = open_notice(self, self.tr("Install packs"), text, lambda: setattr(self, "message", None))

    # --- language ---

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.intro.setText(self.tr("Course packs installed on this laptop. Every pack is checked before "
                                   "it is installed; nothing is installed without your decision."))
        self.table.setHeaderLabels([self.tr("Title"), self.tr("Id"), self.tr("Version"), self.tr("Size"),
                                    self.tr("Publisher"), self.tr("Installed")])
        self.table.setAccessibleName(self.tr("Installed packs"))
        self.empty.setText(self.tr("No packs are installed yet. Install one from a file, or from a folder "
                                   "or USB stick."))
        self.install_files_button.setText(self.tr("Install from &files…"))
        self.install_files_button.setAccessibleName(self.tr("Install packs from files"))
        self.install_folder_button.setText(self.tr("Install from a f&older or USB stick…"))
        self.install_folder_button.setAccessibleName(self.tr("Install packs from a folder or USB stick"))
        self.remove_button.setText(self.tr("&Remove…"))
        self.remove_button.setAccessibleName(self.tr("Remove the selected pack"))
        if self.packs:
            self._show(self.packs)


# --- trusted publishers ------------------------------------------------------------------------------


class PublisherNameDialog(QDialog):
    """Asks whose key this is, showing the key id so it can be compared with the publisher's."""

    def __init__(self, file: Path, kid: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.file, self.kid = file, kid
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.explain = _wrapped()
        self.key = QLabel(" ".join(kid[i:i + 4] for i in range(0, len(kid), 4)))
        self.key.setWordWrap(True)
        self.key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.name_label = QLabel()
        self.name = QLineEdit(file.name.removesuffix(".pem").removesuffix(".pub"))
        self.name.setMaxLength(120)
        self.name_label.setBuddy(self.name)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain)
        layout.addWidget(self.key)
        layout.addWidget(self.name_label)
        layout.addWidget(self.name)
        layout.addWidget(self.buttons)
        self.retranslate()
        self._update()
        self.resize(520, self.sizeHint().height())

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.name.text().strip()))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Trust a publisher"))
        self.explain.setText(self.tr("The key in {0} has this id. Before you trust it, check that it is "
                                     "the id the publisher gave you:").format(self.file.name))
        self.name_label.setText(self.tr("Publisher's &name:"))
        self.name.setAccessibleName(self.tr("Publisher's name"))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("&Trust this key"))
        ok.setAccessibleName(self.tr("Trust this key"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(self.tr("Cancel"))


class TrustTab(QWidget):
    """The publisher keys packs must be signed with: list, add from a .pub.pem file, remove."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.keys: list[TrustedKey] = []
        self.name_dialog: PublisherNameDialog | None = None
        self.message: QMessageBox | None = None
        self.intro = _wrapped()
        self.table = _table(4)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.empty = _wrapped()
        self.add_button = QPushButton()
        self.remove_button = QPushButton()
        self.add_button.clicked.connect(self.add_from_file)
        self.remove_button.clicked.connect(self.remove_selected)
        self.status = _wrapped()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.retranslate()
        self._update_buttons()
        ctx.bus.changed.connect(self._changed)
        self.refresh()

    def choose_key_file(self) -> Path | None:
        name, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Add a publisher's key"), "", self.tr("Public keys (*.pub.pem *.pem)"))
        return Path(name) if name else None

    def _changed(self, topics: frozenset[str]) -> None:
        if TRUST in topics:
            self.refresh()

    def refresh(self) -> None:
        trust = self.ctx.manager.trust
        run_for_widget(self, self.ctx, lambda _rep: trust.list(), on_done=self._show)

    def _show(self, keys: list[TrustedKey]) -> None:
        self.keys = keys
        self.table.clear()
        for key in keys:
            row = QTreeWidgetItem([key.name, short_id(key.key_id), self.origin_label(key.origin),
                                   format_time(key.added_at)])
            row.setData(0, ROLE_ID, key.key_id)
            row.setToolTip(1, key.key_id)
            self.table.addTopLevelItem(row)
        self.empty.setVisible(not keys)
        self._update_buttons()

    def origin_label(self, origin: str) -> str:
        labels = {ORIGIN_TECHNICIAN: self.tr("added by a technician"),
                  ORIGIN_LOCAL_SAMPLE: self.tr("local sample publisher")}
        return labels.get(origin, ORIGIN_LABELS.get(origin, origin))

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(_selected_id(self.table) is not None)

    def add_from_file(self) -> None:
        path = self.choose_key_file()
        if path is None:
            return

        def loaded(key: Ed25519PublicKey) -> None:
            dialog = PublisherNameDialog(path, key_id(key), self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.accepted.connect(lambda: self._add(key, dialog.name.text().strip()))
            dialog.finished.connect(lambda _code: setattr(self, "name_dialog", None))
            self.name_dialog = dialog
            dialog.open()

        run_for_widget(self, self.ctx, lambda _rep: load_public_key(str(path)), on_done=loaded)

    def _add(self, key: Ed25519PublicKey, name: str) -> None:
        trust = self.ctx.manager.trust
        run_for_widget(self, self.ctx, lambda _rep: trust.add(key, name), changes=(TRUST,),
                       on_done=lambda added: self.status.setText(
                           self.tr("Packs signed by {0} can now be installed.").format(added.name)))

    def remove_selected(self) -> None:
        kid = _selected_id(self.table)
        key = next((k for k in self.keys if k.key_id == kid), None)
        if key is None:
            return
        box, remove = confirmation(
            self, self.tr("Stop trusting a publisher"),
            self.tr("Stop trusting {0} (key {1})?").format(key.name, short_id(key.key_id)),
            self.tr("Packs already installed from this publisher stay installed. New packs "
                    "and updates signed with this key will be refused."),
            self.tr("Stop &trusting"), action_name=self.tr("Stop trusting this key"),
            keep_name=self.tr("Keep trusting this key"))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _code: self._remove_answered(key, box.clickedButton() is remove))
        self.message = box
        box.open()

    def _remove_answered(self, key: TrustedKey, confirmed: bool) -> None:
        self.message = None
        if not confirmed:
            return
        trust = self.ctx.manager.trust
        run_for_widget(self, self.ctx, lambda _rep: trust.remove(key.key_id), changes=(TRUST,),
                       on_done=lambda removed: self.status.setText(
                           self.tr("{0} is no longer trusted.").format(removed.name)))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.intro.setText(self.tr("Packs are installed only when they are signed with one of these keys. "
                                   "Add a key only when you know it comes from the publisher."))
        self.table.setHeaderLabels([self.tr("Publisher"), self.tr("Key id"), self.tr("Origin"), self.tr("Added")])
        self.table.setAccessibleName(self.tr("Trusted publisher keys"))
        self.empty.setText(self.tr("No publisher keys are trusted yet, so no pack can be installed. Add the "
                                   "key of each publisher whose packs you use."))
        self.add_button.setText(self.tr("&Add key from file…"))
        self.add_button.setAccessibleName(self.tr("Add a publisher key from a file"))
        self.remove_button.setText(self.tr("&Remove…"))
        self.remove_button.setAccessibleName(self.tr("Remove the selected key"))
        if self.keys:
            self._show(self.keys)


# --- disk ----------------------------------------------------------------------------------------------


class DiskTab(QWidget):
    """Where the data folder is and how much of the disk each part of it uses; measured when shown."""

    FIELDS = ("packs", "database", "backups", "logs", "total", "free")

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.use: DiskUse | None = None
        self.intro = _wrapped()
        self.folder = _wrapped()
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.values = {name: QLabel() for name in self.FIELDS}
        self.captions = {name: QLabel() for name in ("folder", *self.FIELDS)}
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.captions["folder"], self.folder)
        for name in self.FIELDS:
            self.values[name].setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(self.captions[name], self.values[name])
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.retranslate()
        ctx.bus.changed.connect(self._changed)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.refresh()

    def _changed(self, topics: frozenset[str]) -> None:
        if PACKS in topics and self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        home = self.ctx.home
        run_for_widget(self, self.ctx, lambda _rep: disk_use(home), on_done=self._show)

    def _show(self, use: DiskUse) -> None:
        self.use = use
        self.folder.setText(str(use.root))
        for name in self.FIELDS:
            self.values[name].setText(format_size(getattr(use, name)))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.intro.setText(self.tr("Everything mcdesk keeps on this laptop is in its data folder."))
        captions = {
            "folder": self.tr("Data folder:"),
            "packs": self.tr("Installed packs:"),
            "database": self.tr("Database (learners and progress):"),
            "backups": self.tr("Database backups:"),
            "logs": self.tr("Logs:"),
            "total": self.tr("Total used by mcdesk:"),
            "free": self.tr("Free space on this disk:"),
        }
        for name, label in self.captions.items():
            label.setText(captions[name])
        self.refresh_button.setText(self.tr("Measure &again"))
        self.refresh_button.setAccessibleName(self.tr("Measure the disk use again"))
        if self.use is not None:
            self._show(self.use)


# --- the panel ---------------------------------------------------------------------------------------


class RoomyTabBar(QTabBar):
    """Tabs a few pixels taller: Fusion draws an unselected tab's text lower and clips the accent of a
    capital (the É of "Éditeurs") with the usual fonts."""

    def tabSizeHint(self, index: int) -> QSize:  # noqa: N802 - Qt's name
        hint = super().tabSizeHint(index)
        return QSize(hint.width(), hint.height() + 4)


class TechnicianPanel(QWidget):
    """Tabs for the technician. The main window shows it behind the technician passphrase."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tabs = QTabWidget()
        self.tabs.setTabBar(RoomyTabBar())
        self.tabs.setDocumentMode(True)
        self.packs = PacksTab(ctx)
        self.trust = TrustTab(ctx)
        self.disk = DiskTab(ctx)
        self.tabs.addTab(self.packs, "")
        self.tabs.addTab(self.trust, "")
        self.tabs.addTab(self.disk, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.retranslate()

    def add_tab(self, widget: QWidget, title: str) -> int:
        """Add another tab (the main window adds the learners tab); returns its index. The tab's
        title follows the widget's windowTitle when that changes (for example on a language change)."""
        index = self.tabs.addTab(widget, title)
        widget.windowTitleChanged.connect(lambda text: self._retitle(widget, text))
        return index

    def _retitle(self, widget: QWidget, text: str) -> None:
        index = self.tabs.indexOf(widget)
        if index >= 0 and text:
            self.tabs.setTabText(index, text)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Technician"))
        self.tabs.setAccessibleName(self.tr("Technician panel"))
        self.tabs.setTabText(self.tabs.indexOf(self.packs), self.tr("&Packs"))
        self.tabs.setTabText(self.tabs.indexOf(self.trust), self.tr("&Trusted publishers"))
        self.tabs.setTabText(self.tabs.indexOf(self.disk), self.tr("&Disk"))
