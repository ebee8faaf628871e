"""Packs the institution publishes: checking a .mcpack, keeping it in DATA/packs/, the signed catalog.

Publishing checks what the hub can check on its own (a well-formed archive, a parseable manifest and
signature, every listed file present with its length and sha256); whether the publisher is trusted
stays the laptop technician's decision, made by the installer on each laptop.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from mcdesk.errors import PackError
from mcdesk.files import fsync_dir
from mcdesk.hub.errors import HubError
from mcdesk.hub.store import HubData, HubStore, utcnow

CATALOG_TYP = "mcdesk-catalog+jws"
CATALOG_TYPE = "mcdesk.catalog"
CATALOG_FORMAT = 1
DEFAULT_VALID_DAYS = 30
MAX_VALID_DAYS = 3660
PACKS_FOLDER = "packs"
CHUNK = 1024 * 1024
API_PACKS = "/api/v1/packs"
SAMPLE_KEY_NAME = "sample-publisher"


@dataclass(frozen=True)
class PublishedPack:
    """One published version of a pack, as the hub recorded it."""

    id: str
    version: int
    display_version: str
    title: str
    length: int
    sha256: str
    manifest: dict[str, Any]
    manifest_sha256: str
    key_id: str
    file: Path
    published_at: str
    catalog_version: int | None = None  # the catalog that first listed it (set by publish)

    @property
    def path(self) -> str:
        """Where devices download it."""
        return f"{API_PACKS}/{self.id}/{self.version}"

    def catalog_entry(self) -> dict[str, Any]:
        return {"id": self.id, "version": self.version, "display_version": self.display_version,
                "title": self.title, "length": self.length, "sha256": self.sha256,
                "manifest_sha256": self.manifest_sha256, "key_id": self.key_id, "path": self.path}

    def as_json(self) -> dict[str, Any]:
        return {**self.catalog_entry(), "file": str(self.file), "published_at": self.published_at,
                "catalog_version": self.catalog_version}


@dataclass(frozen=True)
class Catalog:
    """A catalog the hub signed: its version, validity and compact JWS."""

    version: int
    issued: str
    expires: str
    jws: str

    def as_json(self) -> dict[str, Any]:
        return {"version": self.version, "issued": self.issued, "expires": self.expires}


def packs_folder(data: HubData) -> Path:
    return data.root / PACKS_FOLDER


# --- publishing -------------------------------------------------------------------------------


def publish(store: HubStore, data: HubData, path: str | os.PathLike[str], *, valid_days: int = DEFAULT_VALID_DAYS,
            force: bool = False) -> PublishedPack:
    """Check the .mcpack at ``path``, copy it into DATA/packs/ and sign a new catalog listing it.

    A version not higher than the one published is refused unless ``force`` (a rollback or a
    rebuilt pack under the same version). Nothing is recorded or replaced when a check fails.
    """
    from mcdesk.hub.institution import load_institution

    source = Path(path)
    _check_valid_days(valid_days)
    institution = load_institution(store, data)
    folder = packs_folder(data)
    folder.mkdir(exist_ok=True)
    staging = folder / f".publish-{uuid.uuid4().hex}"
    staging.mkdir()
    staged = staging / (source.name or "pack.mcpack")  # the name the administrator gave, in messages
    try:
        length, sha256 = _copy(source, staged)
        manifest_bytes, manifest, key_id = check_pack(staged)
        pack = _record(store, data, staged, manifest_bytes, manifest, key_id, length, sha256, force,
                       institution, valid_days)
    finally:
        staged.unlink(missing_ok=True)
        staging.rmdir()
    return pack


def publish_samples(store: HubStore, data: HubData, *, valid_days: int = DEFAULT_VALID_DAYS
                    ) -> tuple[list[PublishedPack], list[str]]:
    """Build the bundled sample packs with the hub's own sample key (DATA/keys/sample-publisher.key.pem,
    made on first use) and publish those not published yet at their version. Returns (published,
    skipped ids). Laptops trust their own sample key, not this one: the point is that the hub knows the
    samples' credentials (for `mcdesk selftest --hub`)."""
    import tempfile
    from importlib import resources

    from mcdesk.keys import load_private_key, new_key_pair
    from mcdesk.packs.build import build_pack

    key_path = data.keys / f"{SAMPLE_KEY_NAME}.key.pem"
    if not key_path.exists():
        new_key_pair(data.keys, SAMPLE_KEY_NAME, passphrase=None)
    key = load_private_key(key_path, None)
    root = Path(str(resources.files("mcdesk.content_packs")))
    sources = sorted(p for p in root.iterdir() if p.is_dir() and (p / "manifest.json").is_file())
    done, skipped = [], []
    with tempfile.TemporaryDirectory(prefix="samples-", dir=data.root) as work:
        for src in sources:
            raw = json.loads((src / "manifest.json").read_text(encoding="utf-8"))
            row = store.one("SELECT version FROM published_packs WHERE pack_id = ? ORDER BY seq DESC LIMIT 1",
                            (raw.get("id"),))
            if row is not None and row["version"] >= raw.get("version", 0):
                skipped.append(str(raw.get("id")))
                continue
            built = build_pack(src, key, Path(work) / f"{src.name}.mcpack")
            done.append(publish(store, data, built.path, valid_days=valid_days))
    return done, skipped


