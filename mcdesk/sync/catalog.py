"""Packs from the institution: its signed catalog (checked against the key pinned at enrolment, never
older than the last one seen, blocking downloads once expired) and resumable pack downloads that end
in the same hardened installer as a USB stick."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mcdesk.errors import EvidenceError, SyncError, TrustError
from mcdesk.home import Home
from mcdesk.progress import NullReporter, Reporter, check_cancel
from mcdesk.store.db import Store, utcnow
from mcdesk.sync.client import API, HubClient, backoff_delay, enrolment, require_enrolment

if TYPE_CHECKING:
    from mcdesk.packs.install import InstallResult, PackManager

CATALOG_TYP = "mcdesk-catalog+jws"
CATALOG_TYPE = "mcdesk.catalog"
CATALOG_FORMAT = 1
MAX_CATALOG_CHARS = 4 * 1024 * 1024
DOWNLOADS = "downloads"
CHUNK = 256 * 1024
DOWNLOAD_RETRIES = 4  # connections per fetch; each one resumes where the last stopped
DISK_MARGIN = 64 * 1024 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")
_STAMP = "%Y-%m-%dT%H:%M:%SZ"


@dataclass(frozen=True)
class CatalogEntry:
    """One pack the institution offers: what to download and what its bytes must be."""

    id: str
    version: int
    display_version: str
    title: str
    length: int
    sha256: str
    manifest_sha256: str
    key_id: str
    path: str


@dataclass(frozen=True)
class Catalog:
    """A catalog this laptop verified (signature, institution, version)."""

    institution_id: str
    version: int
    issued: str
    expires: str
    packs: tuple[CatalogEntry, ...]

    def expired(self, now: datetime | None = None) -> bool:
        return (now or datetime.now(UTC)) >= _parse_stamp(self.expires)

    def get(self, pack_id: str) -> CatalogEntry | None:
        return next((entry for entry in self.packs if entry.id == pack_id), None)

    def as_json(self, now: datetime | None = None) -> dict[str, Any]:
        return {"institution_id": self.institution_id, "version": self.version, "issued": self.issued,
                "expires": self.expires, "expired": self.expired(now),
                "packs": [asdict(entry) for entry in self.packs]}


@dataclass(frozen=True)
class FetchResult:
    """What `mcdesk pack fetch` did: downloaded (resumed from ``resumed_from`` bytes, or restarted
    because the pack changed at the hub) and installed, or nothing because it is up to date."""

    pack_id: str
    version: int
    downloaded: int  # bytes transferred by this fetch
    resumed_from: int  # bytes already on disk when the first request of this fetch went out
    restarted: bool  # a partial download was thrown away because the pack changed at the hub
    install: InstallResult | None

    @property
    def up_to_date(self) -> bool:
        return self.install is None

    def as_json(self) -> dict[str, Any]:
        return {"pack_id": self.pack_id, "version": self.version, "downloaded": self.downloaded,
                "resumed_from": self.resumed_from, "restarted": self.restarted, "up_to_date": self.up_to_date,
                "install": self.install.as_json() if self.install else None}


class _CatalogClient(HubClient):
    """The hub client with the catalog's two requests."""

    def catalog(self) -> dict[str, Any]:
        return self._request("GET", f"{API}/catalog")

    def open_pack(self, path: str, headers: dict[str, str]) -> Any:
        """A streaming response (a context manager) for the pack at ``path``."""
        return self._http.stream("GET", path, headers={**headers, "Accept": "*/*"})


# --- the catalog ----------------------------------------------------------------------------------


def fetch_catalog(home: Home, store: Store, reporter: Reporter | None = None) -> Catalog:
    """Get the hub's catalog, verify it with the institution key pinned at enrolment, refuse it when
    it is older than the newest this laptop has seen, and remember it."""
    reporter = reporter or NullReporter()
    current, token = _enrolled(home, store)
    reporter.stage("Reading the institution's catalog")
    with _CatalogClient(current.hub_url, token) as hub:
        answer = hub.catalog()
    text = answer.get("catalog")
    if not isinstance(text, str):
        raise SyncError("The hub's answer holds no catalog.", "Check that the hub runs the same version of mcdesk.")
    institution_id = str(current.institution.get("id") or "")
    catalog = verify_catalog(text, current.institution_keys, institution_id)
    _remember(store, catalog, text)
    return catalog


