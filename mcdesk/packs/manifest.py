"""The pack manifest, format 1: parsing, validation, path rules and canonical serialisation."""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from mcdesk.errors import PackError

FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.sig"
RESERVED_NAMES = frozenset({MANIFEST_NAME, SIGNATURE_NAME})

# \Z, not $: "$" also matches before a final newline, which would let "org.example\n" through.
PACK_ID_RE = re.compile(r"^[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*\Z")
LOCAL_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}\Z")
SHA256_RE = re.compile(r"^[0-9a-f]{64}\Z")
LANG_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*\Z")
VERSION_RE = re.compile(r"^[0-9]{1,6}(?:\.[0-9]{1,6}){0,3}\Z")
PATH_PART_RE = re.compile(r"^[A-Za-z0-9._ -]{1,100}\Z")
WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"COM{i}" for i in range(1, 10)] + [f"LPT{i}" for i in range(1, 10)]
)
LEVELS = ("introductory", "intermediate", "advanced")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg")
MAX_PATH_BYTES = 240


@dataclass(frozen=True)
class FileEntry:
    path: str
    length: int
    sha256: str


@dataclass(frozen=True)
class Item:
    """A lesson or a quiz inside a module."""

    type: str  # "lesson" | "quiz"
    id: str
    title: str
    path: str
    module_id: str


@dataclass(frozen=True)
class Module:
    id: str
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Skill:
    name: str
    framework: str | None
    url: str | None
    code: str | None


@dataclass(frozen=True)
class Credential:
    id: str
    ref: str  # "<pack id>/<credential id>"
    title: str
    description: str
    narrative: str
    lessons: tuple[str, ...]
    quizzes: tuple[str, ...]
    credentials: tuple[str, ...]  # for stacked credentials: references that must all be held
    skills: tuple[Skill, ...]
    level: str
    estimated_hours: float
    stacks_into: tuple[str, ...]
    raw: dict[str, Any]

    @property
    def stacked(self) -> bool:
        return bool(self.credentials)


@dataclass(frozen=True)
class Manifest:
    id: str
    version: int
    display_version: str
    title: str
    description: str
    language: str
    publisher_name: str
    publisher_url: str | None
    min_app_version: str
    credentials: tuple[Credential, ...]
    modules: tuple[Module, ...]
    files: dict[str, FileEntry]
    raw: dict[str, Any]

    def items(self) -> list[Item]:
        return [item for module in self.modules for item in module.items]

    def lessons(self) -> list[Item]:
        return [item for item in self.items() if item.type == "lesson"]

    def quizzes(self) -> list[Item]:
        return [item for item in self.items() if item.type == "quiz"]

    @property
    def total_size(self) -> int:
        return sum(entry.length for entry in self.files.values())


# --- path rules --------------------------------------------------------------------------


def path_problem(path: str) -> str | None:
    """Why ``path`` may not name a file inside a pack, or None when it may."""
    if not isinstance(path, str) or not path:
        return "the path is empty"
    if "\\" in path:
        return "it contains a backslash"
    if "\x00" in path or any(unicodedata.category(c) == "Cc" for c in path):
        return "it contains a control character"
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return "it is an absolute path"
    if len(path.encode("utf-8")) > MAX_PATH_BYTES:
        return f"it is longer than {MAX_PATH_BYTES} bytes"
    parts = path.split("/")
    for part in parts:
        if part in ("", "."):
            return "it has an empty or '.' part"
        if part == "..":
            return "it has a '..' part"
        if not PATH_PART_RE.match(part):
            return f"the part {part!r} has characters other than letters, digits, '.', '_', '-' or space"
        if part.endswith((".", " ")):
            return f"the part {part!r} ends in a dot or a space"
        if part.split(".")[0].upper() in WINDOWS_RESERVED:
            return f"the part {part!r} is a name Windows reserves"
        if part.startswith("."):
            return f"the part {part!r} is hidden (starts with a dot)"
    return None


