"""Issued credentials back on the laptop through the real hub on 127.0.0.1: a learner passes, syncs, and
the wallet shows the credential verified offline (also through a USB reply); revocation at the hub
reaches the wallet; a tampered credential in the feed is kept invalid; issuer-key rotation arrives
root-signed and a forged key list is refused; `mcdesk credential verify` against the hub's JWK Set."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mcdesk.cli import main
from mcdesk.credentials.device import ISSUER_KEYS_TYP, STATUS_LIST_REASON, pinned_issuer_keys, verify_token
from mcdesk.credentials.export import export_json
from mcdesk.credentials.vcjwt import decode_unverified
from mcdesk.evidence.jcs import canonical
from mcdesk.evidence.jws import sign_compact
from mcdesk.home import Home
from mcdesk.learning.attempts import QuizEngine
from mcdesk.learning.credentials import wallet
from mcdesk.learning.progress import add_learner, mark_lesson_complete
from mcdesk.packs.build import build_pack
from mcdesk.packs.install import PackManager
from mcdesk.packs.quiz import correct_response
from mcdesk.store.db import Store
from mcdesk.sync.client import HubClient, enrol, export_bundle, import_reply, refresh_status, sync
from tests.conftest import built_test_pack
from tests.credentials.keys import tampered
from tests.hubproc import Hub, running_hub

PACK = "org.example.test"
REF = f"{PACK}/test-cred"


def publish_samples(hub: Hub, folder: Path) -> None:
    """Publish the bundled sample packs at the hub (signed with a key made here), as an institution would."""
    from mcdesk.packs.samples import sample_sources

    key = Ed25519PrivateKey.generate()
    for src in sample_sources():
        hub.cli("publish", str(build_pack(src, key, folder / f"{src.name}.mcpack").path))


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Ed25519PrivateKey]:
    """The test pack, built once: (its file, the publisher key the laptops trust)."""
    return built_test_pack(tmp_path_factory.mktemp("pack"))


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, published: tuple[Path, Ed25519PrivateKey]) -> Iterator[Hub]:
    with running_hub(tmp_path_factory.mktemp("hub")) as running:
        running.cli("publish", str(published[0]))
        yield running


@pytest.fixture
def laptop(manager: PackManager, published: tuple[Path, Ed25519PrivateKey]) -> PackManager:
    manager.trust.add(published[1].public_key(), "Test publisher")
    manager.install(published[0])
    return manager


def pass_credential(manager: PackManager, store: Store, name: str = "Ama") -> int:
    """A learner completes the lessons and passes the quiz with correct answers (the real quiz engine)."""
    learner = add_learner(store, name)
    for lesson in ("lesson-1", "lesson-2"):
        mark_lesson_complete(store, learner, PACK, lesson)
    engine = QuizEngine(manager)
    attempt = engine.start_or_resume(learner, PACK, "check")
    for shown in attempt.questions:
        engine.answer(attempt.id, shown.question.id, correct_response(shown.question))
    assert engine.finish(attempt.id).passed
    return learner


def entry(store: Store, learner: int) -> Any:
    return next(e for e in wallet(store, learner) if e.ref == REF)


def hub_jwks(hub: Hub) -> list[dict[str, Any]]:
    return httpx.get(f"{hub.url}/.well-known/jwks.json", timeout=30).json()["keys"]


def feed_item(hub: Hub, device_id: str, kind: str, body: dict[str, Any]) -> None:
    """Put an item into a laptop's feed at the hub, as something between the hub's issuer and the laptop
    (a damaged database, a man in the middle on plain HTTP) would."""
    from mcdesk.hub.intake import add_change
    from mcdesk.hub.store import HubData, open_store

    with open_store(HubData.open(hub.data)) as hub_store, hub_store.transaction() as conn:
        add_change(conn, device_id, kind, body)


# --- the round trip -----------------------------------------------------------------------------------


def test_a_learner_who_passes_gets_the_issued_credential_back_verified_offline_in_the_wallet(
        hub: Hub, home: Home, store: Store, laptop: PackManager, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    learner = pass_credential(laptop, store)
    assert entry(store, learner).status == "awaiting_verification"
    enrolled = enrol(home, store, hub.url, hub.enrol_codes(1)[0])
    assert {k["kid"] for k in pinned_issuer_keys(store)} == {k["kid"] for k in hub_jwks(hub)}
    report = sync(home, store)
    assert (report.rejected, report.credentials, report.invalid) == (0, 1, 0), report.problems
    shown = entry(store, learner)
    assert shown.status == "issued" and shown.verified and shown.credential_id.startswith("urn:uuid:")
    assert shown.issued_at and shown.status_checked_at  # the status list was checked after the feed
    assert report.status_checked == 1
    # verified offline: the stored token checks against the pinned keys with no hub involved
    row = store.one("SELECT jwt FROM issued_credentials WHERE credential_id = ?", (shown.credential_id,))
    credential = verify_token(row["jwt"], pinned_issuer_keys(store), expected_id=shown.credential_id)
    assert credential["credentialSubject"]["achievement"]["name"] == "Test credential"
    assert credential["issuer"]["id"].startswith(hub.url)
    assert sync(home, store).credentials == 0  # nothing arrives twice
    # exported and checked by `mcdesk credential verify` against the hub's published JWK Set
    path = export_json(store, shown.credential_id, tmp_path)
    assert main(["credential", "verify", str(path), "--jwks", f"{hub.url}/.well-known/jwks.json", "--json"]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert facts["credential_id"] == shown.credential_id and facts["keys_from"].endswith("/.well-known/jwks.json")
    assert enrolled.device_id


def test_the_issued_credential_also_arrives_through_a_usb_reply(hub: Hub, home: Home, store: Store,
                                                                 laptop: PackManager, tmp_path: Path) -> None:
    learner = pass_credential(laptop, store)
    enrol(home, store, hub.url, hub.enrol_codes(1)[0])
    bundle = export_bundle(home, store, tmp_path)
    reply = tmp_path / "reply.mcreply"
    hub.cli("ingest", str(bundle.path), "-o", str(reply))
    imported = import_reply(home, store, reply)
    assert (imported.rejected, imported.credentials, imported.invalid) == (0, 1, 0), imported.problems
    shown = entry(store, learner)
    assert shown.status == "issued" and shown.verified and shown.status_checked_at is None  # offline: not checked
    again = import_reply(home, store, reply)
    assert again.credentials == 0 and entry(store, learner) == shown


# --- revocation ----------------------------------------------------------------------------------------


def test_a_revocation_at_the_hub_reaches_the_wallet_with_its_reason(hub: Hub, home: Home, store: Store,
                                                                    laptop: PackManager) -> None:
    learner = pass_credential(laptop, store)
    enrol(home, store, hub.url, hub.enrol_codes(1)[0])
    sync(home, store)
    credential_id = entry(store, learner).credential_id
    hub.cli("revoke", credential_id, "--reason", "Exam irregularity")
    report = sync(home, store)
    assert report.revoked == 1
    shown = entry(store, learner)
    assert (shown.status, shown.status_reason, shown.verified) == ("revoked", "Exam irregularity", False)
    assert shown.status_checked_at


def test_the_status_list_alone_tells_the_laptop_of_a_revocation(hub: Hub, home: Home, store: Store,
                                                                laptop: PackManager) -> None:
    learner = pass_credential(laptop, store)
    enrol(home, store, hub.url, hub.enrol_codes(1)[0])
    sync(home, store)
    hub.cli("revoke", entry(store, learner).credential_id, "--reason", "Issued in error")
    with HubClient(hub.url) as public:  # the status check only: the feed's revocation item is not read
        report = refresh_status(store, public)
    assert (report.status_checked, report.revoked, report.problems) == (1, 1, [])
    shown = entry(store, learner)
    assert (shown.status, shown.status_reason) == ("revoked", STATUS_LIST_REASON)


# --- refusals --------------------------------------------------------------------------------------------


def test_a_tampered_credential_in_the_feed_is_kept_invalid_and_never_shown_as_verified(
        hub: Hub, home: Home, store: Store, laptop: PackManager) -> None:
    learner = pass_credential(laptop, store)
    other = add_learner(store, "Kofi")
    other_uuid = store.one("SELECT uuid FROM learners WHERE id = ?", (other,))["uuid"]
    enrolled = enrol(home, store, hub.url, hub.enrol_codes(1)[0])
    sync(home, store)
    genuine = store.one("SELECT credential_id, jwt FROM issued_credentials WHERE learner_id = ?", (learner,))
    forged_id = "urn:uuid:00000000-0000-4000-8000-000000000001"
    feed_item(hub, enrolled.device_id, "credential", {
        "credential_id": forged_id, "ref": REF, "learner": other_uuid, "jwt": tampered(genuine["jwt"]),
        "issued": "2030-01-01T00:00:00Z"})
    report = sync(home, store)
    assert (report.credentials, report.invalid) == (0, 1) and "does not verify" in report.problems[0]
    [shown] = wallet(store, other)
    assert shown.status == "invalid" and not shown.verified and "signature" in shown.status_reason
    assert entry(store, learner).verified  # the genuine one is untouched


def test_issuer_key_rotation_arrives_root_signed_and_both_keys_verify(hub: Hub, home: Home, store: Store,
                                                                      laptop: PackManager) -> None:
    first = pass_credential(laptop, store, "Ama")
    enrol(home, store, hub.url, hub.enrol_codes(1)[0])
    sync(home, store)
    before = {k["kid"] for k in pinned_issuer_keys(store)}
    hub.cli("issuer-key", "rotate")
    second = pass_credential(laptop, store, "Baraka")
    report = sync(home, store)
    assert (report.issuer_keys, report.credentials, report.invalid) == (1, 1, 0), report.problems
    after = {k["kid"] for k in pinned_issuer_keys(store)}
    assert before < after and after == {k["kid"] for k in hub_jwks(hub)}
    assert entry(store, first).verified and entry(store, second).verified
    kid_of = {learner: decode_unverified(store.one("SELECT jwt FROM issued_credentials WHERE learner_id = ?",
                                                   (learner,))["jwt"])[0]["kid"] for learner in (first, second)}
    assert kid_of[first] in before and kid_of[second] in after - before


def test_a_forged_issuer_keys_item_is_refused_and_pins_nothing(hub: Hub, home: Home, store: Store,
                                                               laptop: PackManager) -> None:
    pass_credential(laptop, store)
    enrolled = enrol(home, store, hub.url, hub.enrol_codes(1)[0])
    sync(home, store)
    before = pinned_issuer_keys(store)
    from cryptography.hazmat.primitives.asymmetric import rsa

    from mcdesk.credentials.jwk import rsa_public_jwk

    rogue = rsa_public_jwk(rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key())
    root_kid = enrolled.institution_keys[0]["kid"]
    jws = sign_compact(Ed25519PrivateKey.generate(), root_kid, canonical({"keys": [*before, rogue]}), ISSUER_KEYS_TYP)
    feed_item(hub, enrolled.device_id, "issuer_keys", {"jws": jws})
    report = sync(home, store)
    assert report.issuer_keys == 0 and any("issuer-keys update was refused" in p for p in report.problems)
    assert pinned_issuer_keys(store) == before
