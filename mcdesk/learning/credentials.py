"""Credentials earned on this laptop: criteria checked locally, "earned — awaiting verification", the wallet.

Completion events are the seam for the next issues (signed evidence, issued credentials). Whenever a
learner completes a lesson (``progress.mark_lesson_complete``), finishes a quiz attempt (the quiz
engine calls ``attempt_finished``) or earns a credential (``evaluate``), every registered
``CompletionListener`` is called with the open database connection, *inside the transaction that
records the event*: a listener that writes (an evidence record in the outbox) commits or rolls back
together with the event, and a listener that raises undoes it. Register with ``add_listener`` (it
returns a function that removes the listener again).

Before any listener, ``notify`` appends the event's signed evidence record to the outbox
(mcdesk.evidence.outbox.record_event), in the same transaction: every front end (GUI, CLI, tests,
selftest) that records a completion records its evidence, and neither exists without the other.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from mcdesk.errors import McdeskError
from mcdesk.packs.manifest import Skill
from mcdesk.store.db import Store, utcnow

AWAITING_VERIFICATION = "awaiting_verification"
ISSUED = "issued"
REVOKED = "revoked"
INVALID = "invalid"

# --- completion events and their listeners --------------------------------------------------


@dataclass(frozen=True)
class LessonCompleted:
    learner_id: int
    pack_id: str
    lesson_id: str
    completed_at: str


@dataclass(frozen=True)
class AttemptFinished:
    learner_id: int
    attempt_id: int
    pack_id: str
    pack_version: int
    quiz_id: str
    earned: int
    possible: int
    passed: bool
    started_at: str
    finished_at: str


@dataclass(frozen=True)
class CredentialEarned:
    learner_id: int
    credential_ref: str
    title: str
    earned_at: str
    score: float | None


CompletionEvent = LessonCompleted | AttemptFinished | CredentialEarned


class CompletionListener(Protocol):
    """Told about each completion inside the transaction that records it; raising rolls it back."""

    def completed(self, conn: sqlite3.Connection, event: CompletionEvent) -> None: ...


_listeners: list[CompletionListener] = []


def add_listener(listener: CompletionListener) -> Callable[[], None]:
    """Register ``listener``; returns a function that unregisters it."""
    _listeners.append(listener)

    def remove() -> None:
        if listener in _listeners:
            _listeners.remove(listener)

    return remove


def notify(conn: sqlite3.Connection, event: CompletionEvent) -> None:
    """Record the event's evidence, then call every listener in registration order, inside the
    caller's open transaction."""
    if not conn.in_transaction:
        raise McdeskError("Internal error: a completion was announced outside a database transaction.")
    from mcdesk.evidence.outbox import record_event  # signing is loaded at the first completion, not at start

    record_event(conn, event)
    for listener in list(_listeners):
        listener.completed(conn, event)


def attempt_finished(conn: sqlite3.Connection, attempt_id: int) -> list[EarnedCredential]:
    """For the quiz engine, in the transaction that finishes attempt ``attempt_id``: announce it and
    evaluate the learner's credentials; returns the credentials newly earned."""
    row = conn.execute("SELECT * FROM quiz_attempts WHERE id = ?", (attempt_id,)).fetchone()
    # An expired attempt (time ran out) is scored on the answers given in time, and counts.
    if row is None or row["status"] not in ("finished", "expired"):
        raise McdeskError(f"Internal error: quiz attempt {attempt_id} is not a finished attempt.")
    notify(conn, AttemptFinished(
        learner_id=row["learner_id"], attempt_id=row["id"], pack_id=row["pack_id"],
        pack_version=row["pack_version"], quiz_id=row["quiz_id"], earned=int(row["earned"] or 0),
        possible=int(row["possible"] or 0), passed=bool(row["passed"]), started_at=row["started_at"],
        finished_at=row["finished_at"] or utcnow()))
    return evaluate_in(conn, int(row["learner_id"]))


# --- credential definitions and what a learner has done ---------------------------------------