def verify_catalog(text: str, institution_keys: list[dict[str, Any]], institution_id: str) -> Catalog:
    """The catalog in the compact JWS ``text`` when one of ``institution_keys`` signed it for
    ``institution_id``; SyncError saying why otherwise."""
    from mcdesk.evidence.jws import parse_compact, verify_compact

    try:
        header = parse_compact(text, max_chars=MAX_CATALOG_CHARS).header
    except EvidenceError as exc:
        raise SyncError(f"The hub's catalog is not a signed catalog ({exc.message})",
                        "Check that the hub runs the same version of mcdesk.") from exc
    if header["typ"] != CATALOG_TYP:
        raise SyncError(f"The hub sent a signed document that is not a catalog (typ {header['typ']!r}).",
                        "Check that the hub runs the same version of mcdesk.")
    key = _pinned_key(institution_keys, header["kid"])
    if key is None:
        raise SyncError("The catalog is not signed by this laptop's institution (its key is not the one pinned "
                        "at enrolment). Nothing was downloaded.",
                        "Someone may be impersonating the hub; tell the institution. If the institution really "
                        "changed its key, enrol the laptop again.")
    try:
        parsed = verify_compact(text, key, typ=CATALOG_TYP, max_chars=MAX_CATALOG_CHARS)
    except EvidenceError as exc:
        raise SyncError(f"The catalog was altered after the institution signed it ({exc.message}). "
                        "Nothing was downloaded.", "Tell the institution; try again later.") from exc
    return _parse_payload(parsed.payload_bytes, institution_id)


def stored_catalog(store: Store, institution_id: str | None = None) -> Catalog | None:
    """The newest catalog this laptop verified (for its institution), or None."""
    if institution_id is None:
        current = enrolment(store)
        if current is None:
            return None
        institution_id = str(current.institution.get("id") or "")
    row = store.one("SELECT jws FROM catalog WHERE institution_id = ?", (institution_id,))
    if row is None:
        return None
    from mcdesk.evidence.jws import parse_compact

    return _parse_payload(parse_compact(row["jws"], max_chars=MAX_CATALOG_CHARS).payload_bytes, institution_id)


def _remember(store: Store, catalog: Catalog, text: str) -> None:
    """Keep ``catalog`` as the newest seen; refuse it (SyncError) when an older one, or another catalog
    with the same version, was seen before."""
    with store.transaction() as conn:
        row = conn.execute("SELECT version, jws FROM catalog WHERE institution_id = ?",
                           (catalog.institution_id,)).fetchone()
        if row is not None and (catalog.version < row["version"]
                                or (catalog.version == row["version"] and text != row["jws"])):
            older = "an older catalog" if catalog.version < row["version"] else "a different catalog"
            raise SyncError(
                f"The hub sent {older} (version {catalog.version}) than the one this laptop already has "
                f"(version {row['version']}); it is refused and nothing was downloaded.",
                "An old catalog may be replayed, or the hub was restored from an old backup; tell the "
                "institution's administrator (publishing again gives a newer version).")
        conn.execute(
            "INSERT INTO catalog (institution_id, version, issued, expires, jws, fetched_at) VALUES (?,?,?,?,?,?)"
            " ON CONFLICT(institution_id) DO UPDATE SET version = excluded.version, issued = excluded.issued,"
            " expires = excluded.expires, jws = excluded.jws, fetched_at = excluded.fetched_at",
            (catalog.institution_id, catalog.version, catalog.issued, catalog.expires, text, utcnow()))


def _parse_payload(payload: bytes, institution_id: str) -> Catalog:
    bad = "The institution's catalog is malformed"
    hint = "Check that the hub runs the same version of mcdesk."
    try:
        doc = json.loads(payload)
    except ValueError as exc:
        raise SyncError(f"{bad} (not JSON).", hint) from exc
    if not isinstance(doc, dict) or doc.get("type") != CATALOG_TYPE:
        raise SyncError(f"{bad} (it is not an mcdesk catalog).", hint)
    if doc.get("format") != CATALOG_FORMAT:
        raise SyncError(f"The catalog has format {doc.get('format')!r}; this mcdesk reads format {CATALOG_FORMAT}.",
                        "Update mcdesk on this laptop.")
    if doc.get("institution_id") != institution_id:
        raise SyncError(f"The catalog is for another institution ({str(doc.get('institution_id'))[:80]!r}).",
                        "This laptop takes packs only from the institution it is enrolled with.")
    version, packs = doc.get("version"), doc.get("packs")
    if not _positive_int(version) or not isinstance(packs, list):
        raise SyncError(f"{bad} (version or packs).", hint)
    for name in ("issued", "expires"):
        if not isinstance(doc.get(name), str):
            raise SyncError(f"{bad} ({name}).", hint)
        _parse_stamp(doc[name])
    entries = tuple(_entry(item, bad, hint) for item in packs)
    return Catalog(institution_id, version, doc["issued"], doc["expires"], entries)


