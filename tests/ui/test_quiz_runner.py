"""The quiz runner driven through its real widgets: every question type by keyboard and mouse, feedback
after each answer or at the end, refusals, the countdown, the blocked start page, and screenshots."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QTextBrowser,
    QWidget,
)

from mcdesk.home import Home
from mcdesk.learning.attempts import QuizEngine
from mcdesk.packs.install import PackManager
from mcdesk.packs.quiz import DrawnQuestion
from mcdesk.store.db import Store
from mcdesk.ui.context import CREDENTIALS, PROGRESS, Context
from mcdesk.ui.i18n import install_translator
from mcdesk.ui.ops import Worker
from mcdesk.ui.quiz_runner import (
    PAGE_QUESTION,
    PAGE_RESULTS,
    PAGE_START,
    ChoiceAnswer,
    MatchingAnswer,
    OrderingAnswer,
    QuizRunner,
    TextAnswer,
)
from tests.learning.test_attempts import ALL_TYPES, PACK, add_learner, install_quizzes, quiz_json, right_answer

LETTER_KEYS = [getattr(Qt.Key, f"Key_{c}") for c in "ABCDEFGHIJ"]
DIGIT_KEYS = [getattr(Qt.Key, f"Key_{n}") for n in range(1, 10)]

LONG_MATCHING = {
    "id": "long-match", "type": "matching",
    "prompt": "Match each **file extension** to the kind of file it usually marks. Some of these look alike, "
              "so read every description to the end before you choose.",
    "pairs": [{"id": f"p{n}", "left": left, "right": right} for n, (left, right) in enumerate([
        (".docx — a document written in a word processor such as Microsoft Word or LibreOffice Writer",
         "A text document with formatting, pictures and tables, made for editing"),
        (".pdf", "A fixed-layout document that looks the same on every device and printer, for reading and "
                 "printing rather than editing"),
        (".xlsx", "A spreadsheet with rows, columns and formulas"),
        (".jpg", "A photograph, compressed so that it takes less space"),
        (".mp3", "A sound recording or a song"),
        (".zip", "Several files packed together and compressed into one"),
        (".exe", "A program that runs on Windows — never open one from an e-mail you did not expect"),
        (".csv", "A table as plain text, one row per line, values separated by commas"),
        (".png", "A picture with sharp edges, such as a screenshot or a diagram"),
        (".txt", "Plain text with no formatting at all"),
    ])],
}
LONG_ORDERING = {
    "id": "backup-steps", "type": "ordering",
    "prompt": "Put the steps of backing up your work to a flash drive in order.",
    "items": [{"id": f"s{n}", "text": text} for n, text in enumerate([
        "Plug the flash drive into a USB port and wait until the computer shows it",
        "Open the folder that holds your work — on a shared laptop that is usually the folder with your own "
        "name inside Documents, not the Desktop of whoever used it before you",
        "Copy the folder onto the flash drive (drag it, or Copy then Paste)",
        "Wait until the copy has finished completely — large folders can take several minutes",
        "Eject the drive safely before you pull it out",
    ])],
}


@pytest.fixture
def learner(store: Store) -> int:
    return add_learner(store)


@pytest.fixture
def ctx(home: Home, store: Store, manager: PackManager, learner: int) -> Iterator[Context]:
    context = Context(home, store, manager, Worker(), learner_id=learner)
    yield context
    context.worker.wait()


@pytest.fixture
def install(manager: PackManager, trusted_key: Ed25519PrivateKey, tmp_path: Path):
    counter = iter(range(100))

    def go(*quizzes: dict[str, Any], **kwargs: Any) -> None:
        install_quizzes(manager, trusted_key, tmp_path / f"build-{next(counter)}", list(quizzes), **kwargs)

    return go


@pytest.fixture
def runner(qtbot, ctx: Context) -> QuizRunner:
    widget = QuizRunner(ctx)
    qtbot.addWidget(widget)
    widget.resize(1024, 600)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    return widget


def press(qtbot, runner: QuizRunner, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
          ) -> None:
    """A key press where the keyboard focus is (the runner itself when the focus is elsewhere)."""
    target = QApplication.focusWidget()
    if target is None or not runner.isAncestorOf(target):
        target = runner
    qtbot.keyClick(target, key, modifier)


def open_quiz(qtbot, runner: QuizRunner, quiz_id: str, page: int = PAGE_START) -> None:
    runner.open_quiz(PACK, quiz_id)
    qtbot.waitUntil(lambda: runner.pages.currentIndex() == page, timeout=10_000)


def shown(runner: QuizRunner) -> DrawnQuestion:
    assert runner.attempt is not None
    return runner.attempt.questions[runner.current_index]


def answers_in_db(store: Store, runner: QuizRunner) -> int:
    return store.one("SELECT COUNT(*) AS n FROM quiz_answers WHERE attempt_id = ?", (runner.attempt.id,))["n"]


def controls_without_names(widget: QWidget) -> list[str]:
    """Visible interactive controls that have no accessible name."""
    missing = []
    for kind in (QAbstractButton, QLineEdit, QComboBox, QListWidget, QTextBrowser):
        for control in widget.findChildren(kind):
            if control.isVisibleTo(widget) and not control.accessibleName():
                missing.append(f"{type(control).__name__} {getattr(control, 'text', lambda: '')()!r}")
    return missing


def clipped_labels(widget: QWidget) -> list[str]:
    """Visible word-wrapped labels shorter than the height their text needs at their width."""
    return [label.text()[:40] for label in widget.findChildren(QLabel)
            if label.isVisibleTo(widget) and label.wordWrap() and label.text()
            and label.height() < label.heightForWidth(label.width())]


def laid_out(runner: QuizRunner) -> bool:
    """The current question's widget is shown, placed under the prompt, with no label cut short."""
    widget = runner._answer
    return (widget is not None and widget.isVisible() and widget.y() > runner.prompt.geometry().bottom()
            and not clipped_labels(runner))


