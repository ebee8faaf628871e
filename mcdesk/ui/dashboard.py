"""The learner's dashboard: progress toward each credential and along stacked pathways, hours left."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QEvent, QLocale, Qt
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import QFrame, QLabel, QProgressBar, QScrollArea, QVBoxLayout, QWidget

from mcdesk.learning.progress import CredentialProgress, Dashboard, dashboard, percent
from mcdesk.ui.context import CREDENTIALS, LEARNERS, PACKS, PROGRESS, Context
from mcdesk.ui.errors import show_error


def local_date(iso: str) -> str:
    """A stored UTC timestamp as a date in the person's language and time zone."""
    moment = QDateTime.fromString(iso, Qt.DateFormat.ISODate)
    if not moment.isValid():
        return iso
    return QLocale().toString(moment.toLocalTime().date(), QLocale.FormatType.LongFormat)


def label(text: str = "", *, bold: bool = False, scale: float = 1.0) -> QLabel:
    """A plain-text label that wraps instead of being cut off."""
    widget = QLabel(text)
    widget.setWordWrap(True)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    if bold or scale != 1.0:
        font = QFont(widget.font())
        font.setBold(bold)
        font.setPointSizeF(font.pointSizeF() * scale)
        widget.setFont(font)
    return widget


def card() -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName("card")  # the theme's style sheet draws cards
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(12, 10, 12, 10)
    return frame, layout


class DashboardView(QWidget):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.board: Dashboard | None = None
        self._state = "loading"  # loading | no-learner | data
        self._loaded = False
        self.heading = label(bold=True, scale=1.4)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.scroll, 1)
        self.retranslate()
        ctx.bus.changed.connect(self._changed)

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Your progress"))
        self.scroll.setAccessibleName(self.tr("Progress toward your credentials"))
        self._render()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._loaded:
            self._loaded = True
            self.refresh()

    def _changed(self, topics: frozenset[str]) -> None:
        if topics & {PACKS, PROGRESS, CREDENTIALS, LEARNERS}:
            self.refresh()

    def refresh(self) -> None:
        learner, store = self.ctx.learner_id, self.ctx.store
        if learner is None:
            self.board, self._state = None, "no-learner"
            self._render()
            return
        self.ctx.run(lambda _r: dashboard(store, learner), on_done=self._show,
                     on_failed=lambda exc, _tb: show_error(self, exc))

    def _show(self, board: Dashboard) -> None:
        if board.learner_id != self.ctx.learner_id:
            return  # the learner changed while it loaded; a newer refresh is on its way
        self.board, self._state = board, "data"
        self._render()

    def _render(self) -> None:
        board = self.board
        if board is None:
            text = (self.tr("Choose your profile to see your progress.") if self._state == "no-learner"
                    else self.tr("Loading…"))
            self._set_content([label(text)])
            return
        titles = {c.ref: c.title for c in board.credentials}
        widgets: list[QWidget] = []
        singles = [c for c in board.credentials if not c.stacked]
        if singles:
            widgets.append(label(self.tr("Credentials"), bold=True, scale=1.15))
            widgets.extend(self._card(c, titles) for c in singles)
        if board.pathways:
            widgets.append(label(self.tr("Pathways (stacked credentials)"), bold=True, scale=1.15))
            widgets.extend(self._card(c, titles) for c in board.pathways)
        if not widgets:
            widgets.append(label(self.tr("No installed course offers a credential yet. Ask the technician to "
                                         "install a course pack.")))
        self._set_content(widgets)

    def _card(self, cred: CredentialProgress, titles: dict[str, str]) -> QFrame:
        frame, layout = card()
        frame.setAccessibleName(cred.title)
        layout.addWidget(label(cred.title, bold=True, scale=1.1))
        if cred.earned:
            status = self.tr("Earned — awaiting verification, {0}").format(local_date(cred.earned_at or ""))
        else:
            status = self.tr("{0}% done").format(cred.percent)
        layout.addWidget(label(status))
        bar = QProgressBar()
        bar.setRange(0, 100)
        bar.setValue(cred.percent)
        bar.setFormat(self.tr("{0}%").format(cred.percent))
        bar.setAccessibleName(self.tr("Progress toward {0}").format(cred.title))
        layout.addWidget(bar)
        if cred.stacked:
            for part in cred.parts:
                name = part.title or part.ref
                if part.held:
                    text = self.tr("✓ {0} — held").format(name)
                elif part.title is None:
                    text = self.tr("{0} — its course is not installed on this laptop").format(name)
                else:
                    text = self.tr("{0} — {1}% done").format(name, percent(part.fraction))
                layout.addWidget(label(text))
        else:
            layout.addWidget(label(self.tr("Lessons done: {0} of {1} · Quizzes passed: {2} of {3}").format(
                cred.lessons.done, cred.lessons.total, cred.quizzes.done, cred.quizzes.total)))
        if not cred.earned and cred.estimated_hours:
            hours = QLocale().toString(float(cred.hours_left), "f", 1)
            layout.addWidget(label(self.tr("About {0} hours left").format(hours)))
        for ref in cred.stacks_into:
            layout.addWidget(label(self.tr("Counts toward: {0}").format(titles.get(ref, ref))))
        return frame

    def _set_content(self, widgets: list[QWidget]) -> None:
        content = QWidget()
        layout = QVBoxLayout(content)
        for widget in widgets:
            layout.addWidget(widget)
        layout.addStretch(1)
        old = self.scroll.takeWidget()
        self.scroll.setWidget(content)
        if old is not None:
            old.deleteLater()
