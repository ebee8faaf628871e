"""Quiz files of pack format v1 (docs/pack-format.md section 4): the model, the validating parser,
per-attempt draws and shuffles, answer normalisation and grading. Core code: no Qt here.
"""

from __future__ import annotations

import json
import math
import random
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Final, Literal, NoReturn, TypeAlias, cast, get_args

from mcdesk.errors import QuizError

__all__ = [
    "MAX_NESTING",
    "MAX_QUESTIONS",
    "MAX_QUIZ_BYTES",
    "QUESTION_TYPES",
    "DrawnQuestion",
    "FeedbackMode",
    "Option",
    "OrderItem",
    "Pair",
    "Pool",
    "Question",
    "QuestionType",
    "Quiz",
    "draw_questions",
    "grade",
    "meets_pass_mark",
    "normalise_text",
    "parse_number",
    "parse_quiz",
    "score",
]

QuestionType: TypeAlias = Literal[
    "single", "multiple", "true_false", "numeric", "short_text", "ordering", "matching"
]
FeedbackMode: TypeAlias = Literal["each", "end"]

QUESTION_TYPES: Final[tuple[str, ...]] = get_args(QuestionType)

# Guards against absurd or hostile files. None of them limits a sensible quiz.
MAX_QUIZ_BYTES: Final = 4 * 1024 * 1024
MAX_QUESTIONS: Final = 1_000  # fixed questions plus every pool's questions
MAX_POOLS: Final = 100
MAX_NESTING: Final = 16  # a valid quiz file nests 7 deep at most
MAX_ACCEPTED: Final = 100
MAX_POINTS: Final = 1_000
MAX_TITLE_CHARS: Final = 200
MAX_UNIT_CHARS: Final = 50
MAX_TEXT_CHARS: Final = 20_000
MIN_CHOICES: Final = 2
MAX_CHOICES: Final = 10  # options, ordering items and matching pairs
MAX_RESPONSE_CHARS: Final = 10_000  # longer free-text answers are simply wrong

_ID_RE: Final = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
# A JSON string, or an unterminated one running to the end: always matches from any quote, and
# possessively, so scanning hostile text stays linear.
_JSON_STRING_RE: Final = re.compile(r'"(?:[^"\\]++|\\.)*+(?:"|\\?\Z)', re.DOTALL)
_JSON_BRACKET_RE: Final = re.compile(r"[\[\]{}]")
_NUMBER_RE: Final = re.compile(r"([+-]?)(\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d{1,4})?")

_SPEC: Final = "See section 4 of docs/pack-format.md."
_TYPE_NAMES: Final[dict[str, str]] = {
    "single": "single-choice",
    "multiple": "multiple-choice",
    "true_false": "true/false",
    "numeric": "numeric",
    "short_text": "short-text",
    "ordering": "ordering",
    "matching": "matching",
}


# --------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Option:
    """One choice of a single- or multiple-choice question."""

    id: str
    text: str
    correct: bool
    feedback: str | None = None


@dataclass(frozen=True, slots=True)
class OrderItem:
    """One item of an ordering question; a question lists its items in the correct order."""

    id: str
    text: str


@dataclass(frozen=True, slots=True)
class Pair:
    """One pair of a matching question: ``left`` is matched to its own ``right``."""

    id: str
    left: str
    right: str


@dataclass(frozen=True, slots=True)
class Question:
    """One question of any type: the single question type the rest of the app uses.

    ``type`` says which of the type-specific fields mean something; the others keep their defaults:

    - ``single`` / ``multiple``: ``options`` and ``shuffle`` (shuffle the options per attempt);
    - ``true_false``: ``answer`` (a bool), ``feedback_true`` / ``feedback_false`` (shown to a
      learner who answered true / false);
    - ``numeric``: ``answer`` (a finite float), ``tolerance`` (≥ 0), ``unit``;
    - ``short_text``: ``accepted`` (as written by the author) and ``case_sensitive``;
    - ``ordering``: ``items``, in the correct order;
    - ``matching``: ``pairs``.
    """

    id: str
    type: QuestionType
    prompt: str
    explanation: str | None = None
    points: int = 1
    options: tuple[Option, ...] = ()
    shuffle: bool = True
    answer: bool | float | None = None
    tolerance: float = 0.0
    unit: str | None = None
    accepted: tuple[str, ...] = ()
    case_sensitive: bool = False
    items: tuple[OrderItem, ...] = ()
    pairs: tuple[Pair, ...] = ()
    feedback_true: str | None = None
    feedback_false: str | None = None

    @property
    def correct_option_ids(self) -> frozenset[str]:
        """Ids of the correct options (empty for questions without options)."""
        return frozenset(option.id for option in self.options if option.correct)


