"""Pages made of cards for the signed-in learner (dashboard, wallet): loading, refreshing, layout."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QDateTime, QEvent, QLocale, Qt
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from mcdesk.store.db import Store
from mcdesk.ui.context import CREDENTIALS, LEARNERS, PACKS, PROGRESS, Context
from mcdesk.ui.errors import show_error
from mcdesk.ui.theme import current_theme


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


CARD = "card"  # the object name of card frames


def card() -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName(CARD)
    frame.setStyleSheet(current_theme().card_stylesheet)  # the theme's card style, on the card itself
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(12, 10, 12, 10)
    return frame, layout


class LearnerCardsPage(QWidget):
    """A heading over a scrolling column of cards about the signed-in learner.

    Subclasses give ``load`` (core work, run on the database worker), ``render`` (widgets from its
    result) and the texts. The page loads when first shown and again whenever the bus says that
    packs, progress, credentials or learners changed.
    """

    TOPICS = frozenset({PACKS, PROGRESS, CREDENTIALS, LEARNERS})

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.data: Any = None
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

    # --- for subclasses ------------------------------------------------------------------------

    def heading_text(self) -> str:
        raise NotImplementedError

    def scroll_name(self) -> str:
        raise NotImplementedError

    def no_learner_text(self) -> str:
        raise NotImplementedError

    def load(self, store: Store, learner_id: int) -> Any:
        raise NotImplementedError

    def render(self, data: Any) -> list[QWidget]:
        raise NotImplementedError

    # --- the machinery -------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.heading.setText(self.heading_text())
        self.scroll.setAccessibleName(self.scroll_name())
        self._render()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):  # a new theme
            sheet = current_theme().card_stylesheet
            for frame in self.findChildren(QFrame, CARD):
                frame.setStyleSheet(sheet)
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._loaded:
            self._loaded = True
            self.refresh()

    def _changed(self, topics: frozenset[str]) -> None:
        if topics & self.TOPICS:
            self.refresh()

    def refresh(self) -> None:
        learner, store = self.ctx.learner_id, self.ctx.store
        if learner is None:
            self.data, self._state = None, "no-learner"
            self._render()
            return
        self.ctx.run(lambda _r: (learner, self.load(store, learner)), on_done=self._show,
                     on_failed=lambda exc, _tb: show_error(self, exc))

    def _show(self, result: tuple[int, Any]) -> None:
        learner, data = result
        if learner != self.ctx.learner_id:
            return  # the learner changed while it loaded; a newer refresh is on its way
        self.data, self._state = data, "data"
        self._render()

    def _render(self) -> None:
        if self._state != "data":
            # translate() with a fixed context: self.tr() would look under the subclass's name.
            text = (self.no_learner_text() if self._state == "no-learner"
                    else QCoreApplication.translate("LearnerCardsPage", "Loading…"))
            self._set_content([label(text)])
            return
        self._set_content(self.render(self.data))

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
