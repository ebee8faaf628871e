"""Quiz attempts: readiness, start or resume with a frozen draw, answers committed one by one, scoring.

Every answer is its own committed transaction, so a power cut loses nothing that was answered, and a
resumed attempt shows the same questions in the same order (the draw is stored with the attempt).
"""

from __future__ import annotations

import html
import json
import math
import secrets
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Final, Literal, NamedTuple, TypeAlias

import nh3

from mcdesk.errors import McdeskError
from mcdesk.learning.credentials import EarnedCredential, attempt_finished
from mcdesk.packs.content import render_markdown
from mcdesk.packs.install import PackManager
from mcdesk.packs.quiz import (
    DrawnQuestion,
    FeedbackMode,
    Option,
    OrderItem,
    Pair,
    Question,
    Quiz,
    draw_questions,
    grade,
    meets_pass_mark,
    parse_number,
    parse_quiz,
)
from mcdesk.store.db import Store

__all__ = [
    "AlreadyAnswered",
    "AnswerFeedback",
    "AnswerRecord",
    "AnswerRefused",
    "Attempt",
    "AttemptClosed",
    "AttemptResult",
    "AttemptSummary",
    "BestResult",
    "Blocked",
    "ChoiceFeedback",
    "QuizAttemptError",
    "QuizBlocked",
    "QuizEngine",
    "QuizInfo",
    "QuizStatus",
    "Readiness",
    "Ready",
    "ReviewItem",
    "TimeUp",
    "feedback_html",
    "prepare_feedback",
    "quiz_text_html",
]

DRAW_FORMAT: Final = 1
MAX_RESPONSE_JSON: Final = 20_000  # characters of one stored response
AttemptStatus: TypeAlias = Literal["open", "finished", "expired"]

