"""Fuzzing the quiz loader and the manifest reader directly, where the installer fuzz (tests/packs) does not
reach: extreme values, byte-level damage of valid files, and grading whatever a damaged quiz still parses to.

Only QuizError / PackError may come out, and every message names the file.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from mcdesk.errors import PackError, QuizError
from mcdesk.packs.manifest import parse_manifest
from mcdesk.packs.quiz import draw_questions, grade, parse_quiz, score
from tests.conftest import QUIZ
from tests.fuzz.budget import fuzz
from tests.fuzz.shapes import places as paths_in
from tests.packs.test_pack_fuzz import mutate, mutations

pytestmark = pytest.mark.slow

QUIZ_PATH = "quizzes/check.json"

# A quiz using every question type and a pool, so mutations can land anywhere a real quiz has something.
FULL_QUIZ: dict[str, Any] = {
    "format": 1, "id": "check", "title": "Check", "pass_mark": 0.5, "feedback": "end",
    "attempts": {"max": 3, "cooldown_minutes": 1}, "time_limit_minutes": 10, "shuffle_questions": True,
    "questions": [
        *QUIZ["questions"],
        {"id": "q3", "type": "multiple", "prompt": "Pick a and b.", "points": 2, "options": [
            {"id": "a", "text": "A", "correct": True, "feedback": "yes"},
            {"id": "b", "text": "B", "correct": True}, {"id": "c", "text": "C", "correct": False}]},
        {"id": "q4", "type": "numeric", "prompt": "2.5?", "answer": 2.5, "tolerance": 0.1, "unit": "kg"},
        {"id": "q5", "type": "short_text", "prompt": "Say hi.", "accepted": ["hi", "hello"], "case_sensitive": False},
        {"id": "q6", "type": "ordering", "prompt": "Order.", "items": [
            {"id": "x", "text": "one"}, {"id": "y", "text": "two"}, {"id": "z", "text": "three"}]},
        {"id": "q7", "type": "matching", "prompt": "Match.", "pairs": [
            {"id": "m", "left": "cat", "right": "meow"}, {"id": "n", "left": "dog", "right": "woof"}]},
    ],
    "pools": [{"id": "p1", "draw": 1, "questions": [
        {"id": "p1a", "type": "true_false", "prompt": "Pool A.", "answer": False,
         "feedback": {"true": "no", "false": "yes"}},
        {"id": "p1b", "type": "true_false", "prompt": "Pool B.", "answer": True}]}],
}

extreme = st.one_of(
    st.sampled_from([0, -1, 1, 2**31, 2**53 + 1, 2**63, -(2**63) - 1, 10**400, 1e308, -1e308, 5e-324, -0.0, 0.5,
                     "", " ", "\x00", "\ud800", "\u202e", "a" * 70_000, "é" * 300, True, False, None, [], {}, [[]],
                     {"": None}, "single", "check", "q1", "../x", "1e999"]),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.lists(st.integers(), max_size=3),
)


@st.composite
def bent_quizzes(draw: st.DrawFn) -> Any:
    """FULL_QUIZ with 1-4 places given an extreme value, deleted, duplicated into a list or deeply wrapped."""
    quiz: Any = copy.deepcopy(FULL_QUIZ)
    for _ in range(draw(st.integers(1, 4))):
        places = [p for p in paths_in(quiz) if p]
        if not places:
            break
        path = places[draw(st.integers(0, len(places) - 1))]
        parent = quiz
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["value", "delete", "wrap", "repeat"]))
        if action == "value":
            parent[path[-1]] = draw(extreme)
        elif action == "delete":
            del parent[path[-1]]
        elif action == "wrap":
            value = parent[path[-1]]
            for _ in range(draw(st.integers(1, 40))):
                value = [value]
            parent[path[-1]] = value
        elif isinstance(parent[path[-1]], list):
            parent[path[-1]] = parent[path[-1]] * draw(st.integers(2, 150))
    return quiz


def parse_or_refuse(data: bytes) -> Any:
    try:
        return parse_quiz(data, path=QUIZ_PATH, expected_id="check")
    except QuizError as exc:
        assert exc.message.startswith(QUIZ_PATH + ": ") and exc.hint
        str(exc).encode("utf-8")  # printable on any console
        return None


responses = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                         lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=4), c, max_size=4),
                         max_leaves=8)


@fuzz(300)
@given(quiz=bent_quizzes(), seed=st.integers(), answers=st.lists(responses, min_size=8, max_size=8))
@example(quiz={**FULL_QUIZ, "pass_mark": 5e-324}, seed=0, answers=[None] * 8)
def test_bent_quizzes_parse_or_raise_quiz_error_and_whatever_parses_can_be_taken(
        quiz: Any, seed: int, answers: list[Any]) -> None:
    parsed = parse_or_refuse(json.dumps(quiz, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    if parsed is None:
        return
    drawn = draw_questions(parsed, seed)
    given_answers = {shown.question.id: answer for shown, answer in zip(drawn, answers, strict=False)}
    earned, possible, passed = score(parsed, drawn, given_answers)
    assert 0 <= earned <= possible and passed in (True, False)
    for shown in drawn:
        assert grade(shown.question, given_answers.get(shown.question.id)) in (True, False)


@fuzz(300)
@given(ops=mutations)
def test_byte_damaged_quiz_files_parse_or_raise_quiz_error(ops: list) -> None:
    parse_or_refuse(mutate(json.dumps(FULL_QUIZ, indent=1).encode("utf-8"), ops))


@fuzz(40)
@given(depth=st.integers(1, 100_000), opener=st.sampled_from(["[", "{\"a\":", "[{\"q\":"]))
@example(depth=100_000, opener="[")
def test_deeply_nested_json_is_refused_not_a_recursion_error(depth: int, opener: str) -> None:
    parse_or_refuse((opener * depth).encode())
    try:
        parse_manifest((opener * depth).encode(), source="manifest.json")
    except PackError as exc:
        assert exc.message.startswith("manifest.json: ")


def test_the_full_quiz_parses_and_the_damage_strategies_are_not_vacuous() -> None:
    """The control: the undamaged quiz parses, and a clear damage is refused."""
    assert parse_or_refuse(json.dumps(FULL_QUIZ).encode()) is not None
    assert parse_or_refuse(json.dumps({**FULL_QUIZ, "pass_mark": 10**400}).encode()) is None
