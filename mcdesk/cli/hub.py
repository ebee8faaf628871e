"""The `mcdesk hub` commands: run the institution hub and administer it (codes, devices, USB ingest)."""

from __future__ import annotations

import argparse
from typing import Any

from mcdesk.cli.output import Output
from mcdesk.errors import McdeskError

SHOW_REJECTED = 20
DATA_HELP = "hub data folder (default: MCDESK_HUB_DATA, else the user data folder 'mcdesk-hub')"


def add_parsers(sub: Any) -> None:
    """Add this family's parsers to sub (a _CommonSubparsers); commands are "hub:<function>"."""
    hub = sub.add_parser("hub", help="run and administer the institution hub (server side)",
                         description="The reference institution hub: enrolment, evidence intake, USB ingest.")
    hub_sub = hub.add_subparsers(dest="hub_command", metavar="ACTION", required=True)

    def command(name: str, func: str, help_text: str, description: str | None = None) -> argparse.ArgumentParser:
        p = hub_sub.add_parser(name, help=help_text, description=description or help_text)
        p.add_argument("--data", metavar="DIR", help=DATA_HELP)
        p.set_defaults(func=f"hub:{func}")
        return p

    p = command("serve", "hub_serve", "run the hub's HTTP API (FastAPI under uvicorn)",
                "Serve the hub until Ctrl-C or SIGTERM. Needs the hub extra: pip install 'mcdesk[hub]'.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port to listen on; 0 picks a free one (default: 8765)")

    p = command("init", "hub_init", "set the institution's name (and id) the hub speaks for",
                "Set the institution profile devices see at enrolment. Optional: the hub starts with a "
                "default name. The id cannot change once devices have enrolled.")
    p.add_argument("--name", required=True, help="the institution's name, as learners should see it")
    p.add_argument("--id", dest="inst_id", metavar="URL", help="the institution's id: an https URL or a URN")
    p.add_argument("--url", metavar="URL", help="the hub's public address, as devices should use it")
    p.add_argument("--json", action="store_true", help="print the profile as JSON")

    p = command("enrol-code", "hub_enrol_code", "make one-time enrolment codes",
                "Print one-time enrolment codes, one per line. Each works once; the hub keeps only "
                "their hashes, so write them down now.")
    p.add_argument("--count", type=int, default=1, metavar="N", help="how many codes (default: 1)")
    p.add_argument("--json", action="store_true", help="print the codes as JSON")

    p = command("devices", "hub_devices", "list enrolled devices")
    p.add_argument("--json", action="store_true", help="print the list as JSON")

    p = command("revoke-device", "hub_revoke_device", "stop accepting a device (its token then gets 403)")
    p.add_argument("device_id", metavar="DEVICE_ID", help="the device id, or its first 8+ characters")
    p.add_argument("--json", action="store_true", help="print the result as JSON")

    p = command("ingest", "hub_ingest", "take in a device's USB bundle and write the signed reply",
                "Apply the same checks as the HTTP intake to a .mcsync bundle and write the reply "
                "the device imports with `mcdesk sync import`.")
    p.add_argument("bundle", metavar="BUNDLE", help="the .mcsync file from `mcdesk sync export`")
    p.add_argument("-o", "--output", required=True, metavar="REPLY",
                   help="where to write the reply (a file, or a folder to put it in)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")

    p = command("publish", "hub_publish", "add a signed pack to the institution's catalog",
                "Check a .mcpack (archive, manifest, signature, every file's sha256), copy it into the hub's "
                "data folder and sign a new catalog version listing it. Whether a laptop trusts the "
                "pack's publisher stays its technician's decision.")
    p.add_argument("pack", metavar="PACK", nargs="?", help="the .mcpack file (from `mcdesk pack build`)")
    p.add_argument("--samples", action="store_true",
                   help="build the bundled sample packs with the hub's own sample key and publish those not "
                        "published yet (so the hub knows their credentials, e.g. for `mcdesk selftest --hub`)")
    p.add_argument("--valid-days", type=int, default=30, metavar="N",
                   help="days until the new catalog expires; laptops then fetch no new packs (default: 30)")
    p.add_argument("--force", action="store_true",
                   help="publish even if the version is not higher than the one published (rollback, rebuild)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")

    _add_issuer_parsers(command)


