"""The `mcdesk enrol` and `mcdesk sync` commands: enrol with the hub, sync now, status, USB bundles."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from mcdesk.cli.common import opened

if TYPE_CHECKING:
    from mcdesk.cli.output import Output


def add_parsers(sub: Any) -> None:
    """``mcdesk enrol URL --code CODE`` and ``mcdesk sync [status|export|import]``."""
    p = sub.add_parser("enrol", help="enrol this laptop with the institution's hub",
                       description="Enrol this laptop with the institution's hub, using a one-time code "
                       "from the institution. Its evidence is then sent there.")
    p.add_argument("url", metavar="URL", help="the hub's address, for example https://hub.example.org")
    p.add_argument("--code", required=True, help="the one-time enrolment code (ABCD-EFGH-JKLM)")
    p.add_argument("--name", help="the name the institution sees for this laptop (default: its host name)")
    p.add_argument("--force", action="store_true",
                   help="enrol with another institution even though evidence was already sent elsewhere")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func="sync:enrol_cmd")

    p = sub.add_parser("sync", help="send evidence to the hub now; status; USB-stick bundles",
                       description="Without an action: send every queued evidence record to the hub and "
                       "read its answers now.")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func="sync:sync_now")
    actions = type(sub)(p.add_subparsers(dest="sync_command", metavar="ACTION"), sub.common)
    q = actions.add_parser("status", help="queued and acknowledged records, last sync, errors")
    q.add_argument("--json", action="store_true", help="print the status as JSON")
    q.set_defaults(func="sync:sync_status")
    q = actions.add_parser("export", help="write queued evidence to a bundle on a USB stick",
                           description="Write every record the hub has not acknowledged to a .mcsync bundle "
                           "in DIR, for `mcdesk hub ingest` at the institution.")
    q.add_argument("folder", metavar="DIR")
    q.add_argument("--json", action="store_true", help="print the result as JSON")
    q.set_defaults(func="sync:sync_export")
    q = actions.add_parser("import", help="apply the hub's signed reply from a USB stick",
                           description="Check the institution's signature on a reply file and apply it "
                           "(acknowledgements).")
    q.add_argument("reply", metavar="REPLY")
    q.add_argument("--json", action="store_true", help="print the result as JSON")
    q.set_defaults(func="sync:sync_import")


def enrol_cmd(args: argparse.Namespace, out: Output) -> int:
    from mcdesk.sync.client import enrol

    with opened(args) as (home, store):
        result = enrol(home, store, args.url, args.code, args.name, force=args.force)
    if out.json_mode:
        out.json({"hub_url": result.hub_url, "device_id": result.device_id, "device_name": result.device_name,
                  "institution": result.institution, "enrolled_at": result.enrolled_at})
        return 0
    out.line(f"Enrolled with {result.institution_name} ({result.hub_url}).")
    out.line(f"Device id: {result.device_id}")
    return 0


def sync_now(args: argparse.Namespace, out: Output) -> int:
    from mcdesk.sync.client import sync

    with opened(args) as (home, store):
        reporter = out.reporter()
        try:
            report = sync(home, store, reporter)
        finally:
            reporter.close()
    if out.json_mode:
        out.json({"sent": report.sent, "accepted": report.accepted, "duplicate": report.duplicate,
                  "rejected": report.rejected, "acknowledged_from_feed": report.acked_from_feed,
                  "batches": report.batches, "retries": report.retries, "problems": report.problems})
    else:
        out.line(f"Sent {report.sent} record(s): {report.accepted} accepted, {report.duplicate} already at the "
                 f"hub, {report.rejected} refused.")
        for problem in report.problems:
            out.note(f"refused: {problem}")
    return 1 if report.rejected else 0


def sync_status(args: argparse.Namespace, out: Output) -> int:
    from mcdesk.sync.client import status

    with opened(args) as (_home, store):
        state = status(store)
    if out.json_mode:
        out.json(state.__dict__)
        return 0
    if state.enrolled:
        out.line(f"Enrolled with:  {state.institution_name} ({state.hub_url})")
    else:
        out.line("Enrolled with:  nobody yet (mcdesk enrol URL --code CODE)")
    out.line(f"Device id:      {state.device_id or 'not made yet'}")
    out.line(f"Records:        {state.total} ({state.queued} queued, {state.acked} acknowledged)")
    if state.errors:
        out.line(f"Refused:        {state.errors} record(s) refused by the hub")
    out.line(f"Last synced:    {state.last_success or 'never'}")
    if state.last_error:
        out.line(f"Last error:     {state.last_error}")
    return 0


def sync_export(args: argparse.Namespace, out: Output) -> int:
    from pathlib import Path

    from mcdesk.sync.client import export_bundle

    with opened(args) as (home, store):
        result = export_bundle(home, store, Path(args.folder))
    if out.json_mode:
        out.json({"path": str(result.path), "records": result.records})
        return 0
    out.line(f"Wrote {result.records} record(s) to {result.path}")
    out.line("Take it to the institution; bring back the reply and run `mcdesk sync import REPLY`.")
    return 0


def sync_import(args: argparse.Namespace, out: Output) -> int:
    from pathlib import Path

    from mcdesk.sync.client import import_reply

    with opened(args) as (home, store):
        result = import_reply(home, store, Path(args.reply))
    if out.json_mode:
        out.json({"acknowledged": result.acknowledged, "already": result.already, "rejected": result.rejected,
                  "problems": list(result.problems)})
    else:
        out.line(f"{result.acknowledged} record(s) acknowledged, {result.already} already were, "
                 f"{result.rejected} refused by the hub.")
        for problem in result.problems:
            out.note(f"refused: {problem}")
    return 1 if result.rejected else 0
