"""The `mcdesk credential` commands: verify an exported credential offline, list and export issued ones."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mcdesk.cli.output import Output


def add_parsers(sub: Any) -> None:
    """``mcdesk credential verify FILE [--jwks FILE_OR_URL]``, ``credential list``, ``credential export``."""
    cred = sub.add_parser("credential", help="verify, list and export issued credentials")
    actions = type(sub)(cred.add_subparsers(dest="credential_command", metavar="ACTION", required=True), sub.common)
    p = actions.add_parser(
        "verify", help="verify an exported credential offline and say why it fails",
        description="Check an exported credential (the .credential.json file mcdesk writes, or a bare VC-JWT) "
        "offline: its RS256 signature against the issuer keys this laptop pinned at enrolment (or the JWK Set "
        "given with --jwks), its dates and claims, and whether this laptop knows it to be revoked. "
        "Exit code 0 when it is valid, 1 when it is not.")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--jwks", metavar="FILE_OR_URL",
                   help="the issuer's JWK Set (a file, or the hub's https://.../.well-known/jwks.json) instead "
                   "of this laptop's pinned keys")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func="credential:verify")

    p = actions.add_parser("list", help="issued credentials on this laptop and their status")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(func="credential:list_issued")

    p = actions.add_parser("export", help="export an issued credential as JSON (and its QR code as PNG)",
                           description="Write CREDENTIAL_ID.credential.json (the VC-JWT, the decoded credential and "
                           "the issuer keys) and a QR code PNG carrying its verification link into DIR.")
    p.add_argument("credential_id", metavar="CREDENTIAL_ID")
    p.add_argument("--out", required=True, metavar="DIR", help="folder to write the files into")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func="credential:export")


def _keys(args: argparse.Namespace) -> tuple[list[dict[str, Any]], str, Any]:
    """(issuer keys, where they came from, the laptop's store or None)."""
    import json
    from pathlib import Path

    from mcdesk.credentials.jwk import keys_of
    from mcdesk.errors import CredentialError

    source = args.jwks
    if source:
        if source.startswith(("http://", "https://")):
            from mcdesk.sync.client import fetch_document

            text, where = fetch_document(source), source
        else:
            try:
                text, where = Path(source).read_text(encoding="utf-8"), str(source)
            except (OSError, UnicodeDecodeError) as exc:
                raise CredentialError(f"The key set {source} cannot be read ({exc}).",
                                      "Give the JWK Set file or the hub's /.well-known/jwks.json URL.",
                                      code="bad_key") from exc
        try:
            doc = json.loads(text)
        except ValueError as exc:
            raise CredentialError(f"The key set {where} is not JSON.",
                                  "Give the JWK Set the hub publishes at /.well-known/jwks.json.",
                                  code="bad_key") from exc
        return keys_of(doc), where, None
    from mcdesk.credentials.device import pinned_issuer_keys
    from mcdesk.home import Home
    from mcdesk.store.db import open_store

    store = open_store(Home.open(args.home))
    keys = pinned_issuer_keys(store)
    if not keys:
        store.close()
        raise CredentialError("This laptop has no issuer keys to check credentials with (it is not enrolled).",
                              "Give the institution's key set: --jwks https://HUB/.well-known/jwks.json (or a file).",
                              code="unknown_kid")
    return keys, "this laptop's pinned issuer keys", store


def verify(args: argparse.Namespace, out: Output) -> int:
    from pathlib import Path

    from mcdesk.credentials.export import verify_file
    from mcdesk.errors import CredentialError

    store = None
    try:
        keys, where, store = _keys(args)
        result = verify_file(Path(args.file), keys, where)
        known = _local_status(store, str(result.credential.get("id") or ""))
        if known is not None and known.status == "revoked":
            raise CredentialError(f"The credential is genuine but was revoked by the institution: "
                                  f"{known.status_reason or 'no reason given'}.",
                                  "A revoked credential no longer counts.", code="revoked")
    except CredentialError as exc:
        return _refused(out, args.file, exc)
    finally:
        if store is not None:
            store.close()
    credential = result.credential
    from mcdesk.credentials.ob3 import issuer_id, subject_id

    issuer = credential.get("issuer")
    issuer_name = issuer.get("name") if isinstance(issuer, dict) else None
    facts = {"ok": True, "file": str(args.file), "credential_id": credential.get("id"), "name": result.name,
             "issuer": issuer_id(credential), "issuer_name": issuer_name, "subject": subject_id(credential),
             "valid_from": credential.get("validFrom"), "valid_until": credential.get("validUntil"),
             "kid": result.kid, "keys_from": result.keys_from,
             "revocation": "checked on this laptop" if known is not None and known.status_checked_at else "not checked"}
    if out.json_mode:
        out.json(facts)
        return 0
    out.line(f"✓ Valid: {result.name!r}, issued by {issuer_name or facts['issuer']} on {facts['valid_from']}")
    out.line(f"  Credential: {facts['credential_id']}")
    out.line(f"  Subject:    {facts['subject']}")
    out.line(f"  Signed by issuer key {result.kid[:16]}… ({result.keys_from})")
    if known is not None and known.status_checked_at:
        out.line(f"  Not revoked as of {known.status_checked_at} (the hub's status list).")
    return 0


def _local_status(store: Any, credential_id: str) -> Any:
    if store is None or not credential_id:
        return None
    from mcdesk.credentials.device import get_credential

    return get_credential(store, credential_id)


def _refused(out: Output, file: str, exc: Any) -> int:
    if out.json_mode:
        out.json({"ok": False, "file": str(file), "code": exc.code, "error": exc.message, "hint": exc.hint})
    else:
        out.line(f"✗ Not valid: {exc.message}")
        if exc.hint:
            out.line(f"  {exc.hint}")
    return 1


def list_issued(args: argparse.Namespace, out: Output) -> int:
    from mcdesk.home import Home
    from mcdesk.store.db import open_store

    with open_store(Home.open(args.home)) as store:
        rows = store.query("SELECT i.credential_id, i.ref, i.status, i.status_reason, i.issued_at, "
                           "i.status_checked_at, l.name AS learner FROM issued_credentials i "
                           "LEFT JOIN learners l ON l.id = i.learner_id ORDER BY i.received_at, i.credential_id")
    items = [dict(row) for row in rows]
    if out.json_mode:
        out.json(items)
        return 0
    if not items:
        out.line("No issued credentials on this laptop yet.")
    for item in items:
        why = f" ({item['status_reason']})" if item["status_reason"] else ""
        out.line(f"{item['credential_id']}  {item['ref']}  {item['learner'] or '-'}  {item['status']}{why}")
    return 0


def export(args: argparse.Namespace, out: Output) -> int:
    from pathlib import Path

    from mcdesk.credentials.export import export_json, qr_payload, write_qr_png
    from mcdesk.home import Home
    from mcdesk.store.db import open_store

    with open_store(Home.open(args.home)) as store:
        path = export_json(store, args.credential_id, Path(args.out))
        qr = write_qr_png(qr_payload(store, args.credential_id), path.with_name(path.name.replace(".json", ".qr.png")))
    if out.json_mode:
        out.json({"json": str(path), "qr": str(qr)})
        return 0
    out.line(f"Wrote {path}")
    out.line(f"Wrote {qr}")
    return 0
