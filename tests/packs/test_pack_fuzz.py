"""Fuzzing the installer: whatever bytes arrive, verify reports and install refuses cleanly.

Any other exception (a zipfile, zlib, json, KeyError, TypeError...) escaping verify or install is a
bug: the CLI would print a traceback and the GUI an internal error instead of a clear refusal.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mcdesk.errors import McdeskError, PackError
from mcdesk.home import Home
from mcdesk.packs.content import check_lesson
from mcdesk.packs.install import PackManager, VerifyReport
from mcdesk.packs.manifest import serialise
from mcdesk.store.db import Store
from tests.conftest import db_dump
from tests.fuzz.shapes import places as _paths
from tests.packs.zipcraft import Craft, with_entry, write_zip

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PACK = "org.example.test"


def attempt(manager: PackManager, path: Path) -> tuple[VerifyReport, bool]:
    """Verify then install ``path``; only McdeskError may come out of install. Returns
    (the report, whether the install succeeded); a successful install is removed again."""
    report = manager.verify(path)
    assert isinstance(report, VerifyReport)
    try:
        manager.install(path)
    except McdeskError as exc:
        assert exc.message.strip(), "a refusal always says something"
        return report, False
    manager.remove(PACK)
    return report, True


# --- random bytes ------------------------------------------------------------------------


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=2048),
        st.binary(max_size=2048).map(lambda b: b"PK\x03\x04" + b),
        st.binary(max_size=512).map(lambda b: b + b"PK\x05\x06" + bytes(18)),
    )
)
def test_random_bytes_are_reported_not_ok_and_refused_with_a_mcdesk_error(
    data: bytes, manager: PackManager, store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "random.mcpack"
    path.write_bytes(data)
    rows = db_dump(store)
    report, installed = attempt(manager, path)
    assert not report.ok and not installed
    assert db_dump(store) == rows


# --- mutations of a valid pack -----------------------------------------------------------

flip = st.tuples(st.just("flip"), st.integers(min_value=0), st.integers(min_value=1, max_value=255))
truncate = st.tuples(st.just("truncate"), st.integers(min_value=0), st.just(0))
insert = st.tuples(st.just("insert"), st.integers(min_value=0), st.binary(min_size=1, max_size=64))
overwrite = st.tuples(
    st.just("overwrite"), st.integers(min_value=0), st.binary(min_size=1, max_size=16)
)
delete = st.tuples(
    st.just("delete"), st.integers(min_value=0), st.integers(min_value=1, max_value=64)
)
mutations = st.lists(st.one_of(flip, truncate, insert, overwrite, delete), min_size=1, max_size=4)


def mutate(data: bytes, ops: list[tuple[str, int, Any]]) -> bytes:
    buf = bytearray(data)
    for kind, where, arg in ops:
        pos = where % (len(buf) + 1)
        if kind == "flip" and buf:
            buf[pos % len(buf)] ^= arg
        elif kind == "truncate":
            del buf[pos:]
        elif kind == "insert":
            buf[pos:pos] = arg
        elif kind == "overwrite":
            buf[pos : pos + len(arg)] = arg
        elif kind == "delete":
            del buf[pos : pos + arg]
    return bytes(buf)


@pytest.fixture
def valid_pack(make_pack: Callable[..., Path]) -> bytes:
    return make_pack().read_bytes()


def test_mutate_really_changes_the_bytes() -> None:
    assert mutate(b"abcdef", [("flip", 1, 1)]) == b"accdef"
    assert mutate(b"abcdef", [("truncate", 3, 0)]) == b"abc"
    assert mutate(b"abcdef", [("insert", 2, b"XY")]) == b"abXYcdef"
    assert mutate(b"abcdef", [("overwrite", 4, b"XYZ")]) == b"abcdXYZ"
    assert mutate(b"abcdef", [("delete", 1, 2)]) == b"adef"


@FUZZ
@given(ops=mutations)
def test_mutated_packs_only_ever_raise_mcdesk_errors_and_never_install_altered_content(
    ops: list, valid_pack: bytes, manager: PackManager, home: Home, tmp_path: Path
) -> None:
    path = tmp_path / "mutated.mcpack"
    path.write_bytes(mutate(valid_pack, ops))
    report, installed = attempt_keeping(manager, path, home)
    assert report.ok == installed, report.checks


def attempt_keeping(manager: PackManager, path: Path, home: Home) -> tuple[VerifyReport, bool]:
    """Like ``attempt``, but a successful install must hold exactly the signed files."""
    report = manager.verify(path)
    try:
        result = manager.install(path)
    except McdeskError:
        return report, False
    manifest = manager.manifest(PACK)
    on_disk = {
        p.relative_to(result.folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in result.folder.rglob("*")
        if p.is_file()
    }
    assert on_disk == {p: e.sha256 for p, e in manifest.files.items()}
    manager.remove(PACK)
    assert not home.staging.exists() or not any(home.staging.iterdir())
    return report, True


def test_an_unmutated_pack_passes_the_same_check(
    valid_pack: bytes, manager: PackManager, home: Home, tmp_path: Path
) -> None:
    """The control for the property above: with no mutation, verify is ok and install works."""
    path = tmp_path / "good.mcpack"
    path.write_bytes(valid_pack)
    assert attempt_keeping(manager, path, home)[1]


# --- signed but strange manifests --------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=8,
)


def _replace(raw: Any, path: tuple, new: Any, delete: bool) -> Any:
    if not path:
        return new
    parent = raw
    for part in path[:-1]:
        parent = parent[part]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = new
    return raw


@pytest.fixture
def craft(tmp_path: Path, trusted_key: Ed25519PrivateKey) -> Craft:
    return Craft.from_source(tmp_path / "craft-src", trusted_key)


@FUZZ
@given(where=st.integers(min_value=0), new=json_values, delete=st.booleans())
def test_signed_manifests_with_any_value_anywhere_only_raise_mcdesk_errors(
    where: int, new: Any, delete: bool, craft: Craft, manager: PackManager, tmp_path: Path
) -> None:
    raw = craft.manifest_dict()
    paths = _paths(raw)
    path = paths[where % len(paths)]
    bent = _replace(copy.deepcopy(raw), path, new, delete and bool(path))
    data = serialise(bent) if isinstance(bent, dict) else json.dumps(bent).encode()
    pack = write_zip(tmp_path / "bent.mcpack", craft.entries(manifest_bytes=data))
    attempt(manager, pack)


@FUZZ
@given(data=st.binary(max_size=300) | json_values.map(lambda v: json.dumps(v).encode()))
def test_any_signed_manifest_bytes_and_any_signature_file_only_raise_mcdesk_errors(
    data: bytes, craft: Craft, manager: PackManager, tmp_path: Path
) -> None:
    entries = craft.entries(manifest_bytes=data)
    attempt(manager, write_zip(tmp_path / "bytes.mcpack", entries))
    sig = with_entry(craft.entries(), "manifest.sig", data=data)
    report, installed = attempt(manager, write_zip(tmp_path / "sig.mcpack", sig))
    assert not report.ok and not installed


# --- lessons -----------------------------------------------------------------------------

fragments = st.sampled_from(
    [
        "[",
        "]",
        "(",
        ")",
        "![",
        "](",
        "<",
        ">",
        '"',
        "'",
        " ",
        "\n",
        "\n\n",
        "#",
        "*",
        "`",
        "```\n",
        "http://",
        "https://",
        "//",
        "mailto:",
        "javascript:",
        "data:",
        ":",
        "[",
        "]:",
        "?",
        "#frag",
        "../",
        "./",
        "/",
        "\\",
        "%",
        "%2e%2e/",
        "media/dot.svg",
        "01.md",
        "lessons/",
        "<img src=",
        '<a href="',
        "{: #id }",
        "[^1]",
        "[^1]: note",
        "| a | b |\n|---|---|\n",
        "\x00",
        "\u202e",
        "&amp;",
    ]
)
url_parts = st.sampled_from(
    [
        "http://",
        "https://",
        "//",
        "mailto:",
        "data:",
        "file:",
        "[",
        "]",
        "::1",
        "@",
        ":",
        "80",
        "%",
        "%zz",
        "?",
        "#",
        "../",
        "./",
        "/",
        "media/",
        "dot.svg",
        "01.md",
        "a",
        " ",
        "..",
        "\\",
        "<",
        ">",
    ]
)
link = st.builds(
    lambda image, target, title: f"{'!' if image else ''}[t]({target}{title})",
    st.booleans(),
    st.lists(url_parts, max_size=6).map("".join),
    st.sampled_from(["", ' "title"', " 'x'"]),
)
lesson_text = st.lists(fragments | link | st.text(max_size=4), max_size=30).map("".join)


@FUZZ
@given(text=lesson_text)
@example(text="[broken](http://[oops/)")  # urlsplit raised ValueError here once
@example(text='![x](//[::1 "t")')
def test_any_lesson_text_is_accepted_or_refused_with_a_pack_error(text: str) -> None:
    files = {"lessons/01.md", "lessons/02.md", "media/dot.svg"}
    try:
        check_lesson("lessons/02.md", text.encode("utf-8", "surrogatepass"), files)
    except PackError as exc:
        assert exc.message.startswith("lessons/02.md: ")


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=lesson_text)
def test_signed_packs_with_any_lesson_text_only_raise_mcdesk_errors(
    text: str, craft: Craft, manager: PackManager, tmp_path: Path
) -> None:
    craft.files["lessons/02.md"] = text.encode("utf-8", "surrogatepass")
    report, installed = attempt(manager, craft.write(tmp_path / "lesson.mcpack"))
    assert report.ok == installed


def test_the_lesson_fuzz_reaches_both_outcomes(
    craft: Craft, manager: PackManager, tmp_path: Path
) -> None:
    """The strategy above is not vacuous: a plain lesson installs and a remote image is refused."""
    craft.files["lessons/02.md"] = b"# Fine\n\n![dot](../media/dot.svg)\n"
    assert attempt(manager, craft.write(tmp_path / "fine.mcpack"))[1]
    craft.files["lessons/02.md"] = b"![x](https://example.org/x.png)"
    assert not attempt(manager, craft.write(tmp_path / "remote.mcpack"))[1]
