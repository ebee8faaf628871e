"""The lesson reader: one sanitised lesson page, text size, previous/next, mark complete, safe links."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QSize, QUrl, Signal
from PySide6.QtGui import (
    QFont,
    QGuiApplication,
    QImage,
    QKeySequence,
    QResizeEvent,
    QShortcut,
    QShowEvent,
    QTextCursor,
    QTextDocument,
    QTextImageFormat,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from mcdesk.learning.credentials import EarnedCredential
from mcdesk.learning.library import LessonPage, open_lesson
from mcdesk.learning.progress import mark_lesson_complete, record_visit
from mcdesk.learning.render import MIN_IMAGE_ROOM, PageImage, fit_image
from mcdesk.ui.context import CREDENTIALS, LEARNERS, PACKS, PROGRESS, Context
from mcdesk.ui.display import DEFAULT_TEXT_SIZE, TEXT_SIZES
from mcdesk.ui.errors import show_error
from mcdesk.ui.qt_enums import ChangeWatch, set_enum_property, viewport_of
from mcdesk.ui.theme import current_theme

EXTERNAL_SCHEMES = ("http", "https", "mailto")
IMAGE_MARGIN = 12  # pixels kept free beside an image scaled down to the page width


def _breakable(address: str) -> str:
    """A long web address with zero-width spaces after its separators, so a label can wrap it."""
    return re.sub(r"([/?&=.-])", "\\1\u200b", address)


def _kind_value(kind: Any) -> int:
    return int(kind.value) if hasattr(kind, "value") else int(kind)


class LessonBrowser(QTextBrowser):
    """Shows one lesson. Images load only from inside the pack's own folder; nothing is fetched from
    the network or from elsewhere on the disk, and links never open by themselves.

    Lesson pages come with every image's size written into its tag (fitted to the page width the
    reader asked with), so showing one is a single setHtml. When the page width changes, images are
    fitted again, touching only those whose size changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setUndoRedoEnabled(False)
        self.setAccessibleName(self.tr("Lesson text"))
        self._folder: Path | None = None
        self._wanted: list[PageImage] = []  # each image of the page in document order, as the lesson asks
        self._shown: list[tuple[float, float]] = []  # the size each is drawn at now
        self._positions: list[int] | None = None  # their places in the document, found when first needed
        self._setting = False

    @property
    def folder(self) -> Path | None:
        return self._folder

    def image_room(self) -> int | None:
        """How wide (pixels) an image may be drawn on the page as it is now; None while hidden (the
        page has no width yet: images are fitted when it is shown)."""
        if not self.isVisible():
            return None
        margin = int(2 * self.document().documentMargin())
        return max(MIN_IMAGE_ROOM, viewport_of(self).width() - margin - IMAGE_MARGIN)

    def show_page(self, page: LessonPage, css: str = "") -> None:
        self._folder = Path(page.base_folder).resolve()
        self.set_content(page.html, css, page.images if page.images_sized else None, page.image_room)

    def set_content(self, html: str, css: str, images: Sequence[PageImage] | None = None,
                    room: int | None = None) -> None:
        """Show ``html``. ``images`` are its images with the sizes they ask for, and ``room`` the page
        width the sizes in ``html`` were fitted to; with ``images`` None the sizes are read from the
        pictures themselves (slower: every image is opened)."""
        self._setting = True  # setHtml may resize the viewport before the new images are known
        try:
            self.document().setDefaultStyleSheet(css)
            self.setHtml(html)
        finally:
            self._setting = False
        self._positions = None
        if images is None:
            self._wanted, self._positions = self._find_images()
            self._shown = [(-1.0, -1.0)] * len(self._wanted)  # unknown: fitting sets them all
        else:
            self._wanted = list(images)
            self._shown = [fit_image(i.width, i.height, room) for i in self._wanted]
        self.fit_images()

    def loadResource(self, kind: Any, url: QUrl) -> Any:  # noqa: N802 - Qt's name
        """Only images, only files inside the pack folder; http, https and everything else get nothing."""
        if self._folder is None or _kind_value(kind) != _kind_value(QTextDocument.ResourceType.ImageResource):
            return None
        if url.scheme() == "file" and not url.host():
            target = Path(url.toLocalFile())
        elif url.scheme() == "" and not url.host() and url.path():
            target = self._folder / url.path()
        else:
            return None
        try:
            target = target.resolve()
        except OSError:
            return None
        if not target.is_relative_to(self._folder) or not target.is_file():
            return None
        image = QImage(str(target))
        return None if image.isNull() else image

    # --- images no wider than the page ------------------------------------------------------

    def _image_fragments(self) -> Iterator[tuple[int, QTextImageFormat]]:
        block = self.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                fmt = fragment.charFormat()
                if fmt.isImageFormat():
                    yield fragment.position(), fmt.toImageFormat()
                it += 1
            block = block.next()

    def _find_images(self) -> tuple[list[PageImage], list[int]]:
        """Every image of the page with a size, read from the page and, where it gives none, the picture."""
        found: list[PageImage] = []
        positions: list[int] = []
        for position, image_fmt in self._image_fragments():
            resource = self.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(image_fmt.name()))
            natural = resource.size() if isinstance(resource, QImage) else QSize()
            width = image_fmt.width() if image_fmt.width() > 0 else natural.width()
            height = image_fmt.height() if image_fmt.height() > 0 else natural.height()
            if width > 0 and height > 0:
                found.append(PageImage(image_fmt.name(), float(width), float(height)))
                positions.append(position)
        return found, positions

    def _image_positions(self) -> list[int]:
        if self._positions is None:
            fragments = list(self._image_fragments())
            if [fmt.name() for _pos, fmt in fragments] == [i.src for i in self._wanted]:
                self._positions = [pos for pos, _fmt in fragments]
            else:  # not the page's images as listed (never expected): read them from the document
                self._wanted, self._positions = self._find_images()
                self._shown = [(-1.0, -1.0)] * len(self._wanted)
        return self._positions

    def fit_images(self) -> None:
        """Scale images wider than the page down to it (and back up, never past their own size). Only
        images whose size changes are touched, in one edit, so the page is laid out again at most once."""
        room = self.image_room()
        if self._setting or not self._wanted or room is None:
            return
        targets = [fit_image(i.width, i.height, room) for i in self._wanted]
        if all(abs(a[0] - b[0]) <= 0.5 and abs(a[1] - b[1]) <= 0.5 for a, b in zip(targets, self._shown, strict=True)):
            return
        positions = self._image_positions()
        targets = [fit_image(i.width, i.height, room) for i in self._wanted]
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        try:
            for n, (position, (width, height)) in enumerate(zip(positions, targets, strict=True)):
                if abs(self._shown[n][0] - width) <= 0.5 and abs(self._shown[n][1] - height) <= 0.5:
                    continue
                cursor.setPosition(position)
                cursor.setPosition(position + 1, QTextCursor.MoveMode.KeepAnchor)
                fmt = cursor.charFormat().toImageFormat()
                fmt.setWidth(width)
                fmt.setHeight(height)
                cursor.setCharFormat(fmt)
                self._shown[n] = (width, height)
        finally:
            cursor.endEditBlock()

    def image_widths(self) -> list[float]:
        """The widths images are drawn at now (for tests and the benchmark), read from the document."""
        wanted = {i.src for i in self._wanted}
        return [fmt.width() for _pos, fmt in self._image_fragments() if fmt.name() in wanted]

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.fit_images()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.fit_images()