def check_pack(path: Path) -> tuple[bytes, Any, str]:
    """(manifest bytes, Manifest, signer key id) of a self-consistent signed pack; PackError otherwise,
    with the same messages the laptop's installer gives."""
    from mcdesk.packs.archive import LIMITS, PackArchive
    from mcdesk.packs.manifest import MANIFEST_NAME, SIGNATURE_NAME, parse_manifest
    from mcdesk.packs.signature import parse_signature

    try:
        with PackArchive.open(path, LIMITS) as archive:
            manifest_bytes = archive.read_small(MANIFEST_NAME, LIMITS.max_manifest)
            manifest = parse_manifest(manifest_bytes)
            signature = parse_signature(archive.read_small(SIGNATURE_NAME, LIMITS.max_signature))
            archive.check_listing(manifest)
            _check_files(archive, manifest)
    except PackError as exc:
        raise HubError(f"Not published: {exc.message}",
                       exc.hint or "Rebuild the pack with `mcdesk pack build` and publish it again.",
                       code="bad_pack") from exc
    return manifest_bytes, manifest, signature.key_id


def _check_files(archive: Any, manifest: Any) -> None:
    """Stream every listed file once: its length and sha256 must be those the signed manifest lists;
    lessons and quizzes must be valid (the installer refuses them otherwise)."""
    from mcdesk.packs.content import check_lesson
    from mcdesk.packs.quiz import parse_quiz

    lessons = {item.path for item in manifest.lessons()}
    quizzes = {item.path: item.id for item in manifest.quizzes()}
    files = set(manifest.files)
    for name in sorted(manifest.files):
        entry = manifest.files[name]
        digest = hashlib.sha256()
        parts: list[bytes] = []
        for chunk in archive.stream(name, entry.length):
            digest.update(chunk)
            if name in lessons or name in quizzes:
                parts.append(chunk)
        if digest.hexdigest() != entry.sha256:
            raise PackError(f"{name}: its content does not match the sha256 in the signed manifest.",
                            "The pack was altered or is damaged; do not use it.")
        if name in lessons:
            check_lesson(name, b"".join(parts), files)
        elif name in quizzes:
            parse_quiz(b"".join(parts), path=name, expected_id=quizzes[name])


def _copy(source: Path, target: Path) -> tuple[int, str]:
    """Copy ``source`` to a new file ``target`` (fsync'd), returning its length and sha256."""
    digest, length = hashlib.sha256(), 0
    try:
        with open(source, "rb") as src, open(target, "xb") as out:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                length += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except IsADirectoryError as exc:
        raise HubError(f"{source} is a folder, not a .mcpack file.",
                       "Give the path of a pack built with `mcdesk pack build`.", code="bad_pack") from exc
    except OSError as exc:
        if source.exists() and not source.is_file():
            raise HubError(f"{source} is not a regular file.", "Give the path of a .mcpack file.",
                           code="bad_pack") from exc
        raise HubError(f"{source} cannot be read or copied ({exc.strerror or exc}).",
                       "Check the path, and that the hub data folder has room and can be written.",
                       code="bad_pack") from exc
    return length, digest.hexdigest()


def _record(store: HubStore, data: HubData, staged: Path, manifest_bytes: bytes, manifest: Any, key_id: str,
            length: int, sha256: str, force: bool, institution: Any, valid_days: int) -> PublishedPack:
    """Refuse a version that is not newer (unless forced), move the file into place and record it
    with a new catalog, in one transaction."""
    file_rel = f"{PACKS_FOLDER}/{manifest.id}-{manifest.version}.mcpack"
    with store.transaction() as conn:
        current = _current_row(conn, manifest.id)
        if current is not None and manifest.version <= current["version"] and not force:
            state = "is already published" if manifest.version == current["version"] else \
                f"is older than the published version {current['version']}"
            raise HubError(f"{manifest.title} ({manifest.id}) version {manifest.version} {state}.",
                           "Give the pack a higher version and build it again; to roll back or replace it "
                           "on purpose, use --force. Nothing was changed.", code="version_not_newer", status=409)
        now = utcnow()
        conn.execute("DELETE FROM published_packs WHERE pack_id = ? AND version = ?", (manifest.id, manifest.version))
        conn.execute(
            "INSERT INTO published_packs (pack_id, version, display_version, title, length, sha256, manifest,"
            " manifest_sha256, key_id, file, published_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (manifest.id, manifest.version, manifest.display_version, manifest.title, length, sha256,
             manifest_bytes.decode("utf-8"), hashlib.sha256(manifest_bytes).hexdigest(), key_id, file_rel, now))
        catalog = _sign_catalog(conn, institution, valid_days)
        os.replace(staged, data.root / file_rel)  # last: a failure before it leaves the old file and rows
        fsync_dir(data.root / PACKS_FOLDER)
        row = _current_row(conn, manifest.id)
    assert row is not None
    pack = _from_row(data, row)
    return PublishedPack(**{**pack.__dict__, "catalog_version": catalog.version})


