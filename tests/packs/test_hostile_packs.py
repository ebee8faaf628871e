"""Hostile .mcpack files, each with exactly one defect, are refused before reaching a learner.

Every pack here is an UPDATE (version 2) of a pack already installed at version 1, so "refused"
also means "the installed version, its files and its rows are exactly as they were". Archives are
written byte by byte (tests/packs/zipcraft.py) and manifests are signed with the real Ed25519 key,
so the one defect named by the test is the only thing wrong with the pack.
"""

from __future__ import annotations

import bz2
import json
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mcdesk.errors import McdeskError, PackError, QuizError
from mcdesk.home import Home
from mcdesk.packs.archive import Limits
from mcdesk.packs.install import InstallResult, PackManager
from mcdesk.packs.manifest import SIGNATURE_NAME, serialise
from mcdesk.store.db import Store
from tests.conftest import QUIZ
from tests.packs.state import assert_unchanged, capture
from tests.packs.zipcraft import DEFLATED, STORED, UTF8_FLAG, Craft, Entry, with_entry, write_zip

LESSON = "lessons/01.md"
OTHER_LESSON = "lessons/02.md"
QUIZ_PATH = "quizzes/check.json"
IMAGE = "media/dot.svg"


# --- one defect per pack -----------------------------------------------------------------------

Make = Callable[[Craft, Path], Path]


def _extra_listed(name: str, data: bytes = b"# Evil\n", **entry: object) -> Make:
    """An extra entry called ``name``, listed in the signed manifest as if it were a normal file."""

    def make(c: Craft, out: Path) -> Path:
        c.listed = {**c.files, name: data}
        c.extra_entries = [Entry(name, data, **entry)]  # type: ignore[arg-type]
        return c.write(out)

    return make


def _special_file(mode: int, data: bytes = b"/etc/passwd") -> Make:
    return _extra_listed(
        "media/special.svg", data, external_attr=(mode | 0o777) << 16, create_system=3
    )


def _duplicate_entry(c: Craft, out: Path) -> Path:
    return write_zip(out, c.entries() + [Entry(LESSON, b"# A second lesson 1\n")])


def _folder_entry(c: Craft, out: Path) -> Path:
    c.extra_entries = [
        Entry("media/", b"", STORED, external_attr=((stat.S_IFDIR | 0o755) << 16) | 0x10)
    ]
    return c.write(out)


def _unlisted_file(c: Craft, out: Path) -> Path:
    c.extra_entries = [Entry("media/extra.svg", b"<svg/>")]
    return c.write(out)


def _listed_file_missing(c: Craft, out: Path) -> Path:
    c.listed = dict(c.files)
    del c.files[IMAGE]
    return c.write(out)


def _big_file(c: Craft, out: Path) -> Path:
    c.files["media/big.bin"] = bytes(range(256)) * 12  # 3,072 bytes, well under any ratio cap
    return c.write(out)


def _zip_bomb(c: Craft, out: Path) -> Path:
    c.files["media/zeros.bin"] = bytes(64 * 1024)
    return c.write(out)


def _tampered_byte(c: Craft, out: Path) -> Path:
    data = bytearray(c.files[OTHER_LESSON])
    data[10] ^= 0x01
    return write_zip(out, with_entry(c.entries(), OTHER_LESSON, data=bytes(data)))


def _changed_after_signing(c: Craft, out: Path) -> Path:
    signed = c.manifest_bytes()
    changed = serialise({**c.manifest_dict(), "title": "Test pack (now with malware)"})
    return write_zip(out, c.entries(manifest_bytes=changed, signed_bytes=signed))


def _untrusted_key(c: Craft, out: Path) -> Path:
    c.key = Ed25519PrivateKey.generate()
    return c.write(out)


def _signed_manifest(change: Callable[[dict], object]) -> Make:
    """A manifest bent by ``change`` (returning the new dict, or bytes), then properly signed."""

    def make(c: Craft, out: Path) -> Path:
        raw = json.loads(json.dumps(c.manifest_dict()))
        changed = change(raw)
        data = (
            changed
            if isinstance(changed, bytes)
            else serialise(changed if changed is not None else raw)
        )
        return write_zip(out, c.entries(manifest_bytes=data))

    return make