# Quiz prompts, feedback and explanations are short Markdown: no images, no links, no raw HTML.
_TEXT_TAGS: Final = {
    "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "i", "li", "ol", "p", "pre",
    "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


class QuizAttemptError(McdeskError):
    """A quiz attempt cannot be started, answered or finished as asked."""


class QuizBlocked(QuizAttemptError):
    """A new attempt cannot start now: the attempt limit is reached, or a cool-down is running."""

    def __init__(self, blocked: Blocked) -> None:
        hint = (
            f"Try again after {_iso(blocked.retry_at)} (UTC)." if blocked.retry_at is not None
            else "Ask your teacher or technician if you need another attempt."
        )
        super().__init__(blocked.reason, hint)
        self.blocked = blocked


class AnswerRefused(QuizAttemptError):
    """An answer was not accepted (already answered, not a question of the attempt, not usable)."""


class AlreadyAnswered(AnswerRefused):
    """The question was answered before; answers are final."""


class AttemptClosed(AnswerRefused):
    """The attempt is finished or expired and takes no more answers."""


class TimeUp(QuizAttemptError):
    """The time limit passed before the answer came; the attempt was scored with what was answered."""

    def __init__(self, result: AttemptResult) -> None:
        super().__init__(
            "The time for this quiz ran out before that answer was given, so it was not counted.",
            "The attempt was scored with the answers given in time.",
        )
        self.result = result


# --------------------------------------------------------------------------------------------
# What the engine returns
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ready:
    """A new attempt may start now."""


@dataclass(frozen=True)
class Blocked:
    """A new attempt may not start now. ``kind`` is "attempt_limit" or "cooldown"; ``retry_at``
    (aware UTC) is when a cool-down ends, None when no wait will help."""

    reason: str
    retry_at: datetime | None = None
    kind: Literal["attempt_limit", "cooldown"] = "attempt_limit"


Readiness: TypeAlias = Ready | Blocked


@dataclass(frozen=True)
class QuizInfo:
    """What a learner is told about a quiz before and during an attempt."""

    pack_id: str
    quiz_id: str
    title: str
    pass_mark: float
    feedback: FeedbackMode
    question_count: int
    time_limit_minutes: float | None = None
    max_attempts: int | None = None
    cooldown_minutes: float = 0.0


@dataclass(frozen=True)
class AttemptSummary:
    """One closed attempt in a few numbers."""

    id: int
    status: AttemptStatus
    earned: int
    possible: int
    passed: bool
    finished_at: datetime

    @property
    def scaled(self) -> float:
        return self.earned / self.possible if self.possible else 0.0


@dataclass(frozen=True)
class QuizStatus:
    """Where one learner stands with one quiz."""

    quiz: QuizInfo
    attempts_used: int
    max_attempts: int | None
    best_scaled: float | None
    passed: bool
    open_attempt_id: int | None
    readiness: Readiness
    last: AttemptSummary | None = None

    @property
    def attempts_left(self) -> int | None:
        return None if self.max_attempts is None else max(0, self.max_attempts - self.attempts_used)


@dataclass(frozen=True)
class AnswerRecord:
    response: Any
    correct: bool


@dataclass(frozen=True)
class Attempt:
    """One attempt as the runner shows it: the frozen draw, the answers so far, the clock."""

    id: int
    learner_id: int
    quiz: QuizInfo
    questions: tuple[DrawnQuestion, ...]
    answers: Mapping[str, AnswerRecord]
    started_at: datetime
    deadline_at: datetime | None
    status: AttemptStatus
    remaining_seconds: float | None = None  # at the moment this view was made

    @property
    def pack_id(self) -> str:
        return self.quiz.pack_id

    @property
    def quiz_id(self) -> str:
        return self.quiz.quiz_id

    @property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(shown.question.id for shown in self.questions)

    @property
    def current_index(self) -> int:
        """The first unanswered question (``len(questions)`` once every question is answered)."""
        for index, shown in enumerate(self.questions):
            if shown.question.id not in self.answers:
                return index
        return len(self.questions)

    @property
    def finished(self) -> bool:
        return self.status != "open"


@dataclass(frozen=True)
class ChoiceFeedback:
    """The author's feedback for one thing the learner chose. ``choice`` is the option text, or ""
    for a true/false answer."""

    choice: str
    text: str


@dataclass(frozen=True)
class AnswerFeedback:
    attempt_id: int
    question_id: str
    correct: bool
    feedback: tuple[ChoiceFeedback, ...]
    explanation: str | None
    show_now: bool  # the quiz shows feedback after each answer; otherwise only at the end
    next_index: int  # the first unanswered question now
    all_answered: bool
    feedback_html: str = ""  # ``feedback`` as safe rich text (feedback_html), made off the GUI thread
    explanation_html: str = ""  # ``explanation`` as safe rich text (quiz_text_html); "" without one


@dataclass(frozen=True)
class ReviewItem:
    index: int
    question: Question
    shown: DrawnQuestion
    answered: bool
    response: Any
    correct: bool
    feedback: tuple[ChoiceFeedback, ...]
    explanation: str | None

    @property
    def prompt(self) -> str:
        return self.question.prompt


@dataclass(frozen=True)
class AttemptResult:
    attempt_id: int
    quiz: QuizInfo
    status: AttemptStatus
    earned: int
    possible: int
    passed: bool
    finished_at: datetime
    review: tuple[ReviewItem, ...]
    new_credentials: tuple[EarnedCredential, ...] = field(default=())

    @property
    def scaled(self) -> float:
        return self.earned / self.possible if self.possible else 0.0

    @property
    def expired(self) -> bool:
        return self.status == "expired"


class BestResult(NamedTuple):
    scaled: float
    passed: bool


# --------------------------------------------------------------------------------------------
# The engine
# --------------------------------------------------------------------------------------------


class QuizEngine:
    """Runs quiz attempts for learners over the installed packs. Every method takes ``now``
    (an aware datetime) so tests and callers control the clock; it defaults to the current time."""

    def __init__(self, manager: PackManager) -> None:
        self.manager = manager
        self.store: Store = manager.store
        # The last attempt's draw as stored and as parsed: answering reads it for every answer.
        self._draw: tuple[int, str, QuizInfo, tuple[DrawnQuestion, ...]] | None = None

    # --- reading ----------------------------------------------------------------------------

    def status(self, learner_id: int, pack_id: str, quiz_id: str, now: datetime | None = None) -> QuizStatus:
        """Attempts used, best score, the open attempt and whether a new attempt may start.

        An open attempt whose time ran out (the app was closed meanwhile) is scored as expired first.
        """
        now = _now(now)
        self._check_learner(learner_id)
        quiz = self._load_quiz(pack_id, quiz_id)
        self._settle_overdue(learner_id, pack_id, quiz_id, now)
        return self._status(learner_id, pack_id, quiz, now)

    def best_results(self, learner_id: int, pack_id: str) -> dict[str, BestResult]:
        """Per quiz of the pack the learner has finished at least once: the best scaled score
        (0..1) and whether any attempt passed."""
        rows = self.store.query(
            "SELECT quiz_id, MAX(CAST(earned AS REAL) / possible) AS best, MAX(passed) AS passed "
            "FROM quiz_attempts WHERE learner_id = ? AND pack_id = ? AND status != 'open' "
            "AND possible > 0 GROUP BY quiz_id",
            (learner_id, pack_id))
        return {r["quiz_id"]: BestResult(float(r["best"]), bool(r["passed"])) for r in rows}

    def attempt(self, attempt_id: int, now: datetime | None = None) -> Attempt:
        """The current view of one attempt (open or closed)."""
        row = self._attempt_row(attempt_id)
        return self._attempt_view(row, _now(now))

    def result(self, attempt_id: int) -> AttemptResult:
        """The scored result of a closed attempt, for showing it again."""
        row = self._attempt_row(attempt_id)
        if row["status"] == "open":
            raise QuizAttemptError(f"Quiz attempt {attempt_id} is still open, so it has no result yet.",
                                   "Finish the attempt first.")
        return self._result(row, ())

    # --- starting ---------------------------------------------------------------------------

    def start_or_resume(self, learner_id: int, pack_id: str, quiz_id: str, now: datetime | None = None) -> Attempt:
        """Resume the learner's open attempt of this quiz (same draw), or start a new one when the
        quiz allows it; raises QuizBlocked with the reason when it does not."""
        now = _now(now)
        self._check_learner(learner_id)
        quiz = self._load_quiz(pack_id, quiz_id)
        self._settle_overdue(learner_id, pack_id, quiz_id, now)
        pack = self.manager.get(pack_id)
        assert pack is not None  # _load_quiz checked it
        with self.store.transaction() as conn:
            row = conn.execute(
                "SELECT * FROM quiz_attempts WHERE learner_id = ? AND pack_id = ? AND quiz_id = ? "
                "AND status = 'open'", (learner_id, pack_id, quiz_id)).fetchone()
            if row is not None:
                attempt_id = int(row["id"])
            else:
                readiness = self._readiness(conn, learner_id, pack_id, quiz, now)
                if isinstance(readiness, Blocked):
                    raise QuizBlocked(readiness)
                seed = secrets.randbits(62)
                drawn = draw_questions(quiz, seed)
                info = _info(pack_id, quiz)
                deadline = (now + timedelta(minutes=quiz.time_limit_minutes)
                            if quiz.time_limit_minutes else None)
                cur = conn.execute(
                    "INSERT INTO quiz_attempts (learner_id, pack_id, quiz_id, pack_version, seed, draw, "
                    "started_at, deadline_at, status, manifest_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', "
                    "(SELECT manifest_sha256 FROM packs WHERE id = ? AND version = ?))",
                    (learner_id, pack_id, quiz_id, pack.version, seed, _dump_draw(info, drawn),
                     _iso(now), _iso(deadline) if deadline else None, pack_id, pack.version))
                attempt_id = int(cur.lastrowid)
        return self._attempt_view(self._attempt_row(attempt_id), now)

    # --- answering --------------------------------------------------------------------------

    def answer(self, attempt_id: int, question_id: str, response: Any, now: datetime | None = None
               ) -> AnswerFeedback:
        """Grade and commit one answer at once. Answers are final: a second answer to the same
        question is refused. After the deadline the attempt is closed as expired and TimeUp is
        raised, carrying the result scored with the answers given in time."""
        now = _now(now)
        expired = False
        with self.store.transaction() as conn:
            row = self._attempt_row(attempt_id, conn)
            if row["status"] != "open":
                raise AttemptClosed(
                    f"This quiz attempt is already {_closed_word(row['status'])}; it takes no more answers.",
                    "Open the quiz again to see your result or start a new attempt.")
            info, drawn = self._draw_of(row)
            positions = {shown.question.id: n for n, shown in enumerate(drawn)}
            deadline = _parse_time(row["deadline_at"])
            if deadline is not None and now >= deadline:
                new = self._close(conn, row, info, drawn, "expired", deadline)
                expired = True
            else:
                if question_id not in positions:
                    raise AnswerRefused(
                        f"The question {question_id!r} is not part of this quiz attempt.",
                        "Answer the questions the attempt shows.")
                if conn.execute("SELECT 1 FROM quiz_answers WHERE attempt_id = ? AND question_id = ?",
                                (attempt_id, question_id)).fetchone():
                    raise AlreadyAnswered(
                        f"Question {positions[question_id] + 1} has already been answered; answers are final "
                        "once given.", "Go on to the next question.")
                shown = drawn[positions[question_id]]
                _check_response(shown.question, response)
                correct = grade(shown.question, response)
                conn.execute(
                    "INSERT INTO quiz_answers (attempt_id, question_id, position, response, correct, "
                    "answered_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (attempt_id, question_id, positions[question_id], json.dumps(response),
                     int(correct), _iso(now)))
                answered = {r["question_id"] for r in conn.execute(
                    "SELECT question_id FROM quiz_answers WHERE attempt_id = ?", (attempt_id,))}
        if expired:
            raise TimeUp(self._result(self._attempt_row(attempt_id), new))
        next_index = next((n for n, s in enumerate(drawn) if s.question.id not in answered), len(drawn))
        feedback = _feedback_for(shown, response)
        show_now = info.feedback == "each"
        explanation = shown.question.explanation
        return AnswerFeedback(
            attempt_id=attempt_id, question_id=question_id, correct=correct,
            feedback=feedback, explanation=explanation,
            show_now=show_now, next_index=next_index,
            all_answered=next_index == len(drawn),
            feedback_html=feedback_html(feedback) if show_now else "",
            explanation_html=quiz_text_html(explanation) if show_now and explanation else "")

    # --- finishing --------------------------------------------------------------------------

    def finish(self, attempt_id: int, now: datetime | None = None) -> AttemptResult:
        """Score the attempt (unanswered questions are wrong), close it and evaluate credentials.

        After the deadline the attempt closes as expired. Finishing an attempt that is already
        closed changes nothing and returns its result again (the timer and the last answer may
        both ask)."""
        now = _now(now)
        new: tuple[EarnedCredential, ...] = ()
        with self.store.transaction() as conn:
            row = self._attempt_row(attempt_id, conn)
            if row["status"] == "open":
                info, drawn = self._draw_of(row)
                deadline = _parse_time(row["deadline_at"])
                if deadline is not None and now >= deadline:
                    new = self._close(conn, row, info, drawn, "expired", deadline)
                else:
                    new = self._close(conn, row, info, drawn, "finished", now)
        return self._result(self._attempt_row(attempt_id), new)

    # --- internals --------------------------------------------------------------------------

    def _draw_of(self, row: Any) -> tuple[QuizInfo, tuple[DrawnQuestion, ...]]:
        """The attempt's stored draw, parsed once while the same attempt is answered (the parsed
        draw is immutable; it is reused only while the stored text is the same)."""
        attempt_id, text = int(row["id"]), row["draw"]
        cached = self._draw
        if cached is not None and cached[0] == attempt_id and cached[1] == text:
            return cached[2], cached[3]
        info, parsed = _load_draw(text)
        drawn = tuple(parsed)
        self._draw = (attempt_id, text, info, drawn)
        return info, drawn

    def _check_learner(self, learner_id: int) -> None:
        if self.store.one("SELECT 1 FROM learners WHERE id = ?", (learner_id,)) is None:
            raise QuizAttemptError(f"There is no learner with id {learner_id} on this laptop.",
                                   "Choose your profile again from the list of learners.")

    def _load_quiz(self, pack_id: str, quiz_id: str) -> Quiz:
        pack = self.manager.get(pack_id)
        if pack is None:
            raise QuizAttemptError(f"No course pack {pack_id!r} is installed on this laptop.",
                                   "Ask the technician to install it.")
        row = self.store.one(
            "SELECT path FROM pack_items WHERE pack_id = ? AND item_id = ? AND kind = 'quiz'", (pack_id, quiz_id))
        if row is None:
            raise QuizAttemptError(f"The course {pack.title!r} has no quiz {quiz_id!r}.",
                                   "Choose the quiz again from the library; the course may have been updated.")
        path = row["path"]
        try:
            data = (pack.folder / path).read_bytes()
        except OSError as exc:
            raise QuizAttemptError(f"The quiz file {path} of {pack.title!r} cannot be read ({exc.strerror}).",
                                   "Ask the technician to reinstall the course.") from exc
        return parse_quiz(data, path=path, expected_id=quiz_id)

    def _attempt_row(self, attempt_id: int, conn: Any = None) -> Any:
        source = conn if conn is not None else self.store.conn
        row = source.execute("SELECT * FROM quiz_attempts WHERE id = ?", (attempt_id,)).fetchone()
        if row is None:
            raise QuizAttemptError(f"There is no quiz attempt {attempt_id}.",
                                   "Open the quiz again from the library.")
        return row

    def _settle_overdue(self, learner_id: int, pack_id: str, quiz_id: str, now: datetime) -> None:
        """Close, as expired, an open attempt whose deadline passed while nobody was answering."""
        sql = ("SELECT * FROM quiz_attempts WHERE learner_id = ? AND pack_id = ? AND quiz_id = ? "
               "AND status = 'open' AND deadline_at IS NOT NULL AND deadline_at <= ?")
        params = (learner_id, pack_id, quiz_id, _iso(now))
        if self.store.one(sql, params) is None:  # the usual case: no write lock taken
            return
        with self.store.transaction() as conn:
            row = conn.execute(sql, params).fetchone()
            if row is not None:
                info, drawn = self._draw_of(row)
                self._close(conn, row, info, drawn, "expired", _parse_time(row["deadline_at"]) or now)

    def _close(self, conn: Any, row: Any, info: QuizInfo, drawn: Sequence[DrawnQuestion],
               status: AttemptStatus, at: datetime) -> tuple[EarnedCredential, ...]:
        """Score and close an open attempt inside ``conn``'s transaction, announce it and evaluate
        the learner's credentials in the same transaction; returns the credentials newly earned."""
        answers = _answers(conn, int(row["id"]))
        earned = sum(s.question.points for s in drawn if s.question.id in answers and answers[s.question.id].correct)
        possible = sum(s.question.points for s in drawn)
        passed = meets_pass_mark(info.pass_mark, earned, possible)
        conn.execute(
            "UPDATE quiz_attempts SET status = ?, finished_at = ?, earned = ?, possible = ?, passed = ? "
            "WHERE id = ? AND status = 'open'",
            (status, _iso(at), earned, possible, int(passed), row["id"]))
        return tuple(attempt_finished(conn, int(row["id"])))

    def _status(self, learner_id: int, pack_id: str, quiz: Quiz, now: datetime) -> QuizStatus:
        conn = self.store.conn
        rows = conn.execute(
            "SELECT * FROM quiz_attempts WHERE learner_id = ? AND pack_id = ? AND quiz_id = ? ORDER BY id",
            (learner_id, pack_id, quiz.id)).fetchall()
        closed = [r for r in rows if r["status"] != "open"]
        open_row = next((r for r in rows if r["status"] == "open"), None)
        best = max((r["earned"] / r["possible"] for r in closed if r["possible"]), default=None)
        last = _summary(closed[-1]) if closed else None
        readiness: Readiness = Ready() if open_row is not None else self._readiness(
            conn, learner_id, pack_id, quiz, now)
        return QuizStatus(
            quiz=_info(pack_id, quiz), attempts_used=len(rows), max_attempts=quiz.max_attempts,
            best_scaled=best, passed=any(r["passed"] for r in closed),
            open_attempt_id=int(open_row["id"]) if open_row is not None else None,
            readiness=readiness, last=last)

    def _readiness(self, conn: Any, learner_id: int, pack_id: str, quiz: Quiz, now: datetime) -> Readiness:
        rows = conn.execute(
            "SELECT status, passed, finished_at FROM quiz_attempts WHERE learner_id = ? AND pack_id = ? "
            "AND quiz_id = ? ORDER BY id", (learner_id, pack_id, quiz.id)).fetchall()
        if quiz.max_attempts is not None and len(rows) >= quiz.max_attempts:
            return Blocked(f"All {quiz.max_attempts} attempts at {quiz.title!r} have been used.",
                           None, "attempt_limit")
        closed = [r for r in rows if r["status"] != "open"]
        if closed and not closed[-1]["passed"] and quiz.cooldown_minutes > 0:
            finished = _parse_time(closed[-1]["finished_at"])
            if finished is not None:
                retry_at = finished + timedelta(minutes=quiz.cooldown_minutes)
                if now < retry_at:
                    return Blocked(
                        f"After an attempt that did not pass, {quiz.title!r} can be tried again "
                        f"{_minutes(quiz.cooldown_minutes)} later.", retry_at, "cooldown")
        return Ready()

    def _attempt_view(self, row: Any, now: datetime) -> Attempt:
        info, drawn = self._draw_of(row)
        deadline = _parse_time(row["deadline_at"])
        remaining = None
        if deadline is not None:
            remaining = max(0.0, (deadline - now).total_seconds()) if row["status"] == "open" else 0.0
        return Attempt(
            id=int(row["id"]), learner_id=int(row["learner_id"]), quiz=info, questions=tuple(drawn),
            answers=_answers(self.store.conn, int(row["id"])), started_at=_parse_time(row["started_at"]) or now,
            deadline_at=deadline, status=row["status"], remaining_seconds=remaining)

    def _result(self, row: Any, new: Sequence[EarnedCredential]) -> AttemptResult:
        info, drawn = self._draw_of(row)
        answers = _answers(self.store.conn, int(row["id"]))
        review = []
        for index, shown in enumerate(drawn):
            record = answers.get(shown.question.id)
            review.append(ReviewItem(
                index=index, question=shown.question, shown=shown, answered=record is not None,
                response=record.response if record else None, correct=bool(record and record.correct),
                feedback=_feedback_for(shown, record.response) if record else (),
                explanation=shown.question.explanation))
        return AttemptResult(
            attempt_id=int(row["id"]), quiz=info, status=row["status"], earned=int(row["earned"]),
            possible=int(row["possible"]), passed=bool(row["passed"]),
            finished_at=_parse_time(row["finished_at"]) or _now(None), review=tuple(review),
            new_credentials=tuple(new))


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


