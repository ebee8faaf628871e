"""Exporting an issued credential (JSON: the VC-JWT, its decoded form and the issuer's keys), reading an
export back and verifying it offline, and the QR payload printed on certificates (the PDF is Qt's)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mcdesk.errors import CredentialError
from mcdesk.store.db import Store, utcnow

EXPORT_TYPE = "mcdesk.credential-export"
FORMAT = 1
SUFFIX = ".credential.json"
MAX_EXPORT_BYTES = 1024 * 1024
QR_MAX_JWT_CHARS = 1800  # beyond this a printed QR code is too dense to scan reliably
_SLUG = re.compile(r"[^a-z0-9]+")


def hub_base(credential: dict[str, Any] | None, fallback: str | None = None) -> str | None:
    """The public address of the issuing hub: the issuer id up to /ob/v3p0/ when it is an http(s) URL
    (the address the institution publishes), else ``fallback`` (the hub this laptop enrolled with)."""
    from mcdesk.credentials.ob3 import issuer_id

    issuer = issuer_id(credential or {}) or ""
    if issuer.startswith(("https://", "http://")) and "/ob/v3p0/" in issuer:
        return issuer[:issuer.index("/ob/v3p0/")]
    return fallback.rstrip("/") if fallback else None


def verification_link(credential: dict[str, Any], fallback: str | None = None) -> str | None:
    """``<hub>/ob/v3p0/credentials/<uuid>``: where the issuing hub shows the credential to a verifier."""
    base = hub_base(credential, fallback)
    credential_id = str(credential.get("id") or "")
    if not base or not credential_id:
        return None
    return f"{base}/ob/v3p0/credentials/{credential_id.removeprefix('urn:uuid:')}"


def jwks_link(credential: dict[str, Any], fallback: str | None = None) -> str | None:
    base = hub_base(credential, fallback)
    return f"{base}/.well-known/jwks.json" if base else None


def _enrolled_hub(store: Store) -> str | None:
    row = store.one("SELECT hub_url FROM enrolment WHERE id = 1")
    return row["hub_url"] if row else None


def _issued(store: Store, credential_id: str) -> Any:
    from mcdesk.credentials.device import INVALID, get_credential

    item = get_credential(store, credential_id)
    if item is None:
        raise CredentialError(f"There is no issued credential {credential_id!r} on this laptop.",
                              "Sync with the institution first; only issued credentials can be exported.",
                              code="unknown_credential")
    if item.status == INVALID or item.credential is None:
        raise CredentialError(f"The credential {credential_id!r} did not verify on this laptop "
                              f"({item.status_reason or 'no reason recorded'}), so it is not exported.",
                              "Sync again; if it stays invalid, tell the institution.", code="invalid")
    return item


def qr_payload(store: Store, credential_id: str) -> str:
    """What the certificate's QR code carries: the hub's verification link for the credential, or the
    VC-JWT itself when no hub address is known and the token is small enough to scan."""
    item = _issued(store, credential_id)
    link = verification_link(item.credential, _enrolled_hub(store))
    if link:
        return link
    if len(item.jwt) <= QR_MAX_JWT_CHARS:
        return item.jwt
    raise CredentialError("The credential names no hub address and is too long for a QR code.",
                          "Enrol the laptop with the institution's hub, then export again.", code="no_link")


def qr_matrix(payload: str) -> list[list[bool]]:
    """The QR code of ``payload`` as rows of dark (True) / light modules, quiet zone included, for a
    front end to draw (the PDF certificate)."""
    import segno

    code = segno.make_qr(payload, error="m")
    return [[bool(module) for module in row] for row in code.matrix_iter(scale=1, border=4)]


def write_qr_png(payload: str, path: Path, scale: int = 8) -> Path:
    """The QR code of ``payload`` as a PNG file (written whole, then renamed into place)."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make_qr(payload, error="m").save(buffer, kind="png", scale=scale, border=4)
    return _write_atomic(Path(path), buffer.getvalue())


