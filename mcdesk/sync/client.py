"""The device's side of sync: enrol with the hub, send the outbox, read the change feed (acknowledgements,
issued credentials, revocations, issuer keys), refresh revocation status, USB bundles.

The CLI and the desktop app both call these functions (the app from a background thread). Nothing
is marked acknowledged until the hub says so, either in its answer to a batch or in its feed. Each
batch is small, gzip'd and independent: a dropped connection loses at most the batch in flight, and
sending it again is safe (the hub answers "duplicate" for what it already holds).
"""

from __future__ import annotations

import functools
import json
import random
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mcdesk import __version__
from mcdesk.errors import McdeskError, SyncError
from mcdesk.home import Home
from mcdesk.progress import NullReporter, Reporter, check_cancel
from mcdesk.store.db import Store, utcnow

API = "/api/v1"
TOKEN_SECRET = "hub-device-token"
BATCH_SIZE = 200  # records per upload; about 150 KB of JSON, 40 KB gzip'd
FEED_PAGE = 500
RETRIES = 4  # tries per request within one sync before giving up until the next one

_CODE = re.compile(r"[A-Za-z0-9]{4}(-?[A-Za-z0-9]{4}){2}")


@dataclass(frozen=True)
class Enrolment:
    hub_url: str
    device_id: str
    device_name: str
    institution: dict[str, Any]
    institution_keys: list[dict[str, Any]]
    enrolled_at: str

    @property
    def institution_name(self) -> str:
        return str(self.institution.get("name") or self.institution.get("id") or self.hub_url)


@dataclass(frozen=True)
class SyncStatus:
    enrolled: bool
    hub_url: str | None
    institution_name: str | None
    device_id: str | None
    total: int
    queued: int
    acked: int
    errors: int
    last_attempt: str | None
    last_success: str | None
    last_error: str | None


@dataclass
class SyncReport:
    sent: int = 0
    accepted: int = 0
    duplicate: int = 0
    rejected: int = 0
    acked_from_feed: int = 0
    batches: int = 0
    retries: int = 0
    credentials: int = 0  # issued credentials received and verified offline
    invalid: int = 0  # credentials received that did not verify (kept as 'invalid', never shown as verified)
    revoked: int = 0  # credentials newly revoked (revocation items and the status lists)
    issuer_keys: int = 0  # issuer keys newly pinned through root-signed issuer_keys items
    status_checked: int = 0  # credentials whose revocation status was checked against the hub's status list
    problems: list[str] = field(default_factory=list)

    @property
    def acknowledged(self) -> int:
        return self.accepted + self.duplicate + self.acked_from_feed

    @property
    def changed_anything(self) -> bool:
        """Whether the device's data changed: acknowledgements, credentials, revocations, keys, statuses."""
        return bool(self.acknowledged or self.credentials or self.invalid or self.revoked or self.issuer_keys
                    or self.status_checked)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    records: int


@dataclass(frozen=True)
class ImportResult:
    acknowledged: int
    already: int
    rejected: int
    problems: tuple[str, ...]
    credentials: int = 0
    invalid: int = 0
    revoked: int = 0
    issuer_keys: int = 0


@dataclass
class FeedOutcome:
    """What applying the credential-related items of a feed page (or a reply) did."""

    credentials: int = 0
    invalid: int = 0
    revoked: int = 0
    issuer_keys: int = 0
    problems: list[str] = field(default_factory=list)


# --- talking to the hub -------------------------------------------------------------------------


class _Transient(Exception):
    """A failure worth trying again: no connection, a timeout, a cut-off answer, a 5xx."""


@functools.cache
def _tls_context() -> Any:
    """One TLS context (the system's and certifi's trusted roots) for every client of this process: loading the
    roots costs ~25 ms of CPU, and a sync makes two clients, the app one or two per sync."""
    import httpx

    return httpx.create_ssl_context()