def check_path(path: str, where: str) -> None:
    problem = path_problem(path)
    if problem:
        raise PackError(
            f"{where}: the path {path!r} is not allowed in a pack: {problem}.",
            "Use relative paths made of letters, digits, '.', '_', '-' and spaces, joined by '/'.",
        )


def parse_app_version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


# --- validation helpers ------------------------------------------------------------------


class _Checker:
    """Small typed getters that raise PackError naming the manifest and the field."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str, hint: str = "") -> PackError:
        return PackError(f"{self.source}: {where}: {problem}", hint or "Fix the manifest and build again.")

    def obj(self, value: Any, where: str, required: set[str], optional: set[str] = frozenset()) -> dict:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected an object, found {_kind(value)}.")
        missing = sorted(required - value.keys())
        if missing:
            raise self.fail(where, f"the key {missing[0]!r} is missing.")
        unknown = sorted(value.keys() - required - optional)
        if unknown:
            raise self.fail(where, f"the key {unknown[0]!r} is not part of pack format 1.")
        return value

    def text(self, value: Any, where: str, *, max_len: int = 2000, min_len: int = 1) -> str:
        if not isinstance(value, str):
            raise self.fail(where, f"expected text, found {_kind(value)}.")
        if min_len and len(value.strip()) < min_len:
            raise self.fail(where, "must not be empty.")
        if len(value) > max_len:
            raise self.fail(where, f"is longer than {max_len} characters.")
        return value

    def opt_text(self, value: Any, where: str, *, max_len: int = 2000) -> str | None:
        return None if value is None else self.text(value, where, max_len=max_len)

    def local_id(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not LOCAL_ID_RE.match(value):
            raise self.fail(
                where,
                f"{_show(value)} is not a valid id.",
                "Ids are 1-64 lowercase letters, digits, '-' or '_', starting with a letter or digit.",
            )
        return value

    def integer(self, value: Any, where: str, *, minimum: int) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(where, f"expected a whole number, found {_kind(value)}.")
        if value < minimum or value > 2**53:
            raise self.fail(where, f"{value} is out of range (at least {minimum}).")
        return value

    def number(self, value: Any, where: str) -> float:
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
            raise self.fail(where, f"expected a number, found {_kind(value)}.")
        return float(value)

    def array(self, value: Any, where: str, *, max_len: int = 10_000) -> list:
        if not isinstance(value, list):
            raise self.fail(where, f"expected a list, found {_kind(value)}.")
        if len(value) > max_len:
            raise self.fail(where, f"has more than {max_len} entries.")
        return value

    def https_url(self, value: Any, where: str) -> str | None:
        if value is None:
            return None
        url = self.text(value, where, max_len=2000)
        if not re.match(r"^https://[^\s/$.?#][^\s]*$", url):
            raise self.fail(where, f"{url!r} is not an https:// address.")
        return url

    def credential_ref(self, value: Any, where: str) -> str:
        if isinstance(value, str) and "/" in value:
            pack_id, _, cred_id = value.partition("/")
            if PACK_ID_RE.match(pack_id) and len(pack_id) <= 100 and LOCAL_ID_RE.match(cred_id):
                return value
        raise self.fail(
            where,
            f"{_show(value)} is not a credential reference.",
            'A credential reference is "<pack id>/<credential id>".',
        )


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list",
            dict: "an object"}.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, str | int | float | bool) else _kind(value)
    return text if len(text) <= 80 else text[:77] + "..."


# --- parsing -----------------------------------------------------------------------------

TOP_REQUIRED = {
    "format", "id", "version", "display_version", "title", "description", "language", "publisher",
    "min_app_version", "credentials", "modules",
}


def load_json(data: bytes, source: str) -> Any:
    """Strict JSON from UTF-8 bytes: no duplicate keys, no NaN, limited nesting."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackError(
            f"{source}: not UTF-8 text (bad byte at offset {exc.start}).", "Save the file as UTF-8."
        ) from exc
    if text.startswith("\ufeff"):
        text = text[1:]

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                raise PackError(f"{source}: the key {key!r} appears twice in one object.",
                                "Remove one of them.")
            result[key] = value
        return result

    def no_constants(name: str) -> Any:
        raise PackError(f"{source}: {name} is not valid JSON.", "Use a finite number.")

    try:
        return json.loads(text, object_pairs_hook=no_duplicates, parse_constant=no_constants)
    except json.JSONDecodeError as exc:
        raise PackError(
            f"{source}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.",
            "Fix the JSON syntax (a JSON checker in any editor shows where).",
        ) from exc
    except RecursionError as exc:
        raise PackError(f"{source}: the JSON is nested too deeply.") from exc
    except ValueError as exc:  # e.g. an integer with more digits than Python will read
        raise PackError(f"{source}: not usable JSON: {exc}".split(";")[0] + ".",
                        "Write numbers with a sensible number of digits.") from exc