@dataclass(frozen=True, slots=True)
class Pool:
    """A pool of questions: each attempt draws ``draw`` of them."""

    id: str
    draw: int
    questions: tuple[Question, ...]


@dataclass(frozen=True, slots=True)
class Quiz:
    """A parsed, valid quiz file. ``max_attempts`` None means unlimited attempts."""

    id: str
    title: str
    pass_mark: float
    feedback: FeedbackMode = "each"
    max_attempts: int | None = None
    cooldown_minutes: float = 0.0
    time_limit_minutes: float | None = None
    shuffle_questions: bool = True
    questions: tuple[Question, ...] = ()
    pools: tuple[Pool, ...] = ()

    @property
    def asked_count(self) -> int:
        """How many questions one attempt asks: the fixed ones plus every pool's draw."""
        return len(self.questions) + sum(pool.draw for pool in self.pools)

    @property
    def all_questions(self) -> tuple[Question, ...]:
        """Every question of the quiz, fixed ones first, then each pool's in file order."""
        return self.questions + tuple(q for pool in self.pools for q in pool.questions)


@dataclass(frozen=True, slots=True)
class DrawnQuestion:
    """A question as one attempt shows it: the display order of its choices, by id.

    ``option_order`` is set for single/multiple questions, ``item_order`` for ordering questions
    and ``right_order`` (pair ids, in the order the right sides are shown) for matching questions;
    the others are empty.
    """

    question: Question
    option_order: tuple[str, ...] = ()
    item_order: tuple[str, ...] = ()
    right_order: tuple[str, ...] = ()


# --------------------------------------------------------------------------------------------
# Text and numbers
# --------------------------------------------------------------------------------------------


def normalise_text(s: str, case_sensitive: bool = False) -> str:
    """Normalise a short-text answer: NFKC, whitespace trimmed and collapsed to single spaces,
    trailing ``.``, ``!`` and ``?`` removed, and case folded unless ``case_sensitive``."""
    text = " ".join(unicodedata.normalize("NFKC", s).split())
    text = text.rstrip(".!? ")
    if not case_sensitive:
        text = unicodedata.normalize("NFKC", text.casefold())
    return text


def parse_number(text: str) -> float | None:
    """Read a learner's number: a dot or a comma as the decimal sign, an optional sign, optional
    surrounding spaces (``" -2,5 "`` is -2.5). Returns None for anything else, inf and nan."""
    if not isinstance(text, str) or len(text) > 200:
        return None
    cleaned = unicodedata.normalize("NFKC", text).strip().replace("\u2212", "-")
    if _NUMBER_RE.fullmatch(cleaned) is None:
        return None
    # Digits of any script become ASCII digits; the comma becomes the decimal point.
    ascii_text = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in cleaned)
    try:
        value = float(ascii_text.replace(",", "."))
    except ValueError:  # pragma: no cover - the pattern only lets valid floats through
        return None
    return value if math.isfinite(value) else None


# --------------------------------------------------------------------------------------------
# Parsing and validation
# --------------------------------------------------------------------------------------------


class _Where:
    """Where in the file a check is: the path and, when known, the question/pool/option."""

    __slots__ = ("path", "parts")

    def __init__(self, path: str, parts: tuple[str, ...] = ()) -> None:
        self.path = path
        self.parts = parts

    def at(self, part: str) -> _Where:
        return _Where(self.path, (*self.parts, part))

    def fail(self, problem: str, hint: str) -> NoReturn:
        raise QuizError(": ".join((self.path, *self.parts, problem)), hint)


def _q(value: str, limit: int = 40) -> str:
    """Quote an author's string for a message, shortened and safe to print anywhere."""
    short = value if len(value) <= limit else value[: limit - 1] + "…"
    try:
        short.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(short)
    return json.dumps(short, ensure_ascii=False)