def _entry(item: Any, bad: str, hint: str) -> CatalogEntry:
    from mcdesk.packs.manifest import PACK_ID_RE

    fields = {name: item.get(name) for name in CatalogEntry.__dataclass_fields__} if isinstance(item, dict) else {}
    ok = (isinstance(fields.get("id"), str) and PACK_ID_RE.match(fields["id"])
          and _positive_int(fields.get("version")) and _positive_int(fields.get("length"))
          and all(isinstance(fields.get(k), str) and _SHA256.fullmatch(fields[k])
                  for k in ("sha256", "manifest_sha256", "key_id"))
          and isinstance(fields.get("title"), str) and isinstance(fields.get("display_version"), str)
          and fields.get("path") == f"{API}/packs/{fields.get('id')}/{fields.get('version')}")
    if not ok:
        raise SyncError(f"{bad} (a pack entry).", hint)
    return CatalogEntry(**fields)


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _parse_stamp(text: str) -> datetime:
    try:
        return datetime.strptime(text, _STAMP).replace(tzinfo=UTC)
    except (TypeError, ValueError) as exc:
        raise SyncError(f"The catalog's date {str(text)[:40]!r} is not a UTC timestamp.",
                        "Check that the hub runs the same version of mcdesk.") from exc


def _pinned_key(keys: list[dict[str, Any]], kid: str) -> Any:
    from mcdesk.keys import b64url_decode, public_from_raw

    for jwk in keys:
        if isinstance(jwk, dict) and jwk.get("kid") == kid and jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
            try:
                return public_from_raw(b64url_decode(jwk["x"]))
            except (KeyError, ValueError, TrustError):
                return None
    return None


def _enrolled(home: Home, store: Store) -> tuple[Any, str]:
    return require_enrolment(
        home, store, message="This laptop is not enrolled with an institution hub, so it has no catalog.",
        hint="Enrol it once with `mcdesk enrol URL --code CODE`; or install packs from a USB stick.")


# --- downloading and installing --------------------------------------------------------------------


def fetch_pack(home: Home, store: Store, manager: PackManager, pack_id: str, reporter: Reporter | None = None,
               *, now: datetime | None = None, retries: int = DOWNLOAD_RETRIES) -> FetchResult:
    """Download ``pack_id`` as the catalog lists it (resuming a partial download), check its length and
    sha256 against the catalog, and install it with the hardened installer.

    ``now`` is the time the catalog's expiry is judged against (default: the clock). An expired
    catalog blocks the download; installed packs are never touched by it.
    """
    reporter = reporter or NullReporter()
    catalog = fetch_catalog(home, store, reporter)
    entry = catalog.get(pack_id)
    if entry is None:
        offered = ", ".join(e.id for e in catalog.packs[:5]) or "nothing"
        if len(catalog.packs) > 5:
            offered += f" and {len(catalog.packs) - 5} more"
        raise SyncError(f"The institution's catalog has no pack {pack_id!r} (it offers: {offered}).",
                        "`mcdesk catalog list` shows what it offers; check the pack id.")
    installed = manager.get(pack_id)
    if installed is not None and installed.version >= entry.version:
        return FetchResult(pack_id, entry.version, 0, 0, False, None)
    if catalog.expired(now):
        raise SyncError(f"The institution's catalog expired on {catalog.expires}; no new packs are downloaded "
                        "until it is renewed. Installed packs keep working.",
                        "Ask the institution to publish (or renew) its catalog, then fetch again.")
    from mcdesk.packs.filelock import FileLock

    current, token = _enrolled(home, store)
    download = _Download(home, entry)
    with FileLock(download.folder / ".lock"):  # the GUI and a terminal never write one part at once
        with _CatalogClient(current.hub_url, token) as hub:
            moved, resumed_from, restarted = download.run(hub, reporter, retries)
        path = download.complete()
        result = manager.install(path, reporter)  # PackError here leaves the checked file for the next fetch
        path.unlink(missing_ok=True)
    return FetchResult(pack_id, entry.version, moved, resumed_from, restarted, result)