def _without(key: str) -> Callable[[dict], dict]:
    return lambda raw: {k: v for k, v in raw.items() if k != key}


def _setting(key: str, value: object) -> Callable[[dict], dict]:
    return lambda raw: {**raw, key: value}


def _file_length_as_text(raw: dict) -> dict:
    raw["files"][LESSON]["length"] = str(raw["files"][LESSON]["length"])
    return raw


def _ghost_lesson(c: Craft, out: Path) -> Path:
    c.author["modules"][0]["items"].append(
        {"type": "lesson", "id": "ghost", "title": "Ghost", "path": "lessons/99.md"}
    )
    return c.write(out)


def _lying_header(longer: bool, method: int) -> Make:
    """The entry's data and the size its headers claim (which the manifest repeats) disagree."""

    def make(c: Craft, out: Path) -> Path:
        data = c.files[LESSON]
        real = data + b"\n\nAnd some bytes nobody signed.\n" if longer else data[:-5]
        return write_zip(
            out, with_entry(c.entries(), LESSON, data=real, file_size=len(data), method=method)
        )

    return make


def _case_twin(c: Craft, out: Path) -> Path:
    c.files["Lessons/01.md"] = c.files[LESSON]
    return c.write(out)


def _encrypted(c: Craft, out: Path) -> Path:
    return write_zip(out, with_entry(c.entries(), LESSON, flags=UTF8_FLAG | 0x1))


def _compression(method: int) -> Make:
    def make(c: Craft, out: Path) -> Path:
        return write_zip(
            out,
            with_entry(c.entries(), LESSON, method=method, payload=bz2.compress(c.files[LESSON])),
        )

    return make


def _content(path: str, data: bytes) -> Make:
    """A lesson or quiz replaced by ``data``, honestly listed and signed."""

    def make(c: Craft, out: Path) -> Path:
        c.files[path] = data
        return c.write(out)

    return make


def _invalid_quiz() -> bytes:
    quiz = json.loads(json.dumps(QUIZ))
    quiz["questions"][1]["options"][0]["correct"] = (
        True  # two correct options in a single-choice question
    )
    return json.dumps(quiz).encode()


def _no_signature(c: Craft, out: Path) -> Path:
    return write_zip(out, [e for e in c.entries() if e.name != SIGNATURE_NAME])


def _garbage_signature_bytes(data: bytes) -> Make:
    def make(c: Craft, out: Path) -> Path:
        return write_zip(out, with_entry(c.entries(), SIGNATURE_NAME, data=data))

    return make


_garbage_signature = _garbage_signature_bytes(b'{"format": 1}')


def _unbent(c: Craft, out: Path) -> Path:
    return c.write(out)


def _not_a_zip(c: Craft, out: Path) -> Path:
    out.write_bytes(b"PK\x03\x04 this is not really an archive" + bytes(100))
    return out


@dataclass(frozen=True)
class Case:
    id: str
    make: Make
    match: str  # a distinctive part of the install refusal
    check: str  # the verify check that fails first
    verify_match: str | None = None  # in that check's detail; default ``match``
    limits: Limits | None = None
    error: type[McdeskError] = PackError


A, M, S, F = "archive", "manifest", "signature", "files"  # the verify check that fails first
SPECIAL = "'media/special.svg' is"
EXTRA_LISTED_CASES = [
    ("absolute-path", "/etc/cron.d/evil", "'/etc/cron.d/evil' is refused: it is an absolute path"),
    ("dot-dot-part", "lessons/../../evil.md", "is refused: it has a '..' part"),
    ("backslash", "lessons\\evil.md", "is refused: it contains a backslash"),
    (
        "drive-letter",
        "C:/Windows/evil.md",
        "'C:/Windows/evil.md' is refused: it is an absolute path",
    ),
    ("drive-relative", "C:evil.md", "'C:evil.md' is refused: it is an absolute path"),
]

