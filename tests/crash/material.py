"""What the crash harness's parent and child share: the pack's ids, the flows' names, the quiz, and
the author sources of the pack versions the child installs in turn."""

from __future__ import annotations

import json
from pathlib import Path

PACK = "org.example.crash"
QUIZ = "check"  # minimal_source's quiz id; its file is replaced by the richer QUIZ_FILE below
LESSONS = 10
LESSON_IDS = tuple(f"lesson-{n}" for n in range(1, LESSONS + 1))
VERSIONS = (1, 2)
MEDIA_FILES = 30  # per version; half of the names differ between versions, so a mixture shows
PHASES = ("install", "quiz", "evidence", "sync")  # "evidence": completing lessons, each writing a record

_OPTIONS = [{"id": k, "text": k.upper(), "correct": k == "b"} for k in ("a", "b", "c", "d")]
QUIZ_FILE = {
    "format": 1, "id": QUIZ, "title": "Crash check", "pass_mark": 0.6, "feedback": "each",
    "shuffle_questions": True,
    "questions": [
        {"id": "single", "type": "single", "prompt": "Pick B.", "options": _OPTIONS},
        {"id": "multiple", "type": "multiple", "prompt": "Pick A and C.", "options": [
            {"id": k, "text": k.upper(), "correct": k in "ac"} for k in ("a", "b", "c", "d")]},
        {"id": "truth", "type": "true_false", "prompt": "Power cuts happen.", "answer": True},
        {"id": "number", "type": "numeric", "prompt": "How many bytes in a KiB?", "answer": 1024,
         "tolerance": 0, "unit": "bytes"},
        {"id": "word", "type": "short_text", "prompt": "The extension of a PDF?", "accepted": ["pdf", ".pdf"]},
        {"id": "order", "type": "ordering", "prompt": "First to last.", "items": [
            {"id": k, "text": k} for k in ("one", "two", "three", "four")]},
        {"id": "match", "type": "matching", "prompt": "Match.", "pairs": [
            {"id": k, "left": k, "right": k.upper()} for k in ("x", "y", "z")]},
    ],
}


def media(version: int) -> dict[str, bytes]:
    """The pack's other files for ``version``: half shared names with version-specific bytes, half
    names only this version has, a few KB each."""
    files = {}
    for n in range(MEDIA_FILES):
        name = f"media/shared-{n:02d}.txt" if n % 2 else f"media/v{version}-only-{n:02d}.txt"
        files[name] = f"version {version}, file {n}\n".encode() * (40 + 37 * n)
    return files


def write_source(folder: Path, version: int) -> Path:
    """The author source folder of the crash pack at ``version`` (lesson and quiz ids never change,
    so learners' progress stays attached across updates and rollbacks)."""
    from tests.conftest import minimal_source

    minimal_source(folder, pack_id=PACK, version=version, lessons=LESSONS, extra_files=media(version))
    for n in range(1, LESSONS + 1):  # version-specific lesson text: a lesson of the other version shows
        path = folder / "lessons" / f"{n:02d}.md"
        path.write_text(path.read_text(encoding="utf-8") + f"\nVersion {version} of lesson {n}.\n", encoding="utf-8")
    (folder / "quizzes" / f"{QUIZ}.json").write_text(json.dumps(QUIZ_FILE), encoding="utf-8")
    return folder
