"""The library and the lesson reader, driven through the real widgets: progress after "Mark complete",
continue where you stopped, previous/next, text size, safe links and resources, and the themes."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QColor, QGuiApplication, QImage, QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from mcdesk.home import Home
from mcdesk.learning.progress import add_learner, mark_lesson_complete, record_visit
from mcdesk.learning.render import image_size
from mcdesk.packs.build import build_pack
from mcdesk.packs.install import PackManager
from mcdesk.packs.samples import install_samples
from mcdesk.store.db import Store
from mcdesk.ui.context import LEARNERS, PROGRESS, Context
from mcdesk.ui.library_view import LibraryView
from mcdesk.ui.ops import Worker
from mcdesk.ui.reader import DEFAULT_TEXT_SIZE, ReaderView
from mcdesk.ui.theme import THEMES, apply_theme
from tests.conftest import minimal_source

PACK = "org.example.test"
IMAGE = QTextDocument.ResourceType.ImageResource
SIZES = ((1366, 768), (1024, 600))


@pytest.fixture
def ctx(home: Home, store: Store, manager: PackManager) -> Iterator[Context]:
    context = Context(home, store, manager, Worker())
    yield context
    context.worker.wait()


@pytest.fixture
def learner(ctx: Context, store: Store) -> int:
    ctx.learner_id = add_learner(store, "Amina")
    return ctx.learner_id


@pytest.fixture
def light_again(qapp: QApplication) -> Iterator[None]:
    yield
    apply_theme(qapp, "light")


def install_linked_pack(manager: PackManager, tmp_path: Path, trusted_key) -> None:
    """The test pack with links in lesson 1: to lesson 2, to the quiz and to a web page."""
    src = minimal_source(tmp_path / "linked-src", lessons=3)
    (src / "lessons" / "01.md").write_text(
        "# Lesson 1\n\nRead [the second lesson](02.md#top) next, then take [the check](../quizzes/check.json).\n\n"
        "More on [the example site](https://example.org/page).\n\n![a dot](../media/dot.svg)\n", encoding="utf-8")
    manager.install(build_pack(src, trusted_key, tmp_path / "linked.mcpack").path)


def bar_value(view: LibraryView, kind: str, item_id: str) -> int:
    """The percent a node's progress bar shows, as screen readers and the tooltip give it."""
    node = view.find_node(kind, PACK, item_id)
    said = node.data(1, Qt.ItemDataRole.AccessibleTextRole)
    assert node.toolTip(1) == said
    assert said.endswith("%")
    return int(said.rsplit(" ", 1)[1].rstrip("%"))


