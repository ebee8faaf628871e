"""The wallet and the dashboard: the local credential earned through the reader shows as "earned —
awaiting verification" with date and score; progress and the stacked pathway on the dashboard."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QApplication, QLabel, QProgressBar, QWidget

from mcdesk.home import Home
from mcdesk.learning.progress import add_learner, mark_lesson_complete
from mcdesk.packs.install import PackManager
from mcdesk.packs.samples import install_samples
from mcdesk.store.db import Store
from mcdesk.ui.context import LEARNERS, Context
from mcdesk.ui.dashboard import DashboardView
from mcdesk.ui.ops import Worker
from mcdesk.ui.reader import ReaderView
from mcdesk.ui.theme import THEMES, apply_theme
from mcdesk.ui.wallet import WalletView
from tests.learning.test_credentials import DL, DL_CRED, complete_pack, insert_attempt

PACK = "org.example.test"


@pytest.fixture
def ctx(home: Home, store: Store, manager: PackManager) -> Iterator[Context]:
    context = Context(home, store, manager, Worker())
    context.learner_id = add_learner(store, "Amina")
    yield context
    context.worker.wait()


def texts(view: QWidget) -> list[str]:
    content = view.scroll.widget()
    return [label.text() for label in content.findChildren(QLabel)]


def shown(view: QWidget, text: str) -> bool:
    return any(text in t for t in texts(view))


def test_an_empty_wallet_explains_how_to_earn_a_credential(qtbot, ctx: Context) -> None:
    view = WalletView(ctx)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: shown(view, "No credentials yet"), timeout=10_000)
    assert shown(view, "Complete every lesson of the course and pass its quizzes")
    assert shown(view, "awaiting verification")


def test_the_credential_earned_with_mark_complete_appears_in_the_wallet(qtbot, ctx: Context, manager: PackManager,
                                                                       store: Store,
                                                                       make_pack: Callable[..., Path]) -> None:
    manager.install(make_pack())
    learner = ctx.learner_id
    mark_lesson_complete(store, learner, PACK, "lesson-1")
    insert_attempt(store, learner, PACK, "check", 3, 4, passed=True)
    wallet, reader, board = WalletView(ctx), ReaderView(ctx), DashboardView(ctx)
    for widget in (wallet, reader, board):
        qtbot.addWidget(widget)
        widget.show()
    qtbot.waitUntil(lambda: shown(wallet, "No credentials yet"), timeout=10_000)
    qtbot.waitUntil(lambda: shown(board, "Lessons done: 1 of 2 · Quizzes passed: 1 of 1"), timeout=10_000)
    assert shown(board, "66% done") and shown(board, "About 0.3 hours left")

    reader.show_lesson(PACK, "lesson-2")
    qtbot.waitUntil(lambda: reader.page is not None, timeout=10_000)
    earned: list[object] = []
    reader.credentials_earned.connect(earned.append)
    qtbot.mouseClick(reader.complete_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: shown(wallet, "Test credential"), timeout=10_000)
    assert shown(wallet, "Earned — awaiting verification")
    assert shown(wallet, "· Score 75%")
    assert shown(wallet, "Skills: Testing") and shown(wallet, "Passed the test pack.")
    assert [c.title for c in earned[0]] == ["Test credential"]
    assert reader.notice.isVisible() and "Test credential" in reader.notice.text()
    qtbot.waitUntil(lambda: shown(board, "Earned — awaiting verification"), timeout=10_000)
    assert board.scroll.widget().findChild(QProgressBar).value() == 100


def test_another_learner_does_not_see_the_wallet(qtbot, ctx: Context, manager: PackManager, store: Store,
                                                  make_pack: Callable[..., Path]) -> None:
    manager.install(make_pack())
    for lesson in ("lesson-1", "lesson-2"):
        mark_lesson_complete(store, ctx.learner_id, PACK, lesson)
    insert_attempt(store, ctx.learner_id, PACK, "check", 2, 2, passed=True)
    mark_lesson_complete(store, ctx.learner_id, PACK, "lesson-1")  # evaluates: the credential is earned
    view = WalletView(ctx)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: shown(view, "Test credential"), timeout=10_000)
    ctx.learner_id = add_learner(store, "Kofi")
    ctx.bus.notify(LEARNERS)
    qtbot.waitUntil(lambda: shown(view, "No credentials yet"), timeout=10_000)
    ctx.learner_id = None
    ctx.bus.notify(LEARNERS)
    assert shown(view, "Choose your profile")


def test_dashboard_shows_the_stacked_pathway_and_its_parts(qtbot, ctx: Context, manager: PackManager,
                                                           store: Store, tmp_path: Path) -> None:
    install_samples(manager.home, manager)
    complete_pack(store, manager, ctx.learner_id, DL, scaled=(8, 10))
    board, wallet = DashboardView(ctx), WalletView(ctx)
    for widget in (board, wallet):
        qtbot.addWidget(widget)
        widget.show()
    qtbot.waitUntil(lambda: shown(board, "Pathways (stacked credentials)"), timeout=10_000)
    assert shown(board, "✓ Digital Literacy Essentials — earned, awaiting verification")
    assert shown(board, "Analytical Thinking Foundations — 0% done, about 7.0 hours left")
    assert shown(board, "About 7.0 hours left")  # the pathway: 14 hours, half done
    assert shown(board, "Counts toward: Future-Ready Foundations")
    qtbot.waitUntil(lambda: shown(wallet, "Digital Literacy Essentials"), timeout=10_000)
    assert shown(wallet, "Score 80%")
    assert shown(wallet, "Counts toward Future-Ready Foundations: 1 of 2 credentials held.")
    assert [e.ref for e in wallet.entries] == [DL_CRED]


def test_a_language_change_redraws_the_views_from_what_they_hold(qtbot, ctx: Context, manager: PackManager,
                                                                  store: Store) -> None:
    install_samples(manager.home, manager)
    complete_pack(store, manager, ctx.learner_id, DL)
    board, wallet = DashboardView(ctx), WalletView(ctx)
    for widget in (board, wallet):
        qtbot.addWidget(widget)
        widget.show()
    qtbot.waitUntil(lambda: shown(wallet, "Score 90%") and shown(board, "Pathways"), timeout=10_000)
    for widget in (board, wallet):
        QCoreApplication.sendEvent(widget, QEvent(QEvent.Type.LanguageChange))
    assert shown(wallet, "Score 90%") and shown(board, "✓ Digital Literacy Essentials — earned, awaiting verification")
    assert board.heading.text() == "Your progress" and wallet.heading.text() == "Your wallet"


def test_dashboard_without_a_learner_asks_to_choose_a_profile(qtbot, ctx: Context) -> None:
    ctx.learner_id = None
    view = DashboardView(ctx)
    qtbot.addWidget(view)
    view.show()
    assert shown(view, "Choose your profile")


@pytest.mark.parametrize("theme", list(THEMES))
def test_wallet_and_dashboard_fit_in_every_theme(qtbot, qapp: QApplication, ctx: Context, manager: PackManager,
                                                 store: Store, tmp_path: Path, theme: str) -> None:
    install_samples(manager.home, manager)
    complete_pack(store, manager, ctx.learner_id, DL)
    apply_theme(qapp, theme)
    try:
        for view in (WalletView(ctx), DashboardView(ctx)):
            qtbot.addWidget(view)
            view.show()
            qtbot.waitUntil(lambda v=view: shown(v, "Digital Literacy Essentials"), timeout=10_000)
            for width, height in ((1366, 768), (1024, 600), (420, 600)):
                view.resize(width, height)
                qtbot.waitUntil(lambda v=view, w=width: v.width() == w, timeout=5_000)
                view.grab().save(str(tmp_path / f"{type(view).__name__}-{theme}-{width}x{height}.png"))
                for label in view.scroll.widget().findChildren(QLabel):
                    assert label.wordWrap() and label.height() >= label.heightForWidth(label.width()), label.text()
                    assert label.width() <= view.scroll.viewport().width(), label.text()
    finally:
        apply_theme(qapp, "light")


def test_cards_on_screen_take_the_look_of_a_theme_applied_later(qtbot, qapp: QApplication, ctx: Context,
                                                                 manager: PackManager) -> None:
    """Cards carry their theme's card style sheet themselves (the light theme has no application-wide one):
    switching themes restyles the cards already shown."""
    from PySide6.QtWidgets import QFrame

    from mcdesk.ui.cards import CARD

    install_samples(manager.home, manager)
    board = DashboardView(ctx)
    qtbot.addWidget(board)
    board.show()
    qtbot.waitUntil(lambda: bool(board.findChildren(QFrame, CARD)), timeout=10_000)
    try:
        for name in ("dark", "high-contrast", "light"):
            apply_theme(qapp, name)
            frames = board.findChildren(QFrame, CARD)
            assert frames and {frame.styleSheet() for frame in frames} == {THEMES[name].card_stylesheet}
    finally:
        apply_theme(qapp, "light")
