"""The search view: debounced search on the worker, snippets, no hits, hostile input, open at the hit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from mcdesk.home import Home
from mcdesk.learning.progress import add_learner
from mcdesk.packs.install import PackManager
from mcdesk.packs.samples import install_samples
from mcdesk.store.db import Store
from mcdesk.ui.context import PACKS, Context
from mcdesk.ui.ops import Worker
from mcdesk.ui.reader import ReaderView
from mcdesk.ui.search_view import HIT, HTML, SearchView

DL = "org.mcdesk.samples.digital-literacy"


@pytest.fixture
def ctx(home: Home, store: Store, manager: PackManager) -> Iterator[Context]:
    install_samples(home, manager)
    context = Context(home, store, manager, Worker())
    context.learner_id = add_learner(store, "Amina")
    yield context
    context.worker.wait()


@pytest.fixture
def view(qtbot, ctx: Context) -> SearchView:
    widget = SearchView(ctx)
    qtbot.addWidget(widget)
    widget.resize(600, 500)
    widget.show()
    return widget


def test_typing_searches_once_typing_pauses_and_shows_snippets(qtbot, view: SearchView) -> None:
    qtbot.keyClicks(view.box, "passw")
    assert view.timer.isActive() and view._request == 0  # five keys, no search yet
    qtbot.waitUntil(lambda: view.results.count() > 0, timeout=10_000)
    assert view._request == 1
    first = view.results.item(0)
    hit = first.data(HIT)
    assert (hit.pack_id, hit.lesson_id) == (DL, "passwords-and-accounts")
    assert "<b>" in first.data(HTML) and "Passwords and accounts" in first.data(HTML)
    assert first.text().startswith("Passwords and accounts (Digital Literacy Essentials): ")
    assert "<b>" not in first.text()  # what a screen reader reads is plain text
    assert view.status.text() == f"{view.results.count()} lesson(s) found"


def test_no_hits_says_so(qtbot, view: SearchView) -> None:
    qtbot.keyClicks(view.box, "xylophonezzz")
    qtbot.keyClick(view.box, Qt.Key.Key_Return)  # Enter searches at once
    qtbot.waitUntil(lambda: "No lesson contains" in view.status.text(), timeout=10_000)
    assert view.results.count() == 0 and "xylophonezzz" in view.status.text()


@pytest.mark.parametrize("text", ['"NEAR((*', "password AND (", "^*:", "a\x00b\""])
def test_hostile_search_text_is_just_words(qtbot, view: SearchView, text: str) -> None:
    view.box.setText(text)
    view.search_now()
    qtbot.waitUntil(lambda: view.status.text() != "", timeout=10_000)
    assert "found" in view.status.text() or "No lesson contains" in view.status.text()


def test_clearing_the_box_clears_the_results(qtbot, view: SearchView) -> None:
    view.box.setText("password")
    view.search_now()
    qtbot.waitUntil(lambda: view.results.count() > 0, timeout=10_000)
    view.box.clear()
    view.search_now()
    assert view.results.count() == 0 and view.status.text() == ""


def test_a_stale_result_does_not_replace_a_newer_one(qtbot, view: SearchView) -> None:
    view.box.setText("password")
    view.search_now()
    view.box.setText("xylophonezzz")
    view.search_now()
    qtbot.waitUntil(lambda: view.status.text() != "", timeout=10_000)
    view.ctx.worker.wait()
    qtbot.wait(0)
    assert view.results.count() == 0 and "xylophonezzz" in view.status.text()


def test_down_arrow_then_enter_opens_the_lesson_at_the_hit(qtbot, ctx: Context, view: SearchView) -> None:
    reader = ReaderView(ctx)
    qtbot.addWidget(reader)
    reader.show()
    view.open_lesson.connect(lambda pack, lesson, find: reader.show_lesson(pack, lesson, find=find))
    view.box.setText("strong passwords")
    view.search_now()
    qtbot.waitUntil(lambda: view.results.count() == 1, timeout=10_000)
    view.box.setFocus()
    qtbot.keyClick(view.box, Qt.Key.Key_Down)
    assert view.focusWidget() is view.results and view.results.currentRow() == 0
    with qtbot.waitSignal(view.open_lesson, timeout=5_000) as opened:
        qtbot.keyClick(view.results, Qt.Key.Key_Return)
    assert opened.args[:2] == [DL, "passwords-and-accounts"]
    assert opened.args[2].lower() == "strong"
    qtbot.waitUntil(lambda: reader.page is not None, timeout=10_000)
    assert reader.browser.textCursor().selectedText().lower() == "strong"


def test_removing_a_pack_refreshes_the_results(qtbot, ctx: Context, view: SearchView, manager: PackManager) -> None:
    view.box.setText("password")
    view.search_now()
    qtbot.waitUntil(lambda: view.results.count() > 0, timeout=10_000)
    ctx.run(lambda _r: manager.remove(DL), changes=(PACKS,))
    qtbot.waitUntil(lambda: all(view.results.item(i).data(HIT).pack_id != DL
                                for i in range(view.results.count())), timeout=10_000)


def test_search_results_wrap_and_are_never_cut_off(qtbot, view: SearchView, tmp_path: Path) -> None:
    view.box.setText("password")
    view.search_now()
    qtbot.waitUntil(lambda: view.results.count() > 0, timeout=10_000)
    for width, height in ((1366, 768), (400, 600)):
        view.resize(width, height)
        qtbot.waitUntil(lambda w=width: view.width() == w, timeout=5_000)
        view.grab().save(str(tmp_path / f"search-{width}x{height}.png"))
        for row in range(view.results.count()):
            item = view.results.item(row)
            rect = view.results.visualItemRect(item)
            doc = QTextDocument()
            doc.setDefaultFont(view.results.font())
            doc.setDocumentMargin(6)
            doc.setHtml(item.data(HTML))
            doc.setTextWidth(rect.width())
            assert doc.size().height() <= rect.height() + 2, (width, row)