def export_document(store: Store, credential_id: str) -> dict[str, Any]:
    """The export of one credential: the VC-JWT as issued, its decoded credential, the issuer keys
    (for convenience: a verifier should take keys from the institution, not from the file), links."""
    from mcdesk.credentials.device import pinned_issuer_keys

    item = _issued(store, credential_id)
    fallback = _enrolled_hub(store)
    return {
        "type": EXPORT_TYPE, "format": FORMAT, "credential_id": item.credential_id, "name": item.name,
        "jwt": item.jwt, "credential": item.credential,
        "issuer_jwks": {"keys": pinned_issuer_keys(store)},
        "jwks_url": jwks_link(item.credential, fallback),
        "verification_url": verification_link(item.credential, fallback),
        "status": {"status": item.status, "reason": item.status_reason, "checked_at": item.status_checked_at},
        "exported_at": utcnow(),
    }


def export_name(name: str, credential_id: str) -> str:
    slug = _SLUG.sub("-", name.lower()).strip("-")[:60] or "credential"
    tail = _SLUG.sub("", credential_id.removeprefix("urn:uuid:").lower())[:8] or "x"
    return f"{slug}-{tail}{SUFFIX}"


def export_json(store: Store, credential_id: str, folder: Path) -> Path:
    """Write the credential's export (``export_document``) into ``folder``; returns the file's path."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CredentialError(f"{folder} is not a folder.", "Give an existing folder to export the credential to.",
                              code="no_folder")
    document = export_document(store, credential_id)
    data = json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n"
    return _write_atomic(folder / export_name(document["name"], credential_id), data)


def _write_atomic(path: Path, data: bytes) -> Path:
    from mcdesk.files import write_atomic

    try:
        return write_atomic(path, data)
    except OSError as exc:
        raise CredentialError(f"{path} cannot be written ({exc.strerror or exc}).",
                              "Check that the folder is writable and has free space, then try again.",
                              code="write_failed") from exc


# --- reading an export back and verifying it ---------------------------------------------------------


@dataclass(frozen=True)
class Verified:
    """A credential that verified: what it says, and which key checked it."""

    credential: dict[str, Any]
    kid: str
    keys_from: str  # where the keys came from: "this laptop's pinned keys", a file, a URL

    @property
    def name(self) -> str:
        subject = self.credential.get("credentialSubject") or {}
        achievement = subject.get("achievement") if isinstance(subject, dict) else None
        return str((achievement or {}).get("name") or self.credential.get("name") or "")


def read_token(path: Path) -> str:
    """The VC-JWT in ``path``: an mcdesk export (JSON with "jwt"), a JSON {"jwt": ...}, or a bare token."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_EXPORT_BYTES + 1)
    except IsADirectoryError as exc:
        raise CredentialError(f"{path} is a folder, not a credential file.", code="unreadable") from exc
    except OSError as exc:
        raise CredentialError(f"{path} cannot be read ({exc.strerror or exc}).", "Check the path.",
                              code="unreadable") from exc
    if len(raw) > MAX_EXPORT_BYTES:
        raise CredentialError(f"{path.name} is larger than any exported credential.", code="malformed")
    try:
        text = raw.decode("utf-8").strip()
    except UnicodeDecodeError as exc:
        raise CredentialError(f"{path.name} is not a credential file (it is not text).", code="malformed") from exc
    if text.startswith("{"):
        try:
            doc = json.loads(text)
        except ValueError as exc:
            raise CredentialError(f"{path.name} is not readable JSON ({exc}).", "The file is damaged or was edited.",
                                  code="malformed") from exc
        token = doc.get("jwt") if isinstance(doc, dict) else None
        if not isinstance(token, str) or not token:
            raise CredentialError(f"{path.name} holds no VC-JWT (no \"jwt\" member).",
                                  "Give a file exported by mcdesk, or the VC-JWT itself.", code="malformed")
        return token.strip()
    return text


def verify_file(path: Path, jwks: list[dict[str, Any]], keys_from: str) -> Verified:
    """Verify the credential in ``path`` offline with ``jwks``; CredentialError saying why it fails."""
    from mcdesk.credentials.device import verify_token
    from mcdesk.credentials.vcjwt import decode_unverified

    token = read_token(path)
    credential = verify_token(token, jwks)
    header, _payload = decode_unverified(token)
    return Verified(credential=credential, kid=str(header.get("kid")), keys_from=keys_from)
