"""`mcdesk bench` rows for sync: 10,000 queued records to a real hub on loopback, and bytes on the wire.

Both rows start the reference hub as its own process (it needs the `hub` extra). The floor of the
time row is the plainest way to get the same records into the same hub: sign each record's bytes
and POST them as JSON in batches of the same size, from a second enrolled device. The wire row
counts every byte both ways through a relay, for mcdesk's sync and for that plain posting.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from dataclasses import dataclass
from typing import Any

from mcdesk.bench import BenchContext, Measurement, register, timed

SYNC_ROW = "sync 10,000 queued records to the hub on loopback vs raw sign + post"
WIRE_ROW = "bytes on the wire per record synced vs raw JSON posting"


@dataclass
class _SyncRun:
    records: int
    seconds: float
    floor_seconds: float
    wire_bytes: int
    floor_wire_bytes: int
    note: str | None = None


def _hub_missing() -> str | None:
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        return "the hub is not installed (pip install 'mcdesk[hub]'), so nothing was measured (floor 0, ratio 0)."
    return None


@register(SYNC_ROW, unit="s", goal="<= 2.0")
def sync_records(ctx: BenchContext) -> Measurement:
    """Seconds to sync the queued records (upload in gzip'd batches + the acknowledgement feed) vs
    seconds to sign the same records' bytes and POST them raw in batches of the same size."""
    run = ctx.shared("sync-run", _sync_run)
    if run.note:
        return Measurement(0.0, 0.0, run.note)
    per_record = run.seconds / run.records * 1000
    return Measurement(run.seconds, run.floor_seconds,
                       f"{run.records} records: mcdesk {per_record:.3f} ms per record "
                       f"(records were signed when they were recorded); the floor signs them here.")


@register(WIRE_ROW, unit="B", goal="<= 1.0")
def wire_bytes(ctx: BenchContext) -> Measurement:
    """Bytes both ways per record (HTTP headers and bodies, acknowledgements included) vs the same
    records posted as plain JSON."""
    run = ctx.shared("sync-run", _sync_run)
    if run.note:
        return Measurement(0.0, 0.0, run.note)
    return Measurement(run.wire_bytes / run.records, run.floor_wire_bytes / run.records,
                       "mcdesk gzips each batch; the floor posts the same compact JWS strings uncompressed.")


def _sync_run(ctx: BenchContext) -> _SyncRun:
    missing = _hub_missing()
    if missing:
        return _SyncRun(0, 0, 0, 0, 0, missing)
    from mcdesk.hub.process import running_hub

    count = 1000 if ctx.quick else 10_000
    home, store = _device_with_records(ctx, count)
    try:
        with running_hub(ctx.scratch("hub")) as hub:
            host, port = _host_port(hub.url)
            with _CountingRelay(host, port) as relay:
                floor_seconds = _raw_sign_and_post(ctx, hub, relay, store, count)
                floor_bytes = relay.take()
                seconds, wire = _mcdesk_sync(ctx, hub, relay, home, store)
    finally:
        store.close()
    ctx.log(f"  mcdesk sync {seconds:.2f} s, raw sign + post {floor_seconds:.2f} s for {count} records")
    return _SyncRun(count, seconds, floor_seconds, wire, floor_bytes)


def _device_with_records(ctx: BenchContext, count: int) -> tuple[Any, Any]:
    from mcdesk.bench import _evidence_home
    from mcdesk.evidence.outbox import record_event
    from mcdesk.learning.credentials import LessonCompleted
    from mcdesk.store.db import utcnow

    home, store, learner = _evidence_home(ctx)
    with store.transaction() as conn:
        for n in range(count):
            record_event(conn, LessonCompleted(learner, "org.mcdesk.bench.evidence", f"lesson-{n}", utcnow()))
    return home, store


def _mcdesk_sync(ctx: BenchContext, hub: Any, relay: _CountingRelay, home: Any, store: Any) -> tuple[float, int]:
    from mcdesk.sync.client import enrol, status, sync

    enrol(home, store, relay.url, hub.enrol_codes(1)[0], "bench laptop")
    relay.take()  # the enrolment is not part of syncing
    seconds = timed(lambda: sync(home, store))
    wire = relay.take()
    if status(store).queued:
        raise RuntimeError("the bench sync left records unacknowledged")
    return seconds, wire


def _raw_sign_and_post(ctx: BenchContext, hub: Any, relay: _CountingRelay, store: Any, count: int) -> float:
    """Sign the bytes of the same records with a second device key and POST them as JSON, 200 a time."""
    import hashlib

    import httpx
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from mcdesk.evidence.jcs import canonical
    from mcdesk.evidence.jws import b64url
    from mcdesk.evidence.record import GENESIS_HASH, read_unverified, record_hash
    from mcdesk.keys import raw_public
    from mcdesk.sync.client import BATCH_SIZE

    key = Ed25519PrivateKey.generate()
    device_id = hashlib.sha256(raw_public(key.public_key())).hexdigest()
    answer = hub.enrol(key, "bench floor")
    import uuid

    # The same records, as another device's: its own ids (the hub would call the same ids a conflict).
    records = [dict(read_unverified(row["jws"]), evidence_id=str(uuid.uuid4()), device_id=device_id)
               for row in store.query("SELECT jws FROM evidence ORDER BY seq")]
    header = b64url(canonical({"alg": "EdDSA", "kid": device_id, "typ": "mcdesk-evidence+jws"}))

    def sign_and_post() -> None:
        prev = GENESIS_HASH
        with httpx.Client(base_url=relay.url, timeout=60,
                          headers={"Authorization": f"Bearer {answer['device_token']}"}) as http:
            for start in range(0, count, BATCH_SIZE):
                batch = []
                for record in records[start:start + BATCH_SIZE]:
                    record["prev_hash"] = prev
                    signing_input = f"{header}.{b64url(canonical(record))}"
                    jws = f"{signing_input}.{b64url(key.sign(signing_input.encode('ascii')))}"
                    prev = record_hash(jws)
                    batch.append(jws)
                reply = http.post("/api/v1/evidence", json={"records": batch})
                reply.raise_for_status()

    return timed(sign_and_post)


def _host_port(url: str) -> tuple[str, int]:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return str(parts.hostname), int(parts.port or 80)


class _CountingRelay:
    """A plain TCP relay on 127.0.0.1 that counts the bytes it carries in both directions."""

    def __init__(self, host: str, port: int) -> None:
        self.upstream = (host, port)
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}"
        self._bytes = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> _CountingRelay:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._server.close()

    def take(self) -> int:
        """Bytes carried since the last call."""
        with self._lock:
            carried, self._bytes = self._bytes, 0
        return carried

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._server.accept()
            except (TimeoutError, OSError):
                continue
            upstream = socket.create_connection(self.upstream)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                with self._lock:
                    self._bytes += len(chunk)
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, sink):  # one side ended: end the other too (closing twice is harmless)
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