@dataclass(frozen=True)
class CredentialDef:
    """A credential offered by an installed pack, read back from the manifest JSON."""

    ref: str
    pack_id: str
    id: str
    title: str
    description: str
    narrative: str
    lessons: tuple[str, ...]
    quizzes: tuple[str, ...]
    credentials: tuple[str, ...]
    skills: tuple[Skill, ...]
    level: str
    estimated_hours: float
    stacks_into: tuple[str, ...]

    @property
    def stacked(self) -> bool:
        return bool(self.credentials)


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def parse_definition(ref: str, pack_id: str, definition: str | dict) -> CredentialDef:
    """The credential object of a manifest (validated at install) as a CredentialDef."""
    raw = json.loads(definition) if isinstance(definition, str) else definition
    criteria = raw.get("criteria") if isinstance(raw.get("criteria"), dict) else {}
    skills = []
    for skill in raw.get("skills") or []:
        if isinstance(skill, dict) and isinstance(skill.get("name"), str):
            skills.append(Skill(skill["name"], skill.get("framework"), skill.get("url"), skill.get("code")))
    hours = raw.get("estimated_hours")
    return CredentialDef(
        ref=ref, pack_id=pack_id, id=str(raw.get("id") or ref.rsplit("/", 1)[-1]),
        title=str(raw.get("title") or ref), description=str(raw.get("description") or ""),
        narrative=str(criteria.get("narrative") or ""), lessons=_strings(criteria.get("lessons")),
        quizzes=_strings(criteria.get("quizzes")), credentials=_strings(criteria.get("credentials")),
        skills=tuple(skills), level=str(raw.get("level") or ""),
        estimated_hours=float(hours) if isinstance(hours, int | float) and hours > 0 else 0.0,
        stacks_into=_strings(raw.get("stacks_into")),
    )


def offered(conn: sqlite3.Connection) -> list[CredentialDef]:
    """Every credential of the installed packs; credentials that need others come last."""
    rows = conn.execute("SELECT c.ref, c.pack_id, c.definition FROM credentials c JOIN packs p ON p.id = c.pack_id "
                        "ORDER BY p.title, c.pack_id, c.rowid").fetchall()
    defs = [parse_definition(r["ref"], r["pack_id"], r["definition"]) for r in rows]
    return sorted(defs, key=lambda d: d.stacked)


@dataclass(frozen=True)
class QuizResult:
    best: float  # the best scaled score (earned ÷ possible) of the finished attempts
    passed: bool  # at least one finished attempt passed


@dataclass(frozen=True)
class LearnerRecord:
    """What one learner has done: completed lessons and finished quizzes, keyed by (pack id, item id)."""

    lessons: frozenset[tuple[str, str]]
    quizzes: dict[tuple[str, str], QuizResult]
    held: dict[str, float | None]  # credential ref -> score, for credentials held (not revoked)

    def lesson_done(self, pack_id: str, lesson_id: str) -> bool:
        return (pack_id, lesson_id) in self.lessons

    def quiz_passed(self, pack_id: str, quiz_id: str) -> bool:
        result = self.quizzes.get((pack_id, quiz_id))
        return bool(result and result.passed)


def learner_record(conn: sqlite3.Connection, learner_id: int) -> LearnerRecord:
    lessons = frozenset((r["pack_id"], r["lesson_id"]) for r in conn.execute(
        "SELECT pack_id, lesson_id FROM lesson_progress WHERE learner_id = ?", (learner_id,)))
    quizzes = {
        (r["pack_id"], r["quiz_id"]): QuizResult(float(r["best"] or 0.0), bool(r["passed"]))
        for r in conn.execute(
            "SELECT pack_id, quiz_id, MAX(CASE WHEN possible > 0 THEN CAST(earned AS REAL) / possible END) AS best, "
            "MAX(passed = 1) AS passed FROM quiz_attempts WHERE learner_id = ? "
            "AND status IN ('finished', 'expired') GROUP BY pack_id, quiz_id", (learner_id,))
    }
    held = {r["credential_ref"]: r["score"] for r in conn.execute(
        "SELECT credential_ref, score FROM earned_credentials WHERE learner_id = ? AND status != ?",
        (learner_id, REVOKED))}
    return LearnerRecord(lessons, quizzes, held)


