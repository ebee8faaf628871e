"""The quiz engine: every question type graded through answer(), frozen draws, attempt limits and
cool-downs, time limits, final answers, pass marks, best results and the refusals."""

from __future__ import annotations

import copy
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mcdesk.learning.attempts import (
    AnswerRefused,
    Blocked,
    ChoiceFeedback,
    QuizAttemptError,
    QuizBlocked,
    QuizEngine,
    Ready,
    TimeUp,
    feedback_html,
    quiz_text_html,
)
from mcdesk.packs.build import build_pack
from mcdesk.packs.install import PackManager
from mcdesk.packs.quiz import DrawnQuestion
from mcdesk.store.db import Store

PACK = "org.example.quizzes"
T0 = datetime(2030, 5, 1, 9, 0, 0, tzinfo=UTC)

# One question of every type, with per-option and true/false feedback and explanations.
ALL_TYPES: list[dict[str, Any]] = [
    {"id": "capital", "type": "single", "prompt": "What is the capital of **Kenya**?",
     "explanation": "Nairobi has been the capital since 1907.",
     "options": [
         {"id": "nairobi", "text": "Nairobi", "correct": True, "feedback": "Yes, Nairobi."},
         {"id": "mombasa", "text": "Mombasa", "correct": False, "feedback": "Mombasa is the port city."},
         {"id": "kisumu", "text": "Kisumu", "correct": False}]},
    {"id": "primes", "type": "multiple", "prompt": "Which of these are prime numbers?",
     "explanation": "A prime has exactly two divisors.",
     "options": [
         {"id": "two", "text": "2", "correct": True, "feedback": "2 is the only even prime."},
         {"id": "three", "text": "3", "correct": True},
         {"id": "four", "text": "4", "correct": False, "feedback": "4 = 2 × 2."},
         {"id": "nine", "text": "9", "correct": False}]},
    {"id": "sun", "type": "true_false", "prompt": "The sun is a star.", "answer": True,
     "feedback": {"true": "Right: the nearest star.", "false": "It is a star, the nearest one."},
     "explanation": "The sun is a G-type main-sequence star."},
    {"id": "half", "type": "numeric", "prompt": "What is 1 ÷ 2?", "answer": 0.5, "tolerance": 0.01,
     "unit": "kg", "explanation": "One half is 0.5."},
    {"id": "colour", "type": "short_text", "prompt": "What colour is a clear daytime sky?",
     "accepted": ["blue", "light blue"]},
    {"id": "steps", "type": "ordering", "prompt": "Put the steps of saving a file in order.",
     "items": [{"id": "open", "text": "Open the File menu"}, {"id": "save", "text": "Choose Save as"},
               {"id": "name", "text": "Type a name"}, {"id": "ok", "text": "Press Save"}]},
    {"id": "pairs", "type": "matching", "prompt": "Match each device to what it does.",
     "pairs": [{"id": "kb", "left": "Keyboard", "right": "Types letters in"},
               {"id": "screen", "left": "Screen", "right": "Shows pictures"},
               {"id": "disk", "left": "Disk", "right": "Keeps files"}]},
]


def quiz_json(quiz_id: str = "all-types", **overrides: Any) -> dict[str, Any]:
    quiz: dict[str, Any] = {"format": 1, "id": quiz_id, "title": "Every question type", "pass_mark": 0.7,
                            "feedback": "each", "questions": copy.deepcopy(ALL_TYPES)}
    quiz.update(overrides)
    return quiz