def _add_issuer_parsers(command: Any) -> None:
    p = command("credentials", "hub_credentials", "list the Open Badges credentials the hub issued",
                "List issued credentials: id, credential, learner, date and status (valid or revoked).")
    p.add_argument("--json", action="store_true", help="print the list as JSON (with each VC-JWT)")

    p = command("revoke", "hub_revoke", "revoke an issued credential",
                "Set the credential's bit in the hub's status list and tell the learner's laptops on their "
                "next sync. A revocation cannot be undone.")
    p.add_argument("credential_id", metavar="CREDENTIAL_ID", help="the credential id (urn:uuid:…) or its first 8+ "
                   "characters")
    p.add_argument("--reason", required=True, help="why, in a sentence the learner will see")
    p.add_argument("--json", action="store_true", help="print the result as JSON")

    p = command("issuer-key", "hub_issuer_key", "list or rotate the RSA keys credentials are signed with",
                "`list` shows the issuer keys; `rotate` makes a new active key. Retired keys stay published "
                "at /.well-known/jwks.json, so credentials issued earlier keep verifying.")
    p.add_argument("action", choices=["list", "rotate"], help="list the keys, or rotate to a new one")
    p.add_argument("--json", action="store_true", help="print the keys as JSON")


def _store(args: argparse.Namespace) -> Any:
    from mcdesk.hub.store import HubData, open_store

    data = HubData.open(args.data)
    return data, open_store(data)


def hub_serve(args: argparse.Namespace, out: Output) -> int:
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise McdeskError(f"The hub needs FastAPI and uvicorn, which are not installed ({exc.name} is missing).",
                          "Install the hub extra: pip install 'mcdesk[hub]'.") from exc
    from mcdesk.hub.serve import serve

    if not 0 <= args.port <= 65535:
        raise McdeskError(f"{args.port} is not a port number.", "Give --port between 1 and 65535 (0: any free one).")

    def announce(url: str) -> None:
        print(f"mcdesk hub serving at {url}  (API {url}/api/v1, docs {url}/docs; Ctrl-C stops)", flush=True)

    serve(args.data, args.host, args.port, announce)
    out.note("mcdesk hub stopped.")
    return 0


def hub_init(args: argparse.Namespace, out: Output) -> int:
    from mcdesk.hub.institution import init_institution

    data, store = _store(args)
    with store:
        inst = init_institution(store, data, args.name, args.inst_id, args.url)
    profile = {**inst.profile(), "kid": inst.kid, "data": str(data.root)}
    if out.json_mode:
        out.json(profile)
        return 0
    out.line(f"Institution: {inst.name}")
    out.line(f"  id:   {inst.id}")
    if inst.url:
        out.line(f"  url:  {inst.url}")
    out.line(f"  key:  {inst.kid}  ({data.key_path})")
    return 0


def hub_enrol_code(args: argparse.Namespace, out: Output) -> int:
    from mcdesk.hub.devices import new_codes
    from mcdesk.hub.institution import load_institution

    data, store = _store(args)
    with store:
        load_institution(store, data)  # a first command on a new hub sets it up
        codes = new_codes(store, args.count)
    if out.json_mode:
        out.json({"codes": codes})
        return 0
    for code in codes:
        out.line(code)
    out.note(f"{len(codes)} one-time code(s); each enrols one device. Only their hashes are kept: note them now.")
    return 0


def hub_devices(args: argparse.Namespace, out: Output) -> int:
    from mcdesk.hub.devices import list_devices

    _, store = _store(args)
    with store:
        devices = list_devices(store)
    if out.json_mode:
        out.json({"devices": devices})
        return 0
    if not devices:
        out.line("No devices are enrolled. Make a code with `mcdesk hub enrol-code`.")
        return 0
    for d in devices:
        state = f"REVOKED {d['revoked_at']}" if d["revoked_at"] else f"last seen {d['last_seen_at'] or 'never'}"
        out.line(f"{d['device_id']}  {d['name']}")
        out.line(f"    enrolled {d['enrolled_at']}, {d['records']} records (seq {d['held_seq']}), {state}")
    return 0


def hub_revoke_device(args: argparse.Namespace, out: Output) -> int:
    from mcdesk.hub.devices import revoke_device
    from mcdesk.hub.logs import close_logging, log_event, setup_logging

    data, store = _store(args)
    with store:
        device, changed = revoke_device(store, args.device_id)
    if changed:
        setup_logging(data.log_path, stderr=False)
        log_event("revoke", device_id=device.device_id)
        close_logging()
    if out.json_mode:
        out.json({**device.as_json(), "changed": changed})
        return 0
    if changed:
        out.line(f"Revoked {device.device_id} ({device.name}); its token now gets 403 and its evidence is refused.")
    else:
        out.line(f"{device.device_id} ({device.name}) was already revoked at {device.revoked_at}.")
    return 0


def hub_ingest(args: argparse.Namespace, out: Output) -> int:
    from pathlib import Path

    from mcdesk.hub.ingest import ingest_bundle

    report = ingest_bundle(args.data, Path(args.bundle), Path(args.output))
    if out.json_mode:
        out.json(report.as_json())
        return 0
    tally = report.as_json()
    out.line(f"Bundle from {report.device_name} ({report.device_id[:16]}…): {len(report.results)} records — "
             f"{tally['accepted']} accepted, {tally['duplicate']} duplicate, {tally['rejected']} rejected.")
    rejected = [r for r in report.results if r.status == "rejected"]
    for result in rejected[:SHOW_REJECTED]:
        out.line(f"  rejected seq {result.seq}: {result.reason}")
    if len(rejected) > SHOW_REJECTED:
        out.line(f"  … and {len(rejected) - SHOW_REJECTED} more rejected (see --json).")
    out.line(f"Reply written to {report.reply}; take it back to the laptop and run `mcdesk sync import`.")
    return 0