TEXT_HTML_KEPT: Final = 512  # quiz texts kept rendered (a quiz's feedback and explanations, a few KB each)
_text_html: OrderedDict[str, str] = OrderedDict()  # Markdown -> safe HTML, least recently used first
_text_html_lock = threading.Lock()  # the GUI thread renders prompts while the worker renders feedback


def quiz_text_html(markdown_text: str) -> str:
    """A prompt, feedback or explanation as safe rich text: Markdown rendered, then an allow-list
    with no images, links, scripts or styles (their words stay, nothing is ever loaded). The result
    is kept for the text (a pure function of it), so feedback prepared while the learner reads the
    question (``prepare_feedback``) costs nothing when the answer comes."""
    with _text_html_lock:
        cached = _text_html.get(markdown_text)
        if cached is not None:
            _text_html.move_to_end(markdown_text)
            return cached
    rendered = nh3.clean(render_markdown(markdown_text), tags=_TEXT_TAGS, attributes={},
                         clean_content_tags={"script", "style"})
    with _text_html_lock:
        _text_html[markdown_text] = rendered
        while len(_text_html) > TEXT_HTML_KEPT:
            _text_html.popitem(last=False)
    return rendered


def prepare_feedback(question: Question) -> None:
    """Render (and keep, see quiz_text_html) every feedback text and the explanation ``question`` can
    show after an answer, so answering it renders nothing. Run it on the worker while the question is shown."""
    texts = [o.feedback for o in question.options if o.feedback]
    texts += [t for t in (question.feedback_true, question.feedback_false, question.explanation) if t]
    for text in texts:
        quiz_text_html(text)


