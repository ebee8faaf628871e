"""Quiz files of pack format v1: parsing, refusals, normalisation, draws and grading."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcdesk.errors import QuizError
from mcdesk.packs.quiz import (
    MAX_QUESTIONS,
    MAX_QUIZ_BYTES,
    DrawnQuestion,
    Option,
    Question,
    Quiz,
    draw_questions,
    grade,
    meets_pass_mark,
    normalise_text,
    parse_number,
    parse_quiz,
    score,
)

PATH = "quizzes/devices-check.json"

_VALID: dict[str, Any] = {
    "format": 1,
    "id": "devices-check",
    "title": "Check: devices and files",
    "pass_mark": 0.7,
    "feedback": "each",
    "attempts": {"max": 3, "cooldown_minutes": 10},
    "time_limit_minutes": 15,
    "shuffle_questions": True,
    "questions": [
        {
            "id": "storage",
            "type": "single",
            "prompt": "Where does a file stay when the power goes off?",
            "options": [
                {"id": "ram", "text": "Memory (RAM)", "correct": False, "feedback": "Emptied."},
                {"id": "disk", "text": "The disk", "correct": True},
            ],
            "explanation": "Storage keeps data without power; memory does not.",
        },
        {
            "id": "inputs",
            "type": "multiple",
            "prompt": "Which are input devices?",
            "points": 2,
            "options": [
                {"id": "kbd", "text": "Keyboard", "correct": True},
                {"id": "mouse", "text": "Mouse", "correct": True},
                {"id": "screen", "text": "Screen", "correct": False, "feedback": "Output."},
            ],
        },
        {
            "id": "os",
            "type": "true_false",
            "prompt": "Linux is an operating system.",
            "answer": True,
            "feedback": {"true": "Right.", "false": "It is one."},
        },
        {
            "id": "kb",
            "type": "numeric",
            "prompt": "How many bytes are in a kibibyte?",
            "answer": 1024,
            "tolerance": 0,
            "unit": "bytes",
        },
        {
            "id": "ext",
            "type": "short_text",
            "prompt": "What extension do PDF files usually have?",
            "accepted": ["pdf", ".pdf"],
        },
        {
            "id": "boot",
            "type": "ordering",
            "prompt": "Put the start-up steps in order.",
            "items": [
                {"id": "power", "text": "Press the power button"},
                {"id": "os", "text": "The operating system loads"},
                {"id": "login", "text": "You sign in"},
            ],
        },
        {
            "id": "match",
            "type": "matching",
            "prompt": "Match each file to its kind.",
            "pairs": [
                {"id": "a", "left": "report.docx", "right": "Document"},
                {"id": "b", "left": "photo.jpg", "right": "Picture"},
            ],
        },
    ],
    "pools": [
        {
            "id": "extra",
            "draw": 1,
            "questions": [
                {"id": "cloud", "type": "true_false", "prompt": "Cloud?", "answer": True},
                {"id": "backup", "type": "true_false", "prompt": "One copy?", "answer": False},
            ],
        }
    ],
}


def valid_quiz() -> dict[str, Any]:
    """A fresh copy of a valid quiz using every question type and a pool."""
    return copy.deepcopy(_VALID)


def minimal_quiz(*questions: dict[str, Any]) -> dict[str, Any]:
    """A valid quiz with only the required keys and the given (or one true/false) questions."""
    return {
        "format": 1,
        "id": "mini",
        "title": "Mini",
        "pass_mark": 1,
        "feedback": "end",
        "questions": list(questions)
        or [{"id": "q1", "type": "true_false", "prompt": "Yes?", "answer": True}],
    }


def encode(data: object) -> bytes:
    return json.dumps(data).encode("utf-8")


def parse(data: object, **kwargs: Any) -> Quiz:
    return parse_quiz(encode(data), path=PATH, **kwargs)


def question(data: dict[str, Any], qid: str) -> dict[str, Any]:
    for one in data["questions"]:
        if one.get("id") == qid:
            return one
    raise KeyError(qid)


def refused(data: object, *fragments: str, raw: bytes | None = None) -> QuizError:
    """Parse, expect a QuizError naming the file and every fragment, with a hint."""
    with pytest.raises(QuizError) as caught:
        parse_quiz(encode(data) if raw is None else raw, path=PATH)
    error = caught.value
    assert error.message.startswith(PATH + ": "), error.message
    for fragment in fragments:
        assert fragment in error.message, (fragment, error.message)
    assert error.hint, error.message
    return error


def by_id(quiz: Quiz) -> dict[str, Question]:
    return {q.id: q for q in quiz.all_questions}


# ------------------------------------------------------------------------------------------
# Valid files
# ------------------------------------------------------------------------------------------


def test_valid_quiz_with_every_question_type_parses() -> None:
    quiz = parse(valid_quiz(), expected_id="devices-check")

    assert (quiz.id, quiz.title, quiz.pass_mark, quiz.feedback) == (
        "devices-check",
        "Check: devices and files",
        0.7,
        "each",
    )
    assert (quiz.max_attempts, quiz.cooldown_minutes, quiz.time_limit_minutes) == (3, 10, 15)
    assert quiz.shuffle_questions is True
    assert [q.id for q in quiz.questions] == [
        "storage",
        "inputs",
        "os",
        "kb",
        "ext",
        "boot",
        "match",
    ]
    assert quiz.asked_count == 8
    qs = by_id(quiz)
    assert qs["storage"].options[0] == Option("ram", "Memory (RAM)", False, "Emptied.")
    assert qs["storage"].correct_option_ids == {"disk"}
    assert qs["storage"].explanation == "Storage keeps data without power; memory does not."
    assert qs["inputs"].points == 2
    assert qs["inputs"].correct_option_ids == {"kbd", "mouse"}
    assert qs["os"].answer is True
    assert (qs["os"].feedback_true, qs["os"].feedback_false) == ("Right.", "It is one.")
    assert (qs["kb"].answer, qs["kb"].tolerance, qs["kb"].unit) == (1024.0, 0.0, "bytes")
    assert qs["ext"].accepted == ("pdf", ".pdf")
    assert [i.id for i in qs["boot"].items] == ["power", "os", "login"]
    assert [(p.left, p.right) for p in qs["match"].pairs] == [
        ("report.docx", "Document"),
        ("photo.jpg", "Picture"),
    ]
    assert quiz.pools[0].id == "extra"
    assert quiz.pools[0].draw == 1
    assert [q.id for q in quiz.pools[0].questions] == ["cloud", "backup"]


def test_parsed_quiz_uses_tuples_and_is_frozen() -> None:
    quiz = parse(valid_quiz())
    assert isinstance(quiz.questions, tuple)
    assert isinstance(quiz.questions[0].options, tuple)
    with pytest.raises(AttributeError):
        quiz.title = "changed"  # type: ignore[misc]


def test_optional_keys_take_their_documented_defaults() -> None:
    quiz = parse(
        minimal_quiz(
            {
                "id": "c",
                "type": "single",
                "prompt": "Pick",
                "options": [
                    {"id": "a", "text": "A", "correct": True},
                    {"id": "b", "text": "B", "correct": False},
                ],
            },
            {"id": "n", "type": "numeric", "prompt": "N", "answer": 2.5},
            {"id": "s", "type": "short_text", "prompt": "S", "accepted": ["x"]},
        )
    )
    assert quiz.max_attempts is None
    assert quiz.cooldown_minutes == 0
    assert quiz.time_limit_minutes is None
    assert quiz.shuffle_questions is True
    assert quiz.pools == ()
    c, n, s = quiz.questions
    assert (c.points, c.shuffle, c.explanation, c.options[0].feedback) == (1, True, None, None)
    assert (n.tolerance, n.unit) == (0.0, None)
    assert s.case_sensitive is False


def test_null_max_attempts_means_unlimited() -> None:
    data = valid_quiz()
    data["attempts"] = {"max": None}
    assert parse(data).max_attempts is None


def test_pass_mark_of_exactly_one_is_accepted() -> None:
    data = valid_quiz()
    data["pass_mark"] = 1
    assert parse(data).pass_mark == 1.0


def test_quiz_of_only_a_pool_is_accepted() -> None:
    data = valid_quiz()
    data["questions"] = []
    quiz = parse(data)
    assert quiz.asked_count == 1


def test_utf8_byte_order_mark_is_tolerated() -> None:
    quiz = parse_quiz(b"\xef\xbb\xbf" + encode(valid_quiz()), path=PATH)
    assert quiz.id == "devices-check"


def test_non_ascii_text_survives_parsing() -> None:
    data = valid_quiz()
    question(data, "os")["prompt"] = "Linux ni mfumo wa uendeshaji? Ça marche — ✓"
    raw = json.dumps(data, ensure_ascii=False).encode("utf-8")
    assert by_id(parse_quiz(raw, path=PATH))["os"].prompt.endswith("Ça marche — ✓")


# ------------------------------------------------------------------------------------------
# Refusals: the file as a whole
# ------------------------------------------------------------------------------------------


def test_bad_utf8_is_refused_with_its_line() -> None:
    raw = b'{\n  "title": "caf\xe9"\n}'
    error = refused(None, "not UTF-8", "line 2", "0xe9", raw=raw)
    assert "UTF-8" in error.hint


def test_bad_json_is_refused_with_line_and_column() -> None:
    raw = b'{\n  "format": 1,\n  "id": "x",\n}'
    refused(None, "not valid JSON", "line 4, column 1", raw=raw)


def test_empty_file_is_refused_as_bad_json() -> None:
    refused(None, "not valid JSON", "line 1, column 1", raw=b"")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused(constant: str) -> None:
    raw = encode(valid_quiz()).replace(b'"pass_mark": 0.7', b'"pass_mark": ' + constant.encode())
    refused(None, constant, raw=raw)


def test_duplicate_keys_in_one_object_are_refused() -> None:
    raw = b'{"format": 1, "format": 1}'
    refused(None, 'the key "format" appears twice', raw=raw)


def test_deep_nesting_is_refused_without_recursing() -> None:
    refused(None, "nested more than", raw=b"[" * 100_000 + b"]" * 100_000)


@pytest.mark.parametrize(
    "raw",
    [
        b'"' + b'\\"' * 1_000_000,  # one unterminated string full of escaped quotes
        b'"' + b'\\"' * 1_000_000 + b"\\",
        b'"' * 2_000_000,
        b'{"a":' * 500_000,
    ],
    ids=["escaped-quotes", "escaped-quotes-backslash", "quotes", "open-objects"],
)
def test_hostile_files_are_refused_quickly(raw: bytes) -> None:
    started = time.monotonic()
    refused(None, raw=raw)
    assert time.monotonic() - started < 5


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    data = valid_quiz()
    question(data, "os")["prompt"] = '[[[[[[[[[[[[[[[[[[[[{{{{{{{{{{{{{{{{{{{{ \\" ['
    assert parse(data).questions[2].prompt.startswith("[[[[")


def test_oversized_file_is_refused_before_reading() -> None:
    refused(None, "more than the", "bytes", raw=b" " * (MAX_QUIZ_BYTES + 1))


def test_integer_with_absurdly_many_digits_is_refused() -> None:
    raw = encode(valid_quiz()).replace(b'"points": 2', b'"points": ' + b"9" * 5000)
    refused(None, "not usable JSON", raw=raw)


def test_more_than_a_thousand_questions_are_refused() -> None:
    data = minimal_quiz(
        *(
            {"id": f"q{n}", "type": "true_false", "prompt": "?", "answer": True}
            for n in range(MAX_QUESTIONS + 1)
        )
    )
    refused(data, "more than 1,000 questions")


def test_more_than_a_thousand_questions_counting_pools_are_refused() -> None:
    data = minimal_quiz()
    data["pools"] = [
        {
            "id": f"p{p}",
            "draw": 1,
            "questions": [
                {"id": f"p{p}-q{n}", "type": "true_false", "prompt": "?", "answer": True}
                for n in range(300)
            ],
        }
        for p in range(4)
    ]
    refused(data, "more than 1,000 questions")


@pytest.mark.parametrize("root", [[], "quiz", 1, None, True])
def test_a_file_that_is_not_a_json_object_is_refused(root: object) -> None:
    refused(root, "the quiz file must be a JSON object")


def test_unknown_quiz_key_is_refused() -> None:
    data = valid_quiz()
    data["shufle_questions"] = False
    error = refused(data, 'unknown key "shufle_questions"', "a quiz")
    assert "shuffle_questions" in error.hint


@pytest.mark.parametrize("key", ["format", "id", "title", "pass_mark", "feedback", "questions"])
def test_missing_required_quiz_key_is_refused(key: str) -> None:
    data = valid_quiz()
    del data[key]
    refused(data, f'a quiz has no "{key}"')


@pytest.mark.parametrize("fmt", [2, 0, "1", True, 1.0, None])
def test_format_other_than_1_is_refused(fmt: object) -> None:
    data = valid_quiz()
    data["format"] = fmt
    refused(data, '"format" must be 1')


@pytest.mark.parametrize("bad_id", ["Devices", "", "-devices", "a" * 65, "a b", "x\n", "é", 7])
def test_invalid_quiz_id_is_refused(bad_id: object) -> None:
    data = valid_quiz()
    data["id"] = bad_id
    error = refused(data)
    assert "id" in error.message
    assert "lowercase" in error.hint


def test_longest_and_shortest_ids_are_accepted() -> None:
    data = valid_quiz()
    data["id"] = "a" * 64
    question(data, "os")["id"] = "0"
    quiz = parse(data)
    assert quiz.id == "a" * 64


def test_quiz_id_differing_from_the_manifest_item_id_is_refused() -> None:
    with pytest.raises(QuizError) as caught:
        parse(valid_quiz(), expected_id="files-check")
    message = caught.value.message
    assert message.startswith(PATH)
    assert '"devices-check"' in message
    assert '"files-check"' in message


@pytest.mark.parametrize("title", ["", "   ", 5, None, "t" * 201])
def test_title_must_be_a_non_empty_string_of_sensible_length(title: object) -> None:
    data = valid_quiz()
    data["title"] = title
    refused(data, '"title"')


@pytest.mark.parametrize("mark", [0, -0.1, 1.01, 70])
def test_pass_mark_outside_zero_to_one_is_refused(mark: float) -> None:
    data = valid_quiz()
    data["pass_mark"] = mark
    refused(data, '"pass_mark" must be more than 0 and at most 1')


@pytest.mark.parametrize("mark", ["0.7", True, None, [0.7]])
def test_pass_mark_that_is_not_a_number_is_refused(mark: object) -> None:
    data = valid_quiz()
    data["pass_mark"] = mark
    refused(data, '"pass_mark" must be a number')


@pytest.mark.parametrize("feedback", ["always", "EACH", "", 1, None])
def test_feedback_other_than_each_or_end_is_refused(feedback: object) -> None:
    data = valid_quiz()
    data["feedback"] = feedback
    refused(data, '"feedback" must be "each" or "end"')


@pytest.mark.parametrize(
    ("attempts", "fragment"),
    [
        ({"max": 0}, '"max" must be at least 1'),
        ({"max": -2}, '"max" must be at least 1'),
        ({"max": 1.5}, '"max" must be a whole number'),
        ({"max": True}, '"max" must be a whole number'),
        ({"max": "3"}, '"max" must be a whole number'),
        ({"cooldown_minutes": -1}, '"cooldown_minutes" must be 0 or more'),
        ({"cooldown_minutes": "10"}, '"cooldown_minutes" must be a number'),
        ({"max": 3, "cooldown": 5}, 'unknown key "cooldown"'),
        ([3], '"attempts" must be a JSON object'),
    ],
)
def test_bad_attempts_are_refused(attempts: object, fragment: str) -> None:
    data = valid_quiz()
    data["attempts"] = attempts
    refused(data, fragment)


@pytest.mark.parametrize("limit", [0, -5, None, "15"])
def test_time_limit_must_be_a_number_above_zero(limit: object) -> None:
    data = valid_quiz()
    data["time_limit_minutes"] = limit
    refused(data, '"time_limit_minutes" must')


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_shuffle_questions_must_be_true_or_false(value: object) -> None:
    data = valid_quiz()
    data["shuffle_questions"] = value
    refused(data, '"shuffle_questions" must be true or false')


def test_quiz_that_asks_no_questions_is_refused() -> None:
    data = valid_quiz()
    data["questions"] = []
    data["pools"] = []
    refused(data, "the quiz asks no questions")


# ------------------------------------------------------------------------------------------
# Refusals: questions
# ------------------------------------------------------------------------------------------


def test_unknown_question_key_is_refused_naming_file_and_question() -> None:
    data = valid_quiz()
    question(data, "storage")["promt"] = "typo"
    error = refused(data, 'question "storage"', 'unknown key "promt"')
    assert "prompt" in error.hint


def test_key_of_another_question_type_is_refused_naming_the_type_it_belongs_to() -> None:
    data = valid_quiz()
    question(data, "os")["options"] = []
    refused(data, 'question "os"', '"options" does not belong in a true/false question')


def test_unknown_option_key_is_refused_naming_question_and_option() -> None:
    data = valid_quiz()
    question(data, "storage")["options"][1]["corect"] = True
    refused(data, 'question "storage"', 'option "disk"', 'unknown key "corect"')


def test_question_that_is_not_an_object_is_refused_naming_its_position() -> None:
    data = valid_quiz()
    data["questions"].append("q9")
    refused(data, 'question 8 of "questions"', "must be a JSON object")


def test_question_without_id_is_refused_naming_its_position() -> None:
    data = valid_quiz()
    del question(data, "kb")["id"]
    refused(data, 'question 4 of "questions"', 'no "id"')


def test_question_with_invalid_id_is_refused() -> None:
    data = valid_quiz()
    question(data, "kb")["id"] = "Q 4"
    refused(data, 'question 4 of "questions"', '"Q 4" is not a valid id')


def test_duplicate_question_ids_are_refused_naming_the_question() -> None:
    data = valid_quiz()
    question(data, "kb")["id"] = "storage"
    refused(data, 'question "storage"', "used twice")


def test_pool_question_reusing_a_fixed_question_id_is_refused() -> None:
    data = valid_quiz()
    data["pools"][0]["questions"][1]["id"] = "storage"
    refused(data, 'question "storage"', "used twice", 'pool "extra"')


def test_unknown_question_type_is_refused_naming_the_question() -> None:
    data = valid_quiz()
    question(data, "os")["type"] = "yes_no"
    error = refused(data, 'question "os"', 'unknown question type "yes_no"')
    assert "true_false" in error.hint


def test_question_without_type_is_refused() -> None:
    data = valid_quiz()
    del question(data, "os")["type"]
    refused(data, 'question "os"', 'no "type"')


@pytest.mark.parametrize("prompt", ["", "  \n", 3, None, ["a"]])
def test_question_prompt_must_be_non_empty_text(prompt: object) -> None:
    data = valid_quiz()
    question(data, "os")["prompt"] = prompt
    refused(data, 'question "os"', '"prompt"')


def test_question_without_prompt_is_refused() -> None:
    data = valid_quiz()
    del question(data, "os")["prompt"]
    refused(data, 'question "os"', 'no "prompt"')


@pytest.mark.parametrize("points", [0, -1, 1.5, 2.0, True, False, "2", None, 10**6])
def test_points_must_be_an_integer_of_at_least_one(points: object) -> None:
    data = valid_quiz()
    question(data, "os")["points"] = points
    refused(data, 'question "os"', '"points" must')


def test_explanation_must_be_text() -> None:
    data = valid_quiz()
    question(data, "os")["explanation"] = 12
    refused(data, 'question "os"', '"explanation" must be a string')


def test_text_with_a_lone_surrogate_escape_is_refused() -> None:
    raw = encode(valid_quiz()).replace(b"Linux is", b"Linux \\ud800 is")
    refused(None, 'question "os"', "invalid character", raw=raw)


@pytest.mark.parametrize("count", [1, 11])
def test_choice_question_needs_two_to_ten_options(count: int) -> None:
    data = valid_quiz()
    question(data, "inputs")["options"] = [
        {"id": f"o{n}", "text": f"Option {n}", "correct": True} for n in range(count)
    ]
    refused(data, 'question "inputs"', f"needs 2 to 10 options (found {count})")


def test_duplicate_option_ids_are_refused_naming_the_question() -> None:
    data = valid_quiz()
    question(data, "inputs")["options"][1]["id"] = "kbd"
    refused(data, 'question "inputs"', 'two options share the id "kbd"')


def test_single_choice_with_two_correct_options_is_refused_naming_file_and_question() -> None:
    data = valid_quiz()
    question(data, "storage")["options"][0]["correct"] = True
    error = refused(data)
    assert error.message == (
        'quizzes/devices-check.json: question "storage": '
        "a single-choice question needs exactly one correct option (found 2)"
    )


def test_single_choice_with_no_correct_option_is_refused() -> None:
    data = valid_quiz()
    question(data, "storage")["options"][1]["correct"] = False
    refused(data, 'question "storage"', "exactly one correct option (found 0)")


def test_multiple_choice_with_no_correct_option_is_refused() -> None:
    data = valid_quiz()
    for option in question(data, "inputs")["options"]:
        option["correct"] = False
    refused(data, 'question "inputs"', "needs at least one correct option")


@pytest.mark.parametrize("correct", ["true", 1, None])
def test_option_correct_must_be_true_or_false(correct: object) -> None:
    data = valid_quiz()
    question(data, "storage")["options"][0]["correct"] = correct
    refused(data, 'question "storage"', 'option "ram"', '"correct" must be true or false')


def test_option_without_text_is_refused() -> None:
    data = valid_quiz()
    del question(data, "storage")["options"][0]["text"]
    refused(data, 'question "storage"', 'option "ram"', 'no "text"')


def test_option_without_id_is_refused_naming_its_position() -> None:
    data = valid_quiz()
    del question(data, "storage")["options"][1]["id"]
    refused(data, 'question "storage"', "option 2", 'no "id"')


def test_option_with_invalid_id_is_refused() -> None:
    data = valid_quiz()
    question(data, "storage")["options"][0]["id"] = "RAM"
    refused(data, 'question "storage"', "option 1", '"RAM" is not a valid id')


def test_choice_shuffle_must_be_true_or_false() -> None:
    data = valid_quiz()
    question(data, "storage")["shuffle"] = "no"
    refused(data, 'question "storage"', '"shuffle" must be true or false')


@pytest.mark.parametrize("answer", ["true", 1, 0, None])
def test_true_false_answer_must_be_a_boolean(answer: object) -> None:
    data = valid_quiz()
    question(data, "os")["answer"] = answer
    refused(data, 'question "os"', '"answer" of a true/false question must be true or false')


def test_true_false_feedback_with_unknown_key_is_refused() -> None:
    data = valid_quiz()
    question(data, "os")["feedback"] = {"yes": "Right."}
    refused(data, 'question "os"', 'unknown key "yes"')


@pytest.mark.parametrize("answer", ["1024", True, None, [1024]])
def test_numeric_answer_must_be_a_number(answer: object) -> None:
    data = valid_quiz()
    question(data, "kb")["answer"] = answer
    refused(data, 'question "kb"', '"answer" must be a number')


@pytest.mark.parametrize("literal", [b"1e400", b"-1e400", b"1" + b"0" * 400])
def test_numeric_answer_too_large_to_be_finite_is_refused(literal: bytes) -> None:
    raw = encode(valid_quiz()).replace(b'"answer": 1024', b'"answer": ' + literal)
    refused(None, 'question "kb"', "too large", raw=raw)


def test_negative_tolerance_is_refused() -> None:
    data = valid_quiz()
    question(data, "kb")["tolerance"] = -0.5
    refused(data, 'question "kb"', '"tolerance" must be 0 or more')


def test_numeric_unit_must_be_text() -> None:
    data = valid_quiz()
    question(data, "kb")["unit"] = 8
    refused(data, 'question "kb"', '"unit" must be a string')


def test_short_text_without_accepted_answers_is_refused() -> None:
    data = valid_quiz()
    question(data, "ext")["accepted"] = []
    refused(data, 'question "ext"', "needs 1 to 100 accepted (found 0)")


@pytest.mark.parametrize("blank", ["", "   ", "?!", " . . ", "\u3000"])
def test_accepted_answer_that_normalises_to_nothing_is_refused(blank: str) -> None:
    data = valid_quiz()
    question(data, "ext")["accepted"] = ["pdf", blank]
    refused(data, 'question "ext"', "accepted answer 2", "empty once normalised")


def test_accepted_answer_that_is_not_text_is_refused() -> None:
    data = valid_quiz()
    question(data, "ext")["accepted"] = ["pdf", 5]
    refused(data, 'question "ext"', "accepted answer 2 must be a string")


def test_case_sensitive_must_be_true_or_false() -> None:
    data = valid_quiz()
    question(data, "ext")["case_sensitive"] = "yes"
    refused(data, 'question "ext"', '"case_sensitive" must be true or false')


@pytest.mark.parametrize("count", [1, 11])
def test_ordering_question_needs_two_to_ten_items(count: int) -> None:
    data = valid_quiz()
    question(data, "boot")["items"] = [{"id": f"i{n}", "text": f"Step {n}"} for n in range(count)]
    refused(data, 'question "boot"', f"needs 2 to 10 items (found {count})")


def test_duplicate_ordering_item_ids_are_refused() -> None:
    data = valid_quiz()
    question(data, "boot")["items"][2]["id"] = "power"
    refused(data, 'question "boot"', 'two items share the id "power"')


def test_unknown_ordering_item_key_is_refused() -> None:
    data = valid_quiz()
    question(data, "boot")["items"][0]["position"] = 1
    refused(data, 'question "boot"', 'item "power"', 'unknown key "position"')


@pytest.mark.parametrize("count", [1, 11])
def test_matching_question_needs_two_to_ten_pairs(count: int) -> None:
    data = valid_quiz()
    question(data, "match")["pairs"] = [
        {"id": f"p{n}", "left": f"L{n}", "right": f"R{n}"} for n in range(count)
    ]
    refused(data, 'question "match"', f"needs 2 to 10 pairs (found {count})")


def test_duplicate_matching_pair_ids_are_refused() -> None:
    data = valid_quiz()
    question(data, "match")["pairs"][1]["id"] = "a"
    refused(data, 'question "match"', 'two pairs share the id "a"')


def test_matching_right_sides_that_are_the_same_are_refused() -> None:
    data = valid_quiz()
    question(data, "match")["pairs"][1]["right"] = " document "
    refused(data, 'question "match"', "same right side")


def test_matching_pair_without_right_side_is_refused() -> None:
    data = valid_quiz()
    del question(data, "match")["pairs"][0]["right"]
    refused(data, 'question "match"', 'pair "a"', 'no "right"')


# ------------------------------------------------------------------------------------------
# Refusals: pools
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("draw", [0, -1, 3])
def test_pool_draw_outside_one_to_pool_size_is_refused(draw: int) -> None:
    data = valid_quiz()
    data["pools"][0]["draw"] = draw
    refused(data, 'pool "extra"', '"draw" must be between 1 and the 2 questions', f"found {draw}")


@pytest.mark.parametrize("draw", [True, 1.0, "1", None])
def test_pool_draw_must_be_a_whole_number(draw: object) -> None:
    data = valid_quiz()
    data["pools"][0]["draw"] = draw
    refused(data, 'pool "extra"', '"draw" must be a whole number')


def test_empty_pool_is_refused() -> None:
    data = valid_quiz()
    data["pools"][0]["questions"] = []
    refused(data, 'pool "extra"', "the pool has no questions")


def test_unknown_pool_key_is_refused() -> None:
    data = valid_quiz()
    data["pools"][0]["shuffle"] = True
    refused(data, 'pool "extra"', 'unknown key "shuffle"')


def test_duplicate_pool_ids_are_refused() -> None:
    data = valid_quiz()
    second = copy.deepcopy(data["pools"][0])
    for member in second["questions"]:
        member["id"] += "-2"
    data["pools"].append(second)
    refused(data, 'pool "extra"', 'two pools share the id "extra"')


def test_bad_question_inside_a_pool_is_refused_naming_the_question() -> None:
    data = valid_quiz()
    data["pools"][0]["questions"][0]["answer"] = "yes"
    refused(data, 'question "cloud"', '"answer"')


# ------------------------------------------------------------------------------------------
# Normalisation and numbers
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("  Hello   World. ", "hello world"),
        ("PDF!?", "pdf"),
        ("yes . !", "yes"),
        ("tab\tand\nnewline", "tab and newline"),
        ("\ufb01le", "file"),  # the "fi" ligature
        ("\uff30\uff24\uff26", "pdf"),  # full-width letters
        ("Stra\u00dfe", "strasse"),  # casefold, not lower
        ("e.g. this", "e.g. this"),  # only trailing punctuation goes
        (".pdf", ".pdf"),  # leading dots stay
        ("\u00a0non\u00a0breaking\u00a0", "non breaking"),
        ("...", ""),
    ],
)
def test_normalise_text_follows_the_spec(given: str, expected: str) -> None:
    assert normalise_text(given) == expected


def test_normalise_text_keeps_case_when_case_sensitive() -> None:
    assert normalise_text("  Paris!  ", case_sensitive=True) == "Paris"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2,5", 2.5),
        ("2.5", 2.5),
        (" -3,25 ", -3.25),
        ("+4", 4.0),
        ("1024", 1024.0),
        (",5", 0.5),
        ("5,", 5.0),
        ("\u22122", -2.0),  # the typographic minus sign
        ("\uff11\uff12", 12.0),  # full-width digits
        ("1e3", 1000.0),
    ],
)
def test_parse_number_accepts_a_dot_or_a_comma_as_decimal_sign(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text",
    ["", " ", "abc", "1.2.3", "1,2,3", "inf", "nan", "Infinity", "1e999", "1 000", "--1", "- 1"]
    + ["2,5 kg", "0x10", ".", ",", "1_000", "1" * 300],
)
def test_parse_number_returns_none_for_non_numbers(text: str) -> None:
    assert parse_number(text) is None


# ------------------------------------------------------------------------------------------
# Draws
# ------------------------------------------------------------------------------------------


def test_same_seed_gives_the_same_draw() -> None:
    quiz = parse(valid_quiz())
    assert draw_questions(quiz, 1234) == draw_questions(quiz, 1234)


def test_different_seeds_give_different_draws_somewhere() -> None:
    quiz = parse(valid_quiz())
    draws = {tuple(draw_questions(quiz, seed)) for seed in range(50)}
    assert len(draws) > 40


def test_each_attempt_asks_fixed_questions_and_n_of_m_from_each_pool() -> None:
    data = valid_quiz()
    data["pools"] = [
        {
            "id": "big",
            "draw": 2,
            "questions": [
                {"id": f"b{n}", "type": "true_false", "prompt": "?", "answer": True}
                for n in range(5)
            ],
        }
    ]
    quiz = parse(data)
    fixed = {q.id for q in quiz.questions}
    pool_ids = {q.id for q in quiz.pools[0].questions}
    seen_from_pool: set[str] = set()
    for seed in range(200):
        ids = [d.question.id for d in draw_questions(quiz, seed)]
        assert len(ids) == len(set(ids)) == quiz.asked_count == 9
        assert fixed <= set(ids)
        drawn = set(ids) & pool_ids
        assert len(drawn) == 2
        seen_from_pool |= drawn
    assert seen_from_pool == pool_ids


def test_question_order_is_kept_when_shuffle_questions_is_off() -> None:
    data = valid_quiz()
    data["shuffle_questions"] = False
    quiz = parse(data)
    for seed in range(20):
        ids = [d.question.id for d in draw_questions(quiz, seed)]
        assert ids[:7] == ["storage", "inputs", "os", "kb", "ext", "boot", "match"]
        assert ids[7] in {"cloud", "backup"}


def test_question_order_is_shuffled_when_shuffle_questions_is_on() -> None:
    quiz = parse(valid_quiz())
    orders = {tuple(d.question.id for d in draw_questions(quiz, seed)[:7]) for seed in range(30)}
    assert len(orders) > 1


def test_display_orders_are_permutations_of_the_question_ids() -> None:
    quiz = parse(valid_quiz())
    for seed in range(30):
        for drawn in draw_questions(quiz, seed):
            q = drawn.question
            assert sorted(drawn.option_order) == sorted(o.id for o in q.options)
            assert sorted(drawn.item_order) == sorted(i.id for i in q.items)
            assert sorted(drawn.right_order) == sorted(p.id for p in q.pairs)


def test_options_keep_file_order_when_shuffle_is_off() -> None:
    data = valid_quiz()
    question(data, "inputs")["shuffle"] = False
    quiz = parse(data)
    for seed in range(20):
        shown = next(d for d in draw_questions(quiz, seed) if d.question.id == "inputs")
        assert shown.option_order == ("kbd", "mouse", "screen")


def test_options_are_shuffled_when_shuffle_is_on() -> None:
    quiz = parse(valid_quiz())
    orders = {
        next(d for d in draw_questions(quiz, seed) if d.question.id == "inputs").option_order
        for seed in range(40)
    }
    assert len(orders) > 1


def test_ordering_items_are_never_shown_in_the_correct_order() -> None:
    data = minimal_quiz(
        {
            "id": "two",
            "type": "ordering",
            "prompt": "Order",
            "items": [{"id": "first", "text": "First"}, {"id": "second", "text": "Second"}],
        }
    )
    quiz = parse(data)
    for seed in range(100):
        assert draw_questions(quiz, seed)[0].item_order == ("second", "first")


def test_ordering_items_vary_between_seeds() -> None:
    quiz = parse(valid_quiz())
    orders = set()
    for seed in range(60):
        shown = next(d for d in draw_questions(quiz, seed) if d.question.id == "boot")
        assert shown.item_order != ("power", "os", "login")
        orders.add(shown.item_order)
    assert len(orders) == 5  # every order of three but the correct one


# ------------------------------------------------------------------------------------------
# Grading
# ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def questions() -> dict[str, Question]:
    data = valid_quiz()
    question(data, "ext")["accepted"] = ["pdf", ".pdf"]
    data["questions"].append(
        {
            "id": "capital",
            "type": "short_text",
            "prompt": "Capital of France?",
            "accepted": ["Paris"],
            "case_sensitive": True,
        }
    )
    data["questions"].append(
        {"id": "pi", "type": "numeric", "prompt": "Pi?", "answer": 3.14, "tolerance": 0.01}
    )
    data["questions"].append(
        {"id": "half", "type": "numeric", "prompt": "?", "answer": 2.5, "tolerance": 0.1}
    )
    return by_id(parse(data))


CORRECT: list[tuple[str, object]] = [
    ("storage", "disk"),
    ("inputs", ["kbd", "mouse"]),
    ("inputs", ["mouse", "kbd"]),
    ("inputs", ("kbd", "mouse")),
    ("os", True),
    ("backup", False),
    ("kb", "1024"),
    ("kb", " 1024,0 "),
    ("kb", 1024),
    ("kb", 1024.0),
    ("kb", "1024 bytes"),
    ("pi", "3,141"),
    ("pi", "3.13"),
    ("half", "2,6"),
    ("half", "2.4"),
    ("ext", "PDF"),
    ("ext", " .pdf! "),
    ("ext", "pdf."),
    ("capital", "Paris"),
    ("capital", "  Paris ."),
    ("boot", ["power", "os", "login"]),
    ("match", {"a": "a", "b": "b"}),
]

INCORRECT: list[tuple[str, object]] = [
    ("storage", "ram"),
    ("storage", "DISK"),
    ("inputs", ["kbd"]),
    ("inputs", ["kbd", "mouse", "screen"]),
    ("inputs", ["kbd", "kbd", "mouse"]),
    ("os", False),
    ("backup", True),
    ("kb", "1000"),
    ("kb", 1023.5),
    ("kb", "1 024"),
    ("kb", "1024 kb"),
    ("pi", "3.16"),
    ("half", "2.61"),
    ("half", "2,39"),
    ("ext", "doc"),
    ("ext", "p d f"),
    ("capital", "paris"),
    ("boot", ["os", "power", "login"]),
    ("boot", ["power", "os"]),
    ("boot", ["power", "os", "login", "login"]),
    ("match", {"a": "b", "b": "a"}),
    ("match", {"a": "a"}),
    ("match", {"a": "a", "b": "b", "c": "c"}),
]

MALFORMED: list[object] = [
    None,
    1,
    0,
    1.5,
    float("nan"),
    float("inf"),
    10**400,
    "",
    "x" * 20_000,
    [],
    [None],
    [[1]],
    [{"a": 1}],
    {},
    {"a": None},
    {"a": ["a"]},
    {1: "a"},
    object(),
]


@pytest.mark.parametrize(("qid", "response"), CORRECT)
def test_correct_response_is_graded_correct(
    questions: dict[str, Question], qid: str, response: object
) -> None:
    assert grade(questions[qid], response) is True


@pytest.mark.parametrize(("qid", "response"), INCORRECT)
def test_wrong_response_is_graded_incorrect(
    questions: dict[str, Question], qid: str, response: object
) -> None:
    assert grade(questions[qid], response) is False


@pytest.mark.parametrize("response", MALFORMED, ids=repr)
def test_malformed_responses_are_incorrect_for_every_type_and_never_raise(
    questions: dict[str, Question], response: object
) -> None:
    for q in questions.values():
        assert grade(q, response) is False, (q.id, response)


def test_true_false_does_not_accept_one_for_true(questions: dict[str, Question]) -> None:
    assert grade(questions["os"], 1) is False


def test_numeric_does_not_accept_a_boolean(questions: dict[str, Question]) -> None:
    one = Question(id="one", type="numeric", prompt="?", answer=1.0)
    assert grade(one, True) is False
    assert grade(one, "1") is True


def test_score_sums_points_and_applies_the_pass_mark() -> None:
    data = valid_quiz()
    data["pass_mark"] = 0.7
    quiz = parse(data)
    drawn = draw_questions(quiz, 7)
    all_right: dict[str, object] = {
        "storage": "disk",
        "inputs": ["kbd", "mouse"],
        "os": True,
        "kb": "1024",
        "ext": "pdf",
        "boot": ["power", "os", "login"],
        "match": {"a": "a", "b": "b"},
        "cloud": True,
        "backup": False,
    }
    assert score(quiz, drawn, all_right) == (9, 9, True)

    # Lose the 2-point question and one 1-point question: 6 of 9 is below 0.7.
    assert score(quiz, drawn, {**all_right, "inputs": ["kbd"], "os": False}) == (6, 9, False)
    # Unanswered questions earn nothing.
    assert score(quiz, drawn, {}) == (0, 9, False)


def test_score_counts_only_the_questions_of_the_draw() -> None:
    quiz = parse(valid_quiz())
    drawn = draw_questions(quiz, 3)
    asked = {d.question.id for d in drawn}
    not_asked = ({"cloud", "backup"} - asked).pop()
    earned, possible, _ = score(quiz, drawn, {not_asked: not_asked == "cloud"})
    assert (earned, possible) == (0, 9)


@pytest.mark.parametrize(
    ("mark", "earned", "possible", "passes"),
    [
        (0.7, 7, 10, True),
        (0.7, 69, 100, False),
        (0.7, 70, 100, True),
        (0.3, 3, 10, True),
        (1 / 3, 1, 3, True),
        (1.0, 9, 9, True),
        (1.0, 8, 9, False),
        (0.5, 0, 0, False),
    ],
)
def test_pass_mark_is_compared_exactly(
    mark: float, earned: int, possible: int, passes: bool
) -> None:
    assert meets_pass_mark(mark, earned, possible) is passes


def test_drawn_question_defaults_to_empty_orders() -> None:
    one = Question(id="one", type="true_false", prompt="?", answer=True)
    assert DrawnQuestion(one) == DrawnQuestion(one, (), (), ())


# ------------------------------------------------------------------------------------------
# Hostile input: only QuizError ever escapes
# ------------------------------------------------------------------------------------------

_KNOWN_KEYS = sorted(
    {
        *("format", "id", "title", "pass_mark", "feedback", "attempts", "max"),
        *("cooldown_minutes", "time_limit_minutes", "shuffle_questions", "questions", "pools"),
        *("draw", "type", "prompt", "explanation", "points", "options", "shuffle", "answer"),
        *("tolerance", "unit", "accepted", "case_sensitive", "items", "pairs", "text"),
        *("correct", "left", "right", "true", "false"),
    }
)

_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-3, max_value=12)
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from([*_KNOWN_KEYS, "single", "multiple", "numeric", "ordering", "each", "a"])
)
json_values = st.recursive(
    _scalars,
    lambda children: (
        st.lists(children, max_size=6)
        | st.dictionaries(st.sampled_from(_KNOWN_KEYS) | st.text(max_size=8), children, max_size=6)
    ),
    max_leaves=30,
)


def _locations(node: object) -> list[tuple[dict[str, Any] | list[Any], Any]]:
    """Every (container, key) place inside a JSON tree."""
    places: list[tuple[dict[str, Any] | list[Any], Any]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            places.append((node, key))
            places.extend(_locations(value))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            places.append((node, index))
            places.extend(_locations(value))
    return places


@st.composite
def mutated_quizzes(draw: st.DrawFn) -> dict[str, Any]:
    """A valid quiz with a few random places replaced, removed or given extra keys."""
    data = valid_quiz()
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        places = _locations(data)
        container, key = places[draw(st.integers(min_value=0, max_value=len(places) - 1))]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            container[key] = draw(json_values)
        elif action == "delete":
            del container[key]
        elif isinstance(container, dict):
            container[draw(st.sampled_from(_KNOWN_KEYS))] = draw(json_values)
        else:
            container.append(draw(json_values))
    return data


def _parse_or_quiz_error(raw: bytes) -> None:
    try:
        parse_quiz(raw, path=PATH, expected_id="devices-check")
    except QuizError as error:
        assert error.message.startswith(PATH + ": ")
        assert error.hint
        str(error).encode("utf-8")  # every message can be printed


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2_000))
def test_random_bytes_raise_only_quiz_error(raw: bytes) -> None:
    _parse_or_quiz_error(raw)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_random_json_raises_only_quiz_error(value: object) -> None:
    _parse_or_quiz_error(json.dumps(value).encode("utf-8"))


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_quizzes())
def test_randomly_damaged_quizzes_raise_only_quiz_error(data: dict[str, Any]) -> None:
    _parse_or_quiz_error(json.dumps(data).encode("utf-8"))


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_grading_random_responses_never_raises(response: object) -> None:
    for q in parse(valid_quiz()).all_questions:
        assert grade(q, response) in (True, False)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalise_text_is_idempotent(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_parse_number_never_raises_and_never_returns_inf_or_nan(text: str) -> None:
    value = parse_number(text)
    assert value is None or value == value and abs(value) != float("inf")


@settings(max_examples=100, deadline=None)
@given(st.integers())
def test_any_seed_draws_a_full_attempt(seed: int) -> None:
    quiz = parse(valid_quiz())
    assert len(draw_questions(quiz, seed)) == quiz.asked_count


def test_correct_response_is_graded_correct_for_every_sample_question() -> None:
    from mcdesk.packs.quiz import correct_response

    repo = Path(__file__).resolve().parents[2]
    questions = 0
    for path in sorted((repo / "content_packs").glob("*/quizzes/*.json")):
        quiz = parse_quiz(path.read_bytes(), path=path.name)
        for question in quiz.all_questions:
            assert grade(question, correct_response(question)), (path.name, question.id)
            questions += 1
    assert questions > 40