def parse_manifest(data: bytes, *, source: str = MANIFEST_NAME, require_files: bool = True) -> Manifest:
    """Validate manifest bytes against pack format 1; raise PackError naming the first problem."""
    raw = load_json(data, source)
    return manifest_from_dict(raw, source=source, require_files=require_files)


def manifest_from_dict(raw: Any, *, source: str = MANIFEST_NAME, require_files: bool = True) -> Manifest:
    c = _Checker(source)
    optional = {"files"} if not require_files else set()
    required = TOP_REQUIRED | ({"files"} if require_files else set())
    if isinstance(raw, dict) and "format" in raw and raw["format"] != FORMAT_VERSION:
        raise c.fail(
            "format",
            f"this is pack format {_show(raw['format'])}; this mcdesk reads format {FORMAT_VERSION}.",
            "Install a newer mcdesk, or rebuild the pack for format 1.",
        )
    top = c.obj(raw, "the manifest", required, optional)
    pack_id = top["id"]
    if not isinstance(pack_id, str) or not PACK_ID_RE.match(pack_id) or len(pack_id) > 100:
        raise c.fail("id", f"{_show(pack_id)} is not a valid pack id.",
                     "Use lowercase parts joined by '.' or '-', e.g. org.example.digital-literacy.")
    version = c.integer(top["version"], "version", minimum=1)
    display_version = c.text(top["display_version"], "display_version", max_len=40)
    title = c.text(top["title"], "title", max_len=120)
    description = c.text(top["description"], "description", max_len=2000, min_len=0)
    language = c.text(top["language"], "language", max_len=35)
    if not LANG_RE.match(language):
        raise c.fail("language", f"{language!r} is not a language tag such as 'en' or 'fr-CM'.")
    publisher = c.obj(top["publisher"], "publisher", {"name"}, {"url"})
    publisher_name = c.text(publisher["name"], "publisher.name", max_len=200)
    publisher_url = c.https_url(publisher.get("url"), "publisher.url")
    min_app = c.text(top["min_app_version"], "min_app_version", max_len=40)
    if not VERSION_RE.match(min_app):
        raise c.fail("min_app_version", f"{min_app!r} is not a dotted version such as '0.1.0'.")

    files: dict[str, FileEntry] = {}
    if "files" in top and require_files:
        listing = top["files"]
        if not isinstance(listing, dict):
            raise c.fail("files", f"expected an object, found {_kind(listing)}.")
        folded: dict[str, str] = {}
        for path, entry in listing.items():
            where = f"files[{path!r}]"
            check_path(path, f"{source}: {where}")
            if path in RESERVED_NAMES:
                raise c.fail(where, f"{path} is written by the builder and cannot be listed.")
            lower = path.casefold()
            if lower in folded:
                raise c.fail(where, f"differs from {folded[lower]!r} only in letter case.",
                             "Rename one: they would collide on Windows and macOS.")
            folded[lower] = path
            entry = c.obj(entry, where, {"length", "sha256"})
            length = c.integer(entry["length"], f"{where}.length", minimum=0)
            digest = entry["sha256"]
            if not isinstance(digest, str) or not SHA256_RE.match(digest):
                raise c.fail(f"{where}.sha256", "is not 64 lowercase hex digits.")
            files[path] = FileEntry(path, length, digest)
        _check_tree(c, list(files))

    modules = _parse_modules(c, top["modules"], files if require_files else None)
    credentials = _parse_credentials(c, top["credentials"], pack_id, modules)
    return Manifest(
        id=pack_id, version=version, display_version=display_version, title=title,
        description=description, language=language, publisher_name=publisher_name,
        publisher_url=publisher_url, min_app_version=min_app, credentials=credentials,
        modules=modules, files=files, raw=top,
    )


