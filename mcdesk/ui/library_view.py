"""The library: installed packs → credentials → modules → lessons and quizzes, with the signed-in
learner's progress and a "continue where you stopped" button."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Signal
from PySide6.QtGui import QPainter, QRegion, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QHeaderView,
    QLabel,
    QProgressBar,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mcdesk.learning.library import LibraryPack, load_library
from mcdesk.learning.progress import ContinuePoint, ModuleProgress, continue_point, percent, record_visit
from mcdesk.ui.context import CREDENTIALS, LEARNERS, PACKS, PROGRESS, Context
from mcdesk.ui.errors import show_error
from mcdesk.ui.qt_enums import ChangeWatch, set_enum_property, viewport_of

# Item data roles and text flags by value: the library never looks up PySide6's ``Qt`` namespace, whose
# hundred enums cost the whole run most of a megabyte (see mcdesk.ui.qt_enums).
USER_ROLE = 0x0100  # Qt.ItemDataRole.UserRole
ACCESSIBLE_TEXT_ROLE = 11  # Qt.ItemDataRole.AccessibleTextRole
TEXT_WORD_WRAP = 0x1000  # Qt.TextFlag.TextWordWrap
KEY = USER_ROLE  # ("pack" | "credential" | "module" | "lesson" | "quiz", pack id, id)
BAR = USER_ROLE + 1  # on the progress column: (percent, its text), drawn as a progress bar
PROGRESS_COLUMN_WIDTH = (96, 170)  # narrowest and widest; a third of the tree in between
TEXT_MARGIN = 14


class _BarPainter(QProgressBar):
    """Never shown: the progress bars of the tree are drawn with it, so they look like QProgressBars in
    every theme (style sheets included) without a widget per row. A child of the tree's viewport (where the
    bars were once widgets), it has their font, palette and style."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.hide()
        self.setRange(0, 100)

    def height_for_row(self) -> int:
        """The height of a bar in a row (as a bar capped at the text height + 8 pixels)."""
        return min(self.sizeHint().height(), self.fontMetrics().height() + 8)

    def paint_bar(self, painter: QPainter, rect: QRect, value: int, text: str) -> None:
        self.setValue(value)
        self.setFormat(text)
        option = QStyleOptionProgressBar()
        self.initStyleOption(option)
        option.rect = rect
        painter.save()
        # Clipped to the bar (within any clip already set), as a widget of that size: the style draws a
        # shadow line above the groove, which a widget never shows. (Intersected by hand: the overload
        # that takes a clip operation would make the Qt namespace.)
        if painter.hasClipping():
            painter.setClipRegion(painter.clipRegion() & QRegion(rect))
        else:
            painter.setClipRect(rect)
        self.style().drawControl(QStyle.ControlElement.CE_ProgressBar, option, painter, self)
        painter.restore()