class _Download:
    """DATA/downloads/<id>-<version>.mcpack.part, its ETag beside it (.etag), and the finished file."""

    def __init__(self, home: Home, entry: CatalogEntry) -> None:
        self.entry = entry
        self.folder = home.root / DOWNLOADS
        self.folder.mkdir(exist_ok=True)
        stem = f"{entry.id}-{entry.version}.mcpack"
        self.final = self.folder / stem
        self.part = self.folder / f"{stem}.part"
        self.etag_file = self.folder / f"{stem}.part.etag"
        self.etag = f'"{entry.sha256}"'
        self.restarted = False  # a partial download was thrown away (the pack changed at the hub)

    def run(self, hub: _CatalogClient, reporter: Reporter, retries: int) -> tuple[int, int, bool]:
        """Download what is missing; returns (bytes moved, bytes on disk at the start, restarted)."""
        self.restarted = self._prepare()
        if self.final.exists():
            return 0, self.entry.length, self.restarted
        start = self._have()
        self._check_space(self.entry.length - start)
        reporter.stage(f"Downloading {self.entry.title} {self.entry.display_version}", self.entry.length)
        if start:
            reporter.advance(start)
        moved, failures = 0, 0
        while self._have() < self.entry.length:
            check_cancel(reporter)
            try:
                moved += self._request(hub, reporter)
                failures = 0
            except _Interrupted as exc:
                moved += exc.moved
                failures = 0 if exc.moved else failures + 1
                if failures >= retries or retries <= 1:
                    raise SyncError(
                        f"The download of {self.entry.title} was interrupted at {self._have():,} of "
                        f"{self.entry.length:,} bytes ({exc}).",
                        "Run `mcdesk pack fetch` again when the connection is back: it resumes where it "
                        "stopped.") from exc
                if failures:
                    time.sleep(backoff_delay(failures - 1, 0.5, cap=5.0))
            except _Restart:
                self.restarted = True
        self._finish()
        return moved, start, self.restarted

    def complete(self) -> Path:
        return self.final

    def _prepare(self) -> bool:
        """Drop a partial download of other bytes (the pack changed at the hub); True when one was."""
        if self.final.exists():
            if self.final.stat().st_size == self.entry.length and _sha256(self.final) == self.entry.sha256:
                return False
            self.final.unlink()
        if not self.part.exists():
            self.etag_file.unlink(missing_ok=True)
            return False
        kept = self.etag_file.read_text(encoding="ascii", errors="replace").strip() \
            if self.etag_file.exists() else ""
        if kept != self.etag or self.part.stat().st_size > self.entry.length:
            self._discard()
            return True
        return False

    def _have(self) -> int:
        try:
            return self.part.stat().st_size
        except FileNotFoundError:
            return 0

    def _discard(self) -> None:
        self.part.unlink(missing_ok=True)
        self.etag_file.unlink(missing_ok=True)

    def _check_space(self, need: int) -> None:
        free = shutil.disk_usage(self.folder).free
        if free < need + DISK_MARGIN:
            raise SyncError(f"Not enough free disk space to download {self.entry.title}: it needs "
                            f"{need / 2**20:.1f} MB plus {DISK_MARGIN // 2**20} MB to spare; {free / 2**20:.1f} MB "
                            "is free.", "Free some space and fetch again.")

    def _request(self, hub: _CatalogClient, reporter: Reporter) -> int:
        """One connection: ask for the bytes from the part's length on and append them."""
        import httpx

        offset = self._have()
        headers = {"Range": f"bytes={offset}-", "If-Range": self.etag} if offset else {}
        moved, have = 0, offset
        try:
            with hub.open_pack(self.entry.path, headers) as response:
                append = self._accept(response, offset)
                if not append and offset:
                    self.restarted = True
                    reporter.stage(f"Downloading {self.entry.title} {self.entry.display_version}", self.entry.length)
                self.etag_file.write_text(self.etag, encoding="ascii")
                with open(self.part, "ab" if append else "wb") as out:
                    for chunk in response.iter_raw():  # as they arrive: a cut keeps every byte received
                        have += len(chunk)
                        if have > self.entry.length:
                            raise SyncError(f"The hub sent more bytes of {self.entry.title} than the catalog lists.",
                                            "Fetch again; if it keeps happening, tell the institution.")
                        out.write(chunk)
                        moved += len(chunk)
                        reporter.advance(len(chunk))
                        if reporter.cancelled():
                            out.flush()
                            check_cancel(reporter)
                    out.flush()
                    os.fsync(out.fileno())
        except httpx.TransportError as exc:  # dropped, reset, timed out: keep what arrived
            raise _Interrupted(moved, _words(exc)) from exc
        if not append and moved == 0 and self.entry.length:
            raise _Interrupted(0, "the hub sent nothing")
        return moved

    def _accept(self, response: Any, offset: int) -> bool:
        """True to append (206 from ``offset``), False to start again (200); raises otherwise."""
        status = response.status_code
        etag = response.headers.get("etag")
        if status == 416 and offset:
            self._discard()
            raise _Restart()
        if status not in (200, 206):
            response.read()
            raise _refused(self.entry, status, _json_or_none(response))
        if etag != self.etag:
            self._discard()
            raise SyncError(f"The hub now has other bytes for {self.entry.title} version {self.entry.version} "
                            "than its catalog lists (it was published again meanwhile).",
                            "Fetch again: the new catalog lists the new file.")
        if status == 206:
            expected = f"bytes {offset}-{self.entry.length - 1}/{self.entry.length}"
            if response.headers.get("content-range") != expected:
                self._discard()
                raise SyncError(f"The hub answered a resumed download with the wrong part "
                                f"({response.headers.get('content-range')!r}).", "Fetch again.")
            return True
        return False

    def _finish(self) -> None:
        """The part holds the whole pack: check it against the catalog, then name it .mcpack."""
        size = self._have()
        digest = _sha256(self.part)
        if size != self.entry.length or digest != self.entry.sha256:
            self._discard()
            raise SyncError(f"The downloaded {self.entry.title} does not match the catalog "
                            f"({size:,} bytes, sha256 {digest[:16]}…; the catalog lists {self.entry.length:,} bytes, "
                            f"{self.entry.sha256[:16]}…). It was deleted.",
                            "Fetch again; if it keeps happening, the link or the hub is altering files.")
        os.replace(self.part, self.final)
        self.etag_file.unlink(missing_ok=True)