CASES = [
    Case("duplicate-entry-names", _duplicate_entry, "the entry 'lessons/01.md' appears twice", A),
    *(Case(id, _extra_listed(name), match, A) for id, name, match in EXTRA_LISTED_CASES),
    Case("symlink-entry", _special_file(stat.S_IFLNK), f"{SPECIAL} a symbolic link", A),
    Case("fifo-entry", _special_file(stat.S_IFIFO, b""), f"{SPECIAL} not a regular file", A),
    Case("char-device-entry", _special_file(stat.S_IFCHR, b""), f"{SPECIAL} not a regular file", A),
    Case("folder-entry", _folder_entry, "the entry 'media/' is a folder entry", A),
    Case(
        "unlisted-file",
        _unlisted_file,
        "media/extra.svg is in the archive but not in the manifest",
        F,
    ),
    Case(
        "listed-file-missing",
        _listed_file_missing,
        "media/dot.svg is listed in the manifest but missing from the archive",
        F,
    ),
    Case(
        "too-many-entries",
        _unbent,
        "has 6 entries; a pack may have at most 5",
        A,
        limits=Limits(max_entries=5),
    ),
    Case(
        "file-over-size-cap",
        _big_file,
        "'media/big.bin' is 3072 bytes; one file may be at most 2,048 bytes",
        A,
        limits=Limits(max_file=2048),
    ),
    Case(
        "total-over-size-cap",
        _big_file,
        "bytes; a pack may be at most 3,000 bytes",
        A,
        limits=Limits(max_total=3000),
    ),
    Case(
        "zip-bomb-ratio",
        _zip_bomb,
        "the entry 'media/zeros.bin' expands",
        A,
        limits=Limits(max_ratio=50, ratio_min_size=16 * 1024),
    ),
    Case(
        "not-enough-disk",
        _unbent,
        "Not enough free disk space",
        "disk",
        "margin",
        limits=Limits(disk_margin=2**62),
    ),
    Case(
        "tampered-byte",
        _tampered_byte,
        "lessons/02.md: its content does not match the sha256 in the signed manifest",
        F,
    ),
    Case(
        "manifest-changed-after-signing",
        _changed_after_signing,
        "The signature does not match the manifest",
        S,
    ),
    Case("untrusted-key", _untrusted_key, "signed by a key that is not trusted here", S),
    Case(
        "manifest-bad-json",
        _signed_manifest(lambda raw: b'{"format": 1, "id": '),
        "not valid JSON",
        M,
    ),
    Case(
        "manifest-not-utf8", _signed_manifest(lambda raw: b'{"title": "\xff"}'), "not UTF-8 text", M
    ),
    Case(
        "manifest-missing-key", _signed_manifest(_without("title")), "the key 'title' is missing", M
    ),
    Case(
        "manifest-version-is-text",
        _signed_manifest(_setting("version", "2")),
        "version: expected a whole number, found text",
        M,
    ),
    Case(
        "manifest-modules-not-a-list",
        _signed_manifest(_setting("modules", {"main": []})),
        "modules: expected a list, found an object",
        M,
    ),
    Case(
        "manifest-file-length-is-text",
        _signed_manifest(_file_length_as_text),
        "files['lessons/01.md'].length: expected a whole number",
        M,
    ),
    Case(
        "manifest-unknown-key",
        _signed_manifest(_setting("colour", "red")),
        "the key 'colour' is not part of pack format 1",
        M,
    ),
    Case(
        "manifest-pack-id-with-newline",
        _signed_manifest(_setting("id", "org.example.test\n")),
        "is not a valid pack id",
        M,
    ),
    Case(
        "manifest-names-missing-lesson",
        _ghost_lesson,
        "the lesson file 'lessons/99.md' is not in the pack",
        M,
    ),
    Case(
        "entry-longer-than-listed-stored",
        _lying_header(True, STORED),
        "lessons/01.md cannot be read",
        F,
    ),
    Case(
        "entry-longer-than-listed-deflated",
        _lying_header(True, DEFLATED),
        "lessons/01.md cannot be read",
        F,
    ),
    Case(
        "entry-shorter-than-listed",
        _lying_header(False, DEFLATED),
        "lessons/01.md holds 77 bytes, but the manifest lists 82",
        F,
    ),
    Case(
        "case-insensitive-duplicate",
        _case_twin,
        "'Lessons/01.md' and 'lessons/01.md' differ only in letter case",
        A,
    ),
    Case("encrypted-flag", _encrypted, "the entry 'lessons/01.md' is encrypted", A),
    Case("bzip2-compression", _compression(12), "'lessons/01.md' uses compression method 12", A),
    Case("lzma-compression", _compression(14), "'lessons/01.md' uses compression method 14", A),
    Case(
        "invalid-quiz",
        _content(QUIZ_PATH, _invalid_quiz()),
        'quizzes/check.json: question "q2": a single-choice question needs exactly one correct',
        F,
        error=QuizError,
    ),
    Case(
        "remote-image",
        _content(OTHER_LESSON, b"![pixel](https://example.org/pixel.png)\n"),
        "the image 'https://example.org/pixel.png' is not inside the pack",
        F,
    ),
    Case(
        "image-outside-the-pack",
        _content(OTHER_LESSON, b"![x](../../../etc/logo.png)\n"),
        "the image '../../../etc/logo.png' is not a file of the pack",
        F,
    ),
    Case(
        "malformed-link-address",
        _content(OTHER_LESSON, b"[broken](http://[oops/)\n"),
        "the link 'http://[oops/' is not a valid address",
        F,
    ),
    Case(
        "lesson-not-utf8",
        _content(OTHER_LESSON, b"# Two\n\n\xff\xfe\n"),
        "the lesson is not UTF-8 text",
        F,
    ),
    Case(
        "needs-newer-mcdesk",
        _signed_manifest(_setting("min_app_version", "99.0")),
        "needs mcdesk 99.0 or newer",
        "compatibility",
    ),
    Case("no-signature-file", _no_signature, "has no manifest.sig", A),
    Case(
        "signature-file-without-keys",
        _garbage_signature,
        "expected exactly the keys alg, format, key_id, signature",
        S,
    ),
    Case("not-a-zip-archive", _not_a_zip, "is not a readable pack archive", A),
    Case(
        "file-that-is-also-a-folder",
        _content("media/dot.svg/inner.svg", b"<svg/>"),
        "'media/dot.svg' is a file, but other files are listed inside it",
        M,
    ),
    Case(
        "folder-spelled-two-ways",
        _content("MEDIA/other.svg", b"<svg/>"),
        "the folder 'media' is also written 'MEDIA'",
        M,
    ),
    Case(
        "manifest-number-too-long",
        _signed_manifest(
            lambda raw: serialise(raw).replace(b'"version": 2', b'"version": ' + b"9" * 5000)
        ),
        "not usable JSON: Exceeds the limit",
        M,
    ),
]


