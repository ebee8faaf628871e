"""The builder: deterministic signed packs, and every refusal an author can meet."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mcdesk.errors import Cancelled, PackError, QuizError
from mcdesk.home import Home
from mcdesk.keys import key_id
from mcdesk.packs.build import build_pack
from mcdesk.packs.install import PackManager
from mcdesk.packs.manifest import MANIFEST_NAME, SIGNATURE_NAME, parse_manifest, serialise
from mcdesk.packs.samples import SAMPLE_PUBLISHER, install_samples, sample_sources
from mcdesk.packs.signature import parse_signature
from mcdesk.packs.trust import ORIGIN_LOCAL_SAMPLE
from mcdesk.store.db import Store
from tests.conftest import QUIZ, minimal_source

KEY = Ed25519PrivateKey.generate()


@pytest.fixture
def src(tmp_path: Path) -> Path:
    return minimal_source(tmp_path / "src")


def edit_manifest(src: Path, change: Callable[[dict], None]) -> None:
    raw = json.loads((src / MANIFEST_NAME).read_text(encoding="utf-8"))
    change(raw)
    (src / MANIFEST_NAME).write_text(json.dumps(raw, indent=2), encoding="utf-8")


def refuse(src: Path, out: Path, match: str, error: type[Exception] = PackError) -> None:
    """The build fails with ``match`` in its message and leaves no pack (nor a half-written one)."""
    with pytest.raises(error) as caught:
        build_pack(src, KEY, out)
    assert match in caught.value.message, caught.value.message
    assert not out.exists()
    assert not out.with_name(out.name + ".part").exists()


# --- deterministic output ----------------------------------------------------------------


def test_building_twice_gives_identical_bytes_even_at_another_path_or_after_a_touch(
    src: Path, tmp_path: Path
) -> None:
    first = build_pack(src, KEY, tmp_path / "a.mcpack")
    second = build_pack(src, KEY, tmp_path / "a.mcpack")
    elsewhere = build_pack(src, KEY, tmp_path / "other" / "dir" / "b.mcpack")
    for path in src.rglob("*"):
        os.utime(path, (1_700_000_000, 1_700_000_000))
        if path.is_file():
            path.chmod(0o600)
    moved = shutil.copytree(src, tmp_path / "copied-source")
    touched = build_pack(moved, KEY, tmp_path / "c.mcpack")

    data = (tmp_path / "a.mcpack").read_bytes()
    assert first.sha256 == second.sha256 == elsewhere.sha256 == touched.sha256
    assert data == (tmp_path / "other" / "dir" / "b.mcpack").read_bytes()
    assert data == (tmp_path / "c.mcpack").read_bytes()
    assert first.sha256 == hashlib.sha256(data).hexdigest() and first.size_bytes == len(data)


def test_a_different_key_or_content_gives_different_bytes(src: Path, tmp_path: Path) -> None:
    base = build_pack(src, KEY, tmp_path / "a.mcpack").sha256
    assert build_pack(src, Ed25519PrivateKey.generate(), tmp_path / "b.mcpack").sha256 != base
    (src / "lessons" / "01.md").write_text("# Lesson 1\n\nChanged.\n", encoding="utf-8")
    assert build_pack(src, KEY, tmp_path / "c.mcpack").sha256 != base


def test_the_archive_layout_follows_the_format(tmp_path: Path) -> None:
    noise = random.Random(7).randbytes(4096)  # does not deflate by 10%
    src = minimal_source(
        tmp_path / "src", extra_files={"media/noise.bin": noise, "media/text.txt": b"la " * 2000}
    )
    result = build_pack(src, KEY, tmp_path / "p.mcpack")
    with zipfile.ZipFile(result.path) as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        assert names[:2] == [MANIFEST_NAME, SIGNATURE_NAME]
        assert names[2:] == sorted(names[2:]) == sorted(result.manifest.files)
        for info in infos:
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert info.external_attr >> 16 == stat.S_IFREG | 0o644
            assert not info.is_dir()
        kinds = {i.filename: i.compress_type for i in infos}
        assert kinds["media/noise.bin"] == zipfile.ZIP_STORED
        assert kinds["media/text.txt"] == zipfile.ZIP_DEFLATED
        manifest_bytes = zf.read(MANIFEST_NAME)
        sig = parse_signature(zf.read(SIGNATURE_NAME))
        for name in names[2:]:
            entry = result.manifest.files[name]
            data = zf.read(name)
            assert (len(data), hashlib.sha256(data).hexdigest()) == (entry.length, entry.sha256)
    raw = json.loads(manifest_bytes)
    assert manifest_bytes == serialise(raw) and manifest_bytes.endswith(b"}\n")
    assert b'\n  "credentials"' in manifest_bytes  # sorted keys, two-space indents
    assert sig.key_id == key_id(KEY.public_key()) == result.key_id
    KEY.public_key().verify(sig.value, manifest_bytes)
    assert parse_manifest(manifest_bytes).id == "org.example.test"


def test_hidden_files_are_left_out_and_an_authors_files_key_is_replaced(
    src: Path, tmp_path: Path
) -> None:
    (src / ".DS_Store").write_bytes(b"\0\0")
    (src / ".git").mkdir()
    (src / ".git" / "config").write_text("[core]\n")
    edit_manifest(
        src, lambda raw: raw.update(files={"lessons/01.md": {"length": 1, "sha256": "0" * 64}})
    )
    result = build_pack(src, KEY, tmp_path / "p.mcpack")
    assert sorted(result.manifest.files) == [
        "lessons/01.md",
        "lessons/02.md",
        "media/dot.svg",
        "quizzes/check.json",
    ]
    assert result.manifest.files["lessons/01.md"].length > 1
    assert any("lists 'files'" in w for w in result.warnings)


def test_unreferenced_files_are_packed_with_a_warning(tmp_path: Path) -> None:
    src = minimal_source(
        tmp_path / "src", extra_files={"media/unused.svg": b"<svg/>", "notes/todo.txt": b"later"}
    )
    result = build_pack(src, KEY, tmp_path / "p.mcpack")
    assert result.warnings == [
        "media/unused.svg is not used by any lesson or module (it is packed anyway).",
        "notes/todo.txt is not used by any lesson or module (it is packed anyway).",
    ]
    assert "media/unused.svg" in result.manifest.files
    assert not any("dot.svg" in w for w in result.warnings)  # used by the lessons' image


def test_as_json_describes_the_build(src: Path, tmp_path: Path) -> None:
    result = build_pack(src, KEY, tmp_path / "p.mcpack")
    data = result.as_json()
    assert data["pack_id"] == "org.example.test" and data["files"] == 4
    assert data["sha256"] == result.sha256 and data["path"] == str(tmp_path / "p.mcpack")


def test_default_output_name_is_id_and_version_in_the_current_folder(
    src: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = build_pack(src, KEY)
    assert result.path == tmp_path / "org.example.test-1.mcpack" and result.path.is_file()


# --- refusals ----------------------------------------------------------------------------


def test_refuses_a_missing_lesson(src: Path, tmp_path: Path) -> None:
    (src / "lessons" / "02.md").unlink()
    refuse(src, tmp_path / "p.mcpack", "the lesson file 'lessons/02.md' is not in the pack")


def test_refuses_a_missing_quiz_file(src: Path, tmp_path: Path) -> None:
    (src / "quizzes" / "check.json").unlink()
    refuse(src, tmp_path / "p.mcpack", "the quiz file 'quizzes/check.json' is not in the pack")


def test_refuses_a_missing_image(src: Path, tmp_path: Path) -> None:
    (src / "lessons" / "02.md").write_text("# Two\n\n![map](../media/map.png)\n", encoding="utf-8")
    refuse(
        src,
        tmp_path / "p.mcpack",
        "lessons/02.md: the image '../media/map.png' is not a file of the pack",
    )


@pytest.mark.parametrize(
    "image",
    [
        "https://example.org/logo.png",
        "http://example.org/a.svg",
        "//cdn.example.org/a.png",
        "data:image/png;base64,AAAA",
    ],
)
def test_refuses_a_remote_image(image: str, src: Path, tmp_path: Path) -> None:
    (src / "lessons" / "02.md").write_text(f"# Two\n\n![logo]({image})\n", encoding="utf-8")
    refuse(
        src,
        tmp_path / "p.mcpack",
        f"the image {image!r} is not inside the pack; mcdesk never fetches",
    )


def test_refuses_a_remote_image_written_as_raw_html(src: Path, tmp_path: Path) -> None:
    (src / "lessons" / "02.md").write_text(
        '# Two\n\n<img src="https://example.org/t.gif">\n', encoding="utf-8"
    )
    refuse(
        src, tmp_path / "p.mcpack", "the image 'https://example.org/t.gif' is not inside the pack"
    )


def test_refuses_an_image_that_is_not_a_picture(src: Path, tmp_path: Path) -> None:
    (src / "lessons" / "02.md").write_text(
        "# Two\n\n![q](../quizzes/check.json)\n", encoding="utf-8"
    )
    refuse(src, tmp_path / "p.mcpack", "'../quizzes/check.json' is not an image mcdesk can show")


@pytest.mark.parametrize(
    "link",
    [
        "../../outside.md",
        "../../../etc/passwd",
        "/etc/passwd",
        "03.md",
        "file:///etc/passwd",
        "javascript:alert(1)",
    ],
)
def test_refuses_a_link_that_escapes_the_pack_or_points_nowhere(
    link: str, src: Path, tmp_path: Path
) -> None:
    (tmp_path / "outside.md").write_text("# outside\n")
    (src / "lessons" / "02.md").write_text(f"# Two\n\n[out]({link})\n", encoding="utf-8")
    with pytest.raises(PackError, match=r"lessons/02\.md: the link") as caught:
        build_pack(src, KEY, tmp_path / "p.mcpack")
    assert repr(link) in caught.value.message
    assert not (tmp_path / "p.mcpack").exists()


def test_links_inside_the_pack_and_to_web_pages_are_fine(src: Path, tmp_path: Path) -> None:
    (src / "lessons" / "02.md").write_text(
        "# Two\n\n[back](01.md) [top](#two) [quiz](../quizzes/check.json#q1) "
        "[web](https://example.org/page) [mail](mailto:help@example.org)\n",
        encoding="utf-8",
    )
    assert build_pack(src, KEY, tmp_path / "p.mcpack").path.is_file()


def test_refuses_a_symlinked_file_in_the_source(src: Path, tmp_path: Path) -> None:
    (src / "media" / "link.svg").symlink_to(src / "media" / "dot.svg")
    refuse(
        src,
        tmp_path / "p.mcpack",
        "media/link.svg is not a regular file (a link or a special file)",
    )


def test_refuses_a_symlinked_folder_in_the_source(src: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    (src / "extra").symlink_to(outside, target_is_directory=True)
    refuse(src, tmp_path / "p.mcpack", "extra is a symbolic link")


def test_refuses_a_fifo_in_the_source(src: Path, tmp_path: Path) -> None:
    os.mkfifo(src / "media" / "pipe.svg")
    refuse(src, tmp_path / "p.mcpack", "pipe.svg is not a regular file")


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("media/bad:name.svg", "the part 'bad:name.svg' has characters other than"),
        ("media/caf\u00e9.svg", "has characters other than letters, digits"),
        ("media/CON.svg", "the part 'CON.svg' is a name Windows reserves"),
        ("media/lpt1", "is a name Windows reserves"),
        ("media/trailing.", "the part 'trailing.' ends in a dot or a space"),
        ("media/tab\there.svg", "it contains a control character"),
        ("media/back\\slash.svg", "it contains a backslash"),
        ("manifest.sig", "manifest.sig is written by the builder"),
    ],
)
def test_refuses_bad_file_names(name: str, problem: str, src: Path, tmp_path: Path) -> None:
    (src / name).write_bytes(b"<svg/>")
    refuse(src, tmp_path / "p.mcpack", problem)


def test_refuses_names_that_differ_only_in_case(src: Path, tmp_path: Path) -> None:
    (src / "media" / "DOT.svg").write_bytes(b"<svg/>")
    refuse(src, tmp_path / "p.mcpack", "differ only in letter case")


def test_refuses_a_folder_spelled_two_ways(src: Path, tmp_path: Path) -> None:
    (src / "MEDIA").mkdir()
    (src / "MEDIA" / "other.svg").write_bytes(b"<svg/>")
    refuse(src, tmp_path / "p.mcpack", "the folder 'media' is also written 'MEDIA'")


def test_refuses_a_lesson_id_reused_as_a_module_id(src: Path, tmp_path: Path) -> None:
    edit_manifest(src, lambda raw: raw["modules"][0]["items"][0].update(id="main"))
    refuse(
        src,
        tmp_path / "p.mcpack",
        "modules[0].items[0].id: the id 'main' is already used by a module",
    )


def test_refuses_a_lesson_and_a_quiz_sharing_an_id(src: Path, tmp_path: Path) -> None:
    edit_manifest(src, lambda raw: raw["modules"][0]["items"][1].update(id="check"))
    refuse(src, tmp_path / "p.mcpack", "items[2].id: the id 'check' is already used by a lesson")


def test_refuses_an_invalid_quiz_naming_the_file_and_the_question(
    src: Path, tmp_path: Path
) -> None:
    quiz = json.loads(json.dumps(QUIZ))
    quiz["questions"][1]["options"][0]["correct"] = True
    (src / "quizzes" / "check.json").write_text(json.dumps(quiz), encoding="utf-8")
    refuse(
        src,
        tmp_path / "p.mcpack",
        'quizzes/check.json: question "q2": a single-choice question needs exactly one '
        "correct option (found 2)",
        QuizError,
    )


def test_refuses_a_quiz_whose_id_differs_from_the_manifest_item(src: Path, tmp_path: Path) -> None:
    quiz = {**QUIZ, "id": "other"}
    (src / "quizzes" / "check.json").write_text(json.dumps(quiz), encoding="utf-8")
    refuse(src, tmp_path / "p.mcpack", "quizzes/check.json", QuizError)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda raw: raw.update(colour="red"), "the key 'colour' is not part of pack format 1"),
        (
            lambda raw: raw["publisher"].update(email="a@b.c"),
            "publisher: the key 'email' is not part of pack format 1",
        ),
        (lambda raw: raw.pop("language"), "the key 'language' is missing"),
        (lambda raw: raw.update(version=0), "version: 0 is out of range"),
        (lambda raw: raw.update(id="Org.Example"), '"Org.Example" is not a valid pack id'),
        (lambda raw: raw.update(format=2), "this is pack format 2"),
        (
            lambda raw: raw["credentials"][0]["criteria"].update(lessons=["nope"]),
            "no lesson has the id 'nope'",
        ),
    ],
)
def test_refuses_a_bad_author_manifest(
    change: Callable[[dict], None], match: str, src: Path, tmp_path: Path
) -> None:
    edit_manifest(src, change)
    refuse(src, tmp_path / "p.mcpack", match)


def test_refuses_a_manifest_that_is_not_json(src: Path, tmp_path: Path) -> None:
    (src / MANIFEST_NAME).write_text('{"format": 1,,}', encoding="utf-8")
    refuse(src, tmp_path / "p.mcpack", "src/manifest.json: not valid JSON")


def test_refuses_a_folder_without_manifest_or_a_file(src: Path, tmp_path: Path) -> None:
    (src / MANIFEST_NAME).unlink()
    refuse(src, tmp_path / "p.mcpack", "has no manifest.json")
    refuse(src / "lessons" / "01.md", tmp_path / "p.mcpack", "is not a folder")


def test_a_cancelled_build_leaves_no_file(src: Path, tmp_path: Path) -> None:
    class CancelWhileWriting:
        def __init__(self) -> None:
            self.writing = False

        def stage(self, text: str, total: int | None = None) -> None:
            self.writing = text.startswith("Writing")

        def advance(self, amount: int) -> None:
            pass

        def cancelled(self) -> bool:
            return self.writing

    out = tmp_path / "p.mcpack"
    with pytest.raises(Cancelled):
        build_pack(src, KEY, out, CancelWhileWriting())
    assert list(tmp_path.glob("p.mcpack*")) == []


def test_a_failed_rebuild_keeps_the_previous_pack(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "p.mcpack"
    good = build_pack(src, KEY, out).sha256
    (src / "lessons" / "02.md").write_text("![x](https://example.org/x.png)\n", encoding="utf-8")
    with pytest.raises(PackError):
        build_pack(src, KEY, out)
    assert hashlib.sha256(out.read_bytes()).hexdigest() == good


# --- the sample packs --------------------------------------------------------------------


SAMPLE_NAMES = sorted(p.name for p in sample_sources())


def test_the_bundled_samples_are_the_content_packs_folder() -> None:
    assert SAMPLE_NAMES == ["analytical-thinking", "digital-literacy", "future-skills"]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_sample_pack_builds_verifies_and_installs(
    name: str,
    copy_samples: Callable[[], Path],
    manager: PackManager,
    trusted_key: Ed25519PrivateKey,
    tmp_path: Path,
) -> None:
    source = copy_samples() / name
    built = build_pack(source, trusted_key, tmp_path / f"{name}.mcpack")
    assert built.warnings == [], built.warnings

    report = manager.verify(built.path)
    assert report.ok, [c for c in report.checks if not c.ok]

    result = manager.install(built.path)
    assert result.action == "install" and result.file_count == len(built.manifest.files)
    installed = manager.get(built.manifest.id)
    assert installed is not None and installed.title == built.manifest.title
    for rel, entry in built.manifest.files.items():
        assert hashlib.sha256((installed.folder / rel).read_bytes()).hexdigest() == entry.sha256


def test_install_samples_installs_all_trusts_a_local_sample_key_and_then_has_nothing_to_do(
    home: Home, store: Store, manager: PackManager
) -> None:
    results = install_samples(home, manager)

    assert sorted(r.pack_id for r in results) == sorted(
        json.loads((p / MANIFEST_NAME).read_text(encoding="utf-8"))["id"] for p in sample_sources()
    )
    assert all(r.action == "install" for r in results)
    keys = manager.trust.list()
    assert [(k.name, k.origin) for k in keys] == [(SAMPLE_PUBLISHER, ORIGIN_LOCAL_SAMPLE)]
    assert (home.keys / "sample-publisher.key.pem").is_file()
    assert {p.id for p in manager.list()} == {r.pack_id for r in results}
    assert not any(
        p.name.startswith("samples-") for p in home.root.iterdir()
    )  # work folder removed
    rows = store.one("SELECT count(*) FROM packs")[0]

    assert install_samples(home, manager) == []
    assert store.one("SELECT count(*) FROM packs")[0] == rows
    assert len(manager.trust.list()) == 1
