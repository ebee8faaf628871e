"""USB-stick intake: take in a device's outbox bundle with the same checks as POST /api/v1/evidence and
write the reply the device imports (a compact JWS signed with the institution key)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mcdesk.hub.devices import get_device
from mcdesk.hub.errors import HubError
from mcdesk.hub.institution import load_institution
from mcdesk.hub.intake import RecordResult, all_changes, counts, intake
from mcdesk.hub.logs import close_logging, log_event, setup_logging
from mcdesk.hub.store import HubData, open_store

BATCH = 500  # the same batch size as the HTTP endpoint: one durable transaction each


@dataclass(frozen=True)
class IngestReport:
    device_id: str
    device_name: str
    bundle_sha256: str
    results: list[RecordResult]
    items: int
    reply: Path

    def as_json(self) -> dict[str, Any]:
        return {"device_id": self.device_id, "device_name": self.device_name, "bundle_sha256": self.bundle_sha256,
                "reply": str(self.reply), "feed_items": self.items, **counts(self.results),
                "results": [r.as_json() for r in self.results]}


def ingest_bundle(data_dir: str | Path | None, bundle_path: Path, reply_path: Path) -> IngestReport:
    """Read ``bundle_path``, take its records in, and write the signed reply to ``reply_path`` (a file,
    or a folder to put mcdesk-reply-<device>-<time>.mcreply in). Refuses a file that is not a bundle,
    and a bundle of a device that is not enrolled here or was revoked, before anything is stored."""
    from mcdesk.sync.bundle import make_reply, read_bundle, reply_name, write_atomic

    data = HubData.open(data_dir)
    setup_logging(data.log_path, stderr=False)
    try:
        bundle = read_bundle(Path(bundle_path))
        target = Path(reply_path)
        if target.is_dir():
            target = target / reply_name(bundle.device_id)
        if target.exists() and target.resolve() == Path(bundle_path).resolve():
            raise HubError("The reply would overwrite the bundle.", "Give another path with -o.")
        with open_store(data) as store:
            institution = load_institution(store, data)
            device = get_device(store, bundle.device_id)
            if device is None:
                log_event("ingest_refused", code="device_unknown", device_id=bundle.device_id)
                raise HubError(f"The bundle comes from device {bundle.device_id[:16]}… "
                               f"(\"{bundle.device_name}\"), which is not enrolled at this hub.",
                               "Enrol the laptop first (with a code from `mcdesk hub enrol-code`), then "
                               "export a new bundle; nothing was stored.", code="device_unknown", status=403)
            if device.revoked:
                log_event("ingest_refused", code="device_revoked", device_id=device.device_id)
                raise HubError(f"Device {device.device_id[:16]}… (\"{device.name}\") was revoked at this hub; "
                               "its evidence is no longer accepted.", "Nothing was stored.",
                               code="device_revoked", status=403)
            results: list[RecordResult] = []
            for start in range(0, len(bundle.records), BATCH):
                results += intake(store, device, bundle.records[start:start + BATCH], via="bundle")
            items = all_changes(store, device.device_id)
            reply = make_reply(institution.private_key, institution.kid, device_id=device.device_id,
                               institution_id=institution.id, bundle_sha256=bundle.sha256,
                               results=[r.as_json() for r in results], items=items)
        write_atomic(target, reply.encode("ascii"))
        log_event("ingest", device_id=device.device_id, records=len(bundle.records), feed_items=len(items),
                  **counts(results))
        return IngestReport(device.device_id, device.name, bundle.sha256, results, len(items), target)
    finally:
        close_logging()
