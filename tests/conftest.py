"""Shared fixtures: every test gets its own data folder, real SQLite file and real keys."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from mcdesk.home import Home  # noqa: E402
from mcdesk.packs.build import build_pack  # noqa: E402
from mcdesk.packs.install import PackManager  # noqa: E402
from mcdesk.store.db import Store, open_store  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "content_packs"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """MCDESK_HOME always points into the test's own temporary folder."""
    home = tmp_path / "mcdesk-home"
    monkeypatch.setenv("MCDESK_HOME", str(home))
    monkeypatch.setenv("MCDESK_KEY_PASSPHRASE", "test passphrase 123")
    # Device keys go to files in the test's data folder, never into the OS keyring of the machine.
    monkeypatch.setenv("MCDESK_NO_KEYRING", "1")
    return home


@pytest.fixture
def home(_isolated_home: Path) -> Home:
    return Home.open(_isolated_home)


@pytest.fixture
def store(home: Home) -> Iterator[Store]:
    s = open_store(home)
    yield s
    s.close()


@pytest.fixture
def manager(home: Home, store: Store) -> PackManager:
    return PackManager(home, store)


@pytest.fixture
def publisher_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def trusted_key(manager: PackManager, publisher_key: Ed25519PrivateKey) -> Ed25519PrivateKey:
    manager.trust.add(publisher_key.public_key(), "Test publisher")
    return publisher_key


QUIZ = {
    "format": 1, "id": "check", "title": "Check", "pass_mark": 0.5, "feedback": "each",
    "questions": [
        {"id": "q1", "type": "true_false", "prompt": "Water is wet.", "answer": True},
        {"id": "q2", "type": "single", "prompt": "Pick b.", "options": [
            {"id": "a", "text": "A", "correct": False}, {"id": "b", "text": "B", "correct": True}]},
    ],
}


def minimal_source(folder: Path, *, pack_id: str = "org.example.test", version: int = 1,
                   lessons: int = 2, extra_files: dict[str, bytes] | None = None) -> Path:
    """A small but complete author source folder: lessons with an image and a table, one quiz."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lessons").mkdir(exist_ok=True)
    (folder / "media").mkdir(exist_ok=True)
    (folder / "quizzes").mkdir(exist_ok=True)
    (folder / "media" / "dot.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle cx="5" cy="5" r="4"/></svg>\n')
    items = []
    for n in range(1, lessons + 1):
        (folder / "lessons" / f"{n:02d}.md").write_text(
            f"# Lesson {n}\n\nSome text.\n\n![a dot](../media/dot.svg)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
            encoding="utf-8")
        items.append({"type": "lesson", "id": f"lesson-{n}", "title": f"Lesson {n}", "path": f"lessons/{n:02d}.md"})
    (folder / "quizzes" / "check.json").write_text(json.dumps(QUIZ), encoding="utf-8")
    items.append({"type": "quiz", "id": "check", "title": "Check", "path": "quizzes/check.json"})
    for rel, data in (extra_files or {}).items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    manifest = {
        "format": 1, "id": pack_id, "version": version, "display_version": f"1.{version}.0",
        "title": "Test pack", "description": "A pack for tests.", "language": "en",
        "publisher": {"name": "Test publisher"}, "min_app_version": "0.1.0",
        "credentials": [{
            "id": "test-cred", "title": "Test credential", "description": "Passed the test pack.",
            "criteria": {"narrative": "Do everything.", "lessons": [i["id"] for i in items if i["type"] == "lesson"],
                         "quizzes": ["check"]},
            "skills": [{"name": "Testing"}], "level": "introductory", "estimated_hours": 1,
        }],
        "modules": [{"id": "main", "title": "Main", "items": items}],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return folder


def built_test_pack(folder: Path) -> tuple[Path, Ed25519PrivateKey]:
    """minimal_source built and signed with a new publisher key in ``folder``: (the .mcpack, the key)."""
    key = Ed25519PrivateKey.generate()
    return build_pack(minimal_source(folder / "src"), key, folder / "test.mcpack").path, key


@pytest.fixture
def make_pack(tmp_path: Path, trusted_key: Ed25519PrivateKey) -> Callable[..., Path]:
    """Build a signed pack from ``minimal_source``; keyword arguments go to it."""
    counter = iter(range(10_000))

    def make(key: Ed25519PrivateKey | None = None, **kwargs: object) -> Path:
        n = next(counter)
        src = minimal_source(tmp_path / f"src-{n}", **kwargs)  # type: ignore[arg-type]
        return build_pack(src, key or trusted_key, tmp_path / f"pack-{n}.mcpack").path

    return make


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (by relative path) with its bytes; for nothing-changed checks."""
    result = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.endswith(("-wal", "-shm")):
            result[path.relative_to(folder).as_posix()] = path.read_bytes()
    return result


def db_dump(store: Store) -> list[str]:
    return list(store.conn.iterdump())


@pytest.fixture
def copy_samples(tmp_path: Path) -> Callable[[], Path]:
    def copy() -> Path:
        target = tmp_path / "samples-copy"
        shutil.copytree(SAMPLES, target, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
        return target

    return copy