def criteria_met(cred: CredentialDef, record: LearnerRecord) -> bool:
    if not (cred.lessons or cred.quizzes or cred.credentials):
        return False
    if cred.stacked:
        return all(ref in record.held for ref in cred.credentials)
    return (all(record.lesson_done(cred.pack_id, lesson) for lesson in cred.lessons)
            and all(record.quiz_passed(cred.pack_id, quiz) for quiz in cred.quizzes))


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def credential_score(cred: CredentialDef, record: LearnerRecord) -> float | None:
    """Mean of the best scaled scores of the credential's quizzes; for a stacked one, of its parts'
    scores. None when there is nothing scored (a lessons-only credential)."""
    if cred.stacked:
        return _mean([s for ref in cred.credentials if (s := record.held.get(ref)) is not None])
    return _mean([result.best for quiz in cred.quizzes
                  if (result := record.quizzes.get((cred.pack_id, quiz))) is not None])


# --- evaluation --------------------------------------------------------------------------------


@dataclass(frozen=True)
class EarnedCredential:
    learner_id: int
    ref: str
    title: str
    earned_at: str
    score: float | None
    status: str


def evaluate(store: Store, learner_id: int) -> list[EarnedCredential]:
    """Record every credential whose criteria the learner now meets; returns the newly earned ones."""
    with store.transaction() as conn:
        return evaluate_in(conn, learner_id)