class HubClient:
    """A small httpx client for the hub's API; turns every failure into SyncError with a hint."""

    def __init__(self, url: str, token: str | None = None, *, timeout: float = 20.0, retries: int = RETRIES,
                 backoff: float = 0.5, sleep: Callable[[float], None] = time.sleep) -> None:
        import httpx

        self.url = normalise_url(url)
        headers = {"User-Agent": f"mcdesk/{__version__}", "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._http = httpx.Client(base_url=self.url, headers=headers, follow_redirects=False, verify=_tls_context(),
                                  timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)))
        self.retries, self.backoff, self._sleep = retries, backoff, sleep
        self.retried = 0

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def health(self) -> dict[str, Any]:
        return self._request("GET", f"{API}/health")

    def enrol(self, code: str, public_key: str, device_name: str, proof: str) -> dict[str, Any]:
        return self._request("POST", f"{API}/enrol", body={"code": code, "public_key": public_key,
                                                           "device_name": device_name, "proof": proof})

    def send_evidence(self, records: list[str]) -> list[dict[str, Any]]:
        answer = self._request("POST", f"{API}/evidence", body={"records": records}, gzip_body=True)
        results = answer.get("results")
        if not isinstance(results, list) or len(results) != len(records):
            raise SyncError("The hub's answer to a batch of evidence does not match the batch.",
                            "Check that the URL points at an mcdesk hub of the same version.")
        return results

    def changes(self, after: int, limit: int = FEED_PAGE) -> dict[str, Any]:
        return self._request("GET", f"{API}/changes", params={"after": after, "limit": limit})

    def status_list(self, url: str) -> str:
        """The status list credential (a VC-JWT) at ``url``, always fetched from this hub: a credential
        names its list by the hub's public address, which may not be the one this laptop uses."""
        text = self._request("GET", hub_path(self.url, url), raw=True, accept="application/vc+jwt, application/json")
        stripped = text.strip()
        if stripped.startswith("{"):
            try:
                doc = json.loads(stripped)
            except ValueError:
                doc = None
            jwt = doc.get("jwt") if isinstance(doc, dict) else None
            if not isinstance(jwt, str):
                raise SyncError(f"The hub's status list at {url} holds no VC-JWT.",
                                "Check that the hub runs the same version of mcdesk.")
            return jwt
        return stripped

    def _request(self, method: str, path: str, *, body: Any = None, params: dict[str, Any] | None = None,
                 gzip_body: bool = False, raw: bool = False, accept: str | None = None) -> Any:
        content, headers = None, {}
        if accept:
            headers["Accept"] = accept
        if body is not None:
            content = json.dumps(body, separators=(",", ":")).encode()
            headers["Content-Type"] = "application/json"
            if gzip_body:
                import gzip

                content = gzip.compress(content, compresslevel=6, mtime=0)
                headers["Content-Encoding"] = "gzip"
        for attempt in range(self.retries):
            try:
                return self._once(method, path, content, headers, params, raw)
            except _Transient as exc:
                if attempt + 1 == self.retries:
                    raise SyncError(f"The hub at {self.url} cannot be reached: {exc}.",
                                    "Sync will try again by itself; check the network or use a USB stick.") from exc
                self.retried += 1
                self._sleep(backoff_delay(attempt, self.backoff, cap=10.0))
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(self, method: str, path: str, content: bytes | None, headers: dict[str, str],
              params: dict[str, Any] | None, raw: bool = False) -> Any:
        import httpx

        try:
            response = self._http.request(method, path, content=content, headers=headers, params=params)
        except httpx.TimeoutException as exc:
            raise _Transient("no answer in time") from exc
        except httpx.TransportError as exc:  # refused, reset, cut off mid-answer, DNS
            raise _Transient(_transport_words(exc)) from exc
        if response.status_code >= 500:
            raise _Transient(f"the hub answered HTTP {response.status_code}")
        if raw and response.is_success:
            return response.text
        try:
            doc = response.json()
        except ValueError as exc:
            if response.is_success:
                raise _Transient("its answer was cut short or is not JSON") from exc
            doc = None
        if not response.is_success:
            raise _refusal(self.url, response.status_code, doc)
        if not isinstance(doc, dict):
            raise SyncError(f"{self.url} answered, but not like an mcdesk hub.",
                            "Check the hub's address (for example http://hub.example:8765).")
        return doc


