"""Issued credentials on the laptop without a hub: credential, revocation and issuer-key items applied as
the feed and the USB reply apply them, the wallet's states, status lists, export, and `credential verify`.

The institution here is made in the test with real keys (an Ed25519 root key, RSA issuer keys) and the
shared format modules; the round trip through the real hub is in tests/sync/test_credentials_sync.py.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mcdesk.cli import main
from mcdesk.credentials import ob3, statuslist
from mcdesk.credentials.device import (
    ISSUER_KEYS_TYP,
    STATUS_LIST_REASON,
    get_credential,
    pinned_issuer_keys,
    read_status_list,
)
from mcdesk.credentials.export import export_json, qr_matrix, qr_payload, read_token, verify_file
from mcdesk.credentials.jwk import rsa_public_jwk
from mcdesk.credentials.vcjwt import sign_vc_jwt
from mcdesk.errors import CredentialError
from mcdesk.evidence.jcs import canonical
from mcdesk.evidence.jws import sign_compact
from mcdesk.keys import b64url, key_id, raw_public
from mcdesk.learning.credentials import learner_record, wallet
from mcdesk.learning.progress import add_learner
from mcdesk.packs.install import PackManager
from mcdesk.store.db import Store
from mcdesk.sync.client import FeedOutcome, apply_feed
from tests.credentials.keys import tampered
from tests.sync.test_credentials_sync import pass_credential

PACK = "org.example.test"
REF = f"{PACK}/test-cred"
HUB = "https://hub.example.org"


@pytest.fixture(scope="module")
def issuer_keys() -> list[rsa.RSAPrivateKey]:
    """Two RSA-2048 issuer keys (the second for rotations), made once for the module."""
    return [rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(2)]


class Institution:
    """A test institution: its root Ed25519 key (pinned at enrolment) and its RSA issuer keys."""

    def __init__(self, keys: list[rsa.RSAPrivateKey]) -> None:
        self.root = Ed25519PrivateKey.generate()
        self.root_kid = key_id(self.root.public_key())
        self.keys = keys
        self.cursor = 0

    def jwk(self, n: int = 0) -> dict[str, Any]:
        return rsa_public_jwk(self.keys[n].public_key())

    def root_jwk(self) -> dict[str, Any]:
        return {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw_public(self.root.public_key())), "kid": self.root_kid}

    def credential(self, learner: str, ref: str = REF, *, key: int = 0, index: int | None = None,
                   name: str = "Test credential") -> tuple[str, str]:
        """(credential id, VC-JWT) of an OpenBadgeCredential for the device-local ``learner`` uuid."""
        credential_id = f"urn:uuid:{uuid.uuid4()}"
        achievement = ob3.build_achievement(f"{HUB}/ob/v3p0/achievements/{ref}", name=name,
                                            description="Passed the test pack.", narrative="Do everything.",
                                            skills=[{"name": "Testing"}], hours=1)
        status = statuslist.entry(f"{HUB}/ob/v3p0/status/1", index) if index is not None else None
        credential = ob3.build_credential(
            credential_id=credential_id, issuer=ob3.issuer_profile(f"{HUB}/ob/v3p0/issuer", "Test Institute"),
            subject_id=f"urn:uuid:{uuid.uuid4()}", achievement=achievement, valid_from=ob3.timestamp(),
            credential_status=status)
        return credential_id, sign_vc_jwt(self.keys[key], self.jwk(key)["kid"], credential)

    def item(self, kind: str, body: dict[str, Any]) -> dict[str, Any]:
        self.cursor += 1
        return {"cursor": self.cursor, "kind": kind, "body": body}

    def credential_item(self, credential_id: str, jwt: str, learner: str, ref: str = REF) -> dict[str, Any]:
        return self.item("credential", {"credential_id": credential_id, "ref": ref, "learner": learner, "jwt": jwt,
                                        "issued": ob3.timestamp()})

    def keys_item(self, keys: list[dict[str, Any]], signer: Ed25519PrivateKey | None = None,
                  typ: str = ISSUER_KEYS_TYP) -> dict[str, Any]:
        jws = sign_compact(signer or self.root, self.root_kid, canonical({"keys": keys}), typ)
        return self.item("issuer_keys", {"jws": jws})

    def status_list(self, revoked: list[int], key: int = 0) -> str:
        bits = statuslist.new_bits()
        for index in revoked:
            statuslist.set_bit(bits, index)
        issuer = ob3.issuer_profile(f"{HUB}/ob/v3p0/issuer", "Test Institute")
        listed = statuslist.list_credential(f"{HUB}/ob/v3p0/status/1", issuer, ob3.timestamp(), bytes(bits))
        return sign_vc_jwt(self.keys[key], self.jwk(key)["kid"], listed)


@pytest.fixture
def institution(issuer_keys: list[rsa.RSAPrivateKey], store: Store) -> Institution:
    """The laptop is enrolled with the test institution: its root key and first issuer key are pinned
    (as `mcdesk enrol` pins them from the hub's answer)."""
    from mcdesk.credentials.device import pin_issuer_keys

    inst = Institution(issuer_keys)
    with store.transaction() as conn:
        conn.execute("INSERT INTO enrolment (id, hub_url, device_id, device_name, institution, institution_keys,"
                     " enrolled_at) VALUES (1, ?, 'x', 'lab-1', ?, ?, '2030-01-01T00:00:00Z')",
                     (HUB, json.dumps({"id": "test-institute", "name": "Test Institute"}),
                      json.dumps([inst.root_jwk()])))
        pin_issuer_keys(conn, {"keys": [inst.jwk(0)]})
    return inst


@pytest.fixture
def earned(manager: PackManager, store: Store, make_pack: Callable[..., Path]) -> tuple[int, str]:
    """A learner who has earned the test credential on this laptop: (learner id, learner uuid)."""
    manager.install(make_pack())
    learner = pass_credential(manager, store)
    return learner, store.one("SELECT uuid FROM learners WHERE id = ?", (learner,))["uuid"]


def apply(store: Store, inst: Institution, *items: dict[str, Any]) -> FeedOutcome:
    with store.transaction() as conn:
        return apply_feed(conn, items, [inst.root_jwk()])


def entry(store: Store, learner: int, ref: str = REF) -> Any:
    return next(e for e in wallet(store, learner) if e.ref == ref)


# --- credentials arriving ------------------------------------------------------------------------


def test_an_earned_credential_awaits_verification_until_the_issued_one_arrives_and_verifies(
        store: Store, institution: Institution, earned: tuple[int, str]) -> None:
    learner, learner_uuid = earned
    before = entry(store, learner)
    assert before.status == "awaiting_verification" and not before.verified and before.credential_id is None
    credential_id, jwt = institution.credential(learner_uuid)
    outcome = apply(store, institution, institution.credential_item(credential_id, jwt, learner_uuid))
    assert (outcome.credentials, outcome.invalid, outcome.problems) == (1, 0, [])
    after = entry(store, learner)
    assert after.status == "issued" and after.verified
    assert after.credential_id == credential_id and after.issued_at and after.earned_at == before.earned_at
    assert after.status_checked_at is None and after.status_reason is None
    assert store.one("SELECT status FROM earned_credentials WHERE learner_id = ?", (learner,))["status"] == "issued"


def test_a_tampered_credential_is_kept_invalid_with_the_reason_and_never_shown_as_verified(
        store: Store, institution: Institution, earned: tuple[int, str], tmp_path: Path) -> None:
    learner, learner_uuid = earned
    credential_id, jwt = institution.credential(learner_uuid)
    outcome = apply(store, institution, institution.credential_item(credential_id, tampered(jwt), learner_uuid))
    assert (outcome.credentials, outcome.invalid) == (0, 1)
    assert "does not verify" in outcome.problems[0]
    shown = entry(store, learner)
    assert shown.status == "invalid" and not shown.verified
    assert "bad_signature" in shown.status_reason
    assert store.one("SELECT status FROM earned_credentials")["status"] == "awaiting_verification"
    with pytest.raises(CredentialError, match="did not verify"):
        export_json(store, credential_id, tmp_path)


def test_a_genuine_copy_replaces_an_invalid_one_and_a_tampered_copy_never_replaces_a_valid_one(
        store: Store, institution: Institution, earned: tuple[int, str]) -> None:
    learner, learner_uuid = earned
    credential_id, jwt = institution.credential(learner_uuid)
    apply(store, institution, institution.credential_item(credential_id, tampered(jwt), learner_uuid))
    apply(store, institution, institution.credential_item(credential_id, jwt, learner_uuid))
    assert entry(store, learner).status == "issued"
    outcome = apply(store, institution, institution.credential_item(credential_id, tampered(jwt), learner_uuid))
    assert (outcome.credentials, outcome.invalid) == (0, 0)
    assert get_credential(store, credential_id).jwt == jwt and entry(store, learner).verified


def test_the_same_items_applied_twice_change_nothing(store: Store, institution: Institution,
                                                     earned: tuple[int, str]) -> None:
    learner, learner_uuid = earned
    credential_id, jwt = institution.credential(learner_uuid)
    items = [institution.credential_item(credential_id, jwt, learner_uuid),
             institution.item("revocation", {"credential_id": credential_id, "reason": "Issued in error",
                                             "revoked": ob3.timestamp()})]
    first = apply(store, institution, *items)
    dump = list(store.conn.iterdump())
    second = apply(store, institution, *items)
    assert (first.credentials, first.revoked) == (1, 1)
    assert (second.credentials, second.invalid, second.revoked) == (0, 0, 0)
    assert list(store.conn.iterdump()) == dump


def test_a_credential_for_a_learner_not_on_this_laptop_is_kept_without_a_learner(
        store: Store, institution: Institution) -> None:
    credential_id, jwt = institution.credential("no-such-learner")
    apply(store, institution, institution.credential_item(credential_id, jwt, "no-such-learner"))
    held = get_credential(store, credential_id)
    assert held.learner_id is None and held.verified


def test_an_issued_credential_not_earned_here_shows_in_the_wallet_with_its_achievement(
        store: Store, institution: Institution) -> None:
    learner = add_learner(store, "Kofi")
    learner_uuid = store.one("SELECT uuid FROM learners WHERE id = ?", (learner,))["uuid"]
    credential_id, jwt = institution.credential(learner_uuid, "org.other.pack/elsewhere", name="Earned elsewhere")
    apply(store, institution, institution.credential_item(credential_id, jwt, learner_uuid, "org.other.pack/elsewhere"))
    [shown] = wallet(store, learner)
    assert (shown.title, shown.status, shown.earned_at, shown.credential_id) == (
        "Earned elsewhere", "issued", None, credential_id)


# --- revocation ------------------------------------------------------------------------------------


def test_a_revocation_reaches_the_wallet_with_its_reason_and_the_credential_stops_counting(
        store: Store, institution: Institution, earned: tuple[int, str]) -> None:
    learner, learner_uuid = earned
    credential_id, jwt = institution.credential(learner_uuid)
    apply(store, institution, institution.credential_item(credential_id, jwt, learner_uuid))
    outcome = apply(store, institution, institution.item(
        "revocation", {"credential_id": credential_id, "reason": "Exam irregularity", "revoked": ob3.timestamp()}))
    assert outcome.revoked == 1
    shown = entry(store, learner)
    assert shown.status == "revoked" and not shown.verified and shown.status_reason == "Exam irregularity"
    with store.transaction() as conn:
        assert REF not in learner_record(conn, learner).held


def test_a_status_list_with_the_bit_set_revokes_and_records_when_it_was_checked(
        store: Store, institution: Institution, earned: tuple[int, str]) -> None:
    from mcdesk.credentials.device import apply_status_list, status_entries

    learner, learner_uuid = earned
    credential_id, jwt = institution.credential(learner_uuid, index=4321)
    apply(store, institution, institution.credential_item(credential_id, jwt, learner_uuid))
    lists = status_entries(store)
    assert lists == {f"{HUB}/ob/v3p0/status/1": [(credential_id, 4321)]}
    url = f"{HUB}/ob/v3p0/status/1"
    clear = read_status_list(institution.status_list([7]), pinned_issuer_keys(store), url)
    with store.transaction() as conn:
        assert apply_status_list(conn, lists[url], clear, "2031-01-01T00:00:00Z") == (1, 0)
    assert (entry(store, learner).status, entry(store, learner).status_checked_at) == ("issued", "2031-01-01T00:00:00Z")
    revoked = read_status_list(institution.status_list([4321]), pinned_issuer_keys(store), url)
    with store.transaction() as conn:
        assert apply_status_list(conn, lists[url], revoked, "2031-01-02T00:00:00Z") == (1, 1)
    shown = entry(store, learner)
    assert (shown.status, shown.status_reason, shown.status_checked_at) == (
        "revoked", STATUS_LIST_REASON, "2031-01-02T00:00:00Z")


def test_a_status_list_not_signed_by_a_pinned_issuer_key_is_refused(store: Store, institution: Institution) -> None:
    with pytest.raises(CredentialError, match="does not verify") as caught:
        read_status_list(institution.status_list([1], key=1), pinned_issuer_keys(store), f"{HUB}/ob/v3p0/status/1")
    assert caught.value.code == "bad_status_list"


def test_a_status_list_for_another_address_is_refused(store: Store, institution: Institution) -> None:
    with pytest.raises(CredentialError, match="not the revocation status list"):
        read_status_list(institution.status_list([]), pinned_issuer_keys(store), f"{HUB}/ob/v3p0/status/2")


# --- issuer keys -----------------------------------------------------------------------------------


def test_a_rotated_issuer_key_is_accepted_through_the_root_signed_key_list_and_its_credentials_verify(
        store: Store, institution: Institution, earned: tuple[int, str]) -> None:
    learner, learner_uuid = earned
    credential_id, jwt = institution.credential(learner_uuid, key=1)  # signed with a key not pinned yet
    apply(store, institution, institution.credential_item(credential_id, jwt, learner_uuid))
    assert entry(store, learner).status == "invalid" and "unknown_kid" in entry(store, learner).status_reason
    outcome = apply(store, institution, institution.keys_item([institution.jwk(0), institution.jwk(1)]))
    assert (outcome.issuer_keys, outcome.problems) == (1, [])
    assert {k["kid"] for k in pinned_issuer_keys(store)} == {institution.jwk(0)["kid"], institution.jwk(1)["kid"]}
    assert entry(store, learner).status == "issued"  # checked again once the key arrived


@pytest.mark.parametrize("forgery", ["other signer", "wrong typ", "altered payload", "no jws"])
def test_a_forged_issuer_keys_item_is_refused_and_pins_nothing(store: Store, institution: Institution,
                                                               forgery: str) -> None:
    keys = [institution.jwk(0), institution.jwk(1)]
    if forgery == "other signer":
        item = institution.keys_item(keys, signer=Ed25519PrivateKey.generate())
    elif forgery == "wrong typ":
        item = institution.keys_item(keys, typ="mcdesk-sync-reply+jws")
    elif forgery == "altered payload":
        item = institution.keys_item([institution.jwk(0)])
        head, _payload, sig = item["body"]["jws"].split(".")
        item["body"]["jws"] = ".".join([head, b64url(canonical({"keys": keys})), sig])
    else:
        item = institution.item("issuer_keys", {})
    before = pinned_issuer_keys(store)
    outcome = apply(store, institution, item)
    assert outcome.issuer_keys == 0 and "issuer-keys update was refused" in outcome.problems[0]
    assert pinned_issuer_keys(store) == before


def test_an_issuer_key_not_named_by_its_thumbprint_is_refused(store: Store, institution: Institution) -> None:
    renamed = dict(institution.jwk(1), kid="my-own-name")
    outcome = apply(store, institution, institution.keys_item([renamed]))
    assert outcome.issuer_keys == 0 and "thumbprint" in outcome.problems[0]


# --- export and the QR payload ------------------------------------------------------------------------


@pytest.fixture
def issued(store: Store, institution: Institution, earned: tuple[int, str]) -> str:
    learner, learner_uuid = earned
    credential_id, jwt = institution.credential(learner_uuid, index=99)
    apply(store, institution, institution.credential_item(credential_id, jwt, learner_uuid))
    return credential_id


def test_the_json_export_holds_the_vc_jwt_its_decoded_credential_and_the_issuer_keys(
        store: Store, issued: str, tmp_path: Path) -> None:
    path = export_json(store, issued, tmp_path)
    assert path.parent == tmp_path and path.name.startswith("test-credential-") and path.name.endswith(".json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["type"] == "mcdesk.credential-export" and doc["credential_id"] == issued
    assert doc["credential"]["id"] == issued and doc["credential"]["type"] == ["VerifiableCredential",
                                                                             "OpenBadgeCredential"]
    assert doc["jwt"] == get_credential(store, issued).jwt and read_token(path) == doc["jwt"]
    assert doc["issuer_jwks"]["keys"] == pinned_issuer_keys(store)
    assert doc["jwks_url"] == f"{HUB}/.well-known/jwks.json"
    assert verify_file(path, pinned_issuer_keys(store), "pinned").credential["id"] == issued
    assert not list(tmp_path.glob(".*.part"))


def test_the_qr_payload_is_the_hubs_verification_link_and_encodes_as_a_square_matrix(store: Store, issued: str) -> None:
    payload = qr_payload(store, issued)
    assert payload == f"{HUB}/ob/v3p0/credentials/{issued.removeprefix('urn:uuid:')}"
    matrix = qr_matrix(payload)
    assert len(matrix) == len(matrix[0]) > 21 and any(any(row) for row in matrix)


def test_exporting_an_unknown_credential_or_into_a_missing_folder_is_refused(store: Store, issued: str,
                                                                              tmp_path: Path) -> None:
    with pytest.raises(CredentialError, match="no issued credential"):
        export_json(store, "urn:uuid:nope", tmp_path)
    with pytest.raises(CredentialError, match="not a folder"):
        export_json(store, issued, tmp_path / "missing")


# --- `mcdesk credential verify` ----------------------------------------------------------------------


def verify_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["credential", "verify", *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_verify_accepts_an_exported_credential_with_the_laptops_pinned_keys(
        store: Store, issued: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = export_json(store, issued, tmp_path)
    code, text = verify_cli(capsys, str(path))
    assert code == 0 and "✓ Valid: 'Test credential'" in text and "pinned issuer keys" in text
    code, text = verify_cli(capsys, str(path), "--json")
    assert code == 0 and json.loads(text)["ok"] is True and json.loads(text)["credential_id"] == issued


def test_verify_refuses_an_edited_export_and_says_the_signature_does_not_match(
        store: Store, issued: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = export_json(store, issued, tmp_path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["jwt"] = tampered(doc["jwt"])
    path.write_text(json.dumps(doc), encoding="utf-8")
    code, text = verify_cli(capsys, str(path))
    assert code == 1 and "✗ Not valid" in text and "signature" in text.lower()
    code, text = verify_cli(capsys, str(path), "--json")
    assert code == 1 and json.loads(text)["code"] == "bad_signature"


def test_verify_with_a_jwks_file_of_other_keys_says_the_key_is_unknown(
        store: Store, issued: str, institution: Institution, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = export_json(store, issued, tmp_path)
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [institution.jwk(1)]}), encoding="utf-8")
    code, text = verify_cli(capsys, str(path), "--jwks", str(jwks), "--json")
    assert code == 1 and json.loads(text)["code"] == "unknown_kid"
    jwks.write_text(json.dumps({"keys": [institution.jwk(0)]}), encoding="utf-8")
    code, text = verify_cli(capsys, str(path), "--jwks", str(jwks))
    assert code == 0 and str(jwks) in text


def test_verify_says_a_credential_this_laptop_knows_was_revoked(
        store: Store, issued: str, institution: Institution, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = export_json(store, issued, tmp_path)
    apply(store, institution, institution.item("revocation", {"credential_id": issued, "reason": "Issued in error"}))
    code, text = verify_cli(capsys, str(path))
    assert code == 1 and "revoked" in text and "Issued in error" in text


def test_verify_without_pinned_keys_or_jwks_says_where_to_get_keys(
        store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    token = tmp_path / "c.jwt"
    token.write_text("a.b.c", encoding="utf-8")
    code, text = verify_cli(capsys, str(token))
    assert code == 1 and "no issuer keys" in text and "--jwks" in text


@pytest.mark.parametrize("content", ["", "{not json", '{"jwt": 5}', "only-one-part"])
def test_verify_refuses_a_file_that_is_not_a_credential(store: Store, institution: Institution, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str], content: str) -> None:
    path = tmp_path / "thing.json"
    path.write_text(content, encoding="utf-8")
    code, text = verify_cli(capsys, str(path))
    assert code == 1 and "✗ Not valid" in text


def test_verify_of_a_missing_file_exits_1_and_bad_usage_exits_2(store: Store, institution: Institution,
                                                                tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, text = verify_cli(capsys, str(tmp_path / "missing.json"))
    assert code == 1 and "cannot be read" in text
    with pytest.raises(SystemExit) as usage:
        main(["credential", "verify"])
    assert usage.value.code == 2