def evaluate_in(conn: sqlite3.Connection, learner_id: int) -> list[EarnedCredential]:
    """``evaluate`` inside a transaction the caller already holds (so the event and the credential
    it completes are committed together)."""
    if conn.execute("SELECT 1 FROM learners WHERE id = ?", (learner_id,)).fetchone() is None:
        raise McdeskError(f"There is no learner with id {learner_id}.", "Choose a learner profile first.")
    defs = offered(conn)
    record = learner_record(conn, learner_id)
    held = dict(record.held)
    # A credential is recorded once; a revoked one is not earned again by itself.
    recorded = {r["credential_ref"] for r in conn.execute(
        "SELECT credential_ref FROM earned_credentials WHERE learner_id = ?", (learner_id,))}
    earned: list[EarnedCredential] = []
    changed = True
    while changed:  # stacked credentials are met only once their parts are held
        changed = False
        for cred in defs:
            current = LearnerRecord(record.lessons, record.quizzes, held)
            if cred.ref in recorded or not criteria_met(cred, current):
                continue
            score = credential_score(cred, current)
            at = utcnow()
            definition = conn.execute("SELECT definition FROM credentials WHERE ref = ?", (cred.ref,)).fetchone()
            conn.execute(
                "INSERT INTO earned_credentials (learner_id, credential_ref, title, earned_at, score, status, "
                "definition) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (learner_id, cred.ref, cred.title, at, score, AWAITING_VERIFICATION, definition["definition"]))
            held[cred.ref] = score
            recorded.add(cred.ref)
            earned.append(EarnedCredential(learner_id, cred.ref, cred.title, at, score, AWAITING_VERIFICATION))
            notify(conn, CredentialEarned(learner_id, cred.ref, cred.title, at, score))
            changed = True
    return earned


# --- the wallet --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StackTarget:
    """A larger credential an earned one counts toward, and how far the learner is along it."""

    ref: str
    title: str | None  # None when the pack offering it is not installed
    held: bool
    parts_held: int
    parts_total: int


@dataclass(frozen=True)
class WalletEntry:
    ref: str
    title: str
    description: str
    narrative: str
    level: str
    skills: tuple[Skill, ...]
    earned_at: str | None  # None for a credential the institution issued that was not earned on this laptop
    score: float | None  # 0..1
    # awaiting_verification: earned here, not issued yet; issued: issued and verified offline against a
    # pinned issuer key; revoked: the institution revoked it (status_reason says why); invalid: what
    # arrived does not verify (status_reason says why) - never shown as verified.
    status: str
    stacked: bool
    parts: tuple[str, ...]  # for a stacked credential: the credentials it is made of
    stacks_into: tuple[StackTarget, ...]
    credential_id: str | None = None  # the issued credential's id (for export), once one arrived
    issued_at: str | None = None
    status_checked_at: str | None = None  # the last revocation check against the hub's status list
    status_reason: str | None = None

    @property
    def verified(self) -> bool:
        return self.status == ISSUED


_WALLET_STATUS = {"valid": ISSUED, "revoked": REVOKED, "invalid": INVALID}
_PREFERENCE = {"valid": 0, "revoked": 1, "invalid": 2}


def wallet(store: Store, learner_id: int) -> list[WalletEntry]:
    """The learner's credentials, newest first: those earned here (awaiting verification until the
    institution's credential arrives and verifies) and those the institution issued."""
    from mcdesk.credentials.device import IssuedCredential, issued_for

    conn = store.conn
    rows = conn.execute("SELECT * FROM earned_credentials WHERE learner_id = ? ORDER BY earned_at DESC, rowid DESC",
                        (learner_id,)).fetchall()
    issued: dict[str, IssuedCredential] = {}
    for item in issued_for(conn, learner_id):  # newest first: keep the best of each ref
        best = issued.get(item.ref)
        if best is None or _PREFERENCE[item.status] < _PREFERENCE[best.status]:
            issued[item.ref] = item
    held = {r["credential_ref"] for r in rows if r["status"] != REVOKED}
    held |= {ref for ref, item in issued.items() if item.status == "valid"}
    installed = {d.ref: d for d in offered(conn)}
    entries = []
    for row in rows:
        cred = parse_definition(row["credential_ref"], row["credential_ref"].rsplit("/", 1)[0], row["definition"])
        entries.append(_entry(cred, row["title"], row["earned_at"], row["score"], row["status"],
                              issued.pop(row["credential_ref"], None), installed, held))
    for ref, item in issued.items():  # issued by the institution but not earned on this laptop
        cred = installed.get(ref) or _definition_from(item)
        entries.append(_entry(cred, cred.title, None, None, AWAITING_VERIFICATION, item, installed, held))
    entries.sort(key=lambda e: e.earned_at or e.issued_at or "", reverse=True)
    return entries


def _entry(cred: CredentialDef, title: str, earned_at: str | None, score: float | None, status: str,
           item: Any, installed: dict[str, CredentialDef], held: set[str]) -> WalletEntry:
    targets = []
    for ref in cred.stacks_into:
        target = installed.get(ref)
        parts = target.credentials if target else ()
        targets.append(StackTarget(ref, target.title if target else None, ref in held,
                                   sum(1 for p in parts if p in held), len(parts)))
    if item is not None:
        status = _WALLET_STATUS[item.status]
    return WalletEntry(
        ref=cred.ref, title=title, description=cred.description, narrative=cred.narrative, level=cred.level,
        skills=cred.skills, earned_at=earned_at, score=score, status=status, stacked=cred.stacked,
        parts=cred.credentials, stacks_into=tuple(targets),
        credential_id=item.credential_id if item else None, issued_at=item.issued_at if item else None,
        status_checked_at=item.status_checked_at if item else None,
        status_reason=item.status_reason if item and item.status != "valid" else None)


def _definition_from(item: Any) -> CredentialDef:
    """A credential definition from an issued credential's achievement (its pack is not installed)."""
    credential = item.credential or {}
    subject = credential.get("credentialSubject") if isinstance(credential.get("credentialSubject"), dict) else {}
    achievement = subject.get("achievement") if isinstance(subject.get("achievement"), dict) else {}
    criteria = achievement.get("criteria") if isinstance(achievement.get("criteria"), dict) else {}
    return parse_definition(item.ref, item.ref.rsplit("/", 1)[0], {
        "id": item.ref.rsplit("/", 1)[-1], "title": str(achievement.get("name") or item.name),
        "description": str(achievement.get("description") or ""),
        "criteria": {"narrative": str(criteria.get("narrative") or "")}})