class _WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their title wrapped to the width of the title column, so nothing is cut off; in
    the progress column, a progress bar where a node has one."""

    BAR_MARGINS = (0, 1, 2, 1)  # left, top, right, bottom: room around a bar in its cell

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self.tree = tree
        self.bar = _BarPainter(viewport_of(tree))

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        size = super().sizeHint(option, index)
        if index.column() != 0:
            if index.data(BAR):
                _left, top, _right, bottom = self.BAR_MARGINS
                return QSize(size.width(), max(size.height(), self.bar.height_for_row() + top + bottom))
            return size
        depth, parent = 1, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        # The cell starts after one indentation per level; the style keeps a few pixels either side.
        width = max(60, self.tree.columnWidth(0) - self.tree.indentation() * depth - TEXT_MARGIN)
        text = str(index.data() or "")
        rect = option.fontMetrics.boundingRect(QRect(0, 0, width, 100_000), TEXT_WORD_WRAP, text)
        return QSize(size.width(), max(size.height(), rect.height() + 6))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        super().paint(painter, option, index)
        bar = index.data(BAR) if index.column() == 1 else None
        if not bar:
            return
        value, text = bar
        # Where the text of the cell would go, less the margins: as a widget in the cell would sit.
        cell = QStyleOptionViewItem(option)
        self.initStyleOption(cell, index)
        area = self.tree.style().subElementRect(QStyle.SubElement.SE_ItemViewItemText, cell, self.tree)
        left, top, right, bottom = self.BAR_MARGINS
        area = area.adjusted(left, top, -right, -bottom)
        height = min(area.height(), self.bar.height_for_row())
        rect = QRect(area.x(), area.y() + (area.height() - height) // 2, area.width(), height)
        self.bar.paint_bar(painter, rect, value, text)


class LibraryView(QWidget):
    open_lesson = Signal(str, str)  # pack id, lesson id
    open_quiz = Signal(str, str)  # pack id, quiz id

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.packs: list[LibraryPack] = []
        self.continue_at: ContinuePoint | None = None
        self._collapsed: set[tuple[str, str, str]] = set()
        self._loaded = False  # loaded for the data as it is now (else loaded when next shown)
        self._queued: tuple[int | None] | None = None  # (learner,) of a load queued and not yet started
        self._shown = False  # a library has been shown (and can be shown again in another language)

        self.continue_button = QCommandLinkButton()
        font = self.continue_button.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.continue_button.setFont(font)
        self.continue_button.clicked.connect(self.continue_learning)
        self.continue_button.hide()

        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        set_enum_property(self.tree, "textElideMode", "ElideNone")
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, PROGRESS_COLUMN_WIDTH[1])
        header.sectionResized.connect(lambda *_args: self.tree.doItemsLayout())
        self.tree.setItemDelegate(_WrappingDelegate(self.tree))
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._activated)
        self.tree.itemCollapsed.connect(lambda node: self._collapsed.add(_key(node)))
        self.tree.itemExpanded.connect(lambda node: self._collapsed.discard(_key(node)))

        self.summary = QLabel()
        self.summary.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.continue_button)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.summary)
        self._language_watch = ChangeWatch(self, lambda _kind: self.retranslate())
        self.retranslate()
        ctx.bus.changed.connect(self._changed)

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([self.tr("Course"), self.tr("Progress")])
        self.tree.setAccessibleName(self.tr("Library of installed courses"))
        self._show_continue()
        if self._shown:
            self._show((self.packs, self.continue_at))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._loaded:
            self.refresh()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        low, high = PROGRESS_COLUMN_WIDTH
        self.tree.header().resizeSection(1, max(low, min(high, self.width() // 3)))

    # --- loading ------------------------------------------------------------------------------

    def _changed(self, topics: frozenset[str]) -> None:
        if topics & {PACKS, PROGRESS, CREDENTIALS, LEARNERS}:
            if self.isVisible():
                self.refresh()
            else:  # nobody sees it now (a lesson is open, say): loaded again when it is next shown
                self._loaded = False

    def refresh(self) -> None:
        """Load the library again on the worker. A load already queued and not yet started answers this
        request too (it reads the database after whatever was queued before it), so a burst of changes
        costs one load, not one each."""
        self._loaded = True
        learner, manager, store = self.ctx.learner_id, self.ctx.manager, self.ctx.store
        if self._queued == (learner,):
            return
        self._queued = (learner,)

        def job(_reporter: object) -> tuple[list[LibraryPack], ContinuePoint | None]:
            self._queued = None  # a change from now on needs a load of its own
            packs = load_library(manager, learner)
            return packs, (continue_point(store, learner) if learner is not None else None)

        self.ctx.run(job, on_done=self._show, on_failed=lambda exc, _tb: show_error(self, exc))

    def _show(self, result: tuple[list[LibraryPack], ContinuePoint | None]) -> None:
        self.packs, self.continue_at = result
        self._shown = True
        self._show_continue()
        selected = _key(self.tree.currentItem()) if self.tree.currentItem() else None
        scroll = self.tree.verticalScrollBar().value()
        self.tree.clear()
        current = None
        for pack in self.packs:
            top = self._node(None, ("pack", pack.id, pack.id), pack.title,
                             self.tr("Version {0}").format(pack.display_version))
            if pack.progress is not None:
                self._bar(top, pack.progress.fraction, self.tr("Progress in {0}").format(pack.title))
            for group in pack.groups:
                parent = top
                if group.credential is not None:
                    cred = group.credential
                    label = self.tr("Credential: {0}").format(cred.title)
                    if cred.earned:
                        label = self.tr("Credential: {0} — earned").format(cred.title)
                    parent = self._node(top, ("credential", pack.id, cred.ref), label, cred.description)
                    self._bar(parent, cred.fraction, self.tr("Progress toward {0}").format(cred.title))
                    for part in cred.parts:
                        title = part.title or part.ref
                        text = self.tr("Needs: {0}").format(title)
                        node = self._node(parent, ("part", pack.id, part.ref), text, part.ref)
                        self._bar(node, part.fraction, self.tr("Progress toward {0}").format(title))
                for module in group.modules:
                    node = self._module(parent, pack.id, module)
                    for item in module.items:
                        key = (item.kind, pack.id, item.item_id)
                        title = item.title if item.kind == "lesson" else self.tr("Quiz: {0}").format(item.title)
                        leaf = self._node(node, key, title, title)
                        leaf.setText(1, self._item_state(item.kind, item.done, item.best_score))
                        if key == selected:
                            current = leaf
            self.tree.addTopLevelItem(top)
        self._expand(self.tree.invisibleRootItem())
        if current is not None:
            self.tree.setCurrentItem(current)
        self.tree.verticalScrollBar().setValue(scroll)
        self.summary.setText(self.tr("%n course(s) installed", "", len(self.packs)) if self.packs else
                             self.tr("No course is installed yet. Ask the technician to install a course pack."))

    def _node(self, parent: QTreeWidgetItem | None, key: tuple[str, str, str], text: str,
              tip: str) -> QTreeWidgetItem:
        node = QTreeWidgetItem([text, ""])
        node.setData(0, KEY, key)
        node.setToolTip(0, tip)
        if parent is not None:
            parent.addChild(node)
        return node

    def _module(self, parent: QTreeWidgetItem, pack_id: str, module: ModuleProgress) -> QTreeWidgetItem:
        node = self._node(parent, ("module", pack_id, module.module_id), module.title, module.title)
        self._bar(node, module.fraction, self.tr("Progress in {0}").format(module.title))
        return node

    def _bar(self, node: QTreeWidgetItem, fraction: float, name: str) -> None:
        """A progress bar in the node's progress column, drawn by the delegate. Screen readers and the
        tooltip get what it shows: "Progress in Module 1 — 40%"."""
        value = percent(fraction)
        text = self.tr("{0}%").format(value)
        node.setData(1, BAR, (value, text))
        said = self.tr("{0} — {1}").format(name, text)
        node.setData(1, ACCESSIBLE_TEXT_ROLE, said)
        node.setToolTip(1, said)

    def _item_state(self, kind: str, done: bool, best: float | None) -> str:
        if kind == "lesson":
            return self.tr("✓ Done") if done else ""
        if done:
            return self.tr("✓ Passed ({0}%)").format(percent(best or 0.0))
        if best is not None:
            return self.tr("Best so far: {0}%").format(percent(best))
        return ""

    def _expand(self, parent: QTreeWidgetItem) -> None:
        for index in range(parent.childCount()):
            node = parent.child(index)
            if node.childCount():
                node.setExpanded(_key(node) not in self._collapsed)
                self._expand(node)

    def _show_continue(self) -> None:
        point = self.continue_at
        if point is not None and point.reason == "start":
            self.continue_button.setText(self.tr("Start learning"))
        else:
            self.continue_button.setText(self.tr("Continue where you stopped"))
        self.continue_button.setAccessibleName(self.continue_button.text())
        if point is None:
            self.continue_button.hide()
            return
        what = point.title if point.kind == "lesson" else self.tr("Quiz: {0}").format(point.title)
        self.continue_button.setDescription(self.tr("{0} — {1}").format(what, point.pack_title))
        self.continue_button.setAccessibleDescription(self.continue_button.description())
        self.continue_button.show()

    # --- opening ------------------------------------------------------------------------------

    def continue_learning(self) -> None:
        point = self.continue_at
        if point is not None:
            self._open(point.kind, point.pack_id, point.item_id)

    def _activated(self, node: QTreeWidgetItem, _column: int = 0) -> None:
        key = _key(node)
        if key and key[0] in ("lesson", "quiz"):
            self._open(*key)

    def _open(self, kind: str, pack_id: str, item_id: str) -> None:
        if kind == "lesson":
            self.open_lesson.emit(pack_id, item_id)
            return
        learner, store = self.ctx.learner_id, self.ctx.store
        if learner is not None:  # the reader records lesson visits; quizzes are recorded here
            self.ctx.run(lambda _r: record_visit(store, learner, pack_id, item_id),
                         on_failed=lambda exc, _tb: show_error(self, exc), changes=(PROGRESS,))
        self.open_quiz.emit(pack_id, item_id)

    def find_node(self, kind: str, pack_id: str, item_id: str) -> QTreeWidgetItem | None:
        """The tree node of one pack, credential, module, lesson or quiz (None if not shown)."""
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            node = stack.pop()
            if _key(node) == (kind, pack_id, item_id):
                return node
            stack.extend(node.child(i) for i in range(node.childCount()))
        return None


def _key(node: QTreeWidgetItem) -> tuple[str, str, str] | None:
    data = node.data(0, KEY)
    return tuple(data) if data else None  # type: ignore[return-value]