class _Interrupted(Exception):
    def __init__(self, moved: int, words: str) -> None:
        super().__init__(words)
        self.moved = moved


class _Restart(Exception):
    """The hub cannot continue the partial download; start it again."""


def _refused(entry: CatalogEntry, status: int, doc: Any) -> SyncError:
    detail = doc.get("detail") if isinstance(doc, dict) else None
    if isinstance(detail, dict) and detail.get("message") and detail.get("code") != "not_found":
        return SyncError(str(detail["message"]), str(detail.get("hint") or ""))
    if status in (401, 403):
        return SyncError(f"The hub does not accept this laptop (HTTP {status}).",
                         "Enrol the laptop again with a new code from the institution.")
    return SyncError(f"The hub refused the download of {entry.title} (HTTP {status}).", "Try again later.")


def _json_or_none(response: Any) -> Any:
    with contextlib.suppress(ValueError):
        return response.json()
    return None


def _words(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return f"the connection failed: {text}"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def list_catalog(home: Home, store: Store, manager: PackManager) -> tuple[Catalog, list[dict[str, Any]]]:
    """The verified catalog and, per pack, what fetching it would do on this laptop."""
    catalog = fetch_catalog(home, store)
    rows = []
    for entry in catalog.packs:
        installed = manager.get(entry.id)
        if installed is None:
            state = "available"
        elif installed.version < entry.version:
            state = "update"
        elif installed.version == entry.version:
            state = "installed"
        else:
            state = "newer installed"
        rows.append({**asdict(entry), "installed_version": installed.version if installed else None, "state": state})
    return catalog, rows


__all__ = ["Catalog", "CatalogEntry", "FetchResult", "fetch_catalog", "fetch_pack", "list_catalog",
           "stored_catalog", "verify_catalog"]