def click_node(qtbot, view: LibraryView, kind: str, item_id: str) -> None:
    node = view.find_node(kind, PACK, item_id)
    view.tree.scrollToItem(node)
    rect = view.tree.visualItemRect(node)
    qtbot.mouseClick(view.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def click_link(qtbot, reader: ReaderView, text: str) -> None:
    """Click in the middle of the first occurrence of ``text`` in the lesson."""
    found = reader.browser.document().find(text)
    assert not found.isNull(), text
    cursor = QTextCursor(reader.browser.document())
    cursor.setPosition((found.selectionStart() + found.selectionEnd()) // 2)
    reader.browser.ensureCursorVisible()
    rect = reader.browser.cursorRect(cursor)
    qtbot.mouseClick(reader.browser.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def open_in_reader(qtbot, reader: ReaderView, lesson_id: str, **kwargs: str) -> None:
    reader.show_lesson(PACK, lesson_id, **kwargs)
    qtbot.waitUntil(lambda: reader.page is not None and reader.page.lesson_id == lesson_id, timeout=10_000)


# --- library ---------------------------------------------------------------------------------


def test_library_shows_packs_credentials_modules_and_items(qtbot, ctx: Context, manager: PackManager,
                                                           make_pack: Callable[..., Path], learner: int) -> None:
    manager.install(make_pack())
    view = LibraryView(ctx)
    qtbot.addWidget(view)
    view.resize(1024, 600)
    view.show()
    qtbot.waitUntil(lambda: view.find_node("lesson", PACK, "lesson-2") is not None, timeout=10_000)
    top = view.tree.topLevelItem(0)
    assert top.text(0) == "Test pack"
    credential = top.child(0)
    assert credential.text(0) == "Credential: Test credential"
    module = credential.child(0)
    assert module.text(0) == "Main"
    assert [module.child(i).text(0) for i in range(module.childCount())] == ["Lesson 1", "Lesson 2", "Quiz: Check"]
    assert bar_value(view, "module", "main") == 0
    assert module.data(1, Qt.ItemDataRole.AccessibleTextRole) == "Progress in Main — 0%"
    assert credential.data(1, Qt.ItemDataRole.AccessibleTextRole) == "Progress toward Test credential — 0%"
    assert view.tree.itemWidget(module, 1) is None  # drawn by the delegate: no widget per row
    assert view.continue_button.isVisible() and view.continue_button.text() == "Start learning"
    assert view.summary.text() == "1 course(s) installed"


def test_marking_a_lesson_complete_in_the_reader_updates_the_library(qtbot, ctx: Context, manager: PackManager,
                                                                     make_pack: Callable[..., Path],
                                                                     learner: int) -> None:
    manager.install(make_pack())
    library, reader = LibraryView(ctx), ReaderView(ctx)
    qtbot.addWidget(library)
    qtbot.addWidget(reader)
    library.open_lesson.connect(reader.show_lesson)
    library.show()
    reader.show()
    qtbot.waitUntil(lambda: library.find_node("lesson", PACK, "lesson-1") is not None, timeout=10_000)

    click_node(qtbot, library, "lesson", "lesson-1")
    qtbot.waitUntil(lambda: reader.page is not None and reader.page.lesson_id == "lesson-1", timeout=10_000)
    assert reader.complete_button.text() == "Mark complete" and reader.complete_button.isEnabled()
    qtbot.mouseClick(reader.complete_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: library.find_node("lesson", PACK, "lesson-1").text(1) == "✓ Done", timeout=10_000)
    assert bar_value(library, "module", "main") == 33
    assert bar_value(library, "pack", PACK) == 33
    # The bar is drawn: its chunk in the highlight colour fills a third of the cell, the rest does not.
    module = library.find_node("module", PACK, "main")
    cell = library.tree.visualItemRect(module)
    cell.setLeft(library.tree.header().sectionPosition(1))
    cell.setWidth(library.tree.header().sectionSize(1))
    image = library.tree.viewport().grab(cell).toImage()
    highlight = library.palette().color(library.palette().ColorRole.Highlight)
    y = image.height() // 2

    def bluish(x: int) -> bool:
        colour = image.pixelColor(x, y)
        return abs(colour.hue() - highlight.hue()) < 20 and colour.saturation() > 100

    assert bluish(image.width() // 8) and not bluish(image.width() * 7 // 8)
    assert library.find_node("lesson", PACK, "lesson-2").text(1) == ""
    assert reader.complete_button.text() == "Completed ✓" and not reader.complete_button.isEnabled()
    assert library.continue_at is not None and library.continue_at.item_id == "lesson-2"


def test_continue_button_opens_the_item_where_the_learner_stopped(qtbot, ctx: Context, manager: PackManager,
                                                                  make_pack: Callable[..., Path], store: Store,
                                                                  learner: int) -> None:
    manager.install(make_pack(lessons=3))
    record_visit(store, learner, PACK, "lesson-3")
    view = LibraryView(ctx)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.continue_at is not None, timeout=10_000)
    assert view.continue_button.text() == "Continue where you stopped"
    assert "Lesson 3" in view.continue_button.description()
    with qtbot.waitSignal(view.open_lesson, timeout=5_000) as opened:
        qtbot.mouseClick(view.continue_button, Qt.MouseButton.LeftButton)
    assert opened.args == [PACK, "lesson-3"]


def test_choosing_a_quiz_in_the_library_asks_for_the_quiz(qtbot, ctx: Context, manager: PackManager,
                                                          make_pack: Callable[..., Path], store: Store,
                                                          learner: int) -> None:
    manager.install(make_pack())
    view = LibraryView(ctx)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.find_node("quiz", PACK, "check") is not None, timeout=10_000)
    view.tree.setFocus()
    view.tree.setCurrentItem(view.find_node("quiz", PACK, "check"))
    with qtbot.waitSignal(view.open_quiz, timeout=5_000) as opened:
        qtbot.keyClick(view.tree, Qt.Key.Key_Return)
    assert opened.args == [PACK, "check"]
    qtbot.waitUntil(lambda: view.continue_at is not None and view.continue_at.item_id == "check", timeout=10_000)


def test_a_hidden_library_loads_again_only_when_it_is_shown_and_then_shows_the_change(
        qtbot, ctx: Context, manager: PackManager, make_pack: Callable[..., Path], store: Store,
        learner: int) -> None:
    """While a lesson or quiz is open nobody sees the library: a change marks it stale instead of
    rebuilding its tree each time, and showing it again brings it up to date."""
    manager.install(make_pack())
    view = LibraryView(ctx)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.find_node("lesson", PACK, "lesson-1") is not None, timeout=10_000)
    view.hide()
    mark_lesson_complete(store, learner, PACK, "lesson-1")
    ctx.bus.notify(PROGRESS)
    ctx.worker.wait()
    qtbot.wait(50)  # anything the worker finished has been delivered
    assert view.find_node("lesson", PACK, "lesson-1").text(1) == ""  # not rebuilt while hidden
    view.show()
    qtbot.waitUntil(lambda: view.find_node("lesson", PACK, "lesson-1").text(1) == "✓ Done", timeout=10_000)
    assert bar_value(view, "module", "main") == 33


def test_library_without_packs_says_how_to_get_one(qtbot, ctx: Context, learner: int) -> None:
    view = LibraryView(ctx)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: "No course is installed" in view.summary.text(), timeout=10_000)
    assert not view.continue_button.isVisible()