def hub_publish(args: argparse.Namespace, out: Output) -> int:
    from mcdesk.hub.logs import close_logging, log_event, setup_logging
    from mcdesk.hub.packs import publish, publish_samples

    if bool(args.pack) == bool(args.samples):
        raise McdeskError("Give either a .mcpack file or --samples.",
                          "For example: mcdesk hub publish digital-literacy-3.mcpack")
    data, store = _store(args)
    with store:
        if args.samples:
            packs, skipped = publish_samples(store, data, valid_days=args.valid_days)
        else:
            packs, skipped = [publish(store, data, args.pack, valid_days=args.valid_days, force=args.force)], []
    setup_logging(data.log_path, stderr=False)
    for pack in packs:
        log_event("publish", pack_id=pack.id, version=pack.version, sha256=pack.sha256,
                  catalog_version=pack.catalog_version)
    close_logging()
    if out.json_mode:
        out.json({"published": [p.as_json() for p in packs], "skipped": skipped} if args.samples
                 else packs[0].as_json())
        return 0
    for pack in packs:
        out.line(f"Published {pack.title} ({pack.id}) version {pack.version} ({pack.display_version}), "
                 f"{pack.length:,} bytes, sha256 {pack.sha256[:16]}…")
        out.line(f"  catalog version {pack.catalog_version}, valid {args.valid_days} days; "
                 f"laptops fetch it with `mcdesk pack fetch {pack.id}`.")
    for pack_id in skipped:
        out.line(f"{pack_id} is already published at this version or a newer one.")
    return 0


def hub_credentials(args: argparse.Namespace, out: Output) -> int:
    from mcdesk.hub.issuer import list_issued

    _, store = _store(args)
    with store:
        issued = list_issued(store)
    if out.json_mode:
        out.json({"credentials": [c.as_json(with_jwt=True) for c in issued]})
        return 0
    if not issued:
        out.line("No credentials have been issued yet.")
        return 0
    for c in issued:
        who = c.institution_id or f"learner {c.learner_uuid[:8]}"
        state = f"REVOKED {c.revoked_at}: {c.revoked_reason}" if c.revoked_at else "valid"
        out.line(f"{c.credential_id}  {c.ref}")
        out.line(f"    {who}, issued {c.issued_at}, {state}")
    return 0


def hub_revoke(args: argparse.Namespace, out: Output) -> int:
    from mcdesk.hub.issuer import revoke
    from mcdesk.hub.logs import close_logging, log_event, setup_logging

    data, store = _store(args)
    with store:
        credential, changed = revoke(store, args.credential_id, args.reason)
    if changed:
        setup_logging(data.log_path, stderr=False)
        log_event("revoke_credential", credential_id=credential.credential_id, ref=credential.ref)
        close_logging()
    if out.json_mode:
        out.json({**credential.as_json(), "changed": changed})
        return 0
    if changed:
        out.line(f"Revoked {credential.credential_id} ({credential.ref}); the status list shows it now and the "
                 "learner's laptops are told on their next sync.")
    else:
        out.line(f"{credential.credential_id} was already revoked at {credential.revoked_at} "
                 f"({credential.revoked_reason}).")
    return 0


def hub_issuer_key(args: argparse.Namespace, out: Output) -> int:
    from mcdesk.hub.institution import load_institution
    from mcdesk.hub.issuer import active_key, issuer_keys, rotate_key
    from mcdesk.hub.logs import close_logging, log_event, setup_logging

    data, store = _store(args)
    with store:
        load_institution(store, data)  # a first command on a new hub sets it up
        if args.action == "rotate":
            new, keys = rotate_key(store)
        else:
            active_key(store)
            keys = issuer_keys(store)
    if args.action == "rotate":
        setup_logging(data.log_path, stderr=False)
        log_event("issuer_key_rotate", kid=new.kid, keys=len(keys))
        close_logging()
    if out.json_mode:
        out.json({"keys": [k.as_json() for k in keys]})
        return 0
    if args.action == "rotate":
        out.line(f"New issuer key {new.kid} signs credentials from now on; {len(keys) - 1} earlier key(s) stay "
                 "published so credentials issued before keep verifying.")
    for k in keys:
        out.line(f"{k.kid}  {'active' if k.active else 'retired ' + str(k.retired_at)}  (made {k.created_at})")
    return 0
