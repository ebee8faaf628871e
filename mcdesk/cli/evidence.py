"""The `mcdesk evidence` commands: check the signed chain, show the device key and the outbox, list records."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from mcdesk.cli.common import opened

if TYPE_CHECKING:
    from mcdesk.cli.output import Output
    from mcdesk.evidence.outbox import OutboxRow


def add_parsers(sub: Any) -> None:
    """Add this family's parsers to sub (a _CommonSubparsers); commands are "evidence:<function>"."""
    p = sub.add_parser("evidence", help="the signed completion evidence kept on this laptop",
                       description="Every completed lesson, finished quiz attempt and earned credential is "
                       "kept as a signed, chained record until the institution's hub acknowledges it.")
    actions = type(sub)(p.add_subparsers(dest="evidence_command", metavar="ACTION", required=True), sub.common)
    q = actions.add_parser("verify", help="check every record's signature and the chain between them",
                           description="Check the outbox from the first record on: no gap, each record linked to "
                           "the one before, each signature made by this laptop's device key. Exits 1 and names "
                           "the first break when something was changed, removed or re-ordered.")
    q.add_argument("--json", action="store_true", help="print the report as JSON")
    q.set_defaults(func="evidence:evidence_verify")
    q = actions.add_parser("status", help="the device key and how many records are queued or acknowledged",
                           description="Show this laptop's device id (made now if it has none yet), where its "
                           "private key is kept, and the outbox counts.")
    q.add_argument("--json", action="store_true", help="print the status as JSON")
    q.set_defaults(func="evidence:evidence_status")
    q = actions.add_parser("list", help="list the evidence records, oldest first")
    q.add_argument("--queued", action="store_true", help="only records the hub has not acknowledged yet")
    q.add_argument("--limit", type=int, metavar="N", help="at most N records")
    q.add_argument("--json", action="store_true", help="print the records as JSON")
    q.set_defaults(func="evidence:evidence_list")


def evidence_verify(args: argparse.Namespace, out: Output) -> int:
    from mcdesk.evidence.outbox import verify_chain

    with opened(args) as (_, store):
        report = verify_chain(store)
    if out.json_mode:
        out.json({"ok": report.ok, "records": report.records, "device_id": report.device_id,
                  "break": None if report.ok else {"seq": report.break_seq, "problem": report.problem}})
    elif report.ok:
        device = f" from device {report.device_id[:12]}" if report.device_id else ""
        out.line(f"The evidence chain is whole: {report.records} record{'s' * (report.records != 1)}{device}, "
                 "every signature valid.")
    else:
        where = f" at seq {report.break_seq}" if report.break_seq is not None else ""
        out.line(f"The evidence chain is broken{where}: {report.problem}")
        out.line(f"{report.records} record{'s' * (report.records != 1)} before it check out.")
    return 0 if report.ok else 1


def evidence_status(args: argparse.Namespace, out: Output) -> int:
    from mcdesk.evidence.device import ensure_device
    from mcdesk.evidence.outbox import outbox_counts

    with opened(args) as (home, store):
        identity = ensure_device(home, store)
        counts = outbox_counts(store)
    storage = {"keyring": "the OS keyring", "file": f"{home.keys} (file readable only by this user)"}
    if out.json_mode:
        out.json({"device_id": identity.device_id, "key_id": identity.key_id, "public_key": identity.public_b64url,
                  "key_storage": identity.storage, "created_at": identity.created_at,
                  "records": counts._asdict()})
        return 0
    out.line(f"Device id:   {identity.device_id}")
    out.line(f"Key:         Ed25519, made {identity.created_at}, kept in {storage[identity.storage]}")
    out.line(f"Records:     {counts.total} in all, {counts.queued} queued, {counts.acked} acknowledged by the hub"
             + (f", {counts.errors} with errors (see `mcdesk evidence list --queued`)" if counts.errors else ""))
    return 0


def _summary(row: OutboxRow) -> dict[str, Any]:
    """What a person wants to see of a record (read from its payload, not verified: `verify` does that)."""
    import base64
    import json

    try:
        body = row.jws.split(".")[1]
        payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        activity, verb, result = payload["activity"]["id"], payload["verb"], payload["result"]
    except (ValueError, KeyError, TypeError, IndexError):
        activity, verb, result = "?", "?", {}
    state = "acknowledged" if row.acked_at else "queued"
    return {"seq": row.seq, "evidence_id": row.evidence_id, "kind": row.kind, "activity": activity, "verb": verb,
            "scaled": result.get("scaled") if isinstance(result, dict) else None, "learner_id": row.learner_id,
            "created_at": row.created_at, "state": state, "acked_at": row.acked_at, "ack_status": row.ack_status,
            "last_error": row.last_error, "record_hash": row.record_hash}


def evidence_list(args: argparse.Namespace, out: Output) -> int:
    from mcdesk.evidence.outbox import records

    with opened(args) as (_, store):
        rows = [_summary(r) for r in records(store, queued_only=args.queued, limit=args.limit)]
    if out.json_mode:
        out.json(rows)
        return 0
    if not rows:
        out.line("No queued evidence records." if args.queued else
                 "No evidence records yet: they are made when a learner completes a lesson, a quiz or a credential.")
    for r in rows:
        score = f" {r['scaled']:.0%}" if isinstance(r["scaled"], int | float) else ""
        state = f"acknowledged ({r['ack_status']})" if r["acked_at"] else "queued"
        if r["last_error"]:
            state += f" — last error: {r['last_error']}"
        out.line(f"{r['seq']:>6}  {r['created_at']}  {r['kind']:10} {r['activity'][:40]:40} {r['verb']}{score}  "
                 f"{state}")
    return 0