def quiz_source(folder: Path, quizzes: list[dict[str, Any]], *, version: int = 1, pack_id: str = PACK,
                credential: bool = True) -> Path:
    """An author source folder with one lesson and the given quiz files; the credential needs every quiz."""
    (folder / "lessons").mkdir(parents=True, exist_ok=True)
    (folder / "quizzes").mkdir(exist_ok=True)
    (folder / "lessons" / "intro.md").write_text("# Intro\n\nRead this first.\n", encoding="utf-8")
    items: list[dict[str, Any]] = [{"type": "lesson", "id": "intro", "title": "Intro", "path": "lessons/intro.md"}]
    for quiz in quizzes:
        (folder / "quizzes" / f"{quiz['id']}.json").write_text(json.dumps(quiz), encoding="utf-8")
        items.append({"type": "quiz", "id": quiz["id"], "title": quiz["title"], "path": f"quizzes/{quiz['id']}.json"})
    credentials = []
    if credential:
        credentials.append({
            "id": "quiz-master", "title": "Quiz master", "description": "Passed every quiz.",
            "criteria": {"narrative": "Pass every quiz.", "quizzes": [q["id"] for q in quizzes]},
            "skills": [{"name": "Answering"}], "level": "introductory", "estimated_hours": 1})
    manifest = {
        "format": 1, "id": pack_id, "version": version, "display_version": f"1.{version}.0",
        "title": "Quiz pack", "description": "Quizzes for tests.", "language": "en",
        "publisher": {"name": "Test publisher"}, "min_app_version": "0.1.0",
        "credentials": credentials, "modules": [{"id": "main", "title": "Main", "items": items}],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return folder


def install_quizzes(manager: PackManager, key: Ed25519PrivateKey, folder: Path, quizzes: list[dict[str, Any]],
                    **kwargs: Any) -> None:
    src = quiz_source(folder / "src", quizzes, **kwargs)
    manager.install(build_pack(src, key, folder / "quiz.mcpack").path)


def add_learner(store: Store, name: str = "Ada") -> int:
    with store.transaction() as conn:
        return int(conn.execute("INSERT INTO learners (name, created_at) VALUES (?, ?)",
                                (name, "2030-01-01T00:00:00Z")).lastrowid)


def right_answer(shown: DrawnQuestion) -> Any:
    q = shown.question
    return {
        "single": lambda: next(o.id for o in q.options if o.correct),
        "multiple": lambda: sorted(q.correct_option_ids),
        "true_false": lambda: q.answer,
        "numeric": lambda: str(q.answer),
        "short_text": lambda: q.accepted[0],
        "ordering": lambda: [i.id for i in q.items],
        "matching": lambda: {p.id: p.id for p in q.pairs},
    }[q.type]()


def wrong_answer(shown: DrawnQuestion) -> Any:
    q = shown.question
    ids = [p.id for p in q.pairs]
    return {
        "single": lambda: next(o.id for o in q.options if not o.correct),
        "multiple": lambda: [next(o.id for o in q.options if not o.correct)],
        "true_false": lambda: not q.answer,
        "numeric": lambda: "1000",
        "short_text": lambda: "green",
        "ordering": lambda: [i.id for i in reversed(q.items)],
        "matching": lambda: dict(zip(ids, ids[1:] + ids[:1], strict=True)),
    }[q.type]()


@pytest.fixture
def engine(manager: PackManager) -> QuizEngine:
    return QuizEngine(manager)


@pytest.fixture
def learner(store: Store) -> int:
    return add_learner(store)


@pytest.fixture
def install(manager: PackManager, trusted_key: Ed25519PrivateKey, tmp_path: Path):
    counter = iter(range(100))

    def go(*quizzes: dict[str, Any], **kwargs: Any) -> None:
        install_quizzes(manager, trusted_key, tmp_path / f"build-{next(counter)}", list(quizzes), **kwargs)

    return go


def by_id(attempt) -> dict[str, DrawnQuestion]:
    return {shown.question.id: shown for shown in attempt.questions}


# --- grading through answer() ----------------------------------------------------------------


def test_every_question_type_is_graded_right_through_answer_and_committed_at_once(
        engine: QuizEngine, learner: int, install, home) -> None:
    install(quiz_json())
    attempt = engine.start_or_resume(learner, PACK, "all-types", now=T0)
    assert {s.question.type for s in attempt.questions} == {
        "single", "multiple", "true_false", "numeric", "short_text", "ordering", "matching"}
    other = sqlite3.connect(home.db_path)  # another connection sees each answer as soon as answer() returns
    for n, shown in enumerate(attempt.questions, start=1):
        feedback = engine.answer(attempt.id, shown.question.id, right_answer(shown), now=T0)
        assert feedback.correct, shown.question.type
        assert other.execute("SELECT COUNT(*) FROM quiz_answers WHERE attempt_id = ?", (attempt.id,)).fetchone()[0] == n
    assert feedback.all_answered
    result = engine.finish(attempt.id, now=T0 + timedelta(minutes=5))
    assert (result.earned, result.possible, result.passed, result.status) == (7, 7, True, "finished")
    other.close()


def test_every_question_type_is_graded_wrong_through_answer(engine: QuizEngine, learner: int, install) -> None:
    install(quiz_json())
    attempt = engine.start_or_resume(learner, PACK, "all-types", now=T0)
    for shown in attempt.questions:
        assert not engine.answer(attempt.id, shown.question.id, wrong_answer(shown), now=T0).correct, \
            shown.question.type
    result = engine.finish(attempt.id, now=T0)
    assert (result.earned, result.passed) == (0, False)
    assert [item.correct for item in result.review] == [False] * 7
    assert all(item.answered for item in result.review)


@pytest.mark.parametrize(("text", "correct"), [
    ("0,5", True), (" 0.5 ", True), ("0.505", True), ("0.5 kg", True), ("0,52", False), ("1/2", None)])
def test_numeric_answers_accept_a_comma_and_the_unit_and_refuse_what_is_not_a_number(
        engine: QuizEngine, learner: int, install, text: str, correct: bool | None) -> None:
    install(quiz_json(questions=[q for q in ALL_TYPES if q["id"] == "half"]))
    attempt = engine.start_or_resume(learner, PACK, "all-types", now=T0)
    if correct is None:
        with pytest.raises(AnswerRefused, match="is not a number"):
            engine.answer(attempt.id, "half", text, now=T0)
        assert engine.attempt(attempt.id).answers == {}  # a slip does not use the question up
    else:
        assert engine.answer(attempt.id, "half", text, now=T0).correct is correct


def test_short_text_is_compared_after_normalising(engine: QuizEngine, learner: int, install) -> None:
    install(quiz_json(questions=[q for q in ALL_TYPES if q["id"] == "colour"]))
    attempt = engine.start_or_resume(learner, PACK, "all-types", now=T0)
    assert engine.answer(attempt.id, "colour", "  Light   BLUE! ", now=T0).correct


@pytest.mark.parametrize(("qid", "response", "message"), [
    ("capital", None, "No option was chosen"),
    ("capital", "lagos", "No option was chosen"),
    ("primes", [], "No option was chosen"),
    ("primes", ["two", "two"], "No option was chosen"),
    ("sun", "yes", "Neither true nor false"),
    ("half", None, "No number was given"),
    ("colour", "   ", "No answer was typed"),
    ("steps", ["open", "save"], "does not put every item in order"),
    ("pairs", {"kb": "kb"}, "Not every item has been matched"),
    ("pairs", {"kb": "kb", "screen": "x", "disk": "disk"}, "Not every item has been matched"),
])
def test_a_response_that_is_no_answer_is_refused_and_does_not_use_up_the_question(
        engine: QuizEngine, learner: int, install, qid: str, response: Any, message: str) -> None:
    install(quiz_json())
    attempt = engine.start_or_resume(learner, PACK, "all-types", now=T0)
    with pytest.raises(AnswerRefused, match=message):
        engine.answer(attempt.id, qid, response, now=T0)
    assert engine.answer(attempt.id, qid, right_answer(by_id(attempt)[qid]), now=T0).correct


def test_feedback_names_what_was_chosen_and_is_shown_now_when_the_quiz_says_each(
        engine: QuizEngine, learner: int, install) -> None:
    install(quiz_json())
    attempt = engine.start_or_resume(learner, PACK, "all-types", now=T0)
    single = engine.answer(attempt.id, "capital", "mombasa", now=T0)
    assert (single.correct, single.show_now) == (False, True)
    assert [(f.choice, f.text) for f in single.feedback] == [("Mombasa", "Mombasa is the port city.")]
    assert single.explanation == "Nairobi has been the capital since 1907."
    multiple = engine.answer(attempt.id, "primes", ["four", "two", "three"], now=T0)
    assert {f.text for f in multiple.feedback} == {"2 is the only even prime.", "4 = 2 × 2."}
    true_false = engine.answer(attempt.id, "sun", False, now=T0)
    assert [(f.choice, f.text) for f in true_false.feedback] == [("", "It is a star, the nearest one.")]


def test_feedback_comes_as_safe_html_made_by_the_core_only_when_shown_now(engine: QuizEngine, learner: int,
                                                                          install) -> None:
    install(quiz_json())
    attempt = engine.start_or_resume(learner, PACK, "all-types", now=T0)
    single = engine.answer(attempt.id, "capital", "mombasa", now=T0)
    assert single.feedback_html == feedback_html(single.feedback) == (
        "<p><b>Mombasa</b></p><p>Mombasa is the port city.</p>")
    assert single.explanation_html == quiz_text_html(single.explanation or "")
    assert "<p>Nairobi has been the capital since 1907.</p>" in single.explanation_html
    hostile = feedback_html([ChoiceFeedback("<b>x</b>", "<script>bad()</script>\n\nok")])
    assert hostile.startswith("<p><b>&lt;b&gt;x&lt;/b&gt;</b></p>") and "<p>ok</p>" in hostile
    assert "script" not in hostile and "bad()" not in hostile


def test_feedback_waits_for_the_end_when_the_quiz_says_end(engine: QuizEngine, learner: int, install) -> None:
    install(quiz_json(feedback="end"))
    attempt = engine.start_or_resume(learner, PACK, "all-types", now=T0)
    assert attempt.quiz.feedback == "end"
    answer = engine.answer(attempt.id, "capital", "mombasa", now=T0)
    assert answer.show_now is False
    assert (answer.feedback_html, answer.explanation_html) == ("", "")  # nothing rendered for nobody
    result = engine.finish(attempt.id, now=T0)
    review = {item.question.id: item for item in result.review}
    assert review["capital"].feedback[0].text == "Mombasa is the port city."
    assert review["capital"].explanation.startswith("Nairobi")
    assert not review["sun"].answered and not review["sun"].correct


# --- draws and resuming ------------------------------------------------------------------------


POOLED = quiz_json("pooled", title="Pooled", pools=[{"id": "extra", "draw": 2, "questions": [
    {"id": f"p{n}", "type": "true_false", "prompt": f"Pool question {n}.", "answer": True} for n in range(6)]}])


def test_resume_returns_the_same_attempt_draw_and_position(engine: QuizEngine, learner: int, install,
                                                           store: Store) -> None:
    install(POOLED)
    first = engine.start_or_resume(learner, PACK, "pooled", now=T0)
    assert len(first.questions) == 9 and first.current_index == 0
    for shown in first.questions[:3]:
        engine.answer(first.id, shown.question.id, right_answer(shown), now=T0)
    again = engine.start_or_resume(learner, PACK, "pooled", now=T0 + timedelta(hours=5))
    assert again.id == first.id
    assert again.questions == first.questions  # questions, option/item/right orders
    assert again.current_index == 3
    assert set(again.answers) == set(first.question_ids[:3])
    stored = json.loads(store.one("SELECT draw FROM quiz_attempts WHERE id = ?", (first.id,))["draw"])
    assert [q["question"]["id"] for q in stored["questions"]] == list(first.question_ids)
    assert engine.status(learner, PACK, "pooled", now=T0).open_attempt_id == first.id


def test_new_attempts_draw_afresh_from_the_pool(engine: QuizEngine, learner: int, install) -> None:
    install(POOLED)
    draws = set()
    for n in range(8):
        attempt = engine.start_or_resume(learner, PACK, "pooled", now=T0 + timedelta(minutes=n))
        draws.add(attempt.question_ids)
        engine.finish(attempt.id, now=T0 + timedelta(minutes=n))
    assert len(draws) > 1


def test_a_resumed_attempt_keeps_its_draw_after_the_pack_is_updated(
        engine: QuizEngine, learner: int, install) -> None:
    install(quiz_json())
    first = engine.start_or_resume(learner, PACK, "all-types", now=T0)
    engine.answer(first.id, first.question_ids[0], right_answer(first.questions[0]), now=T0)
    changed = quiz_json(questions=[{"id": "new", "type": "true_false", "prompt": "A new question.",
                                    "answer": False}], pass_mark=1)
    install(changed, version=2)
    resumed = engine.start_or_resume(learner, PACK, "all-types", now=T0)
    assert resumed.id == first.id and resumed.questions == first.questions
    assert resumed.quiz.pass_mark == 0.7
    for shown in resumed.questions[1:]:
        engine.answer(resumed.id, shown.question.id, right_answer(shown), now=T0)
    assert engine.finish(resumed.id, now=T0).earned == 7
    fresh = engine.start_or_resume(learner, PACK, "all-types", now=T0)
    assert fresh.question_ids == ("new",)


# --- final answers and closed attempts -----------------------------------------------------------


def test_a_second_answer_to_the_same_question_is_refused(engine: QuizEngine, learner: int, install) -> None:
    install(quiz_json())
    attempt = engine.start_or_resume(learner, PACK, "all-types", now=T0)
    engine.answer(attempt.id, "capital", "mombasa", now=T0)
    with pytest.raises(AnswerRefused, match="already been answered; answers are final"):
        engine.answer(attempt.id, "capital", "nairobi", now=T0)
    assert engine.attempt(attempt.id).answers["capital"].response == "mombasa"


def test_a_question_outside_the_attempt_is_refused(engine: QuizEngine, learner: int, install) -> None:
    install(POOLED)
    attempt = engine.start_or_resume(learner, PACK, "pooled", now=T0)
    not_drawn = next(f"p{n}" for n in range(6) if f"p{n}" not in attempt.question_ids)
    for qid in ("nonsense", not_drawn):
        with pytest.raises(AnswerRefused, match="is not part of this quiz attempt"):
            engine.answer(attempt.id, qid, True, now=T0)


def test_a_finished_attempt_takes_no_more_answers_and_finishing_again_changes_nothing(
        engine: QuizEngine, learner: int, install) -> None:
    install(quiz_json())
    attempt = engine.start_or_resume(learner, PACK, "all-types", now=T0)
    engine.answer(attempt.id, "capital", "nairobi", now=T0)
    result = engine.finish(attempt.id, now=T0)
    with pytest.raises(AnswerRefused, match="already finished"):
        engine.answer(attempt.id, "sun", True, now=T0)
    again = engine.finish(attempt.id, now=T0 + timedelta(hours=1))
    assert (again.earned, again.finished_at, again.new_credentials) == (1, result.finished_at, ())
    assert engine.result(attempt.id).earned == 1


def test_the_result_of_an_open_attempt_is_refused(engine: QuizEngine, learner: int, install) -> None:
    install(quiz_json())
    attempt = engine.start_or_resume(learner, PACK, "all-types", now=T0)
    with pytest.raises(QuizAttemptError, match="still open"):
        engine.result(attempt.id)


# --- attempt limits and cool-downs ---------------------------------------------------------------


def limited(**attempts: Any) -> dict[str, Any]:
    return quiz_json("limited", title="Limited", attempts=attempts,
                     questions=[q for q in ALL_TYPES if q["id"] in ("capital", "sun")], pass_mark=1)


def take(engine: QuizEngine, learner: int, quiz_id: str, now: datetime, *, right: bool) -> int:
    attempt = engine.start_or_resume(learner, PACK, quiz_id, now=now)
    for shown in attempt.questions:
        engine.answer(attempt.id, shown.question.id, (right_answer if right else wrong_answer)(shown), now=now)
    engine.finish(attempt.id, now=now)
    return attempt.id


def test_the_attempt_limit_blocks_a_new_attempt(engine: QuizEngine, learner: int, install) -> None:
    install(limited(max=2))
    take(engine, learner, "limited", T0, right=False)
    assert engine.status(learner, PACK, "limited", now=T0).attempts_left == 1
    take(engine, learner, "limited", T0, right=True)
    status = engine.status(learner, PACK, "limited", now=T0 + timedelta(days=30))
    assert (status.attempts_used, status.max_attempts, status.attempts_left) == (2, 2, 0)
    assert status.readiness == Blocked("All 2 attempts at 'Limited' have been used.", None, "attempt_limit")
    with pytest.raises(QuizBlocked, match="All 2 attempts") as caught:
        engine.start_or_resume(learner, PACK, "limited", now=T0 + timedelta(days=30))
    assert caught.value.blocked.kind == "attempt_limit"
    assert status.passed and status.best_scaled == 1.0


def test_a_cool_down_after_a_failed_attempt_blocks_until_retry_at_then_is_ready(
        engine: QuizEngine, learner: int, install) -> None:
    install(limited(max=5, cooldown_minutes=30))
    take(engine, learner, "limited", T0, right=False)
    status = engine.status(learner, PACK, "limited", now=T0 + timedelta(minutes=29, seconds=59))
    assert isinstance(status.readiness, Blocked)
    assert status.readiness.kind == "cooldown"
    assert status.readiness.retry_at == T0 + timedelta(minutes=30)
    assert "30 minutes" in status.readiness.reason
    with pytest.raises(QuizBlocked, match="can be tried again 30 minutes later") as caught:
        engine.start_or_resume(learner, PACK, "limited", now=T0 + timedelta(minutes=10))
    assert caught.value.blocked.retry_at == T0 + timedelta(minutes=30)
    assert isinstance(engine.status(learner, PACK, "limited", now=T0 + timedelta(minutes=30)).readiness, Ready)
    assert engine.start_or_resume(learner, PACK, "limited", now=T0 + timedelta(minutes=30)).current_index == 0


def test_a_passed_attempt_needs_no_cool_down(engine: QuizEngine, learner: int, install) -> None:
    install(limited(max=5, cooldown_minutes=30))
    take(engine, learner, "limited", T0, right=True)
    assert engine.status(learner, PACK, "limited", now=T0).readiness == Ready()


def test_an_open_attempt_is_resumed_even_when_no_new_attempt_could_start(
        engine: QuizEngine, learner: int, install) -> None:
    install(limited(max=1))
    attempt = engine.start_or_resume(learner, PACK, "limited", now=T0)
    status = engine.status(learner, PACK, "limited", now=T0)
    assert (status.open_attempt_id, status.readiness, status.attempts_used) == (attempt.id, Ready(), 1)
    assert engine.start_or_resume(learner, PACK, "limited", now=T0).id == attempt.id


# --- time limits ---------------------------------------------------------------------------------


def timed() -> dict[str, Any]:
    return quiz_json("timed", title="Timed", time_limit_minutes=10, pass_mark=0.25)


def test_a_timed_attempt_has_a_deadline_and_counts_down(engine: QuizEngine, learner: int, install) -> None:
    install(timed())
    attempt = engine.start_or_resume(learner, PACK, "timed", now=T0)
    assert attempt.deadline_at == T0 + timedelta(minutes=10)
    assert attempt.remaining_seconds == 600
    assert engine.attempt(attempt.id, now=T0 + timedelta(minutes=4)).remaining_seconds == 360


def test_an_answer_after_the_deadline_expires_the_attempt_and_scores_what_was_answered(
        engine: QuizEngine, learner: int, install) -> None:
    install(timed())
    attempt = engine.start_or_resume(learner, PACK, "timed", now=T0)
    for shown in attempt.questions[:2]:
        engine.answer(attempt.id, shown.question.id, right_answer(shown), now=T0 + timedelta(minutes=9))
    late = attempt.questions[2]
    with pytest.raises(TimeUp, match="ran out") as caught:
        engine.answer(attempt.id, late.question.id, right_answer(late), now=T0 + timedelta(minutes=10))
    result = caught.value.result
    assert (result.status, result.earned, result.possible, result.passed) == ("expired", 2, 7, True)
    assert result.finished_at == T0 + timedelta(minutes=10)
    assert late.question.id not in engine.attempt(attempt.id).answers
    with pytest.raises(AnswerRefused, match="its time ran out"):
        engine.answer(attempt.id, late.question.id, right_answer(late), now=T0)
    assert engine.best_results(learner, PACK) == {"timed": (2 / 7, True)}


def test_finishing_after_the_deadline_closes_the_attempt_as_expired(
        engine: QuizEngine, learner: int, install) -> None:
    install(timed())
    attempt = engine.start_or_resume(learner, PACK, "timed", now=T0)
    result = engine.finish(attempt.id, now=T0 + timedelta(minutes=10, seconds=1))
    assert (result.status, result.expired, result.earned) == ("expired", True, 0)


def test_an_open_attempt_whose_time_ran_out_while_the_app_was_closed_is_expired_on_opening(
        engine: QuizEngine, learner: int, install) -> None:
    install(timed())
    attempt = engine.start_or_resume(learner, PACK, "timed", now=T0)
    engine.answer(attempt.id, attempt.question_ids[0], right_answer(attempt.questions[0]), now=T0)
    status = engine.status(learner, PACK, "timed", now=T0 + timedelta(hours=2))
    assert status.open_attempt_id is None
    assert (status.last.id, status.last.status, status.last.earned) == (attempt.id, "expired", 1)
    fresh = engine.start_or_resume(learner, PACK, "timed", now=T0 + timedelta(hours=2))
    assert fresh.id != attempt.id and fresh.answers == {}


# --- pass mark, best results, credentials --------------------------------------------------------


def test_the_pass_mark_is_reached_exactly_and_unanswered_questions_are_wrong(
        engine: QuizEngine, learner: int, install) -> None:
    ten = [{"id": f"q{n}", "type": "true_false", "prompt": f"Statement {n}.", "answer": True} for n in range(10)]
    install(quiz_json("ten", title="Ten", questions=ten, pass_mark=0.7))
    attempt = engine.start_or_resume(learner, PACK, "ten", now=T0)
    for qid in attempt.question_ids[:6]:
        engine.answer(attempt.id, qid, True, now=T0)
    six = engine.finish(attempt.id, now=T0)
    assert (six.earned, six.possible, six.passed) == (6, 10, False)
    attempt = engine.start_or_resume(learner, PACK, "ten", now=T0)
    for qid in attempt.question_ids[:7]:
        engine.answer(attempt.id, qid, True, now=T0)
    seven = engine.finish(attempt.id, now=T0)
    assert (seven.earned, seven.passed, seven.scaled) == (7, True, 0.7)
    assert engine.best_results(learner, PACK) == {"ten": (0.7, True)}


def test_points_weigh_questions_in_the_score(engine: QuizEngine, learner: int, install) -> None:
    weighted = [dict(ALL_TYPES[0], points=3), ALL_TYPES[2]]
    install(quiz_json("weighted", title="Weighted", questions=weighted, pass_mark=0.75))
    attempt = engine.start_or_resume(learner, PACK, "weighted", now=T0)
    engine.answer(attempt.id, "capital", "nairobi", now=T0)
    engine.answer(attempt.id, "sun", False, now=T0)
    result = engine.finish(attempt.id, now=T0)
    assert (result.earned, result.possible, result.passed) == (3, 4, True)


def test_best_results_keep_the_best_score_per_quiz_and_ignore_open_attempts(
        engine: QuizEngine, learner: int, install, store: Store) -> None:
    install(quiz_json(), limited(max=9))
    take(engine, learner, "limited", T0, right=True)
    take(engine, learner, "limited", T0, right=False)
    engine.start_or_resume(learner, PACK, "all-types", now=T0)
    assert engine.best_results(learner, PACK) == {"limited": (1.0, True)}
    assert engine.best_results(add_learner(store, "Bo"), PACK) == {}


def test_finishing_the_last_quiz_a_credential_needs_returns_it_newly_earned(
        engine: QuizEngine, learner: int, install) -> None:
    install(limited(max=9))
    take(engine, learner, "limited", T0, right=False)
    attempt = engine.start_or_resume(learner, PACK, "limited", now=T0)
    for shown in attempt.questions:
        engine.answer(attempt.id, shown.question.id, right_answer(shown), now=T0)
    result = engine.finish(attempt.id, now=T0)
    assert [c.title for c in result.new_credentials] == ["Quiz master"]
    assert take_again_new(engine, learner) == ()


def take_again_new(engine: QuizEngine, learner: int) -> tuple:
    attempt = engine.start_or_resume(learner, PACK, "limited", now=T0)
    return engine.finish(attempt.id, now=T0).new_credentials


# --- refusals ------------------------------------------------------------------------------------


def test_an_unknown_learner_pack_quiz_or_attempt_is_refused_with_a_clear_message(
        engine: QuizEngine, learner: int, install) -> None:
    install(quiz_json())
    with pytest.raises(QuizAttemptError, match="There is no learner with id 999"):
        engine.start_or_resume(999, PACK, "all-types", now=T0)
    with pytest.raises(QuizAttemptError, match="There is no learner with id 999"):
        engine.status(999, PACK, "all-types", now=T0)
    with pytest.raises(QuizAttemptError, match="No course pack 'org.example.missing' is installed"):
        engine.start_or_resume(learner, "org.example.missing", "all-types", now=T0)
    with pytest.raises(QuizAttemptError, match="The course 'Quiz pack' has no quiz 'intro'"):
        engine.start_or_resume(learner, PACK, "intro", now=T0)  # a lesson, not a quiz
    with pytest.raises(QuizAttemptError, match="There is no quiz attempt 4242"):
        engine.answer(4242, "capital", "nairobi", now=T0)
    with pytest.raises(QuizAttemptError, match="There is no quiz attempt 4242"):
        engine.finish(4242, now=T0)


def test_a_missing_quiz_file_is_refused_with_a_hint_to_reinstall(
        engine: QuizEngine, learner: int, install, manager: PackManager) -> None:
    install(quiz_json())
    (manager.get(PACK).folder / "quizzes" / "all-types.json").unlink()
    with pytest.raises(QuizAttemptError, match="cannot be read") as caught:
        engine.start_or_resume(learner, PACK, "all-types", now=T0)
    assert "reinstall" in caught.value.hint


def test_a_time_without_a_time_zone_is_refused(engine: QuizEngine, learner: int, install) -> None:
    install(quiz_json())
    with pytest.raises(ValueError, match="aware"):
        engine.start_or_resume(learner, PACK, "all-types", now=datetime(2030, 1, 1))


def test_quiz_text_is_rendered_without_images_links_or_scripts() -> None:
    html = quiz_text_html('**Bold** <script>alert(1)</script> ![x](https://evil.example/x.png) '
                          '[link](https://example.org) <img src="a.png" onerror="x()">')
    assert "<strong>Bold</strong>" in html
    assert "script" not in html and "alert" not in html
    assert "<img" not in html and "<a" not in html and "evil" not in html
    assert "link" in html