def feedback_html(choices: Sequence[ChoiceFeedback]) -> str:
    """The author's feedback for what was chosen as safe rich text: each option's text in bold (escaped),
    then its feedback (quiz_text_html)."""
    parts = []
    for choice in choices:
        text = quiz_text_html(choice.text)
        if choice.choice:
            parts.append(f"<p><b>{html.escape(choice.choice)}</b></p>{text}")
        else:
            parts.append(text)
    return "".join(parts)


def _now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC).replace(microsecond=0)
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime (UTC)")
    return now.astimezone(UTC).replace(microsecond=0)


def _iso(moment: datetime) -> str:
    """The store's timestamp format (the same as mcdesk.store.db.utcnow)."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _minutes(minutes: float) -> str:
    whole = round(minutes)
    if math.isclose(minutes, whole):
        return f"{whole} minute" if whole == 1 else f"{whole} minutes"
    return f"{minutes:g} minutes"


def _closed_word(status: str) -> str:
    return "closed because its time ran out" if status == "expired" else "finished"


def _info(pack_id: str, quiz: Quiz) -> QuizInfo:
    return QuizInfo(pack_id=pack_id, quiz_id=quiz.id, title=quiz.title, pass_mark=quiz.pass_mark,
                    feedback=quiz.feedback, question_count=quiz.asked_count,
                    time_limit_minutes=quiz.time_limit_minutes, max_attempts=quiz.max_attempts,
                    cooldown_minutes=quiz.cooldown_minutes)


def _summary(row: Any) -> AttemptSummary:
    return AttemptSummary(id=int(row["id"]), status=row["status"], earned=int(row["earned"] or 0),
                          possible=int(row["possible"] or 0), passed=bool(row["passed"]),
                          finished_at=_parse_time(row["finished_at"]) or datetime.now(UTC))


def _answers(conn: Any, attempt_id: int) -> dict[str, AnswerRecord]:
    rows = conn.execute("SELECT question_id, response, correct FROM quiz_answers WHERE attempt_id = ? "
                        "ORDER BY position", (attempt_id,)).fetchall()
    return {r["question_id"]: AnswerRecord(json.loads(r["response"]), bool(r["correct"])) for r in rows}


# The draw is stored whole (the questions as drawn, with their display orders), so a resumed
# attempt neither re-draws nor depends on the pack staying the same version.


def _dump_draw(info: QuizInfo, drawn: Sequence[DrawnQuestion]) -> str:
    return json.dumps({
        "format": DRAW_FORMAT,
        "quiz": asdict(info),
        "questions": [{"question": asdict(s.question), "option_order": list(s.option_order),
                       "item_order": list(s.item_order), "right_order": list(s.right_order)} for s in drawn],
    }, ensure_ascii=False, separators=(",", ":"))


def _load_draw(text: str) -> tuple[QuizInfo, list[DrawnQuestion]]:
    data = json.loads(text)
    if data.get("format") != DRAW_FORMAT:
        raise QuizAttemptError("This quiz attempt was saved by a newer version of mcdesk.",
                               "Update mcdesk to continue it.")
    info = QuizInfo(**data["quiz"])
    drawn = [DrawnQuestion(_question(d["question"]), tuple(d["option_order"]), tuple(d["item_order"]),
                           tuple(d["right_order"])) for d in data["questions"]]
    return info, drawn


def _question(d: dict[str, Any]) -> Question:
    return Question(**{
        **d,
        "options": tuple(Option(**o) for o in d["options"]),
        "items": tuple(OrderItem(**i) for i in d["items"]),
        "pairs": tuple(Pair(**p) for p in d["pairs"]),
        "accepted": tuple(d["accepted"]),
    })


def _feedback_for(shown: DrawnQuestion, response: Any) -> tuple[ChoiceFeedback, ...]:
    """The author's feedback for what was chosen, in display order."""
    question = shown.question
    if question.type in ("single", "multiple"):
        chosen = {response} if isinstance(response, str) else set(response or ())
        by_id = {o.id: o for o in question.options}
        return tuple(ChoiceFeedback(by_id[oid].text, by_id[oid].feedback or "")
                     for oid in shown.option_order if oid in chosen and by_id[oid].feedback)
    if question.type == "true_false":
        text = question.feedback_true if response is True else question.feedback_false
        return (ChoiceFeedback("", text),) if text else ()
    return ()