def _check_tree(c: _Checker, paths: list[str]) -> None:
    """The paths can all be written: none is also another's folder, and each folder has one spelling."""
    folders: dict[str, str] = {}
    for path in paths:
        parts = path.split("/")
        for end in range(1, len(parts)):
            folder = "/".join(parts[:end])
            spelled = folders.setdefault(folder.casefold(), folder)
            if spelled != folder:
                raise c.fail(f"files[{path!r}]", f"the folder {folder!r} is also written {spelled!r}.",
                             "Rename one: they would collide on Windows and macOS.")
    for path in paths:
        if path.casefold() in folders:
            raise c.fail(f"files[{path!r}]", f"{path!r} is a file, but other files are listed inside it.",
                         "A path cannot be both a file and a folder; rename one.")


def _parse_modules(c: _Checker, value: Any, files: dict[str, FileEntry] | None) -> tuple[Module, ...]:
    modules_raw = c.array(value, "modules", max_len=1000)
    if not modules_raw:
        raise c.fail("modules", "a pack needs at least one module.")
    seen: dict[str, str] = {}
    modules = []
    for m_index, module_raw in enumerate(modules_raw):
        where = f"modules[{m_index}]"
        module = c.obj(module_raw, where, {"id", "title", "items"})
        module_id = c.local_id(module["id"], f"{where}.id")
        if module_id in seen:
            raise c.fail(f"{where}.id", f"the id {module_id!r} is already used by a {seen[module_id]}.",
                         "Module, lesson and quiz ids must be unique within the pack.")
        seen[module_id] = "module"
        module_title = c.text(module["title"], f"{where}.title", max_len=120)
        items_raw = c.array(module["items"], f"{where}.items", max_len=1000)
        if not items_raw:
            raise c.fail(f"{where}.items", "a module needs at least one lesson or quiz.")
        items = []
        for i_index, item_raw in enumerate(items_raw):
            i_where = f"{where}.items[{i_index}]"
            item = c.obj(item_raw, i_where, {"type", "id", "title", "path"})
            kind = item["type"]
            if kind not in ("lesson", "quiz"):
                raise c.fail(f"{i_where}.type", f"{_show(kind)} is not 'lesson' or 'quiz'.")
            item_id = c.local_id(item["id"], f"{i_where}.id")
            if item_id in seen:
                raise c.fail(f"{i_where}.id", f"the id {item_id!r} is already used by a {seen[item_id]}.",
                             "Module, lesson and quiz ids must be unique within the pack.")
            seen[item_id] = kind
            path = c.text(item["path"], f"{i_where}.path", max_len=MAX_PATH_BYTES)
            check_path(path, f"{c.source}: {i_where}.path")
            if files is not None and path not in files:
                raise c.fail(f"{i_where}.path", f"the {kind} file {path!r} is not in the pack.",
                             "Add the file or correct the path.")
            items.append(Item(kind, item_id, c.text(item["title"], f"{i_where}.title", max_len=120),
                              path, module_id))
        modules.append(Module(module_id, module_title, tuple(items)))
    return tuple(modules)