def give_right_answer(qtbot, runner: QuizRunner, *, mouse: bool = False) -> None:
    """Answer the current question correctly through its widgets, by keyboard (or mouse where it fits)."""
    current = shown(runner)
    question, widget = current.question, runner._answer
    expected = right_answer(current)
    if question.type in ("single", "true_false"):
        assert isinstance(widget, ChoiceAnswer)
        index = widget.keys.index(expected)
        if mouse:
            qtbot.mouseClick(widget.labels[index], Qt.MouseButton.LeftButton)  # the option's text
        else:
            press(qtbot, runner, LETTER_KEYS[index])
    elif question.type == "multiple":
        assert isinstance(widget, ChoiceAnswer)
        for option_id in expected:
            index = widget.keys.index(option_id)
            if mouse:
                qtbot.mouseClick(widget.buttons[index], Qt.MouseButton.LeftButton)
            else:
                press(qtbot, runner, DIGIT_KEYS[index])
    elif question.type in ("numeric", "short_text"):
        assert isinstance(widget, TextAnswer)
        qtbot.keyClicks(widget.edit, "0,5" if question.type == "numeric" else "  Light BLUE ")
    elif question.type == "ordering":
        assert isinstance(widget, OrderingAnswer)
        # The buttons first: move the top item down and back up again.
        widget.list.setCurrentRow(0)
        first = widget.response()
        qtbot.mouseClick(widget.down, Qt.MouseButton.LeftButton)
        assert widget.response()[1] == first[0]
        qtbot.mouseClick(widget.up, Qt.MouseButton.LeftButton)
        assert widget.response() == first
        # Then sort with the mouse to select and Alt+Up to move.
        for target, item_id in enumerate(expected):
            row = widget.response().index(item_id)
            item = widget.list.item(row)
            qtbot.mouseClick(widget.list.viewport(), Qt.MouseButton.LeftButton,
                             pos=widget.list.visualItemRect(item).center())
            assert widget.list.currentRow() == row
            for _ in range(row - target):
                qtbot.keyClick(widget.list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
        assert widget.response() == expected
    elif question.type == "matching":
        assert isinstance(widget, MatchingAnswer)
        for pair_id, combo in widget.combos:
            letter = current.right_order.index(expected[pair_id])
            combo.setFocus()
            qtbot.keyClick(combo, LETTER_KEYS[letter])
            assert combo.currentData() == expected[pair_id]
    else:  # pragma: no cover - every type is listed above
        raise AssertionError(question.type)


def submit(qtbot, runner: QuizRunner, *, click: bool = False) -> None:
    if click:
        qtbot.mouseClick(runner.submit_button, Qt.MouseButton.LeftButton)
    else:
        press(qtbot, runner, Qt.Key.Key_Return)


# --- a whole quiz ----------------------------------------------------------------------------------


def test_a_whole_quiz_of_every_type_taken_by_keyboard_and_mouse_with_feedback_after_each_answer(
        qtbot, runner: QuizRunner, install, store: Store, ctx: Context) -> None:
    install(quiz_json())
    open_quiz(qtbot, runner, "all-types")
    assert runner.start_attempts.text() == "Attempts used: 0 (no limit)"
    assert not runner.start_blocked.isVisibleTo(runner)
    assert controls_without_names(runner) == []
    topics: list[frozenset[str]] = []
    ctx.bus.changed.connect(topics.append)
    press(qtbot, runner, Qt.Key.Key_Return)  # Enter starts
    qtbot.waitUntil(lambda: runner.pages.currentIndex() == PAGE_QUESTION, timeout=10_000)
    total = len(runner.attempt.questions)
    assert total == 7 and not runner.timer_label.isVisibleTo(runner)
    seen_types = []
    for n in range(total):
        qtbot.waitUntil(lambda: laid_out(runner), timeout=5_000)  # as a person sees it before acting
        assert runner.counter.text() == f"Question {n + 1} of {total}"
        question = shown(runner).question
        seen_types.append(question.type)
        assert controls_without_names(runner) == [], question.type
        give_right_answer(qtbot, runner, mouse=n % 2 == 1)
        submit(qtbot, runner, click=n == 2)
        qtbot.waitUntil(lambda: runner.feedback_frame.isVisibleTo(runner), timeout=10_000)
        assert runner.verdict.text() == "✓ Correct", question.type
        assert answers_in_db(store, runner) == n + 1  # committed before the feedback showed
        if question.id == "capital":
            assert "Yes, Nairobi." in runner.choice_feedback.text()
            assert "since 1907" in runner.explanation.text()
        if question.id == "sun":
            assert "Right: the nearest star." in runner.choice_feedback.text()
        last = n == total - 1
        assert runner.submit_button.text() == ("See your results" if last else "Next question")
        press(qtbot, runner, Qt.Key.Key_Return)  # Enter goes on
        if not last:
            qtbot.waitUntil(lambda n=n: runner.current_index == n + 1 and not runner.feedback_frame.isVisibleTo(
                runner), timeout=10_000)
    assert sorted(seen_types) == sorted(q["type"] for q in ALL_TYPES)
    qtbot.waitUntil(lambda: runner.pages.currentIndex() == PAGE_RESULTS, timeout=10_000)
    assert runner.results_score.text() == "You scored 7 of 7 points (100%)."
    assert runner.results_verdict.text() == "✓ Passed. The pass mark is 70%."
    assert runner.results_credentials.text() == "New credential earned: Quiz master (awaiting verification)"
    assert "Nairobi" in runner.review.toPlainText()
    assert frozenset({PROGRESS, CREDENTIALS}) in topics
    assert controls_without_names(runner) == []
    row = store.one("SELECT status, earned, possible, passed FROM quiz_attempts WHERE id = ?", (runner.attempt.id,))
    assert tuple(row) == ("finished", 7, 7, 1)
    with qtbot.waitSignal(runner.closed, timeout=5_000):
        qtbot.mouseClick(runner.results_back, Qt.MouseButton.LeftButton)


def test_feedback_waits_for_the_results_page_when_the_quiz_says_end(
        qtbot, runner: QuizRunner, install, store: Store) -> None:
    install(quiz_json(feedback="end", questions=[q for q in ALL_TYPES if q["id"] in ("capital", "sun", "colour")]))
    open_quiz(qtbot, runner, "all-types")
    qtbot.mouseClick(runner.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: runner.pages.currentIndex() == PAGE_QUESTION, timeout=10_000)
    for n in range(3):
        qtbot.waitUntil(lambda: laid_out(runner), timeout=5_000)
        question = shown(runner).question
        if question.id == "capital":
            press(qtbot, runner, DIGIT_KEYS[runner._answer.keys.index("mombasa")])  # wrong on purpose
        elif question.id == "sun":
            press(qtbot, runner, Qt.Key.Key_B)  # False: wrong
        else:
            qtbot.keyClicks(runner._answer.edit, "blue")
        submit(qtbot, runner)
        if n < 2:
            qtbot.waitUntil(lambda n=n: runner.current_index == n + 1, timeout=10_000)
            assert not runner.feedback_frame.isVisibleTo(runner)
            assert answers_in_db(store, runner) == n + 1
    qtbot.waitUntil(lambda: runner.pages.currentIndex() == PAGE_RESULTS, timeout=10_000)
    review = runner.review.toPlainText()
    assert "Mombasa is the port city." in review
    assert "It is a star, the nearest one." in review
    assert "Nairobi has been the capital since 1907." in review
    assert runner.results_score.text() == "You scored 1 of 3 points (33%)."
    assert runner.results_verdict.text() == "✗ Not passed this time. The pass mark is 70%."
    assert not runner.results_credentials.isVisibleTo(runner)


# --- refusals in the runner --------------------------------------------------------------------------


def test_enter_without_an_answer_asks_for_one_and_sends_nothing(
        qtbot, runner: QuizRunner, install, store: Store) -> None:
    install(quiz_json(questions=[q for q in ALL_TYPES if q["id"] == "capital"]))
    open_quiz(qtbot, runner, "all-types")
    runner.start_attempt()
    qtbot.waitUntil(lambda: runner.pages.currentIndex() == PAGE_QUESTION, timeout=10_000)
    press(qtbot, runner, Qt.Key.Key_Return)
    assert runner.message.isVisibleTo(runner)
    assert runner.message.text().startswith("Choose an answer first")
    runner.ctx.worker.wait()
    assert answers_in_db(store, runner) == 0
    press(qtbot, runner, Qt.Key.Key_K)  # no eleventh option: nothing happens
    assert runner._answer.response() is None


def test_a_number_the_core_refuses_is_explained_and_can_be_corrected(
        qtbot, runner: QuizRunner, install, store: Store) -> None:
    install(quiz_json(questions=[q for q in ALL_TYPES if q["id"] == "half"]))
    open_quiz(qtbot, runner, "all-types")
    runner.start_attempt()
    qtbot.waitUntil(lambda: runner.pages.currentIndex() == PAGE_QUESTION, timeout=10_000)
    edit = runner._answer.edit
    qtbot.keyClicks(edit, "half")
    press(qtbot, runner, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: runner.message.isVisibleTo(runner), timeout=10_000)
    assert "'half' is not a number" in runner.message.text()
    assert answers_in_db(store, runner) == 0
    edit.clear()
    qtbot.keyClicks(edit, "0.5 kg")
    press(qtbot, runner, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: runner.feedback_frame.isVisibleTo(runner), timeout=10_000)
    assert runner.verdict.text() == "✓ Correct"


def test_an_answer_given_elsewhere_moves_the_runner_on_instead_of_answering_twice(
        qtbot, runner: QuizRunner, install, manager: PackManager, store: Store) -> None:
    install(quiz_json(questions=[q for q in ALL_TYPES if q["id"] in ("capital", "sun")]))
    open_quiz(qtbot, runner, "all-types")
    runner.start_attempt()
    qtbot.waitUntil(lambda: runner.pages.currentIndex() == PAGE_QUESTION, timeout=10_000)
    first = shown(runner)
    runner.ctx.worker.wait()
    QuizEngine(manager).answer(runner.attempt.id, first.question.id, right_answer(first))  # another window
    press(qtbot, runner, Qt.Key.Key_A)
    press(qtbot, runner, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: runner.current_index == 1 and runner._answer.response() is None, timeout=10_000)
    assert runner.counter.text() == "Question 2 of 2"
    assert answers_in_db(store, runner) == 1


def test_opening_a_quiz_without_a_learner_signed_in_shows_nothing_of_it(qtbot, ctx: Context, install) -> None:
    install(quiz_json())
    ctx.learner_id = None
    widget = QuizRunner(ctx)
    qtbot.addWidget(widget)

    def close_box() -> bool:
        box = next((w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()), None)
        if box is not None:
            assert box.text() == "No learner is signed in."
            box.accept()
        return box is not None

    timer = QTimer()
    timer.timeout.connect(close_box)
    timer.start(50)
    with qtbot.waitSignal(widget.closed, timeout=10_000):
        widget.open_quiz(PACK, "all-types")
    timer.stop()
    assert widget.attempt is None and widget.pages.currentIndex() != PAGE_QUESTION


# --- time limits -----------------------------------------------------------------------------------


def test_a_timed_quiz_shows_a_countdown_that_runs_only_while_the_runner_is_visible(
        qtbot, runner: QuizRunner, install) -> None:
    install(quiz_json("timed", title="Timed", time_limit_minutes=10))
    open_quiz(qtbot, runner, "timed")
    assert "Time limit: 10 min" in runner.start_info.text()
    runner.start_attempt()
    qtbot.waitUntil(lambda: runner.pages.currentIndex() == PAGE_QUESTION, timeout=10_000)
    assert runner.timer_label.isVisibleTo(runner)
    assert runner.timer_label.text() in {"Time left: 10:00", "Time left: 09:59", "Time left: 09:58"}
    assert runner.countdown.isActive()
    runner.hide()
    assert not runner.countdown.isActive()
    runner.show()
    assert runner.countdown.isActive()


def test_when_the_countdown_reaches_zero_the_attempt_is_finished_as_expired(
        qtbot, runner: QuizRunner, install, manager: PackManager, learner: int, store: Store) -> None:
    install(quiz_json("timed", title="Timed", time_limit_minutes=1, pass_mark=0.1))
    # An attempt started (by the core, as a runner would) 58 seconds ago: two seconds are left.
    engine = QuizEngine(manager)
    started = datetime.now(UTC) - timedelta(seconds=58)
    attempt = engine.start_or_resume(learner, PACK, "timed", now=started)
    engine.answer(attempt.id, attempt.question_ids[0], right_answer(attempt.questions[0]), now=started)
    open_quiz(qtbot, runner, "timed", page=PAGE_QUESTION)
    assert runner.current_index == 1 and runner.countdown.isActive()
    qtbot.waitUntil(lambda: runner.pages.currentIndex() == PAGE_RESULTS, timeout=20_000)
    assert runner.results_time_up.isVisibleTo(runner)
    assert runner.results_score.text() == "You scored 1 of 7 points (14%)."
    assert runner.results_verdict.text().startswith("✓ Passed")
    assert store.one("SELECT status FROM quiz_attempts WHERE id = ?", (attempt.id,))["status"] == "expired"


def test_an_attempt_whose_time_ran_out_while_away_shows_on_the_start_page(
        qtbot, runner: QuizRunner, install, manager: PackManager, learner: int) -> None:
    install(quiz_json("timed", title="Timed", time_limit_minutes=5))
    QuizEngine(manager).start_or_resume(learner, PACK, "timed", now=datetime.now(UTC) - timedelta(hours=1))
    open_quiz(qtbot, runner, "timed")
    assert runner.start_last.isVisibleTo(runner)
    assert runner.start_last.text().startswith("Your last attempt ran out of time")
    assert runner.start_attempts.text() == "Attempts used: 1 (no limit)"
    assert runner.start_button.isEnabled() and runner.start_button.text() == "Start the quiz"


# --- the start page when blocked --------------------------------------------------------------------


def take(manager: PackManager, learner: int, quiz_id: str, *, right: bool, now: datetime | None = None) -> None:
    engine = QuizEngine(manager)
    attempt = engine.start_or_resume(learner, PACK, quiz_id, now=now)
    if right:
        for drawn in attempt.questions:
            engine.answer(attempt.id, drawn.question.id, right_answer(drawn), now=now)
    engine.finish(attempt.id, now=now)


def test_the_start_page_is_blocked_after_the_attempt_limit(
        qtbot, runner: QuizRunner, install, manager: PackManager, learner: int) -> None:
    install(quiz_json("limited", title="Limited", attempts={"max": 2},
                      questions=[q for q in ALL_TYPES if q["id"] == "capital"]))
    take(manager, learner, "limited", right=False)
    take(manager, learner, "limited", right=True)
    open_quiz(qtbot, runner, "limited")
    assert runner.start_attempts.text() == "Attempts used: 2 of 2"
    assert runner.start_best.text() == "You have passed this quiz. Best score: 100%."
    assert runner.start_blocked.isVisibleTo(runner)
    assert runner.start_blocked.text() == "You have used all 2 attempts at this quiz."
    assert not runner.start_button.isEnabled()
    press(qtbot, runner, Qt.Key.Key_Return)  # Enter does not start a blocked quiz
    runner.ctx.worker.wait()
    assert runner.pages.currentIndex() == PAGE_START
    assert controls_without_names(runner) == []
    runner.grab().save(str(runner.ctx.home.root / "blocked-limit.png"))


def test_the_start_page_shows_when_a_cool_down_ends(
        qtbot, runner: QuizRunner, install, manager: PackManager, learner: int) -> None:
    install(quiz_json("cool", title="Cool", attempts={"max": 5, "cooldown_minutes": 30},
                      questions=[q for q in ALL_TYPES if q["id"] == "capital"]))
    take(manager, learner, "cool", right=False)
    open_quiz(qtbot, runner, "cool")
    assert runner.start_blocked.text().startswith("You can try again at ")
    assert "wait 30 minutes" in runner.start_blocked.text()
    assert runner.start_attempts.text() == "Attempts used: 1 of 5"
    assert runner.start_best.text() == "Best score so far: 0% (not passed yet)."
    assert not runner.start_button.isEnabled()
    assert runner.retry_timer.isActive()
    runner.hide()
    assert not runner.retry_timer.isActive()


# --- screenshots -------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(1024, 600), (1366, 768)])
def test_long_matching_and_ordering_questions_fit_the_small_and_the_common_screen(
        qtbot, runner: QuizRunner, install, tmp_path: Path, size: tuple[int, int]) -> None:
    quiz = quiz_json("shots", title="Check: files and backups", time_limit_minutes=15, shuffle_questions=False,
                     questions=[copy.deepcopy(LONG_MATCHING), copy.deepcopy(LONG_ORDERING)])
    install(quiz)
    runner.resize(*size)
    open_quiz(qtbot, runner, "shots")
    runner.grab().save(str(tmp_path / f"start-{size[0]}.png"))
    runner.start_attempt()
    qtbot.waitUntil(lambda: runner.pages.currentIndex() == PAGE_QUESTION, timeout=10_000)
    for name in ("matching", "ordering"):
        qtbot.waitUntil(lambda: laid_out(runner), timeout=5_000)
        scroll = runner.question_scroll
        assert not scroll.horizontalScrollBar().isVisible()
        assert scroll.widget().width() <= scroll.viewport().width()
        widget = runner._answer
        if isinstance(widget, OrderingAnswer):
            lst = widget.list
            qtbot.waitUntil(lambda lst=lst: lst.visualItemRect(lst.item(lst.count() - 1)).bottom() < lst.height(),
                            timeout=5_000)
        path = tmp_path / f"{name}-{size[0]}x{size[1]}.png"
        assert runner.grab().save(str(path))
        if name == "matching":
            give_right_answer(qtbot, runner)
            press(qtbot, runner, Qt.Key.Key_Return)
            qtbot.waitUntil(lambda: runner.feedback_frame.isVisible() and runner.question_scroll.verticalScrollBar()
                            .value() > 0, timeout=10_000)  # scrolled so the feedback shows
            runner.grab().save(str(tmp_path / f"matching-feedback-{size[0]}.png"))
            press(qtbot, runner, Qt.Key.Key_Return)
            qtbot.waitUntil(lambda: runner.current_index == 1 and isinstance(runner._answer, OrderingAnswer),
                            timeout=10_000)


# --- languages -------------------------------------------------------------------------------------


def test_switching_language_mid_question_retranslates_the_runner_and_keeps_the_answer_in_progress(
        qtbot, qapp: QApplication, runner: QuizRunner, install) -> None:
    install(quiz_json(shuffle_questions=False, questions=[copy.deepcopy(LONG_ORDERING), ALL_TYPES[0]]))
    open_quiz(qtbot, runner, "all-types")
    runner.start_attempt()
    qtbot.waitUntil(lambda: runner.pages.currentIndex() == PAGE_QUESTION and laid_out(runner), timeout=10_000)
    ordering = runner._answer
    assert isinstance(ordering, OrderingAnswer)
    ordering.list.setCurrentRow(0)
    qtbot.keyClick(ordering.list, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    moved = ordering.response()
    english = (runner.submit_button.text(), runner.counter.text(), ordering.up.text(), runner.leave_button.text())
    try:
        assert install_translator(qapp, "fr") == "fr"
        qtbot.waitUntil(lambda: runner.submit_button.text() != english[0], timeout=5_000)
        assert runner.counter.text() != english[1] and "2" in runner.counter.text()
        assert ordering.up.text() != english[2] and runner.leave_button.text() != english[3]
        assert runner._answer is ordering and ordering.response() == moved
        assert controls_without_names(runner) == []
    finally:
        install_translator(qapp, "en")
    qtbot.waitUntil(lambda: runner.submit_button.text() == english[0], timeout=5_000)
    assert (runner.counter.text(), ordering.up.text()) == english[1:3]


def test_the_feedback_of_the_shown_question_is_rendered_while_it_is_read_and_shown_after_the_answer(
        qtbot, runner: QuizRunner, install, ctx: Context) -> None:
    """With feedback after each answer, the worker renders the question's feedback and explanation as soon as
    the question is shown, so the answer's round trip renders nothing; what is shown is that rendering."""
    from mcdesk.learning import attempts

    install(quiz_json())
    open_quiz(qtbot, runner, "all-types")
    press(qtbot, runner, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: runner.pages.currentIndex() == PAGE_QUESTION, timeout=10_000)
    for _n in range(len(runner.attempt.questions)):
        qtbot.waitUntil(lambda: laid_out(runner), timeout=5_000)
        question = shown(runner).question
        ctx.worker.wait()
        if question.explanation:
            assert question.explanation in attempts._text_html  # rendered before any answer
        give_right_answer(qtbot, runner)
        press(qtbot, runner, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: runner.feedback_frame.isVisibleTo(runner), timeout=10_000)
        if question.explanation:
            assert runner.explanation.text() == attempts.quiz_text_html(question.explanation)
        press(qtbot, runner, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: runner._awaiting_next is False, timeout=10_000)


@pytest.mark.parametrize("rich", [False, True])
def test_a_wrapping_label_remembers_heights_only_until_its_text_font_or_margins_change(qtbot, rich: bool) -> None:
    """The quiz's labels remember their height for a width (a layout asks again whenever anything on the page
    changes); each change that moves the text gives the height a plain QLabel gives."""
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QLabel

    from mcdesk.ui.quiz_runner import _label

    label = _label("word " * 40, rich=rich)
    plain = QLabel()
    plain.setWordWrap(True)
    plain.setTextFormat(label.textFormat())
    for widget in (label, plain):
        qtbot.addWidget(widget)

    def same(width: int = 200) -> bool:
        plain.setText(label.text())
        plain.setFont(label.font())
        plain.setContentsMargins(label.contentsMargins())
        plain.setIndent(label.indent())
        return label.heightForWidth(width) == plain.heightForWidth(width)

    assert same() and same(120)
    tall = label.heightForWidth(200)
    label.setText("short")
    assert same() and label.heightForWidth(200) < tall
    label.setText("word " * 40)
    bigger = QFont(label.font())
    bigger.setPointSizeF(bigger.pointSizeF() * 2)
    label.setFont(bigger)
    assert same() and label.heightForWidth(200) > tall
    label.setContentsMargins(30, 0, 30, 0)
    assert same()
    label.clear()
    plain.clear()
    assert label.heightForWidth(200) == plain.heightForWidth(200)
    label.setIndent(40)
    label.setText("word " * 10)
    assert same()