class ReaderView(QWidget):
    """One lesson at a time. Emits ``open_quiz`` when previous/next or a link reaches a quiz."""

    open_quiz = Signal(str, str)  # pack id, quiz id
    lesson_shown = Signal(str, str)  # pack id, lesson id
    text_size_changed = Signal(int)  # points; the main window may keep it in the learner's preferences
    credentials_earned = Signal(object)  # list[EarnedCredential] newly earned by "Mark complete"

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.page: LessonPage | None = None
        self._request = 0
        self._pending_find = ""
        self._pending_anchor = ""
        self._external = ""
        self._text_size = DEFAULT_TEXT_SIZE

        self.title = QLabel()
        self.title.setWordWrap(True)
        set_enum_property(self.title, "textFormat", "PlainText")  # not Qt.TextFormat: see mcdesk.ui.qt_enums
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.where = QLabel()
        self.where.setWordWrap(True)
        set_enum_property(self.where, "textFormat", "PlainText")

        self.browser = LessonBrowser()
        self.browser.anchorClicked.connect(self._link_clicked)
        self.browser.highlighted.connect(self._link_hovered)

        self.link_bar = QFrame()
        self.link_bar.setFrameShape(QFrame.Shape.StyledPanel)
        self.link_text = QLabel()
        self.link_text.setWordWrap(True)
        set_enum_property(self.link_text, "textFormat", "PlainText")
        set_enum_property(self.link_text, "textInteractionFlags", "TextSelectableByMouse")
        self.copy_button = QPushButton()
        self.copy_button.clicked.connect(self.copy_link)
        self.close_link = QPushButton()
        self.close_link.clicked.connect(self.link_bar.hide)
        bar = QHBoxLayout(self.link_bar)
        bar.addWidget(self.link_text, 1)
        bar.addWidget(self.copy_button)
        bar.addWidget(self.close_link)
        self.link_bar.hide()

        self.notice = QLabel()
        self.notice.setWordWrap(True)
        set_enum_property(self.notice, "textFormat", "PlainText")
        self.notice.hide()

        self.previous_button = QPushButton()
        self.previous_button.clicked.connect(self.go_previous)
        self.smaller_button = QPushButton()
        self.smaller_button.clicked.connect(self.text_smaller)
        self.larger_button = QPushButton()
        self.larger_button.clicked.connect(self.text_larger)
        self.complete_button = QPushButton()
        self.complete_button.clicked.connect(self.mark_complete)
        self.next_button = QPushButton()
        self.next_button.clicked.connect(self.go_next)
        for button in (self.smaller_button, self.larger_button):
            button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        nav = QHBoxLayout()
        nav.addWidget(self.previous_button)
        nav.addStretch(1)
        nav.addWidget(self.smaller_button)
        nav.addWidget(self.larger_button)
        nav.addWidget(self.complete_button)
        nav.addStretch(1)
        nav.addWidget(self.next_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.where)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.notice)
        layout.addWidget(self.link_bar)
        layout.addLayout(nav)

        for keys, slot in ((QKeySequence.StandardKey.ZoomIn, self.text_larger),
                           (QKeySequence("Ctrl+="), self.text_larger),
                           (QKeySequence.StandardKey.ZoomOut, self.text_smaller),
                           (QKeySequence("Alt+Left"), self.go_previous),
                           (QKeySequence("Alt+Right"), self.go_next)):
            shortcut = QShortcut(keys, self)
            set_enum_property(shortcut, "context", "WidgetWithChildrenShortcut")
            shortcut.activated.connect(slot)

        self._apply_text_size()
        self._change_watch = ChangeWatch(self, self._changed_look,
                                         ("LanguageChange", "PaletteChange", "ApplicationPaletteChange"))
        self.retranslate()
        ctx.bus.changed.connect(self._changed)

    def retranslate(self) -> None:
        """Every text that does not come from the lesson, in the current language."""
        self.browser.setAccessibleName(self.tr("Lesson text"))
        self.copy_button.setText(self.tr("Copy address"))
        self.copy_button.setAccessibleName(self.tr("Copy the link address"))
        self.close_link.setText(self.tr("Close"))
        self.close_link.setAccessibleName(self.tr("Close the link message"))
        self.previous_button.setText(self.tr("← Previous"))
        self.previous_button.setAccessibleName(self.tr("Previous lesson or quiz"))
        self.smaller_button.setText(self.tr("A−"))
        self.smaller_button.setAccessibleName(self.tr("Smaller text"))
        self.smaller_button.setToolTip(self.tr("Smaller text (Ctrl+Minus)"))
        self.larger_button.setText(self.tr("A+"))
        self.larger_button.setAccessibleName(self.tr("Larger text"))
        self.larger_button.setToolTip(self.tr("Larger text (Ctrl+Plus)"))
        self.complete_button.setAccessibleName(self.tr("Mark this lesson complete"))
        self.next_button.setText(self.tr("Next →"))
        self.next_button.setAccessibleName(self.tr("Next lesson or quiz"))
        self._update_place()
        self._update_controls()
        if self._external:
            self._show_link_text()

    # --- opening lessons ----------------------------------------------------------------------

    def show_lesson(self, pack_id: str, lesson_id: str, find: str = "", anchor: str = "") -> None:
        """Open a lesson (records the visit); ``find`` is scrolled to and selected once shown."""
        self._request += 1
        request = self._request
        self._pending_find, self._pending_anchor = find, anchor
        learner, manager, store = self.ctx.learner_id, self.ctx.manager, self.ctx.store
        room = self.browser.image_room()

        def job(_reporter: object) -> LessonPage:
            page = open_lesson(manager, pack_id, lesson_id, learner, image_room=room)
            if learner is not None:
                record_visit(store, learner, pack_id, lesson_id)
            return page

        # A visit moves "continue where you stopped": views showing progress refresh.
        self.ctx.run(job, on_done=lambda page: self._shown(request, page),
                     on_failed=lambda exc, _tb: self._failed(request, exc),
                     changes=(PROGRESS,) if learner is not None else ())

    def _shown(self, request: int, page: LessonPage) -> None:
        if request != self._request:
            return  # a newer lesson was asked for meanwhile
        same = self.page is not None and (self.page.pack_id, self.page.lesson_id) == (page.pack_id, page.lesson_id)
        scroll = self.browser.verticalScrollBar().value() if same else 0
        self.page = page
        self.link_bar.hide()
        self.notice.hide()
        self._update_place()
        self.browser.show_page(page, current_theme().lesson_css)
        self.browser.verticalScrollBar().setValue(scroll)
        if self._pending_anchor:
            self.browser.scrollToAnchor(self._pending_anchor)
        if self._pending_find:
            self.find_text(self._pending_find)
        self._pending_find = self._pending_anchor = ""
        self._update_controls()
        self.lesson_shown.emit(page.pack_id, page.lesson_id)

    def _failed(self, request: int, exc: BaseException) -> None:
        if request == self._request:
            show_error(self, exc)

    def find_text(self, text: str) -> bool:
        """Select and scroll to the first place ``text`` occurs in the lesson."""
        cursor = self.browser.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.Start)
        self.browser.setTextCursor(cursor)
        found = self.browser.find(text)
        if found:
            self.browser.ensureCursorVisible()
        return found

    def _update_place(self) -> None:
        page = self.page
        if page is None:
            self.title.setText(self.tr("Choose a lesson in the library."))
            self.where.clear()
            return
        self.title.setText(page.title)
        self.where.setText(self.tr("{0} · {1} · item {2} of {3}").format(
            page.pack_title, page.module_title, page.position, page.count))

    def clear(self) -> None:
        self._request += 1
        self.page = None
        self._external = ""
        self._update_place()
        self.browser.set_content("", current_theme().lesson_css)
        self.link_bar.hide()
        self.notice.hide()
        self._update_controls()

    def _changed(self, topics: frozenset[str]) -> None:
        if self.page is None:
            return
        if LEARNERS in topics and self.ctx.learner_id is None:
            self.clear()
        elif PACKS in topics or LEARNERS in topics:
            self.show_lesson(self.page.pack_id, self.page.lesson_id)  # fresh page and done state

    # --- previous, next, complete -------------------------------------------------------------

    def go_previous(self) -> None:
        if self.page is not None and self.page.previous is not None:
            self._go(self.page.previous.kind, self.page.previous.id)

    def go_next(self) -> None:
        if self.page is not None and self.page.next is not None:
            self._go(self.page.next.kind, self.page.next.id)

    def _go(self, kind: str, item_id: str) -> None:
        assert self.page is not None
        if kind == "quiz":
            self._visit(self.page.pack_id, item_id)
            self.open_quiz.emit(self.page.pack_id, item_id)
        else:
            self.show_lesson(self.page.pack_id, item_id)

    def _visit(self, pack_id: str, item_id: str) -> None:
        learner, store = self.ctx.learner_id, self.ctx.store
        if learner is not None:
            self.ctx.run(lambda _r: record_visit(store, learner, pack_id, item_id),
                         on_failed=lambda exc, _tb: show_error(self, exc), changes=(PROGRESS,))

    def mark_complete(self) -> None:
        page, learner, store = self.page, self.ctx.learner_id, self.ctx.store
        if page is None or learner is None or page.done:
            return
        self.complete_button.setEnabled(False)
        self.ctx.run(lambda _r: mark_lesson_complete(store, learner, page.pack_id, page.lesson_id),
                     on_done=lambda new: self._completed(page, new),
                     on_failed=lambda exc, _tb: self._complete_failed(exc),
                     changes=(PROGRESS, CREDENTIALS))

    def _completed(self, page: LessonPage, new: list[EarnedCredential]) -> None:
        if self.page is not None and (self.page.pack_id, self.page.lesson_id) == (page.pack_id, page.lesson_id):
            self.page = replace(self.page, done=True)
        self._update_controls()
        if new:
            titles = ", ".join(c.title for c in new)
            self.notice.setText(self.tr("Credential earned: {0}. It shows in your wallet as awaiting "
                                        "verification.").format(titles))
            self.notice.show()
            self.credentials_earned.emit(new)

    def _complete_failed(self, exc: BaseException) -> None:
        self._update_controls()
        show_error(self, exc)

    def _update_controls(self) -> None:
        page = self.page
        self.previous_button.setEnabled(page is not None and page.previous is not None)
        self.next_button.setEnabled(page is not None and page.next is not None)
        self.previous_button.setToolTip(page.previous.title if page and page.previous else "")
        self.next_button.setToolTip(page.next.title if page and page.next else "")
        done = page is not None and page.done
        self.complete_button.setText(self.tr("Completed ✓") if done else self.tr("Mark complete"))
        self.complete_button.setEnabled(page is not None and not done and self.ctx.learner_id is not None)

    # --- text size ----------------------------------------------------------------------------

    @property
    def text_size(self) -> int:
        return self._text_size

    def set_text_size(self, points: int) -> None:
        points = min(TEXT_SIZES, key=lambda size: abs(size - points))
        if points != self._text_size:
            self._text_size = points
            self._apply_text_size()
            self.text_size_changed.emit(points)

    def text_larger(self) -> None:
        bigger = [s for s in TEXT_SIZES if s > self._text_size]
        if bigger:
            self.set_text_size(bigger[0])

    def text_smaller(self) -> None:
        smaller = [s for s in TEXT_SIZES if s < self._text_size]
        if smaller:
            self.set_text_size(smaller[-1])

    def _apply_text_size(self) -> None:
        font = QFont(self.browser.font())
        font.setPointSize(self._text_size)
        self.browser.setFont(font)
        self.browser.document().setDefaultFont(font)
        self.smaller_button.setEnabled(self._text_size > TEXT_SIZES[0])
        self.larger_button.setEnabled(self._text_size < TEXT_SIZES[-1])

    # --- links --------------------------------------------------------------------------------

    def _link_clicked(self, url: QUrl) -> None:
        scheme = url.scheme().lower()
        if scheme in EXTERNAL_SCHEMES:
            self._external = url.toString()
            self._show_link_text()
            self.link_bar.show()
            return
        if scheme or url.host() or self.page is None:
            return
        path, fragment = url.path(), url.fragment()
        if not path:
            if fragment:
                self.browser.scrollToAnchor(fragment)
            return
        target = self.page.links.get(path)
        if target is None:
            return
        kind, item_id = target
        if kind == "quiz":
            self._visit(self.page.pack_id, item_id)
            self.open_quiz.emit(self.page.pack_id, item_id)
        elif item_id == self.page.lesson_id:
            if fragment:
                self.browser.scrollToAnchor(fragment)
        else:
            self.show_lesson(self.page.pack_id, item_id, anchor=fragment)

    def _show_link_text(self) -> None:
        address = _breakable(self._external)
        self.link_text.setText(self.tr("This link goes to {0}. mcdesk never opens web pages: copy the address "
                                       "to open it later on a device with internet.").format(address))

    def _link_hovered(self, url: QUrl) -> None:
        text = url.toString() if url.scheme().lower() in EXTERNAL_SCHEMES else ""
        self.browser.setToolTip(text)

    def copy_link(self) -> None:
        if self._external:
            QGuiApplication.clipboard().setText(self._external)
            self.link_text.setText(self.tr("Address copied: {0}").format(_breakable(self._external)))

    # --- theme --------------------------------------------------------------------------------

    def _changed_look(self, kind: QEvent.Type) -> None:
        """The language or the palette (a theme) changed: told by a hidden child (see ChangeWatch)."""
        if kind == QEvent.Type.LanguageChange:
            self.retranslate()
        elif self.page:
            scroll = self.browser.verticalScrollBar().value()
            self.browser.show_page(self.page, current_theme().lesson_css)
            self.browser.verticalScrollBar().setValue(scroll)