def _transport_words(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    import socket

    if isinstance(getattr(exc, "__cause__", None), socket.gaierror) or "Name or service" in text:
        return "its name cannot be resolved"
    return f"the connection failed ({text})"


def _refusal(url: str, status: int, doc: Any) -> SyncError:
    detail = doc.get("detail") if isinstance(doc, dict) else None
    generic = not isinstance(detail, dict) or detail.get("code") in (None, "not_found", "method_not_allowed",
                                                                     "http_error")
    if isinstance(detail, dict) and detail.get("message") and not generic:
        return SyncError(str(detail["message"]), str(detail.get("hint") or ""))
    if status == 404:
        return SyncError(f"{url} is not an mcdesk hub (HTTP 404).",
                         "Check the hub's address (for example http://hub.example:8765).")
    if status in (401, 403):
        return SyncError(f"The hub at {url} does not accept this laptop (HTTP {status}).",
                         "Enrol the laptop again with a new code from the institution.")
    return SyncError(f"The hub at {url} refused the request (HTTP {status}).")


def backoff_delay(failures: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Exponential backoff with full jitter: a random delay in [base/2, min(cap, base * 2**failures)]."""
    ceiling = min(cap, base * (2 ** min(failures, 30)))
    return (rng or random).uniform(min(base / 2, ceiling), ceiling)


def normalise_url(url: str) -> str:
    """``http(s)://host[:port][/prefix]`` without a trailing slash; anything else is refused."""
    from urllib.parse import urlsplit

    text = (url or "").strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SyncError(f"{url!r} is not a hub address.",
                        "Give the address the institution gave you, for example https://hub.example.org.")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise SyncError(f"{url!r} is not a hub address (it has a query, fragment or password in it).",
                        "Give only scheme, host, port and path, for example https://hub.example.org.")
    return text.rstrip("/")


def hub_path(hub_url: str, url: str) -> str:
    """The path on the hub at ``hub_url`` of a public credential document named by ``url`` (its own
    address, or one whose path holds /ob/v3p0/ or /.well-known/); other addresses are refused, so
    this laptop only ever asks its own hub (and never sends its token elsewhere)."""
    from urllib.parse import urlsplit

    if url.startswith(hub_url + "/"):
        return url[len(hub_url):]
    path = urlsplit(url).path
    for marker in ("/ob/v3p0/", "/.well-known/"):
        if marker in path:
            return path[path.index(marker):]
    raise SyncError(f"{url} is not a document of the hub at {hub_url}.",
                    "Only the institution's own hub is asked about credentials.")


def fetch_document(url: str, timeout: float = 20.0) -> str:
    """GET a public document (a JWK Set, a status list) at an http(s) ``url``; its text."""
    from urllib.parse import urlsplit

    parts = urlsplit((url or "").strip())
    origin = normalise_url(f"{parts.scheme}://{parts.netloc}") if parts.scheme and parts.netloc else normalise_url(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    with HubClient(origin, timeout=timeout, retries=2) as client:
        return str(client._request("GET", path, raw=True, accept="application/json, application/vc+jwt"))


# --- enrolment ----------------------------------------------------------------------------------


def enrol(home: Home, store: Store, url: str, code: str, device_name: str | None = None,
          *, force: bool = False) -> Enrolment:
    """Enrol this laptop with the hub at ``url`` using a one-time ``code``."""
    from mcdesk.evidence.device import device_key, store_secret
    from mcdesk.sync.proof import sign_enrolment

    url = normalise_url(url)
    code = code.strip().upper()
    if not _CODE.fullmatch(code):
        raise SyncError(f"{code!r} is not an enrolment code (they look like ABCD-EFGH-JKLM).",
                        "Type the code exactly as the institution gave it.")
    import socket

    name = (device_name or socket.gethostname() or "mcdesk laptop").strip()[:100]
    identity, key = device_key(home, store)
    current = enrolment(store)
    with HubClient(url) as hub:
        answer = hub.enrol(code, identity.public_b64url, name,
                           sign_enrolment(key, code, identity.public_b64url, name))
    institution, keys, token = _enrolment_answer(answer, identity.device_id)
    issuer_keys = answer.get("issuer_keys")
    if current and not force and current.institution.get("id") != institution.get("id") and _any_acked(store):
        raise SyncError(
            f"This laptop already sends its evidence to {current.institution_name}.",
            "Enrolling with another institution would split its evidence; use --force only if the "
            "laptop has moved for good.")
    store_secret(home, TOKEN_SECRET, token.encode("ascii"))
    result = Enrolment(hub_url=url, device_id=identity.device_id, device_name=name, institution=institution,
                       institution_keys=keys, enrolled_at=utcnow())
    with store.transaction() as conn:
        conn.execute("DELETE FROM enrolment")
        conn.execute(
            "INSERT INTO enrolment (id, hub_url, device_id, device_name, institution, institution_keys,"
            " enrolled_at) VALUES (1, ?, ?, ?, ?, ?, ?)",
            (url, identity.device_id, name, json.dumps(institution), json.dumps(keys), result.enrolled_at))
        if current is None or current.hub_url != url:
            _set_state(conn, cursor=0)
        if current is not None and current.institution.get("id") != institution.get("id"):
            conn.execute("DELETE FROM issuer_keys")  # another institution: its keys alone are trusted now
        if issuer_keys is not None:
            _pin_enrolment_keys(conn, issuer_keys)
    return result


def _pin_enrolment_keys(conn: Any, issuer_keys: Any) -> None:
    """Pin the issuer keys of the enrolment answer. Unusable keys do not undo the enrolment (its code
    is spent at the hub): they are noted as the last problem, and keys still come later through the
    feed's root-signed issuer_keys items."""
    from mcdesk.credentials.device import pin_issuer_keys
    from mcdesk.errors import CredentialError

    try:
        pin_issuer_keys(conn, issuer_keys, source="enrolment")
    except CredentialError as exc:
        _set_state(conn, last_error=f"The hub's issuer keys were not pinned: {exc.message}")


def _enrolment_answer(answer: dict[str, Any], device_id: str) -> tuple[dict[str, Any], list[dict[str, Any]], str]:
    institution, keys, token = answer.get("institution"), answer.get("institution_keys"), answer.get("device_token")
    if answer.get("device_id") != device_id:
        raise SyncError("The hub gave this laptop a device id that does not match its key.",
                        "Check that the address points at the institution's mcdesk hub.")
    if not isinstance(institution, dict) or not isinstance(keys, list) or not keys \
            or not all(isinstance(k, dict) and k.get("kty") == "OKP" and k.get("x") for k in keys) \
            or not isinstance(token, str) or not token:
        raise SyncError("The hub's answer to the enrolment is incomplete.",
                        "Check that the address points at the institution's mcdesk hub of the same version.")
    return institution, keys, token


def enrolment(store: Store) -> Enrolment | None:
    row = store.one("SELECT * FROM enrolment LIMIT 1")
    if row is None:
        return None
    return Enrolment(hub_url=row["hub_url"], device_id=row["device_id"], device_name=row["device_name"],
                     institution=json.loads(row["institution"]), institution_keys=json.loads(row["institution_keys"]),
                     enrolled_at=row["enrolled_at"])


def _any_acked(store: Store) -> bool:
    return store.one("SELECT 1 FROM evidence WHERE acked_at IS NOT NULL LIMIT 1") is not None


def require_enrolment(home: Home, store: Store, *,
                      message: str = "This laptop is not enrolled with an institution hub yet.",
                      hint: str = "Enrol it once with `mcdesk enrol URL --code CODE` (or in the technician panel)."
                      ) -> tuple[Enrolment, str]:
    """The enrolment and the device token; SyncError(message, hint) when the laptop is not enrolled."""
    from mcdesk.evidence.device import load_secret

    current = enrolment(store)
    token = load_secret(home, TOKEN_SECRET)
    if current is None or not token:
        raise SyncError(message, hint)
    return current, token.decode("ascii")


# --- sending and receiving ----------------------------------------------------------------------


def sync(home: Home, store: Store, reporter: Reporter | None = None, *, batch_size: int = BATCH_SIZE,
         timeout: float = 20.0, retries: int = RETRIES, backoff: float = 0.5) -> SyncReport:
    """Send every unacknowledged record in small batches, then read the hub's feed of changes."""
    reporter = reporter or NullReporter()
    current, token = require_enrolment(home, store)
    report = SyncReport()
    with store.transaction() as conn:
        _set_state(conn, last_attempt=utcnow())
    try:
        with HubClient(current.hub_url, token, timeout=timeout, retries=retries, backoff=backoff) as hub:
            _upload(store, hub, reporter, report, batch_size)
            _download(store, hub, current, reporter, report)
            report.retries = hub.retried
        with HubClient(current.hub_url, timeout=timeout, retries=retries, backoff=backoff) as public:
            refresh_status(store, public, report, reporter)
    except McdeskError as exc:
        with store.transaction() as conn:
            _set_state(conn, last_error=str(exc))
        raise
    with store.transaction() as conn:
        _set_state(conn, last_success=utcnow(), last_error="; ".join(report.problems[:3]) or None)
    return report


def _upload(store: Store, hub: HubClient, reporter: Reporter, report: SyncReport, batch_size: int) -> None:
    from mcdesk.evidence.outbox import mark_acked, set_error

    queued = _count_queued(store)
    reporter.stage("Sending evidence", queued)
    after = 0
    while True:
        check_cancel(reporter)
        rows = store.query("SELECT seq, evidence_id, jws FROM evidence WHERE acked_at IS NULL AND seq > ?"
                           " ORDER BY seq LIMIT ?", (after, batch_size))
        if not rows:
            return
        results = hub.send_evidence([row["jws"] for row in rows])
        report.batches += 1
        report.sent += len(rows)
        acked: list[tuple[str, str]] = []
        refused = False
        for row, result in zip(rows, results, strict=True):
            status = result.get("status")
            if status in ("accepted", "duplicate") and result.get("evidence_id") in (None, row["evidence_id"]):
                acked.append((row["evidence_id"], status))
                setattr(report, status, getattr(report, status) + 1)
            elif refused and str(result.get("reason") or "").startswith("gap"):
                continue  # only a consequence of the refusal before it: not sent, as far as the hub goes
            else:
                refused = True
                report.rejected += 1
                reason = str(result.get("reason") or "no reason given")
                report.problems.append(f"record {row['seq']}: {reason}")
                set_error(store, row["evidence_id"], reason)
        mark_acked(store, acked)
        reporter.advance(len(rows))
        after = rows[-1]["seq"]
        if refused:  # the hub holds the chain up to the refusal; later records would only be gaps
            return


def _download(store: Store, hub: HubClient, current: Enrolment, reporter: Reporter, report: SyncReport) -> None:
    from mcdesk.evidence.outbox import mark_acked

    reporter.stage("Reading the hub's answers")
    cursor = int(_state(store)["cursor"] or 0)
    while True:
        check_cancel(reporter)
        page = hub.changes(cursor)
        items = page.get("items")
        if not isinstance(items, list):
            raise SyncError("The hub's feed of changes is malformed.",
                            "Check that the hub runs the same version of mcdesk.")
        acked, after, understood = _apply_items(items, cursor)
        report.acked_from_feed += mark_acked(store, acked) or 0
        # The page's credentials, revocations and keys are applied with the cursor after them, in one
        # step; applying a page again (after a cut) changes nothing.
        with store.transaction() as conn:
            outcome = apply_feed(conn, understood, current.institution_keys)
            _set_state(conn, cursor=after)
        _count(report, outcome)
        cursor = after
        if not page.get("more") or not items or len(understood) < len(items):
            return


FEED_KINDS = ("ack", "credential", "revocation", "issuer_keys")


def _apply_items(items: Iterable[Any], cursor: int) -> tuple[list[tuple[str, str]], int, list[dict[str, Any]]]:
    """The acknowledgements among feed items, the cursor after the last item understood, and the items
    understood (in order; the credential-related ones are applied by ``apply_feed``)."""
    acked: list[tuple[str, str]] = []
    understood: list[dict[str, Any]] = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("cursor"), int):
            raise SyncError("The hub's feed of changes holds a malformed item.")
        body = item.get("body") if isinstance(item.get("body"), dict) else {}
        if item.get("kind") not in FEED_KINDS:
            break  # a kind this version does not know: stop before it, so a newer mcdesk reads it
        if item.get("kind") == "ack" and isinstance(body.get("evidence_id"), str):
            acked.append((body["evidence_id"], str(body.get("status") or "accepted")))
        understood.append(item)
        cursor = max(cursor, item["cursor"])
    return acked, cursor, understood


def apply_feed(conn: Any, items: Iterable[dict[str, Any]], institution_keys: list[dict[str, Any]]) -> FeedOutcome:
    """Apply credential items (verified offline before they count), revocations and root-signed issuer
    keys, in feed order, inside the caller's transaction. An item that fails its check is noted as a
    problem and passed over (a forged key list is never pinned; a credential that does not verify is
    kept as 'invalid' with the reason), so one bad item never blocks the feed."""
    from mcdesk.credentials.device import apply_revocation, open_issuer_keys, pin_issuer_keys, receive_credential
    from mcdesk.errors import CredentialError

    outcome = FeedOutcome()
    for item in items:
        kind, body = item.get("kind"), item.get("body") if isinstance(item.get("body"), dict) else {}
        try:
            if kind == "credential":
                received = receive_credential(conn, body)
                if received.new and received.status == "valid":
                    outcome.credentials += 1
                elif received.new:
                    outcome.invalid += 1
                    outcome.problems.append(f"credential {received.credential_id} does not verify: {received.reason}")
            elif kind == "revocation":
                outcome.revoked += int(apply_revocation(conn, body))
            elif kind == "issuer_keys":
                keys = open_issuer_keys(body.get("jws"), institution_keys)
                outcome.issuer_keys += len(pin_issuer_keys(conn, keys, source="feed"))
        except CredentialError as exc:
            outcome.problems.append(f"feed item {item.get('cursor')}: {exc.message}")
    return outcome


def _count(report: SyncReport, outcome: FeedOutcome) -> None:
    report.credentials += outcome.credentials
    report.invalid += outcome.invalid
    report.revoked += outcome.revoked
    report.issuer_keys += outcome.issuer_keys
    report.problems.extend(outcome.problems)


def refresh_status(store: Store, hub: HubClient, report: SyncReport | None = None,
                   reporter: Reporter | None = None) -> SyncReport:
    """Check the held credentials against the hub's status lists (each list verified with the pinned
    issuer keys): set bits become revocations, and every credential checked gets status_checked_at.
    A list that cannot be fetched or does not verify is a problem in the report; nothing else changes."""
    from mcdesk.credentials.device import apply_status_list, pinned_issuer_keys, read_status_list, status_entries
    from mcdesk.errors import CredentialError

    report = report if report is not None else SyncReport()
    lists = status_entries(store)
    if not lists:
        return report
    (reporter or NullReporter()).stage("Checking credential status", len(lists))
    keys = pinned_issuer_keys(store)
    for url, entries in lists.items():
        try:
            bits = read_status_list(hub.status_list(url), keys, url)
        except (CredentialError, SyncError) as exc:
            report.problems.append(f"status of {len(entries)} credential(s) not checked: {exc.message}")
            continue
        with store.transaction() as conn:
            checked, revoked = apply_status_list(conn, entries, bits)
        report.status_checked += checked
        report.revoked += revoked
        if reporter is not None:
            reporter.advance(1)
    return report


def sync_if_reachable(home: Home, store: Store, reporter: Reporter | None = None) -> SyncReport | None:
    """Automatic sync: nothing when not enrolled; a cheap health check first, so an absent network
    costs one short request (recorded as the last problem) rather than a batch's retries."""
    current = enrolment(store)
    if current is None:
        return None
    if not reachable(current.hub_url):
        problem = SyncError(f"The hub at {current.hub_url} does not answer.", "Sync will try again by itself.")
        with store.transaction() as conn:
            _set_state(conn, last_attempt=utcnow(), last_error=str(problem))
        raise problem
    return sync(home, store, reporter)


def reachable(url: str, timeout: float = 3.0) -> bool:
    """A cheap check: does the hub answer its health endpoint within ``timeout`` seconds?"""
    try:
        with HubClient(url, timeout=timeout, retries=1) as hub:
            return hub.health().get("status") == "ok"
    except McdeskError:
        return False


# --- status ---------------------------------------------------------------------------------------


def status(store: Store) -> SyncStatus:
    current = enrolment(store)
    counts = store.one(
        "SELECT count(*) AS total, sum(acked_at IS NULL) AS queued, sum(acked_at IS NOT NULL) AS acked,"
        " sum(acked_at IS NULL AND last_error IS NOT NULL) AS errors FROM evidence")
    state = _state(store)
    return SyncStatus(
        enrolled=current is not None, hub_url=current.hub_url if current else None,
        institution_name=current.institution_name if current else None,
        device_id=current.device_id if current else _device_id(store),
        total=int(counts["total"] or 0), queued=int(counts["queued"] or 0), acked=int(counts["acked"] or 0),
        errors=int(counts["errors"] or 0), last_attempt=state["last_attempt"], last_success=state["last_success"],
        last_error=state["last_error"])


def _device_id(store: Store) -> str | None:
    row = store.one("SELECT device_id FROM device LIMIT 1")
    return row["device_id"] if row else None


def _count_queued(store: Store) -> int:
    return int(store.one("SELECT count(*) AS n FROM evidence WHERE acked_at IS NULL")["n"])


def _state(store: Store) -> Any:
    row = store.one("SELECT * FROM sync_state LIMIT 1")
    if row is None:
        return {"cursor": 0, "last_attempt": None, "last_success": None, "last_error": None}
    return row


_STATE_FIELDS = ("cursor", "last_attempt", "last_success", "last_error")


def _set_state(conn: Any, **values: Any) -> None:
    if conn.execute("SELECT 1 FROM sync_state LIMIT 1").fetchone() is None:
        conn.execute("INSERT INTO sync_state (id, cursor) VALUES (1, 0)")
    for name, value in values.items():
        if name not in _STATE_FIELDS:
            raise ValueError(name)
        conn.execute(f"UPDATE sync_state SET {name} = ?", (value,))  # noqa: S608 - name from a fixed list


# --- USB stick ----------------------------------------------------------------------------------


def export_bundle(home: Home, store: Store, folder: Path) -> ExportResult:
    """Write every unacknowledged record, in order, to a bundle file in ``folder`` (a USB stick)."""
    from mcdesk.evidence.device import ensure_device
    from mcdesk.sync.bundle import bundle_bytes, bundle_name, write_atomic

    folder = Path(folder)
    if not folder.is_dir():
        raise SyncError(f"{folder} is not a folder.", "Give the folder of the USB stick to write the bundle to.")
    identity = ensure_device(home, store)
    current = enrolment(store)
    records = [row["jws"] for row in store.query("SELECT jws FROM evidence WHERE acked_at IS NULL ORDER BY seq")]
    import socket

    name = current.device_name if current else (socket.gethostname() or "mcdesk laptop")
    data = bundle_bytes(identity.device_id, identity.public_key, name, records)
    path = write_atomic(folder / bundle_name(identity.device_id), data)
    return ExportResult(path=path, records=len(records))


def import_reply(home: Home, store: Store, path: Path) -> ImportResult:
    """Apply a reply the hub signed for this laptop: acknowledgements, then its feed items (credentials,
    revocations, issuer keys) as the network feed would."""
    from mcdesk.evidence.outbox import mark_acked, set_error
    from mcdesk.sync.bundle import open_reply

    current, _token = require_enrolment(home, store)
    reply = open_reply(Path(path), current.institution_keys, current.device_id)
    known = {row["evidence_id"]: row for row in store.query("SELECT evidence_id, seq, acked_at FROM evidence")}
    acked: list[tuple[str, str]] = []
    problems: list[str] = []
    already = 0
    refused = False
    for result in reply.results:
        row = known.get(result.get("evidence_id"))
        if row is None:
            continue
        if result["status"] == "rejected":
            gap = str(result.get("reason") or "").startswith("gap")
            if row["acked_at"] is None and not (refused and gap):  # a gap after a refusal is its echo
                refused = True
                reason = str(result.get("reason") or "no reason given")
                problems.append(f"record {row['seq']}: {reason}")
                set_error(store, row["evidence_id"], reason)
        elif row["acked_at"] is not None:
            already += 1
        else:
            acked.append((row["evidence_id"], result["status"]))
    feed, _cursor, understood = _apply_items(reply.items, 0)
    fresh = {eid for eid, _ in acked}
    for evidence_id, status_ in feed:
        row = known.get(evidence_id)
        if row is not None and row["acked_at"] is None and evidence_id not in fresh:
            acked.append((evidence_id, status_))
            fresh.add(evidence_id)
    done = mark_acked(store, acked) or 0
    with store.transaction() as conn:
        outcome = apply_feed(conn, understood, current.institution_keys)
        notes = problems + outcome.problems
        _set_state(conn, last_success=utcnow(), last_error="; ".join(notes[:3]) or None)
    return ImportResult(acknowledged=int(done), already=already, rejected=len(problems),
                        problems=tuple(problems + outcome.problems), credentials=outcome.credentials,
                        invalid=outcome.invalid, revoked=outcome.revoked, issuer_keys=outcome.issuer_keys)