def _kind(value: object) -> str:
    """The JSON kind of a value, for messages ("a string", "true/false", ...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _show(value: object) -> str:
    """An author's value for a message: strings quoted, numbers as written, others by kind."""
    if isinstance(value, str):
        return _q(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        text = repr(value)
        return text if len(text) <= 24 else "a very long number"
    return _kind(value)


def _decode(data: bytes, path: str) -> object:
    where = _Where(path)
    if len(data) > MAX_QUIZ_BYTES:
        where.fail(
            f"the file is {len(data):,} bytes, more than the {MAX_QUIZ_BYTES:,} a quiz may have",
            "Split it into several smaller quizzes.",
        )
    try:
        text = bytes(data).decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        where.fail(
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}, "
            f"byte offset {exc.start})",
            "Save the quiz file with UTF-8 encoding.",
        )
    text = text.removeprefix("\ufeff")
    _check_nesting(text, where)

    def refuse_constant(name: str) -> NoReturn:
        where.fail(
            f"{name} is not a number a quiz file may hold",
            "Write an ordinary finite number such as 0 or 1.5.",
        )

    def pairs_to_dict(pairs: list[tuple[str, object]]) -> dict[str, object]:
        obj: dict[str, object] = {}
        for key, value in pairs:
            if key in obj:
                where.fail(
                    f"the key {_q(key)} appears twice in the same object",
                    "Keep one of them: JSON readers would silently ignore the first.",
                )
            obj[key] = value
        return obj

    try:
        return json.loads(text, object_pairs_hook=pairs_to_dict, parse_constant=refuse_constant)
    except json.JSONDecodeError as exc:
        where.fail(
            f"the file is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
            "Look for a missing comma, quote or bracket near that place.",
        )
    except RecursionError:
        _too_deep(where)
    except ValueError as exc:  # e.g. an integer with more digits than Python will read
        where.fail(
            f"the file is not usable JSON: {exc}".split(";")[0],
            "Write numbers with a sensible number of digits.",
        )


def _check_nesting(text: str, where: _Where) -> None:
    """Refuse deep nesting before the JSON reader recurses into it."""
    depth = 0
    for match in _JSON_BRACKET_RE.finditer(_JSON_STRING_RE.sub("", text)):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_NESTING:
                _too_deep(where)
        else:
            depth -= 1


def _too_deep(where: _Where) -> NoReturn:
    where.fail(
        f"the JSON is nested more than {MAX_NESTING} levels deep",
        "A quiz file only nests quiz → pools → questions → options; remove the extra levels.",
    )


def _object(value: object, where: _Where, what: str) -> dict[str, object]:
    if not isinstance(value, dict):
        where.fail(f"{what} must be a JSON object, not {_kind(value)}", _SPEC)
    return cast(dict[str, object], value)


def _keys(
    obj: Mapping[str, object],
    where: _Where,
    what: str,
    required: Sequence[str],
    optional: Sequence[str] = (),
    foreign: Mapping[str, str] | None = None,
) -> None:
    """Refuse unknown keys (naming ``foreign`` ones that belong elsewhere) and missing keys."""
    allowed = (*required, *optional)
    for key in obj:
        if key in allowed:
            continue
        if foreign and key in foreign:
            where.fail(
                f"the key {_q(key)} does not belong in {what} ({foreign[key]})",
                f'Remove it, or check the question\'s "type". {what.capitalize()} may have: '
                + ", ".join(allowed)
                + ".",
            )
        where.fail(
            f"unknown key {_q(key)} in {what}",
            "Check its spelling (unknown keys are refused so a typo cannot silently do nothing). "
            f"{what.capitalize()} may have: " + ", ".join(allowed) + ".",
        )
    for key in required:
        if key not in obj:
            where.fail(f"{what} has no {_q(key)}", f'Add "{key}". {_SPEC}')


def _id(value: object, where: _Where, what: str) -> str:
    if not isinstance(value, str):
        where.fail(f'the "id" of {what} must be a string, not {_kind(value)}', _id_hint())
    if _ID_RE.fullmatch(value) is None:
        where.fail(f"{_q(value)} is not a valid id for {what}", _id_hint())
    return value


def _id_hint() -> str:
    return (
        "Ids are 1-64 lowercase letters, digits, '-' and '_', starting with a letter or digit, "
        'like "q3" or "file-types".'
    )