@pytest.fixture
def installed_v1(manager: PackManager, make_pack: Callable[..., Path]) -> InstallResult:
    return manager.install(make_pack(version=1))


@pytest.fixture
def craft(tmp_path: Path, trusted_key: Ed25519PrivateKey) -> Craft:
    return Craft.from_source(tmp_path / "craft-src", trusted_key, version=2)


def test_the_unbent_crafted_pack_installs(
    manager: PackManager, installed_v1: InstallResult, craft: Craft, tmp_path: Path
) -> None:
    """The control: without a defect the hand-written archive is a valid update, so every refusal
    below is caused by its one defect."""
    path = craft.write(tmp_path / "good.mcpack")
    assert manager.verify(path).ok
    result = manager.install(path)
    assert (result.action, result.previous_version, result.version) == ("update", 1, 2)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_pack_is_refused_with_a_clear_message_and_nothing_written(
    case: Case, home: Home, store: Store, installed_v1: InstallResult, craft: Craft, tmp_path: Path
) -> None:
    path = case.make(craft, tmp_path / f"{case.id}.mcpack")
    manager = (
        PackManager(home, store, limits=case.limits) if case.limits else PackManager(home, store)
    )
    before = capture(home, store)

    with pytest.raises(case.error) as caught:
        manager.install(path)

    assert case.match in caught.value.message, caught.value.message
    assert caught.value.hint, "every refusal says what to do"
    assert_unchanged(home, store, before)
    installed = manager.get("org.example.test")
    assert installed is not None and installed.version == 1
    assert installed.folder == installed_v1.folder and installed.folder.is_dir()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_pack_is_reported_not_ok_by_verify_and_nothing_written(
    case: Case, home: Home, store: Store, installed_v1: InstallResult, craft: Craft, tmp_path: Path
) -> None:
    path = case.make(craft, tmp_path / f"{case.id}.mcpack")
    manager = (
        PackManager(home, store, limits=case.limits) if case.limits else PackManager(home, store)
    )
    before = capture(home, store)

    report = manager.verify(path)

    assert not report.ok
    failed = [check for check in report.checks if not check.ok]
    assert failed[0].name == case.check, report.checks
    assert (case.verify_match or case.match) in failed[0].detail
    assert report.as_json()["ok"] is False
    assert_unchanged(home, store, before)