def _parse_credentials(c: _Checker, value: Any, pack_id: str, modules: tuple[Module, ...]) -> tuple[Credential, ...]:
    lessons = {i.id for m in modules for i in m.items if i.type == "lesson"}
    quizzes = {i.id for m in modules for i in m.items if i.type == "quiz"}
    creds_raw = c.array(value, "credentials", max_len=100)
    result = []
    seen: set[str] = set()
    for index, cred_raw in enumerate(creds_raw):
        where = f"credentials[{index}]"
        cred = c.obj(cred_raw, where,
                     {"id", "title", "description", "criteria", "skills", "level", "estimated_hours"},
                     {"stacks_into"})
        cred_id = c.local_id(cred["id"], f"{where}.id")
        if cred_id in seen:
            raise c.fail(f"{where}.id", f"the credential id {cred_id!r} is used twice.")
        seen.add(cred_id)
        ref = f"{pack_id}/{cred_id}"
        criteria = c.obj(cred["criteria"], f"{where}.criteria", {"narrative"},
                         {"lessons", "quizzes", "credentials"})
        narrative = c.text(criteria["narrative"], f"{where}.criteria.narrative")
        need_lessons = tuple(c.local_id(x, f"{where}.criteria.lessons")
                             for x in c.array(criteria.get("lessons", []), f"{where}.criteria.lessons"))
        need_quizzes = tuple(c.local_id(x, f"{where}.criteria.quizzes")
                             for x in c.array(criteria.get("quizzes", []), f"{where}.criteria.quizzes"))
        need_creds = tuple(c.credential_ref(x, f"{where}.criteria.credentials")
                           for x in c.array(criteria.get("credentials", []), f"{where}.criteria.credentials"))
        for lesson in need_lessons:
            if lesson not in lessons:
                raise c.fail(f"{where}.criteria.lessons", f"no lesson has the id {lesson!r}.")
        for quiz in need_quizzes:
            if quiz not in quizzes:
                raise c.fail(f"{where}.criteria.quizzes", f"no quiz has the id {quiz!r}.")
        if need_creds and (need_lessons or need_quizzes):
            raise c.fail(f"{where}.criteria", "a stacked credential lists credentials only, not lessons or quizzes.")
        if not (need_creds or need_lessons or need_quizzes):
            raise c.fail(f"{where}.criteria", "list the lessons and quizzes (or, for a stacked credential, "
                         "the credentials) a learner needs.")
        if ref in need_creds:
            raise c.fail(f"{where}.criteria.credentials", "a credential cannot require itself.")
        skills_raw = c.array(cred["skills"], f"{where}.skills", max_len=50)
        if not skills_raw:
            raise c.fail(f"{where}.skills", "name at least one skill.")
        skills = []
        for s_index, skill_raw in enumerate(skills_raw):
            s_where = f"{where}.skills[{s_index}]"
            skill = c.obj(skill_raw, s_where, {"name"}, {"framework", "url", "code"})
            skills.append(Skill(
                c.text(skill["name"], f"{s_where}.name", max_len=200),
                c.opt_text(skill.get("framework"), f"{s_where}.framework", max_len=200),
                c.https_url(skill.get("url"), f"{s_where}.url"),
                c.opt_text(skill.get("code"), f"{s_where}.code", max_len=100),
            ))
        level = cred["level"]
        if level not in LEVELS:
            raise c.fail(f"{where}.level", f"{_show(level)} is not one of {', '.join(LEVELS)}.")
        hours = c.number(cred["estimated_hours"], f"{where}.estimated_hours")
        if not 0 < hours <= 10_000:
            raise c.fail(f"{where}.estimated_hours", "must be more than 0.")
        stacks = tuple(c.credential_ref(x, f"{where}.stacks_into")
                       for x in c.array(cred.get("stacks_into", []), f"{where}.stacks_into", max_len=50))
        if ref in stacks:
            raise c.fail(f"{where}.stacks_into", "a credential cannot stack into itself.")
        result.append(Credential(
            id=cred_id, ref=ref, title=c.text(cred["title"], f"{where}.title", max_len=120),
            description=c.text(cred["description"], f"{where}.description"),
            narrative=narrative, lessons=need_lessons, quizzes=need_quizzes, credentials=need_creds,
            skills=tuple(skills), level=level, estimated_hours=hours, stacks_into=stacks, raw=cred,
        ))
    return tuple(result)


def serialise(raw: dict[str, Any]) -> bytes:
    """The canonical bytes of a built manifest: sorted keys, two-space indents, final newline."""
    return (json.dumps(raw, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