# --- the reader: safe content ------------------------------------------------------------------


def test_reader_removes_scripts_and_never_loads_a_remote_image(qtbot, ctx: Context, manager: PackManager,
                                                               make_pack: Callable[..., Path], learner: int,
                                                               tmp_path: Path, monkeypatch) -> None:
    manager.install(make_pack())
    folder = manager.get(PACK).folder
    # A learner edits the installed lesson on disk: a remote image and a script, beside the pack's own image.
    (folder / "lessons" / "01.md").write_text(
        "# Hostile lesson\n\n<script>document.title = 'pwned'; alert('pwned')</script>\n\n"
        "![tracking pixel](https://example.org/x.png)\n\n<img src=\"https://example.org/x.png\" alt=\"raw\">\n\n"
        "![a dot](../media/dot.svg)\n\nThe end.\n", encoding="utf-8")
    outside = tmp_path / "outside.png"
    QImage(4, 4, QImage.Format.Format_RGB32).save(str(outside))
    connections: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        connections.append(args)
        raise OSError("network access is not allowed in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)

    reader = ReaderView(ctx)
    qtbot.addWidget(reader)
    reader.resize(1024, 600)
    reader.show()
    open_in_reader(qtbot, reader, "lesson-1")

    html = reader.browser.toHtml()
    text = reader.browser.toPlainText()
    assert "pwned" not in html and "<script" not in html.lower() and "pwned" not in text
    assert "example.org" not in html
    assert "tracking pixel" in text  # the alt text shows where the image would have been
    local = reader.browser.document().resource(IMAGE, QUrl("media/dot.svg"))
    assert isinstance(local, QImage) and not local.isNull()  # the pack's own image is shown
    assert len(reader.browser.image_widths()) == 1

    browser = reader.browser
    assert browser.loadResource(IMAGE, QUrl("https://example.org/x.png")) is None
    assert browser.loadResource(IMAGE, QUrl("http://example.org/x.png")) is None
    assert browser.loadResource(IMAGE, QUrl("//example.org/x.png")) is None
    assert browser.loadResource(IMAGE, QUrl.fromLocalFile(str(outside))) is None
    assert browser.loadResource(IMAGE, QUrl("../../../" + outside.name)) is None
    assert browser.loadResource(IMAGE, QUrl("media/missing.svg")) is None
    assert browser.loadResource(QTextDocument.ResourceType.StyleSheetResource, QUrl("media/dot.svg")) is None
    assert isinstance(browser.loadResource(IMAGE, QUrl("media/dot.svg")), QImage)
    assert isinstance(browser.loadResource(IMAGE, QUrl.fromLocalFile(str(folder / "media" / "dot.svg"))), QImage)
    assert connections == []


def test_images_are_scaled_down_to_the_page_width(qtbot, ctx: Context, manager: PackManager, tmp_path: Path,
                                                  trusted_key, learner: int) -> None:
    src = minimal_source(tmp_path / "wide-src")
    QImage(2400, 300, QImage.Format.Format_RGB32).save(str(src / "media" / "wide.png"))
    (src / "lessons" / "01.md").write_text("# Wide\n\n![a wide picture](../media/wide.png)\n", encoding="utf-8")
    manager.install(build_pack(src, trusted_key, tmp_path / "wide.mcpack").path)
    reader = ReaderView(ctx)
    qtbot.addWidget(reader)
    reader.resize(1024, 600)
    reader.show()
    open_in_reader(qtbot, reader, "lesson-1")
    [width] = reader.browser.image_widths()
    assert width <= reader.browser.viewport().width()
    reader.resize(1366, 768)
    qtbot.waitUntil(lambda: reader.browser.image_widths()[0] > width, timeout=5_000)
    assert reader.browser.image_widths()[0] <= reader.browser.viewport().width()


def test_image_sizes_read_from_headers_match_what_qt_opens(qtbot, manager: PackManager, tmp_path: Path) -> None:
    install_samples(manager.home, manager)
    pictures = [p for p in manager.home.root.rglob("*") if p.suffix.lower() in (".png", ".svg", ".jpg", ".gif")]
    gif = tmp_path / "dot.gif"  # Qt reads GIF but cannot write it: the smallest GIF, by hand
    gif.write_bytes(b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
                    b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
    pictures.append(gif)
    for fmt, suffix in (("PNG", ".png"), ("JPEG", ".jpg")):
        image = QImage(123, 45, QImage.Format.Format_RGB32)
        image.fill(QColor("#1565c0"))
        path = tmp_path / f"made{suffix}"
        assert image.save(str(path), fmt)
        pictures.append(path)
    assert any(p.suffix == ".svg" for p in pictures)
    for picture in pictures:
        qt = QImage(str(picture))
        assert image_size(picture.read_bytes()) == (qt.width(), qt.height()), picture.name


def test_a_lesson_is_shown_with_its_images_already_fitted(qtbot, ctx: Context, manager: PackManager,
                                                         tmp_path: Path, trusted_key, learner: int) -> None:
    src = minimal_source(tmp_path / "wide-src")
    QImage(2400, 300, QImage.Format.Format_RGB32).save(str(src / "media" / "wide.png"))
    (src / "lessons" / "01.md").write_text("# Wide\n\n![a wide picture](../media/wide.png)\n\n"
                                           "![a dot](../media/dot.svg)\n", encoding="utf-8")
    manager.install(build_pack(src, trusted_key, tmp_path / "wide.mcpack").path)
    reader = ReaderView(ctx)
    qtbot.addWidget(reader)
    reader.resize(1024, 600)
    reader.show()
    room = reader.browser.image_room()
    formats: list[list[float]] = []
    reader.lesson_shown.connect(lambda *_: formats.append(reader.browser.image_widths()))
    open_in_reader(qtbot, reader, "lesson-1")
    assert reader.page is not None and reader.page.image_room == room
    assert formats == [[room, 10.0]]  # sized by the core before setHtml: nothing left to fit


# --- the reader: navigation, completion, text size, links ----------------------------------


def test_previous_and_next_walk_the_pack_and_hand_quizzes_over(qtbot, ctx: Context, manager: PackManager,
                                                               make_pack: Callable[..., Path], learner: int) -> None:
    manager.install(make_pack())
    reader = ReaderView(ctx)
    qtbot.addWidget(reader)
    reader.show()
    open_in_reader(qtbot, reader, "lesson-1")
    assert not reader.previous_button.isEnabled() and reader.next_button.isEnabled()
    assert reader.next_button.toolTip() == "Lesson 2"
    assert reader.where.text() == "Test pack · Main · item 1 of 3"

    qtbot.mouseClick(reader.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: reader.page.lesson_id == "lesson-2", timeout=10_000)
    assert reader.title.text() == "Lesson 2" and reader.previous_button.isEnabled()

    with qtbot.waitSignal(reader.open_quiz, timeout=5_000) as opened:
        qtbot.mouseClick(reader.next_button, Qt.MouseButton.LeftButton)
    assert opened.args == [PACK, "check"]

    qtbot.mouseClick(reader.previous_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: reader.page.lesson_id == "lesson-1", timeout=10_000)


def test_keyboard_moves_between_lessons_and_changes_the_text_size(qtbot, ctx: Context, manager: PackManager,
                                                                  make_pack: Callable[..., Path],
                                                                  learner: int) -> None:
    manager.install(make_pack())
    reader = ReaderView(ctx)
    qtbot.addWidget(reader)
    reader.show()
    qtbot.waitExposed(reader)
    reader.activateWindow()
    open_in_reader(qtbot, reader, "lesson-1")
    reader.browser.setFocus()
    sizes: list[int] = []
    reader.text_size_changed.connect(sizes.append)

    qtbot.keyClick(reader.browser, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert reader.text_size > DEFAULT_TEXT_SIZE
    assert reader.browser.document().defaultFont().pointSize() == reader.text_size
    qtbot.keyClick(reader.browser, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(reader.browser, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert reader.text_size < DEFAULT_TEXT_SIZE
    assert sizes == [13, 12, 11]

    qtbot.keyClick(reader.browser, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: reader.page.lesson_id == "lesson-2", timeout=10_000)
    qtbot.keyClick(reader.browser, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: reader.page.lesson_id == "lesson-1", timeout=10_000)


def test_text_size_buttons_stop_at_the_smallest_and_largest(qtbot, ctx: Context) -> None:
    reader = ReaderView(ctx)
    qtbot.addWidget(reader)
    for _ in range(20):
        if reader.larger_button.isEnabled():
            qtbot.mouseClick(reader.larger_button, Qt.MouseButton.LeftButton)
    assert reader.text_size == 28 and not reader.larger_button.isEnabled()
    for _ in range(20):
        if reader.smaller_button.isEnabled():
            qtbot.mouseClick(reader.smaller_button, Qt.MouseButton.LeftButton)
    assert reader.text_size == 9 and not reader.smaller_button.isEnabled()
    reader.set_text_size(15)
    assert reader.text_size in (14, 16)


def test_a_link_to_another_lesson_opens_it_and_a_quiz_link_asks_for_the_quiz(qtbot, ctx: Context,
                                                                             manager: PackManager, tmp_path: Path,
                                                                             trusted_key, learner: int) -> None:
    install_linked_pack(manager, tmp_path, trusted_key)
    reader = ReaderView(ctx)
    qtbot.addWidget(reader)
    reader.resize(1024, 600)
    reader.show()
    open_in_reader(qtbot, reader, "lesson-1")
    with qtbot.waitSignal(reader.open_quiz, timeout=5_000) as opened:
        click_link(qtbot, reader, "the check")
    assert opened.args == [PACK, "check"]
    click_link(qtbot, reader, "the second lesson")
    qtbot.waitUntil(lambda: reader.page.lesson_id == "lesson-2", timeout=10_000)


def test_a_web_link_opens_nothing_and_offers_to_copy_the_address(qtbot, ctx: Context, manager: PackManager,
                                                                 tmp_path: Path, trusted_key, learner: int) -> None:
    install_linked_pack(manager, tmp_path, trusted_key)
    reader = ReaderView(ctx)
    qtbot.addWidget(reader)
    reader.resize(1024, 600)
    reader.show()
    open_in_reader(qtbot, reader, "lesson-1")
    click_link(qtbot, reader, "the example site")
    assert reader.link_bar.isVisible()
    assert "https://example.org/page" in reader.link_text.text().replace("\u200b", "")  # wrappable, same address
    assert reader.page.lesson_id == "lesson-1"  # nothing else happened
    qtbot.mouseClick(reader.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "https://example.org/page"
    assert "copied" in reader.link_text.text()


def test_opening_with_a_search_hit_selects_it_in_the_lesson(qtbot, ctx: Context, manager: PackManager,
                                                            make_pack: Callable[..., Path], learner: int) -> None:
    manager.install(make_pack())
    reader = ReaderView(ctx)
    qtbot.addWidget(reader)
    reader.show()
    open_in_reader(qtbot, reader, "lesson-2", find="text")
    assert reader.browser.textCursor().selectedText().lower() == "text"


def test_the_reader_follows_a_learner_switch(qtbot, ctx: Context, manager: PackManager, store: Store,
                                             make_pack: Callable[..., Path], learner: int) -> None:
    manager.install(make_pack())
    mark_lesson_complete(store, learner, PACK, "lesson-1")
    reader = ReaderView(ctx)
    qtbot.addWidget(reader)
    reader.show()
    open_in_reader(qtbot, reader, "lesson-1")
    assert reader.page.done
    ctx.learner_id = add_learner(store, "Kofi")
    ctx.bus.notify(LEARNERS)
    qtbot.waitUntil(lambda: reader.page is not None and not reader.page.done, timeout=10_000)
    assert reader.complete_button.text() == "Mark complete"
    ctx.learner_id = None
    ctx.bus.notify(LEARNERS)
    assert reader.page is None and reader.browser.toPlainText() == ""
    assert not reader.complete_button.isEnabled()


# --- themes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("theme", list(THEMES))
def test_reader_in_each_theme_fits_and_uses_the_theme_colours(qtbot, qapp: QApplication, ctx: Context,
                                                              manager: PackManager, learner: int, tmp_path: Path,
                                                              light_again: None, theme: str) -> None:
    install_samples(manager.home, manager)
    reader = ReaderView(ctx)
    qtbot.addWidget(reader)
    reader.show()
    reader.show_lesson("org.mcdesk.samples.analytical-thinking", "tables-and-charts")  # tables and a chart
    qtbot.waitUntil(lambda: reader.page is not None, timeout=10_000)
    assert reader.browser.image_widths()
    apply_theme(qapp, theme)
    colours = THEMES[theme]
    for width, height in SIZES:
        reader.resize(width, height)
        qtbot.waitUntil(lambda w=width: reader.width() == w, timeout=5_000)
        shot = reader.grab()
        shot.save(str(tmp_path / f"reader-{theme}-{width}x{height}.png"))
        image = shot.toImage()
        corner = reader.browser.mapTo(reader, QPoint(reader.browser.width() - 40, reader.browser.height() - 20))
        assert image.pixelColor(corner) == QColor(colours.lesson.background)
        for button in reader.findChildren(QPushButton):
            if button.isVisible():
                assert button.width() >= button.sizeHint().width(), button.text()
        for label in (reader.title, reader.where):
            assert label.height() >= label.heightForWidth(label.width())
    assert colours.lesson.text in reader.browser.document().defaultStyleSheet()
    assert colours.lesson.border in reader.browser.document().defaultStyleSheet()
    assert reader.title.palette().color(reader.title.foregroundRole()) == QColor(colours.window_text)
    assert isinstance(reader.title, QLabel)