def _check_valid_days(valid_days: int) -> None:
    if not isinstance(valid_days, int) or not 1 <= valid_days <= MAX_VALID_DAYS:
        raise HubError(f"A catalog is valid for 1 to {MAX_VALID_DAYS} days, not {valid_days}.",
                       f"Give --valid-days between 1 and {MAX_VALID_DAYS} (default {DEFAULT_VALID_DAYS}).",
                       code="bad_valid_days")


# --- reading what is published ------------------------------------------------------------------

_CURRENT = ("SELECT * FROM published_packs WHERE seq IN (SELECT max(seq) FROM published_packs GROUP BY pack_id)"
            " ORDER BY pack_id")


def current_packs(store: HubStore, data: HubData) -> list[PublishedPack]:
    """The current version of every published pack (the one last published), by pack id."""
    return [_from_row(data, row) for row in store.query(_CURRENT)]


def manifests(store: HubStore) -> dict[str, dict[str, Any]]:
    """The manifest (as a dict) of the current version of each published pack, by pack id."""
    return {row["pack_id"]: json.loads(row["manifest"]) for row in store.query(_CURRENT)}


def published(store: HubStore, data: HubData, pack_id: str, version: int) -> PublishedPack | None:
    """One published version, or None."""
    row = store.one("SELECT * FROM published_packs WHERE pack_id = ? AND version = ?", (pack_id, version))
    return _from_row(data, row) if row else None


def _current_row(conn: sqlite3.Connection, pack_id: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM published_packs WHERE pack_id = ? ORDER BY seq DESC LIMIT 1",
                        (pack_id,)).fetchone()


def _from_row(data: HubData, row: sqlite3.Row) -> PublishedPack:
    return PublishedPack(
        id=row["pack_id"], version=row["version"], display_version=row["display_version"], title=row["title"],
        length=row["length"], sha256=row["sha256"], manifest=json.loads(row["manifest"]),
        manifest_sha256=row["manifest_sha256"], key_id=row["key_id"], file=data.root / row["file"],
        published_at=row["published_at"])


# --- the signed catalog -------------------------------------------------------------------------


def latest_catalog(store: HubStore) -> Catalog | None:
    """The catalog with the highest version, or None before the first publish."""
    row = store.one("SELECT * FROM catalogs ORDER BY version DESC LIMIT 1")
    return Catalog(row["version"], row["issued_at"], row["expires_at"], row["jws"]) if row else None


def renew_catalog(store: HubStore, data: HubData, valid_days: int = DEFAULT_VALID_DAYS) -> Catalog:
    """Sign a new catalog version listing what is published now (e.g. before the current one expires)."""
    from mcdesk.hub.institution import load_institution

    _check_valid_days(valid_days)
    institution = load_institution(store, data)
    with store.transaction() as conn:
        return _sign_catalog(conn, institution, valid_days)


def _sign_catalog(conn: sqlite3.Connection, institution: Any, valid_days: int) -> Catalog:
    from mcdesk.evidence.jcs import canonical
    from mcdesk.evidence.jws import sign_compact

    top = conn.execute("SELECT max(version) FROM catalogs").fetchone()[0]
    version = int(top or 0) + 1
    issued = datetime.now(UTC).replace(microsecond=0)
    expires = issued + timedelta(days=valid_days)
    entries = [_entry(row) for row in conn.execute(_CURRENT).fetchall()]
    payload = {"type": CATALOG_TYPE, "format": CATALOG_FORMAT, "institution_id": institution.id,
               "version": version, "issued": _stamp(issued), "expires": _stamp(expires), "packs": entries}
    jws = sign_compact(institution.private_key, institution.kid, canonical(payload), CATALOG_TYP)
    conn.execute("INSERT INTO catalogs (version, issued_at, expires_at, jws) VALUES (?, ?, ?, ?)",
                 (version, payload["issued"], payload["expires"], jws))
    return Catalog(version, payload["issued"], payload["expires"], jws)


def _entry(row: sqlite3.Row) -> dict[str, Any]:
    return {"id": row["pack_id"], "version": row["version"], "display_version": row["display_version"],
            "title": row["title"], "length": row["length"], "sha256": row["sha256"],
            "manifest_sha256": row["manifest_sha256"], "key_id": row["key_id"],
            "path": f"{API_PACKS}/{row['pack_id']}/{row['version']}"}


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


__all__ = ["Catalog", "PublishedPack", "check_pack", "current_packs", "latest_catalog",
           "manifests", "publish", "publish_samples", "published", "renew_catalog"]
