"""PackManager: verify, install, update, remove and list content packs; the one hardened installer."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mcdesk import __version__
from mcdesk.errors import McdeskError, PackError
from mcdesk.files import fsync_dir
from mcdesk.home import Home
from mcdesk.keys import short_id
from mcdesk.packs.filelock import FileLock
from mcdesk.packs.trust import ORIGIN_LABELS, TrustStore
from mcdesk.progress import NullReporter, Reporter, check_cancel
from mcdesk.store.db import Store, utcnow

# The archive, manifest, content, quiz and signature modules are imported by the methods that use
# them: making a PackManager and listing packs (what the desktop app does at start) needs none of them.
if TYPE_CHECKING:
    from mcdesk.packs.archive import Limits, PackArchive
    from mcdesk.packs.manifest import Manifest

PACK_SUFFIX = ".mcpack"
SCAN_DEPTH = 4


@dataclass(frozen=True)
class InstalledPack:
    id: str
    version: int
    display_version: str
    title: str
    language: str
    publisher: str
    key_id: str
    folder: Path
    size_bytes: int
    installed_at: str

    def as_json(self) -> dict:
        data = asdict(self)
        data["folder"] = str(self.folder)
        return data


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


@dataclass
class VerifyReport:
    """What a technician needs to decide on a pack, without installing anything."""

    path: str
    checks: list[Check] = field(default_factory=list)
    pack_id: str | None = None
    title: str | None = None
    version: int | None = None
    display_version: str | None = None
    publisher: str | None = None
    key_id: str | None = None
    trusted_as: str | None = None
    installed_version: int | None = None
    action: str | None = None
    size_bytes: int | None = None
    file_count: int | None = None
    free_bytes: int | None = None
    min_app_version: str | None = None

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(check.ok for check in self.checks)

    def add(self, name: str, ok: bool, detail: str) -> None:
        self.checks.append(Check(name, ok, detail))

    def as_json(self) -> dict:
        data = asdict(self)
        data["ok"] = self.ok
        return data


@dataclass(frozen=True)
class InstallResult:
    pack_id: str
    title: str
    version: int
    display_version: str
    previous_version: int | None
    action: str  # install, update, downgrade, reinstall
    folder: Path
    size_bytes: int
    file_count: int

    def as_json(self) -> dict:
        data = asdict(self)
        data["folder"] = str(self.folder)
        return data


def scan_for_packs(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and *.mcpack found in folders (a USB stick), a few levels deep, sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(_scan_dir(path, SCAN_DEPTH))
        elif path.exists():
            found.append(path)
        else:
            raise PackError(f"{path} does not exist.", "Check the path; is the USB stick plugged in?")
    return found


def _scan_dir(folder: Path, depth: int) -> list[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        raise PackError(f"The folder {folder} cannot be read ({exc.strerror}).") from exc
    found = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_file(follow_symlinks=False) and entry.name.lower().endswith(PACK_SUFFIX):
            found.append(Path(entry.path))
        elif entry.is_dir(follow_symlinks=False) and depth > 0:
            found.extend(_scan_dir(Path(entry.path), depth - 1))
    return found


class PackManager:
    """Installs packs into the data folder. The CLI and the GUI both drive this one class."""

    def __init__(self, home: Home, store: Store, limits: Limits | None = None) -> None:
        self.home = home
        self.store = store
        self._limits = limits
        self.trust = TrustStore(store)

    @property
    def limits(self) -> Limits:
        """The archive limits installs are held to: mcdesk.packs.archive.LIMITS unless others were given
        (looked up on first use, so making a PackManager does not load the archive code)."""
        if self._limits is None:
            from mcdesk.packs.archive import LIMITS

            self._limits = LIMITS
        return self._limits

    # --- reading what is installed -------------------------------------------------------

    def list(self) -> list[InstalledPack]:
        return [self._from_row(r) for r in self.store.query("SELECT * FROM packs ORDER BY title, id")]

    def get(self, pack_id: str) -> InstalledPack | None:
        row = self.store.one("SELECT * FROM packs WHERE id = ?", (pack_id,))
        return self._from_row(row) if row else None

    def manifest(self, pack_id: str) -> Manifest:
        from mcdesk.packs.manifest import parse_manifest

        row = self.store.one("SELECT manifest FROM packs WHERE id = ?", (pack_id,))
        if row is None:
            raise PackError(f"No pack {pack_id!r} is installed.", "`mcdesk pack list` shows what is.")
        return parse_manifest(row["manifest"].encode("utf-8"))

    def _from_row(self, row: sqlite3.Row) -> InstalledPack:
        return InstalledPack(
            row["id"], row["version"], row["display_version"], row["title"], row["language"],
            row["publisher"], row["key_id"], self.home.root / row["folder"], row["size_bytes"],
            row["installed_at"],
        )

    # --- verify ----------------------------------------------------------------------------

    def verify(self, path: Path, reporter: Reporter | None = None) -> VerifyReport:
        """Every check install makes, reported one by one; writes nothing."""
        from mcdesk.packs.archive import PackArchive
        from mcdesk.packs.manifest import MANIFEST_NAME, SIGNATURE_NAME, parse_manifest
        from mcdesk.packs.signature import check_signature, parse_signature

        reporter = reporter or NullReporter()
        report = VerifyReport(path=str(path))
        try:
            archive = PackArchive.open(path, self.limits)
        except PackError as exc:
            report.add("archive", False, str(exc))
            return report
        with archive:
            report.add("archive", True, f"{len(archive.infos)} entries, structure and limits OK")
            try:
                manifest_bytes = archive.read_small(MANIFEST_NAME, self.limits.max_manifest)
                manifest = parse_manifest(manifest_bytes)
            except PackError as exc:
                report.add("manifest", False, str(exc))
                return report
            report.pack_id, report.title = manifest.id, manifest.title
            report.version, report.display_version = manifest.version, manifest.display_version
            report.publisher, report.min_app_version = manifest.publisher_name, manifest.min_app_version
            report.size_bytes, report.file_count = manifest.total_size, len(manifest.files)
            report.add("manifest", True, f"{manifest.id} version {manifest.version} "
                       f"({manifest.display_version}), {len(manifest.files)} files")
            try:
                sig = parse_signature(archive.read_small(SIGNATURE_NAME, self.limits.max_signature))
                report.key_id = sig.key_id
                trusted = check_signature(manifest_bytes, sig, self.trust)
                report.trusted_as = trusted.name
                report.add("signature", True, f"valid, by {trusted.name!r} "
                           f"({ORIGIN_LABELS.get(trusted.origin, trusted.origin)}, key {short_id(sig.key_id)})")
            except PackError as exc:
                report.add("signature", False, str(exc))
            self._report_compat(report, manifest)
            current = self.get(manifest.id)
            report.installed_version = current.version if current else None
            report.action = _action(current.version if current else None, manifest.version)
            report.add("version", report.action in ("install", "update"),
                       _action_text(report.action, current, manifest))
            report.free_bytes = shutil.disk_usage(self.home.packs).free
            need = manifest.total_size + self.limits.disk_margin
            report.add("disk", report.free_bytes >= need,
                       f"needs {_mb(manifest.total_size)} (+{_mb(self.limits.disk_margin)} margin), "
                       f"{_mb(report.free_bytes)} free")
            try:
                archive.check_listing(manifest)
                bad = self._check_files(archive, manifest, reporter, writer=None, stop_at_first=False)
            except PackError as exc:
                report.add("files", False, str(exc))
                return report
            if bad:
                report.add("files", False, f"{len(bad)} of {len(manifest.files)} files fail: " + "; ".join(bad[:5]))
            else:
                report.add("files", True, f"all {len(manifest.files)} files match their length and sha256; "
                           "lessons and quizzes are valid")
        return report

    def _report_compat(self, report: VerifyReport, manifest: Manifest) -> None:
        from mcdesk.packs.manifest import parse_app_version

        ok = parse_app_version(manifest.min_app_version) <= parse_app_version(__version__)
        report.add("compatibility", ok, f"needs mcdesk {manifest.min_app_version} or newer; this is {__version__}")

    # --- install ---------------------------------------------------------------------------

    def install(self, path: Path, reporter: Reporter | None = None, *, force_downgrade: bool = False
                ) -> InstallResult:
        """Install or update one pack; on any failure the previous state is left as it was."""
        from mcdesk.packs.archive import PackArchive

        reporter = reporter or NullReporter()
        with self._lock():
            self._sweep()
            reporter.stage(f"Checking {path.name}")
            with PackArchive.open(path, self.limits) as archive:
                return self._install_locked(archive, reporter, force_downgrade)

    def _install_locked(self, archive: PackArchive, reporter: Reporter, force_downgrade: bool) -> InstallResult:
        import hashlib  # loads OpenSSL: only when a pack is installed or verified

        from mcdesk.packs.manifest import MANIFEST_NAME, SIGNATURE_NAME, parse_app_version, parse_manifest
        from mcdesk.packs.signature import check_signature, parse_signature

        manifest_bytes = archive.read_small(MANIFEST_NAME, self.limits.max_manifest)
        manifest = parse_manifest(manifest_bytes)
        sig = parse_signature(archive.read_small(SIGNATURE_NAME, self.limits.max_signature))
        trusted = check_signature(manifest_bytes, sig, self.trust)
        if parse_app_version(manifest.min_app_version) > parse_app_version(__version__):
            raise PackError(f"{manifest.title} needs mcdesk {manifest.min_app_version} or newer; this is "
                            f"{__version__}.", "Update mcdesk first.")
        current = self.get(manifest.id)
        previous = current.version if current else None
        action = _action(previous, manifest.version)
        if action in ("reinstall", "downgrade") and not force_downgrade:
            state = "already installed" if action == "reinstall" else f"older than the installed version {previous}"
            raise PackError(
                f"{manifest.title} version {manifest.version} is {state}.",
                "Nothing was changed. To roll back or reinstall on purpose, use --force-downgrade.",
            )
        archive.check_listing(manifest)
        free = shutil.disk_usage(self.home.packs).free
        if free < manifest.total_size + self.limits.disk_margin:
            raise PackError(f"Not enough free disk space: {manifest.title} needs {_mb(manifest.total_size)} "
                            f"plus {_mb(self.limits.disk_margin)} to spare; {_mb(free)} is free.",
                            "Free some space (or remove packs no longer used) and try again.")

        self.home.staging.mkdir(parents=True, exist_ok=True)
        staging = self.home.staging / os.urandom(8).hex()
        staging.mkdir(mode=0o755)
        target: Path | None = None
        try:
            reporter.stage(f"Installing {manifest.title} {manifest.display_version}", manifest.total_size)
            lesson_texts: dict[str, str] = {}
            self._check_files(archive, manifest, reporter, writer=_Writer(staging), stop_at_first=True,
                              lesson_texts=lesson_texts)
            check_cancel(reporter)
            reporter.stage("Saving")
            _make_durable(staging)
            target = self._free_target(manifest, current)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(staging, target)
            fsync_dir(target.parent)
            manifest_sha = hashlib.sha256(manifest_bytes).hexdigest()
            with self.store.transaction() as conn:
                row = conn.execute("SELECT version FROM packs WHERE id = ?", (manifest.id,)).fetchone()
                if (row["version"] if row else None) != previous:
                    raise PackError("Another install of this pack finished first.", "Nothing was changed; try again.")
                _write_rows(conn, manifest, manifest_bytes, manifest_sha, trusted.key_id,
                            target.relative_to(self.home.root).as_posix(), action, previous)
                _index_lessons(conn, manifest, lesson_texts)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            if target is not None and (current is None or target != current.folder):
                shutil.rmtree(target, ignore_errors=True)
            raise
        if current is not None and current.folder != target:
            shutil.rmtree(current.folder, ignore_errors=True)
        return InstallResult(manifest.id, manifest.title, manifest.version, manifest.display_version,
                             previous, action, target, manifest.total_size, len(manifest.files))

    def _free_target(self, manifest: Manifest, current: InstalledPack | None) -> Path:
        base = self.home.packs / manifest.id
        target = base / str(manifest.version)
        suffix = 1
        while target.exists():
            if current is not None and target == current.folder:
                suffix += 1
                target = base / f"{manifest.version}-{suffix}"
                continue
            shutil.rmtree(target)  # an orphan left by an interrupted install; under the lock
        return target

    def _check_files(self, archive: PackArchive, manifest: Manifest, reporter: Reporter,
                     writer: _Writer | None, stop_at_first: bool,
                     lesson_texts: dict[str, str] | None = None) -> list[str]:
        """Stream every listed file once: length cap, sha256, optional write; then content checks.

        ``lesson_texts``, when given, receives each valid lesson's Markdown by lesson path.
        """
        import hashlib

        from mcdesk.packs.content import check_lesson
        from mcdesk.packs.quiz import parse_quiz

        lessons = {item.path for item in manifest.lessons()}
        quizzes = {item.path: item.id for item in manifest.quizzes()}
        kept: dict[str, bytes] = {}
        problems: list[str] = []
        for path in sorted(manifest.files):
            entry = manifest.files[path]
            if path in lessons and entry.length > self.limits.max_lesson:
                raise PackError(f"{path}: a lesson may be at most {_mb(self.limits.max_lesson)}.")
            if path in quizzes and entry.length > self.limits.max_quiz:
                raise PackError(f"{path}: a quiz file may be at most {_mb(self.limits.max_quiz)}.")
            digest = hashlib.sha256()
            keep = path in lessons or path in quizzes
            parts: list[bytes] = []
            with writer.open(path) if writer else contextlib.nullcontext() as out:
                for chunk in archive.stream(path, entry.length):
                    check_cancel(reporter)
                    digest.update(chunk)
                    if out is not None:
                        out.write(chunk)
                    if keep:
                        parts.append(chunk)
                    reporter.advance(len(chunk))
            if digest.hexdigest() != entry.sha256:
                problem = f"{path}: its content does not match the sha256 in the signed manifest"
                if stop_at_first:
                    raise PackError(problem + ".", "The pack was altered or is damaged; do not use it.")
                problems.append(problem)
            elif keep:
                kept[path] = b"".join(parts)
        files = set(manifest.files)
        for item in manifest.items():
            data = kept.get(item.path)
            if data is None:
                continue  # already reported as a hash problem
            try:
                if item.type == "lesson":
                    check_lesson(item.path, data, files)
                    if lesson_texts is not None:
                        lesson_texts[item.path] = data.decode("utf-8")
                else:
                    parse_quiz(data, path=item.path, expected_id=item.id)
            except McdeskError as exc:
                if stop_at_first:
                    raise
                problems.append(str(exc))
        return problems

    # --- remove ----------------------------------------------------------------------------

    def remove(self, pack_id: str) -> InstalledPack:
        """Remove a pack's files and rows; learners' progress rows are kept for a reinstall."""
        with self._lock():
            current = self.get(pack_id)
            if current is None:
                raise PackError(f"No pack {pack_id!r} is installed.", "`mcdesk pack list` shows what is.")
            with self.store.transaction() as conn:
                conn.execute("DELETE FROM packs WHERE id = ?", (pack_id,))
                conn.execute("DELETE FROM lesson_search WHERE pack_id = ?", (pack_id,))
                conn.execute("INSERT INTO install_log (pack_id, action, from_version, to_version, at) "
                             "VALUES (?, 'remove', ?, NULL, ?)", (pack_id, current.version, utcnow()))
            shutil.rmtree(current.folder.parent, ignore_errors=True)
            return current

    # --- search index ----------------------------------------------------------------------

    def ensure_search_index(self) -> int:
        """Index installed packs whose lessons are not in the search index yet; returns how many."""
        done = 0
        for pack in self.list():
            if self.store.one("SELECT 1 FROM lesson_search WHERE pack_id = ? LIMIT 1", (pack.id,)):
                continue
            manifest = self.manifest(pack.id)
            texts = {item.path: (pack.folder / item.path).read_text(encoding="utf-8", errors="replace")
                     for item in manifest.lessons() if (pack.folder / item.path).is_file()}
            with self.store.transaction() as conn:
                _index_lessons(conn, manifest, texts)
            done += 1
        return done

    # --- crash recovery --------------------------------------------------------------------

    def recover(self) -> list[Path]:
        """Delete what an interrupted install or removal left behind; returns what was removed."""
        with self._lock():
            return self._sweep()

    def _sweep(self) -> list[Path]:
        in_use = {self.home.root / r["folder"] for r in self.store.query("SELECT folder FROM packs")}
        removed: list[Path] = []
        if self.home.staging.exists():
            for leftover in self.home.staging.iterdir():
                _remove(leftover)
                removed.append(leftover)
        for pack_dir in self.home.packs.iterdir():
            if pack_dir.name.startswith(".") or not pack_dir.is_dir() or pack_dir.is_symlink():
                continue
            for version_dir in pack_dir.iterdir():
                if version_dir not in in_use:
                    _remove(version_dir)
                    removed.append(version_dir)
            if not any(pack_dir.iterdir()):
                pack_dir.rmdir()
        return removed

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        with FileLock(self.home.packs / ".lock"):
            yield


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _write_rows(conn: sqlite3.Connection, manifest: Manifest, manifest_bytes: bytes, manifest_sha: str,
                kid: str, folder: str, action: str, previous: int | None) -> None:
    conn.execute("DELETE FROM packs WHERE id = ?", (manifest.id,))
    conn.execute(
        "INSERT INTO packs (id, version, display_version, title, language, publisher, key_id, "
        "manifest_sha256, manifest, folder, size_bytes, installed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (manifest.id, manifest.version, manifest.display_version, manifest.title, manifest.language,
         manifest.publisher_name, kid, manifest_sha, manifest_bytes.decode("utf-8"), folder,
         manifest.total_size, utcnow()),
    )
    position = 0
    for module in manifest.modules:
        conn.execute("INSERT INTO pack_items (pack_id, item_id, kind, module_id, position, title, path) "
                     "VALUES (?, ?, 'module', NULL, ?, ?, NULL)", (manifest.id, module.id, position, module.title))
        position += 1
        for item in module.items:
            conn.execute("INSERT INTO pack_items (pack_id, item_id, kind, module_id, position, title, path) "
                         "VALUES (?,?,?,?,?,?,?)",
                         (manifest.id, item.id, item.type, module.id, position, item.title, item.path))
            position += 1
    for cred in manifest.credentials:
        conn.execute("INSERT INTO credentials (ref, pack_id, credential_id, title, definition) VALUES (?,?,?,?,?)",
                     (cred.ref, manifest.id, cred.id, cred.title, json.dumps(cred.raw, sort_keys=True)))
    conn.execute("INSERT INTO install_log (pack_id, action, from_version, to_version, at) VALUES (?,?,?,?,?)",
                 (manifest.id, action, previous, manifest.version, utcnow()))


def _index_lessons(conn: sqlite3.Connection, manifest: Manifest, texts: dict[str, str]) -> None:
    from mcdesk.packs.content import plain_text

    conn.execute("DELETE FROM lesson_search WHERE pack_id = ?", (manifest.id,))
    for item in manifest.lessons():
        if item.path in texts:
            conn.execute("INSERT INTO lesson_search (pack_id, lesson_id, title, body) VALUES (?,?,?,?)",
                         (manifest.id, item.id, item.title, plain_text(texts[item.path])))


class _Writer:
    """Creates files inside a fresh staging folder, never following or replacing anything."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.made: set[Path] = {root}

    def open(self, path: str):  # noqa: ANN201 - a binary file object
        parent = self.root
        for part in path.split("/")[:-1]:
            parent = parent / part
            if parent not in self.made:
                os.mkdir(parent, 0o755)  # fails if anything is already there
                self.made.add(parent)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        return os.fdopen(os.open(self.root / path, flags, 0o644), "wb", buffering=0)


def _make_durable(folder: Path) -> None:
    """Flush the staged files to disk before the database points at them (power cuts happen)."""
    if hasattr(os, "sync"):
        os.sync()
        return
    for dirpath, _dirs, names in os.walk(folder):  # pragma: no cover - Windows
        for name in names:
            with open(os.path.join(dirpath, name), "rb+") as fh:
                os.fsync(fh.fileno())


def _action(installed: int | None, new: int) -> str:
    if installed is None:
        return "install"
    if new > installed:
        return "update"
    return "reinstall" if new == installed else "downgrade"


def _action_text(action: str, current: InstalledPack | None, manifest: Manifest) -> str:
    if action == "install":
        return f"not installed yet; would install version {manifest.version}"
    assert current is not None
    if action == "update":
        return f"would update version {current.version} to {manifest.version}"
    if action == "reinstall":
        return f"version {manifest.version} is already installed (reinstall needs --force-downgrade)"
    return (f"older than the installed version {current.version} "
            "(rolling back needs --force-downgrade)")


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