def _string(value: object, where: _Where, label: str, max_chars: int, *, blank: bool) -> str:
    """Check that ``value`` is a printable string of at most ``max_chars`` characters that is
    blank only if ``blank`` allows it; ``label`` names it in messages."""
    if not isinstance(value, str):
        where.fail(f"{label} must be a string, not {_kind(value)}", "Put the text in quotes.")
    if not blank and not value.strip():
        where.fail(f"{label} is empty", f"Write the text of {label}.")
    if len(value) > max_chars:
        where.fail(
            f"{label} is {len(value):,} characters long, more than the {max_chars:,} allowed",
            "Shorten it.",
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        where.fail(
            f"{label} contains an invalid character (a lone surrogate escape such as \\ud800)",
            "Remove the broken \\u escape; write the character itself in UTF-8.",
        )
    return value


def _text(
    obj: Mapping[str, object], key: str, where: _Where, *, max_chars: int = MAX_TEXT_CHARS
) -> str:
    return _string(obj[key], where, f'"{key}"', max_chars, blank=False)


def _optional_text(
    obj: Mapping[str, object], key: str, where: _Where, *, max_chars: int = MAX_TEXT_CHARS
) -> str | None:
    return _text(obj, key, where, max_chars=max_chars) if key in obj else None


def _bool(obj: Mapping[str, object], key: str, where: _Where, default: bool) -> bool:
    if key not in obj:
        return default
    value = obj[key]
    if not isinstance(value, bool):
        where.fail(
            f'"{key}" must be true or false, not {_kind(value)}',
            "Write true or false without quotes.",
        )
    return value


def _whole(value: object, where: _Where, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        where.fail(
            f'"{key}" must be a whole number, not {_show(value)}',
            "Write a whole number without quotes or decimals, like 2.",
        )
    return value


def _number(value: object, where: _Where, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        where.fail(
            f'"{key}" must be a number, not {_kind(value)}',
            "Write the number without quotes, with a dot as the decimal sign, like 2.5.",
        )
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        where.fail(f'"{key}" is too large to be a usable number', "Write a smaller number.")
    return number


def _list(obj: Mapping[str, object], key: str, where: _Where) -> list[object]:
    value = obj[key]
    if not isinstance(value, list):
        where.fail(f'"{key}" must be a list, not {_kind(value)}', f"Write [ ... ]. {_SPEC}")
    return cast(list[object], value)


def _sized_list(
    obj: Mapping[str, object], key: str, where: _Where, low: int, high: int, what: str
) -> list[object]:
    value = _list(obj, key, where)
    if not low <= len(value) <= high:
        where.fail(
            f"{what} needs {low} to {high} {key} (found {len(value)})",
            f'Give between {low} and {high} entries in "{key}".',
        )
    return value


def _member(
    raw: object,
    parent: _Where,
    position: str,
    what: str,
    required: Sequence[str],
    optional: Sequence[str] = (),
) -> tuple[dict[str, object], str, _Where]:
    """Check an option, item, pair or pool object and its id. Messages name it by ``position``
    (like "option 2") until its id is known, then by id (like 'option "disk"')."""
    where = parent.at(position)
    obj = _object(raw, where, what)
    if "id" not in obj:
        where.fail(f'{what} has no "id"', f'Add an "id". {_id_hint()}')
    member_id = _id(obj["id"], where, what)
    where = parent.at(f"{position.split()[0]} {_q(member_id)}")
    _keys(obj, where, what, required, optional)
    return obj, member_id, where


def _unique(ids: Sequence[str], where: _Where, what: str) -> None:
    seen: set[str] = set()
    for one in ids:
        if one in seen:
            where.fail(
                f"two {what} share the id {_q(one)}",
                f"Give every one of the {what} its own id.",
            )
        seen.add(one)


_QUIZ_REQUIRED: Final = ("format", "id", "title", "pass_mark", "feedback", "questions")
_QUIZ_OPTIONAL: Final = ("attempts", "time_limit_minutes", "shuffle_questions", "pools")
_QUESTION_REQUIRED: Final = ("id", "type", "prompt")
_QUESTION_OPTIONAL: Final = ("explanation", "points")
_TYPE_KEYS: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "single": (("options",), ("shuffle",)),
    "multiple": (("options",), ("shuffle",)),
    "true_false": (("answer",), ("feedback",)),
    "numeric": (("answer",), ("tolerance", "unit")),
    "short_text": (("accepted",), ("case_sensitive",)),
    "ordering": (("items",), ()),
    "matching": (("pairs",), ()),
}
_FOREIGN_KEYS: Final[dict[str, str]] = {
    "options": "it is for single and multiple questions",
    "shuffle": "it is for single and multiple questions",
    "answer": "it is for true_false and numeric questions",
    "feedback": "it is for true_false questions; options have their own feedback",
    "tolerance": "it is for numeric questions",
    "unit": "it is for numeric questions",
    "accepted": "it is for short_text questions",
    "case_sensitive": "it is for short_text questions",
    "items": "it is for ordering questions",
    "pairs": "it is for matching questions",
}


def parse_quiz(data: bytes, *, path: str, expected_id: str | None = None) -> Quiz:
    """Read and check a quiz file against every rule of pack format v1, section 4.

    ``path`` is the file's path inside the pack, used in messages; ``expected_id`` is the id of the
    manifest item that points at the file, when known. Any problem raises QuizError (and nothing
    else) naming the file, the question when there is one, and the problem.
    """
    where = _Where(path)
    raw = _decode(data, path)
    root = _object(raw, where, "the quiz file")
    _keys(root, where, "a quiz", _QUIZ_REQUIRED, _QUIZ_OPTIONAL)

    fmt = root["format"]
    if isinstance(fmt, bool) or not isinstance(fmt, int) or fmt != 1:
        where.fail(
            f'"format" must be 1, not {_show(fmt)}',
            "This version of mcdesk reads quiz format 1; update mcdesk for newer packs.",
        )
    quiz_id = _id(root["id"], where, "the quiz")
    if expected_id is not None and quiz_id != expected_id:
        where.fail(
            f"the quiz id {_q(quiz_id)} does not match the manifest item id {_q(expected_id)}",
            'Make the quiz file\'s "id" equal to the id of the manifest item that points at it.',
        )
    title = _text(root, "title", where, max_chars=MAX_TITLE_CHARS)

    pass_mark = _number(root["pass_mark"], where, "pass_mark")
    if not 0 < pass_mark <= 1:
        where.fail(
            f'"pass_mark" must be more than 0 and at most 1 (found {pass_mark:g})',
            "It is the fraction of points needed to pass: 0.7 means 70%.",
        )
    feedback = root["feedback"]
    if feedback not in ("each", "end"):
        where.fail(
            f'"feedback" must be "each" or "end", not {_show(feedback)}',
            '"each" shows feedback after every answer; "end" only at the end of the quiz.',
        )

    max_attempts: int | None = None
    cooldown = 0.0
    if "attempts" in root:
        at = where.at('"attempts"')
        attempts = _object(root["attempts"], at, '"attempts"')
        _keys(attempts, at, '"attempts"', (), ("max", "cooldown_minutes"))
        if attempts.get("max") is not None:
            max_attempts = _whole(attempts["max"], at, "max")
            if max_attempts < 1:
                at.fail(
                    f'"max" must be at least 1 (found {max_attempts})',
                    'Use null or leave "max" out for unlimited attempts.',
                )
        if "cooldown_minutes" in attempts:
            cooldown = _number(attempts["cooldown_minutes"], at, "cooldown_minutes")
            if cooldown < 0:
                at.fail(
                    f'"cooldown_minutes" must be 0 or more (found {cooldown:g})',
                    "It is the wait after a failed attempt; 0 means no wait.",
                )

    time_limit: float | None = None
    if "time_limit_minutes" in root:
        time_limit = _number(root["time_limit_minutes"], where, "time_limit_minutes")
        if time_limit <= 0:
            where.fail(
                f'"time_limit_minutes" must be more than 0 (found {time_limit:g})',
                'Leave "time_limit_minutes" out for no time limit.',
            )
    shuffle_questions = _bool(root, "shuffle_questions", where, True)

    fixed_raw = _list(root, "questions", where)
    total = len(fixed_raw)
    if total > MAX_QUESTIONS:
        _too_many_questions(where)
    pools_raw = _list(root, "pools", where) if "pools" in root else []
    if len(pools_raw) > MAX_POOLS:
        where.fail(
            f"the quiz has {len(pools_raw):,} pools, more than the {MAX_POOLS} allowed",
            "Merge pools or split the quiz into several smaller quizzes.",
        )
    seen: dict[str, str] = {}
    questions = tuple(
        _question(item, where, f'question {n} of "questions"', seen)
        for n, item in enumerate(fixed_raw, start=1)
    )

    pools: list[Pool] = []
    pool_ids: set[str] = set()
    for n, item in enumerate(pools_raw, start=1):
        pool_obj, pool_id, pool_where = _member(
            item, where, f"pool {n}", "a pool", ("id", "draw", "questions")
        )
        if pool_id in pool_ids:
            pool_where.fail(f"two pools share the id {_q(pool_id)}", "Give every pool its own id.")
        pool_ids.add(pool_id)
        members = _list(pool_obj, "questions", pool_where)
        if not members:
            pool_where.fail("the pool has no questions", "Add questions to the pool or remove it.")
        total += len(members)
        if total > MAX_QUESTIONS:
            _too_many_questions(where)
        draw = _whole(pool_obj["draw"], pool_where, "draw")
        if not 1 <= draw <= len(members):
            pool_where.fail(
                f'"draw" must be between 1 and the {len(members)} questions of the pool '
                f"(found {draw})",
                "Each attempt draws that many of the pool's questions; add some or draw fewer.",
            )
        pool_questions = tuple(
            _question(member, where, f"question {m} of pool {_q(pool_id)}", seen)
            for m, member in enumerate(members, start=1)
        )
        pools.append(Pool(id=pool_id, draw=draw, questions=pool_questions))

    quiz = Quiz(
        id=quiz_id,
        title=title,
        pass_mark=pass_mark,
        feedback=cast(FeedbackMode, feedback),
        max_attempts=max_attempts,
        cooldown_minutes=cooldown,
        time_limit_minutes=time_limit,
        shuffle_questions=shuffle_questions,
        questions=questions,
        pools=tuple(pools),
    )
    if quiz.asked_count < 1:
        where.fail(
            "the quiz asks no questions",
            'Add at least one question to "questions" or to a pool.',
        )
    return quiz


def _too_many_questions(where: _Where) -> NoReturn:
    where.fail(
        f"the quiz has more than {MAX_QUESTIONS:,} questions (pools included)",
        "Split it into several smaller quizzes.",
    )


def _question(raw: object, quiz_where: _Where, position: str, seen: dict[str, str]) -> Question:
    where = quiz_where.at(position)
    obj = _object(raw, where, "a question")
    if "id" not in obj:
        where.fail('a question has no "id"', f'Add an "id". {_id_hint()}')
    qid = _id(obj["id"], where, "a question")
    where = quiz_where.at(f"question {_q(qid)}")
    if qid in seen:
        where.fail(
            f"the id is used twice in the quiz ({seen[qid]} and {position})",
            "Question ids must be unique within the quiz, pools included.",
        )
    seen[qid] = position

    if "type" not in obj:
        where.fail('the question has no "type"', "Add a type: " + ", ".join(QUESTION_TYPES) + ".")
    qtype = obj["type"]
    if qtype not in QUESTION_TYPES:
        where.fail(
            f"unknown question type {_show(qtype)}",
            "The type must be one of: " + ", ".join(QUESTION_TYPES) + ".",
        )
    qtype = cast(QuestionType, qtype)
    name = _TYPE_NAMES[qtype]
    required, optional = _TYPE_KEYS[qtype]
    _keys(
        obj,
        where,
        f"a {name} question",
        (*_QUESTION_REQUIRED, *required),
        (*_QUESTION_OPTIONAL, *optional),
        foreign=_FOREIGN_KEYS,
    )

    prompt = _text(obj, "prompt", where)
    explanation = _optional_text(obj, "explanation", where)
    points = 1
    if "points" in obj:
        points = _whole(obj["points"], where, "points")
        if not 1 <= points <= MAX_POINTS:
            where.fail(
                f'"points" must be between 1 and {MAX_POINTS:,} (found {points})',
                "Points weigh the question in the quiz score; most questions are worth 1.",
            )
    base = Question(id=qid, type=qtype, prompt=prompt, explanation=explanation, points=points)

    if qtype in ("single", "multiple"):
        return _choice_question(base, obj, where, name)
    if qtype == "true_false":
        return _true_false_question(base, obj, where)
    if qtype == "numeric":
        return _numeric_question(base, obj, where)
    if qtype == "short_text":
        return _short_text_question(base, obj, where)
    if qtype == "ordering":
        return _ordering_question(base, obj, where, name)
    return _matching_question(base, obj, where, name)


def _choice_question(
    base: Question, obj: Mapping[str, object], where: _Where, name: str
) -> Question:
    raw_options = _sized_list(obj, "options", where, MIN_CHOICES, MAX_CHOICES, f"a {name} question")
    options: list[Option] = []
    for n, raw in enumerate(raw_options, start=1):
        option, oid, at = _member(
            raw, where, f"option {n}", "an option", ("id", "text", "correct"), ("feedback",)
        )
        text = _text(option, "text", at)
        correct = option["correct"]
        if not isinstance(correct, bool):
            at.fail(
                f'"correct" must be true or false, not {_kind(correct)}',
                "Write true or false without quotes.",
            )
        options.append(Option(oid, text, correct, _optional_text(option, "feedback", at)))
    _unique([o.id for o in options], where, "options")
    found = sum(o.correct for o in options)
    if base.type == "single" and found != 1:
        where.fail(
            f"a single-choice question needs exactly one correct option (found {found})",
            'Mark exactly one option "correct": true, or make it a "multiple" question.',
        )
    if base.type == "multiple" and found == 0:
        where.fail(
            "a multiple-choice question needs at least one correct option (found none)",
            'Mark the right options "correct": true.',
        )
    return replace(base, options=tuple(options), shuffle=_bool(obj, "shuffle", where, True))


def _true_false_question(base: Question, obj: Mapping[str, object], where: _Where) -> Question:
    answer = obj["answer"]
    if not isinstance(answer, bool):
        where.fail(
            f'"answer" of a true/false question must be true or false, not {_kind(answer)}',
            "Write true or false without quotes.",
        )
    feedback_true = feedback_false = None
    if "feedback" in obj:
        at = where.at('"feedback"')
        feedback = _object(obj["feedback"], at, '"feedback"')
        _keys(feedback, at, '"feedback"', (), ("true", "false"))
        feedback_true = _optional_text(feedback, "true", at)
        feedback_false = _optional_text(feedback, "false", at)
    return replace(base, answer=answer, feedback_true=feedback_true, feedback_false=feedback_false)


def _numeric_question(base: Question, obj: Mapping[str, object], where: _Where) -> Question:
    answer = _number(obj["answer"], where, "answer")
    tolerance = _number(obj["tolerance"], where, "tolerance") if "tolerance" in obj else 0.0
    if tolerance < 0:
        where.fail(
            f'"tolerance" must be 0 or more (found {tolerance:g})',
            "It is how far from the answer a response may be and still count; 0 means exact.",
        )
    unit = _optional_text(obj, "unit", where, max_chars=MAX_UNIT_CHARS)
    return replace(base, answer=answer, tolerance=tolerance, unit=unit)


def _short_text_question(base: Question, obj: Mapping[str, object], where: _Where) -> Question:
    case_sensitive = _bool(obj, "case_sensitive", where, False)
    raw = _sized_list(obj, "accepted", where, 1, MAX_ACCEPTED, "a short-text question")
    accepted: list[str] = []
    for n, value in enumerate(raw, start=1):
        text = _string(value, where, f"accepted answer {n}", 1_000, blank=True)
        if not normalise_text(text, case_sensitive):
            where.fail(
                f"accepted answer {n} ({_q(text)}) is empty once normalised",
                "Spaces and a trailing . ! or ? are ignored when answers are compared; "
                "write an answer with real content.",
            )
        accepted.append(text)
    return replace(base, accepted=tuple(accepted), case_sensitive=case_sensitive)


def _ordering_question(
    base: Question, obj: Mapping[str, object], where: _Where, name: str
) -> Question:
    raw_items = _sized_list(obj, "items", where, MIN_CHOICES, MAX_CHOICES, f"an {name} question")
    items: list[OrderItem] = []
    for n, raw in enumerate(raw_items, start=1):
        item, iid, at = _member(raw, where, f"item {n}", "an item", ("id", "text"))
        items.append(OrderItem(iid, _text(item, "text", at)))
    _unique([i.id for i in items], where, "items")
    _distinct_texts([i.text for i in items], where, "items have the same text")
    return replace(base, items=tuple(items))


def _matching_question(
    base: Question, obj: Mapping[str, object], where: _Where, name: str
) -> Question:
    raw_pairs = _sized_list(obj, "pairs", where, MIN_CHOICES, MAX_CHOICES, f"a {name} question")
    pairs: list[Pair] = []
    for n, raw in enumerate(raw_pairs, start=1):
        pair, pid, at = _member(raw, where, f"pair {n}", "a pair", ("id", "left", "right"))
        pairs.append(Pair(pid, _text(pair, "left", at), _text(pair, "right", at)))
    _unique([p.id for p in pairs], where, "pairs")
    _distinct_texts([p.right for p in pairs], where, "pairs have the same right side")
    _distinct_texts([p.left for p in pairs], where, "pairs have the same left side")
    return replace(base, pairs=tuple(pairs))


def _distinct_texts(texts: Sequence[str], where: _Where, problem: str) -> None:
    """Texts a learner must tell apart may not be equal once normalised (ignoring case)."""
    seen: set[str] = set()
    for text in texts:
        key = normalise_text(text)
        if key in seen:
            where.fail(
                f"two {problem} ({_q(text)})",
                "The learner could not tell them apart; make every one different.",
            )
        seen.add(key)


# --------------------------------------------------------------------------------------------
# Draws, shuffles and grading
# --------------------------------------------------------------------------------------------


def draw_questions(quiz: Quiz, seed: int) -> list[DrawnQuestion]:
    """The questions one attempt asks, in the order it asks them; the same seed always gives the
    same draw, so a resumed attempt shows the same questions in the same order.

    The fixed questions and ``draw`` questions from each pool are asked; their order is shuffled
    when ``shuffle_questions`` (otherwise fixed questions come first, then each pool's draws in
    file order). Options are shuffled when the question's ``shuffle`` is on; ordering items and
    matching right sides are always shuffled, and never shown already in the correct order.
    """
    rng = random.Random(seed)
    chosen = list(quiz.questions)
    for pool in quiz.pools:
        picks = sorted(rng.sample(range(len(pool.questions)), pool.draw))
        chosen.extend(pool.questions[i] for i in picks)
    if quiz.shuffle_questions:
        rng.shuffle(chosen)
    return [_arrange(question, rng) for question in chosen]


def _arrange(question: Question, rng: random.Random) -> DrawnQuestion:
    if question.type in ("single", "multiple"):
        ids = [option.id for option in question.options]
        if question.shuffle:
            rng.shuffle(ids)
        return DrawnQuestion(question, option_order=tuple(ids))
    if question.type == "ordering":
        return DrawnQuestion(question, item_order=_derange([i.id for i in question.items], rng))
    if question.type == "matching":
        return DrawnQuestion(question, right_order=_derange([p.id for p in question.pairs], rng))
    return DrawnQuestion(question)


def _derange(ids: list[str], rng: random.Random) -> tuple[str, ...]:
    """Shuffle ``ids``, reshuffling (deterministically) while they come out in their own order."""
    order = list(ids)
    for _ in range(64):
        rng.shuffle(order)
        if len(order) < 2 or order != ids:
            return tuple(order)
    return tuple(order[1:] + order[:1])  # pragma: no cover - 64 identity shuffles in a row


def correct_response(question: Question) -> object:
    """A response that ``grade`` accepts as correct: for a self-test, a demo or a benchmark."""
    kind = question.type
    if kind == "single":
        return next(iter(question.correct_option_ids))
    if kind == "multiple":
        return sorted(question.correct_option_ids)
    if kind == "true_false":
        return question.answer
    if kind == "numeric":
        return str(question.answer)
    if kind == "short_text":
        return question.accepted[0]
    if kind == "ordering":
        return [item.id for item in question.items]
    return {pair.id: pair.id for pair in question.pairs}


def grade(question: Question, response: object) -> bool:
    """Whether ``response`` answers ``question`` correctly (all or nothing).

    Responses are plain JSON values: single → option id; multiple → list of option ids;
    true_false → bool; numeric → string or number; short_text → string; ordering → list of item
    ids; matching → object mapping each pair id (its left side) to the pair id of the chosen right
    side. A malformed response is simply incorrect; this never raises.
    """
    kind = question.type
    if kind == "single":
        return isinstance(response, str) and frozenset((response,)) == question.correct_option_ids
    if kind == "multiple":
        ids = _string_list(response)
        return (
            ids is not None
            and len(set(ids)) == len(ids)
            and frozenset(ids) == question.correct_option_ids
        )
    if kind == "true_false":
        return isinstance(response, bool) and response is question.answer
    if kind == "numeric":
        return _grade_numeric(question, response)
    if kind == "short_text":
        if not isinstance(response, str) or len(response) > MAX_RESPONSE_CHARS:
            return False
        given = normalise_text(response, question.case_sensitive)
        return bool(given) and any(
            given == normalise_text(text, question.case_sensitive) for text in question.accepted
        )
    if kind == "ordering":
        ids = _string_list(response)
        return ids is not None and tuple(ids) == tuple(item.id for item in question.items)
    if kind == "matching":
        if not isinstance(response, Mapping) or len(response) != len(question.pairs):
            return False
        return all(
            isinstance(chosen := response.get(pair.id), str) and chosen == pair.id
            for pair in question.pairs
        )
    return False


def _string_list(response: object) -> list[str] | None:
    """``response`` as a list of strings, or None when it is anything else."""
    if not isinstance(response, list | tuple) or len(response) > 1_000:
        return None
    if not all(isinstance(one, str) for one in response):
        return None
    return cast(list[str], list(response))


def _grade_numeric(question: Question, response: object) -> bool:
    answer = question.answer
    if isinstance(answer, bool) or not isinstance(answer, int | float):
        return False
    given: float | None
    if isinstance(response, bool):
        return False
    if isinstance(response, int | float):
        try:
            given = float(response)
        except OverflowError:
            return False
    elif isinstance(response, str):
        given = parse_number(response)
        if given is None and question.unit:
            # "1024 bytes" for a question whose unit is "bytes".
            text = " ".join(response.split())
            unit = " ".join(question.unit.split())
            if text.casefold().endswith(unit.casefold()):
                given = parse_number(text[: len(text) - len(unit)])
    else:
        return False
    if given is None or not math.isfinite(given):
        return False
    # A hair of slack so that 2.6 counts for 2.5 ± 0.1 despite binary floating point.
    slack = 1e-9 * max(1.0, abs(answer))
    return abs(given - answer) <= question.tolerance + slack


def meets_pass_mark(pass_mark: float, earned: int, possible: int) -> bool:
    """Whether ``earned`` of ``possible`` points reaches ``pass_mark``, compared exactly (7 of 10
    passes a mark of 0.7). No points possible never passes."""
    if possible <= 0 or not math.isfinite(pass_mark):
        return False
    return Fraction(earned, possible) >= Fraction(repr(float(pass_mark)))


def score(
    quiz: Quiz, drawn: Sequence[DrawnQuestion], responses: Mapping[str, object]
) -> tuple[int, int, bool]:
    """Grade one attempt: ``(earned_points, possible_points, passed)``.

    ``responses`` maps question ids to responses; an unanswered question earns nothing.
    """
    earned = possible = 0
    for shown in drawn:
        question = shown.question
        possible += question.points
        if question.id in responses and grade(question, responses[question.id]):
            earned += question.points
    return earned, possible, meets_pass_mark(quiz.pass_mark, earned, possible)
