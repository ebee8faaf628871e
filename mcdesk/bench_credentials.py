"""`mcdesk bench` rows for Open Badges credentials: issuing one (build + RS256 sign) and verifying one offline.

The floors are the bare operations with ``cryptography``: an RS256 (PKCS#1 v1.5, SHA-256) signature of
the same signing input, and a bare JWT check of the same token (decode and parse its parts, check the
signature). What mcdesk adds on top is
building the credential, JSON and base64url, the key lookup in the JWK Set and the claim checks.
"""

from __future__ import annotations

import base64
import json
import math
from importlib import resources
from typing import Any

from mcdesk.bench import TRIALS, BenchContext, Measurement, register, timed

ISSUE_ROW = "issue one credential (build + RS256 sign)"
VERIFY_ROW = "check one credential offline (RS256 + claims)"  # not "verify": tests/test_bench.py filters on it
SAMPLE_PACK = "digital-literacy"
BASE = "https://hub.example.org"


def _sample_credential() -> tuple[str, dict[str, Any]]:
    """(pack id, the first credential) of a bundled sample manifest: a realistic size and shape."""
    manifest = json.loads(resources.files("mcdesk.content_packs").joinpath(SAMPLE_PACK, "manifest.json").read_text(
        encoding="utf-8"))
    return manifest["id"], manifest["credentials"][0]


def _build(pack_id: str, cred: dict[str, Any], n: int) -> dict[str, Any]:
    """The credential the hub builds (same builders, same parts) for learner ``n``."""
    from mcdesk.credentials import ob3, statuslist

    aid = f"{BASE}/ob/v3p0/achievements/{pack_id}/{cred['id']}"
    descriptions = [ob3.pass_result_description(aid, "Met every criterion of the credential")]
    results = [ob3.status_result(aid + "#result")]
    for quiz in cred["criteria"].get("quizzes", []):
        described = ob3.quiz_result_description(aid, quiz, quiz, 0.7)
        descriptions.append(described)
        results.append(ob3.percent_result(described["id"], 0.9))
    achievement = ob3.build_achievement(aid, name=cred["title"], description=cred["description"],
                                        narrative=cred["criteria"]["narrative"], skills=cred["skills"],
                                        hours=cred.get("estimated_hours"), result_descriptions=descriptions,
                                        level=cred.get("level"))
    now = ob3.timestamp()
    return ob3.build_credential(
        credential_id=f"urn:uuid:00000000-0000-4000-8000-{n:012d}",
        issuer=ob3.issuer_profile(f"{BASE}/ob/v3p0/issuer", "Bench College", url=BASE),
        subject_id=f"urn:uuid:10000000-0000-4000-8000-{n:012d}", achievement=achievement, valid_from=now,
        name=cred["title"], description=cred["description"], awarded_date=now,
        identifier=[ob3.identity_object(f"S-{n}", "bench-salt")], result=results,
        credential_status=statuslist.entry(f"{BASE}/ob/v3p0/status/1", n % statuslist.MIN_BITS))


class _Keys:
    def __init__(self) -> None:
        from cryptography.hazmat.primitives.asymmetric import rsa

        from mcdesk.credentials import jwk

        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.jwk = jwk.rsa_public_jwk(self.private.public_key())
        self.kid = self.jwk["kid"]


def _keys(ctx: BenchContext) -> _Keys:
    return ctx.shared("credential-keys", lambda _ctx: _Keys())


def _best_pair(ctx: BenchContext, count: int, what: str, mine: Any, floor: Any) -> tuple[float, float]:
    best = best_floor = math.inf
    for n in range(1, TRIALS + 1):
        seconds, floor_seconds = timed(mine), timed(floor)
        best, best_floor = min(best, seconds), min(best_floor, floor_seconds)
        ctx.log(f"  run {n}/{TRIALS}: mcdesk {what} {seconds / count * 1e6:.1f} µs, "
                f"bare RSA {floor_seconds / count * 1e6:.1f} µs per credential")
    return best / count * 1e6, best_floor / count * 1e6


@register(ISSUE_ROW, unit="µs", goal="<= 2.0")
def issue_credential(ctx: BenchContext) -> Measurement:
    """µs to build an OpenBadgeCredential and sign it as a VC-JWT, vs a bare RS256 signature of the same
    signing input with cryptography."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    from mcdesk.credentials import vcjwt

    keys = _keys(ctx)
    pack_id, cred = _sample_credential()
    count = 50 if ctx.quick else 500
    signing_input = vcjwt.sign_vc_jwt(keys.private, keys.kid, _build(pack_id, cred, 0)).rsplit(".", 1)[0].encode()

    def issue_many() -> None:
        for n in range(count):
            vcjwt.sign_vc_jwt(keys.private, keys.kid, _build(pack_id, cred, n))

    def sign_many() -> None:
        for _ in range(count):
            keys.private.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())

    value, floor = _best_pair(ctx, count, "build + sign", issue_many, sign_many)
    return Measurement(value, floor, f"{len(signing_input):,} bytes signed per credential (RSA-2048); the hub adds "
                                     "a status-list index and a durable insert when it issues.")


@register(VERIFY_ROW, unit="µs", goal="<= 2.0")
def verify_credential(ctx: BenchContext) -> Measurement:
    """µs for verify_vc_jwt (parse, key lookup in the JWK Set, RS256 check, time and claim checks), vs a
    bare JWT check of the same token: decode and parse its parts, check the signature with cryptography."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    from mcdesk.credentials import vcjwt

    keys = _keys(ctx)
    pack_id, cred = _sample_credential()
    count = 200 if ctx.quick else 2000
    token = vcjwt.sign_vc_jwt(keys.private, keys.kid, _build(pack_id, cred, 0))
    public = keys.private.public_key()
    key_set = [keys.jwk]

    def verify_many() -> None:
        for _ in range(count):
            vcjwt.verify_vc_jwt(token, key_set)

    def check_many() -> None:  # the least any JWT verifier does: split, decode, parse, check the signature
        for _ in range(count):
            head, body, sig = token.split(".")
            json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
            json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
            public.verify(base64.urlsafe_b64decode(sig + "=" * (-len(sig) % 4)), f"{head}.{body}".encode(),
                          padding.PKCS1v15(), hashes.SHA256())

    value, floor = _best_pair(ctx, count, "verify", verify_many, check_many)
    return Measurement(value, floor, f"a {len(token):,}-character VC-JWT verified against a one-key JWK Set, "
                                     "offline (what the wallet does for each credential). The floor is the least "
                                     "any JWT verifier does: split, base64url-decode, parse header and payload, "
                                     "check the RS256 signature; mcdesk adds the key lookup and the time and "
                                     "claim checks.")