def test_a_refused_first_install_leaves_no_folder_and_no_rows(
    home: Home, store: Store, manager: PackManager, craft: Craft, tmp_path: Path
) -> None:
    manager.install(craft.write(tmp_path / "warm-up-other.mcpack"))  # creates packs/.lock and such
    manager.remove("org.example.test")
    before = capture(home, store)
    with pytest.raises(PackError, match="does not match the sha256"):
        manager.install(_tampered_byte(craft, tmp_path / "tampered.mcpack"))
    assert_unchanged(home, store, before)
    assert manager.list() == []
    assert not (home.packs / "org.example.test").exists()


def test_link_entry_with_a_file_beneath_it_writes_nothing_where_the_link_points(
    home: Home,
    store: Store,
    manager: PackManager,
    installed_v1: InstallResult,
    craft: Craft,
    tmp_path: Path,
) -> None:
    """A link entry plus a file 'under' it: the link is refused before a byte is written, so the
    file can never land where the link points."""
    outside = tmp_path / "outside"
    outside.mkdir()
    c = craft
    c.listed = {**c.files, "media/link": str(outside).encode(), "media/link/owned.md": b"# owned\n"}
    c.extra_entries = [
        Entry("media/link", str(outside).encode(), external_attr=(stat.S_IFLNK | 0o777) << 16),
        Entry("media/link/owned.md", b"# owned\n"),
    ]
    path = c.write(tmp_path / "link-then-file.mcpack")
    before = capture(home, store)
    with pytest.raises(PackError, match="symbolic link"):
        manager.install(path)
    assert_unchanged(home, store, before)
    assert list(outside.iterdir()) == []


def test_a_pack_path_that_is_a_folder_is_not_installed(
    manager: PackManager, installed_v1: InstallResult, tmp_path: Path
) -> None:
    folder = tmp_path / "looks-like.mcpack"
    folder.mkdir()
    with pytest.raises(PackError, match="is not a regular file"):
        manager.install(folder)
    with pytest.raises(PackError, match="cannot be read"):
        manager.install(tmp_path / "missing.mcpack")
    assert not manager.verify(folder).ok


def test_hostile_cases_cover_the_issue_list() -> None:
    """A guard against the parametrisation quietly losing a case."""
    ids = {c.id for c in CASES}
    for required in (
        "duplicate-entry-names",
        "absolute-path",
        "dot-dot-part",
        "backslash",
        "drive-letter",
        "symlink-entry",
        "fifo-entry",
        "folder-entry",
        "unlisted-file",
        "listed-file-missing",
        "too-many-entries",
        "file-over-size-cap",
        "total-over-size-cap",
        "zip-bomb-ratio",
        "not-enough-disk",
        "tampered-byte",
        "manifest-changed-after-signing",
        "untrusted-key",
        "manifest-bad-json",
        "manifest-missing-key",
        "manifest-version-is-text",
        "manifest-names-missing-lesson",
        "entry-longer-than-listed-deflated",
        "case-insensitive-duplicate",
        "encrypted-flag",
        "bzip2-compression",
        "invalid-quiz",
        "remote-image",
    ):
        assert required in ids, required
    assert len(ids) == len(CASES)