def _check_response(question: Question, response: Any) -> None:
    """Refuse what is not an answer to this question at all (a slip, not a wrong answer), so it
    never uses up the question."""

    def refuse(problem: str, hint: str) -> None:
        raise AnswerRefused(problem, hint)

    try:
        size = len(json.dumps(response))
    except (TypeError, ValueError):
        refuse("That answer cannot be saved.", "Answer again.")
    if size > MAX_RESPONSE_JSON:
        refuse("That answer is too long.", "Write a shorter answer.")
    kind = question.type
    if kind == "single":
        if not isinstance(response, str) or response not in {o.id for o in question.options}:
            refuse("No option was chosen.", "Choose one of the options.")
    elif kind == "multiple":
        ids = {o.id for o in question.options}
        if (not isinstance(response, list) or not response
                or not all(isinstance(r, str) and r in ids for r in response) or len(set(response)) != len(response)):
            refuse("No option was chosen.", "Choose one or more of the options.")
    elif kind == "true_false":
        if not isinstance(response, bool):
            refuse("Neither true nor false was chosen.", "Choose true or false.")
    elif kind == "numeric":
        if isinstance(response, bool) or not isinstance(response, str | int | float):
            refuse("No number was given.", "Type a number.")
        if isinstance(response, str) and _numeric_value(question, response) is None:
            refuse(f"{response.strip()[:40]!r} is not a number.",
                   "Type a number such as 12 or 2.5 (a comma works too: 2,5).")
    elif kind == "short_text":
        if not isinstance(response, str) or not response.strip():
            refuse("No answer was typed.", "Type your answer.")
    elif kind == "ordering":
        ids = [i.id for i in question.items]
        if (not isinstance(response, list) or not all(isinstance(r, str) for r in response)
                or sorted(response) != sorted(ids)):
            refuse("The answer does not put every item in order.", "Arrange all the items, then answer.")
    elif kind == "matching":
        ids = {p.id for p in question.pairs}
        if (not isinstance(response, dict) or set(response) != ids
                or not all(isinstance(v, str) and v in ids for v in response.values())):
            refuse("Not every item has been matched.", "Choose a match for every item, then answer.")


def _numeric_value(question: Question, text: str) -> float | None:
    """The number in a learner's text, allowing the question's unit after it ("1024 bytes")."""
    value = parse_number(text)
    if value is None and question.unit:
        cleaned = " ".join(text.split())
        unit = " ".join(question.unit.split())
        if cleaned.casefold().endswith(unit.casefold()):
            value = parse_number(cleaned[: len(cleaned) - len(unit)])
    return value
