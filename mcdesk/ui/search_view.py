"""Search over every installed lesson: a search box, results with highlighted snippets, open at the hit."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QKeyEvent, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from mcdesk.learning.search import SearchHit, search
from mcdesk.ui.context import PACKS, Context
from mcdesk.ui.errors import show_error

DEBOUNCE_MS = 250
HIT = Qt.ItemDataRole.UserRole  # the SearchHit
HTML = Qt.ItemDataRole.UserRole + 1  # what the delegate draws


class _RichTextDelegate(QStyledItemDelegate):
    """Draws a result as rich text (title in bold, matches in bold), wrapped to the list's width."""

    def _document(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex,
                  width: int) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(6)
        doc.setHtml(str(index.data(HTML) or ""))
        doc.setTextWidth(max(80, width))
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._document(opt, index, opt.rect.width())
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        colour = opt.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        context.palette.setColor(QPalette.ColorRole.Text, colour)
        painter.save()
        painter.translate(opt.rect.topLeft())
        painter.setClipRect(opt.rect.translated(-opt.rect.topLeft()))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt's name
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        view = option.widget
        width = view.viewport().width() - 4 if isinstance(view, QListView) else 400
        doc = self._document(option, index, width)
        return QSize(width, int(doc.size().height()) + 2)


class _SearchBox(QLineEdit):
    """Down arrow moves from the box into the results."""

    def __init__(self, results: QListWidget) -> None:
        super().__init__()
        self._results = results

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Down and self._results.count():
            self._results.setFocus()
            if self._results.currentRow() < 0:
                self._results.setCurrentRow(0)
            return
        super().keyPressEvent(event)


class SearchView(QWidget):
    """Emits ``open_lesson(pack id, lesson id, text to find)`` when a result is chosen."""

    open_lesson = Signal(str, str, str)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.hits: list[SearchHit] = []
        self._request = 0
        self._searched = ""

        self.results = QListWidget()
        self.results.setItemDelegate(_RichTextDelegate(self.results))
        self.results.setWordWrap(True)
        self.results.setResizeMode(QListView.ResizeMode.Adjust)
        self.results.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.results.itemActivated.connect(self._activated)
        self.results.itemClicked.connect(self._activated)

        self.box = _SearchBox(self.results)
        self.box.setClearButtonEnabled(True)
        self.box.textChanged.connect(self._typed)
        self.box.returnPressed.connect(self.search_now)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.search_now)

        layout = QVBoxLayout(self)
        layout.addWidget(self.box)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        self.retranslate()
        ctx.bus.changed.connect(self._changed)

    def retranslate(self) -> None:
        self.results.setAccessibleName(self.tr("Search results"))
        self.box.setPlaceholderText(self.tr("Search all lessons"))
        self.box.setAccessibleName(self.tr("Search all lessons"))
        self._show(self._request, self._searched, self.hits)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _typed(self, _text: str) -> None:
        self.timer.start()  # restarts: the search runs once typing pauses

    def _changed(self, topics: frozenset[str]) -> None:
        if PACKS in topics and self._searched:
            self.search_now()

    def search_now(self) -> None:
        self.timer.stop()
        text = self.box.text().strip()
        self._request += 1
        request = self._request
        self._searched = text
        if not text:
            self._show(request, text, [])
            return
        store = self.ctx.store
        self.ctx.run(lambda _r: search(store, text), on_done=lambda hits: self._show(request, text, hits),
                     on_failed=lambda exc, _tb: self._failed(request, exc))

    def _failed(self, request: int, exc: BaseException) -> None:
        if request == self._request:
            show_error(self, exc)

    def _show(self, request: int, text: str, hits: list[SearchHit]) -> None:
        if request != self._request:
            return  # the box changed since this search was asked for
        self.hits = hits
        self.results.clear()
        for hit in hits:
            item = QListWidgetItem(self.tr("{0} ({1}): {2}").format(hit.title, hit.pack_title, _plain(hit.snippet)))
            item.setData(HIT, hit)
            title, pack = _escape(hit.title), _escape(hit.pack_title)
            item.setData(HTML, f"<div><b>{title}</b> <span>— {pack}</span></div><div>{hit.snippet}</div>")
            self.results.addItem(item)
        if not text:
            self.status.setText("")
        elif hits:
            self.status.setText(self.tr("%n lesson(s) found", "", len(hits)))
        else:
            self.status.setText(self.tr("No lesson contains “{0}”. Try fewer or shorter words.").format(text))

    def _activated(self, item: QListWidgetItem) -> None:
        hit: SearchHit = item.data(HIT)
        if hit is not None:
            self.open_lesson.emit(hit.pack_id, hit.lesson_id, hit.match)


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def _plain(snippet_html: str) -> str:
    return html.unescape(re.sub(r"</?b>", "", snippet_html))
