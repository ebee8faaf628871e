"""The evidence record: exact canonical bytes, every validation refusal, signing and opening."""

from __future__ import annotations

import base64
import copy
import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from mcdesk.errors import EvidenceError
from mcdesk.evidence.jcs import canonical
from mcdesk.evidence.jws import sign_compact
from mcdesk.evidence.record import (
    GENESIS_HASH,
    JWS_TYP,
    duration_between,
    iso_duration,
    open_record,
    read_unverified,
    record_hash,
    responses_sha256,
    sign_record,
    validate_record,
)
from tests.evidence.helpers import DEVICE_ID, EVIDENCE_ID, KEY, MANIFEST, RESPONSES, quiz_record


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_a_record_signs_to_exactly_the_hand_written_canonical_payload() -> None:
    expected = (
        '{"activity":{"id":"check","type":"quiz"},"app_version":"0.1.0",'
        f'"device_id":"{DEVICE_ID}","evidence_id":"{EVIDENCE_ID}","format":1,'
        '"learner":{"id":"5d3c2a1e-0000-4000-8000-000000000001","institution_id":null},'
        f'"pack":{{"id":"org.example.test","manifest_sha256":"{MANIFEST}","version":3}},'
        f'"prev_hash":"{GENESIS_HASH}","responses_sha256":"{RESPONSES}",'
        '"result":{"completion":true,"duration":"PT4M12S","max":4,"scaled":0.75,"score":3,"success":true},'
        '"seq":1,"timestamps":{"completed":"2024-05-01T09:04:12Z","recorded":"2024-05-01T09:04:12Z",'
        '"started":"2024-05-01T09:00:00Z"},"type":"mcdesk.evidence","verb":"passed"}'
    ).encode()
    jws = sign_record(KEY, quiz_record())
    head, body, sig = jws.split(".")
    assert _unb64(body) == expected
    assert _unb64(head) == ('{"alg":"EdDSA","kid":"' + DEVICE_ID + '","typ":"mcdesk-evidence+jws"}').encode()
    KEY.public_key().verify(_unb64(sig), f"{head}.{body}".encode())  # independent check: cryptography alone
    assert record_hash(jws) == hashlib.sha256(jws.encode()).hexdigest()


def test_a_signed_record_opens_to_the_same_record() -> None:
    record = quiz_record(scaled=1.0, score=4.0)
    jws = sign_record(KEY, record)
    assert open_record(jws, KEY.public_key()) == record
    assert open_record(jws, KEY.public_key().public_bytes_raw()) == record
    assert read_unverified(jws) == record
    assert record["result"]["scaled"] == 1 and isinstance(record["result"]["scaled"], int)


def test_opening_with_another_devices_key_is_refused() -> None:
    jws = sign_record(KEY, quiz_record())
    with pytest.raises(EvidenceError) as info:
        open_record(jws, Ed25519PrivateKey.generate().public_key())
    assert info.value.code == "bad_signature"


def test_a_record_whose_device_id_is_not_its_signing_key_is_refused() -> None:
    other = Ed25519PrivateKey.generate()
    jws = sign_record(other, quiz_record())  # kid = DEVICE_ID, but signed by another key
    with pytest.raises(EvidenceError, match="signature does not match"):
        open_record(jws, KEY.public_key())
    other_id = hashlib.sha256(other.public_key().public_bytes_raw()).hexdigest()
    lying = sign_compact(other, other_id, canonical(quiz_record()), JWS_TYP)  # kid honest, device_id not
    with pytest.raises(EvidenceError, match="device_id is not the key id"):
        open_record(lying, other.public_key())


def test_a_validly_signed_but_non_canonical_payload_is_refused() -> None:
    import json

    payload = json.dumps(quiz_record(), indent=1).encode()
    jws = sign_compact(KEY, DEVICE_ID, payload, JWS_TYP)
    with pytest.raises(EvidenceError, match="canonical") as info:
        open_record(jws, KEY.public_key())
    assert info.value.code == "not_canonical"


def test_a_jws_of_another_type_is_refused() -> None:
    jws = sign_compact(KEY, DEVICE_ID, canonical(quiz_record()), "mcdesk-sync-reply+jws")
    with pytest.raises(EvidenceError, match="type"):
        open_record(jws, KEY.public_key())
    with pytest.raises(EvidenceError, match="type"):
        read_unverified(jws)


def test_signing_a_record_that_is_not_valid_is_refused() -> None:
    record = quiz_record()
    record["seq"] = 0
    with pytest.raises(EvidenceError, match="'seq'"):
        sign_record(KEY, record)


def _set(path: str, value: Any) -> Callable[[dict], None]:
    def change(record: dict) -> None:
        *parents, last = path.split(".")
        target = record
        for p in parents:
            target = target[p]
        target[last] = value
    return change


def _drop(path: str) -> Callable[[dict], None]:
    def change(record: dict) -> None:
        *parents, last = path.split(".")
        target = record
        for p in parents:
            target = target[p]
        del target[last]
    return change


REFUSALS: list[tuple[str, Callable[[dict], None], str]] = [
    ("missing field", _drop("verb"), "'verb' is missing"),
    ("extra field", _set("comment", "x"), "'comment' is not part of format 1"),
    ("type", _set("type", "other"), "'type'"),
    ("format", _set("format", 2), "'format'"),
    ("format bool", _set("format", True), "'format'"),
    ("evidence id upper", _set("evidence_id", EVIDENCE_ID.upper()), "'evidence_id'"),
    ("evidence id v1", _set("evidence_id", "0f8fad5b-d9cb-169f-a165-70867728950e"), "'evidence_id'"),
    ("device id", _set("device_id", "xyz"), "'device_id'"),
    ("seq zero", _set("seq", 0), "'seq'"),
    ("seq float", _set("seq", 1.5), "'seq'"),
    ("seq bool", _set("seq", True), "'seq'"),
    ("prev hash short", _set("prev_hash", "00"), "'prev_hash'"),
    ("genesis after 1", _set("seq", 2), "'prev_hash' must be 64 zeros for seq 1, and only for seq 1"),
    ("not genesis at 1", _set("prev_hash", "1" * 64), "'prev_hash'"),
    ("learner not object", _set("learner", "x"), "learner must be a JSON object"),
    ("learner missing", _drop("learner.institution_id"), "'learner.institution_id' is missing"),
    ("learner extra", _set("learner.name", "Ada"), "'learner.name' is not part"),
    ("learner id empty", _set("learner.id", " "), "'learner.id'"),
    ("learner id long", _set("learner.id", "x" * 201), "'learner.id'"),
    ("institution id", _set("learner.institution_id", 5), "'learner.institution_id'"),
    ("pack id", _set("pack.id", ""), "'pack.id'"),
    ("pack version", _set("pack.version", 0), "'pack.version'"),
    ("manifest sha", _set("pack.manifest_sha256", "AB" * 32), "'pack.manifest_sha256'"),
    ("activity type", _set("activity.type", "video"), "'activity.type'"),
    ("activity id", _set("activity.id", None), "'activity.id'"),
    ("verb for quiz", _set("verb", "completed"), "'verb' of a quiz must be 'failed' or 'passed'"),
    ("score negative", _set("result.score", -1), "'result.score'"),
    ("score bool", _set("result.score", True), "'result.score'"),
    ("score text", _set("result.score", "3"), "'result.score'"),
    ("score above max", _set("result.score", 5), "'result.score' must not be more than result.max"),
    ("max", _set("result.max", float("inf")), "'result.max'"),
    ("max too large", _set("result.max", 2**53), "'result.max' must be a number from 0 to 2\\*\\*53 - 1"),
    ("scaled above 1", _set("result.scaled", 1.5), "'result.scaled' must be at most 1"),
    ("success text", _set("result.success", "yes"), "'result.success'"),
    ("success disagrees", _set("result.success", False), "'result.success' must be true"),
    ("completion null", _set("result.completion", None), "'result.completion'"),
    ("duration", _set("result.duration", "4 minutes"), "'result.duration'"),
    ("duration empty", _set("result.duration", "PT"), "'result.duration'"),
    ("responses missing for quiz", _set("responses_sha256", None), "'responses_sha256'"),
    ("started", _set("timestamps.started", "2024-05-01 09:00:00"), "'timestamps.started'"),
    ("completed offset", _set("timestamps.completed", "2024-05-01T09:00:00+02:00"), "'timestamps.completed'"),
    ("recorded impossible", _set("timestamps.recorded", "2024-02-30T09:00:00Z"), "'timestamps.recorded' is not a real"),
    ("app version", _set("app_version", ""), "'app_version'"),
]


@pytest.mark.parametrize(("change", "match"), [(c, m) for _, c, m in REFUSALS], ids=[n for n, _, _ in REFUSALS])
def test_every_invalid_field_is_refused_by_name(change: Callable[[dict], None], match: str) -> None:
    record = copy.deepcopy(quiz_record())
    change(record)
    with pytest.raises(EvidenceError, match=match) as info:
        validate_record(record)
    assert info.value.code == "invalid_record"


def test_a_non_object_record_is_refused() -> None:
    with pytest.raises(EvidenceError, match="JSON object"):
        validate_record([1, 2])


def test_lesson_and_credential_records_follow_their_own_rules() -> None:
    lesson = quiz_record(activity_type="lesson", activity_id="lesson-1", verb="completed", score=None,
                         max_score=None, scaled=None, success=None, responses_digest=None, duration=None,
                         started=None)
    assert validate_record(lesson)["verb"] == "completed"
    credential = quiz_record(activity_type="credential", activity_id="org.example.test/test-cred", verb="earned",
                             score=None, max_score=None, scaled=0.8, success=True, responses_digest=None)
    assert validate_record(credential)["activity"]["id"] == "org.example.test/test-cred"
    with pytest.raises(EvidenceError, match="'responses_sha256' must be null for a lesson"):
        validate_record({**lesson, "responses_sha256": RESPONSES})
    with pytest.raises(EvidenceError, match="'verb' of a lesson must be 'completed'"):
        validate_record({**lesson, "verb": "passed"})
    with pytest.raises(EvidenceError, match="credential must be '<pack id>/<credential id>'"):
        validate_record({**credential, "activity": {"type": "credential", "id": "other.pack/test-cred"}})


def test_failed_quiz_records_carry_success_false() -> None:
    record = quiz_record(verb="failed", success=False, score=1, scaled=0.25)
    assert validate_record(record)["result"]["success"] is False


@pytest.mark.parametrize(("seconds", "text"), [(0, "PT0S"), (252, "PT4M12S"), (3600, "PT1H"), (3661, "PT1H1M1S"),
                                               (59.6, "PT1M"), (-5, "PT0S")])
def test_durations_are_iso_8601(seconds: float, text: str) -> None:
    assert iso_duration(seconds) == text


def test_duration_between_two_times_and_unknowns() -> None:
    assert duration_between("2024-05-01T09:00:00Z", "2024-05-01T09:04:12Z") == "PT4M12S"
    assert duration_between(None, "2024-05-01T09:04:12Z") is None
    assert duration_between("2024-05-01T09:05:00Z", "2024-05-01T09:04:12Z") is None  # clock went back
    assert duration_between("garbage", "2024-05-01T09:04:12Z") is None


def test_responses_digest_is_sha256_of_the_canonical_answer_list() -> None:
    answers = [{"question_id": "q2", "response": "b", "correct": True}, {"question_id": "q1", "response": True}]
    expected = hashlib.sha256(b'[{"question_id":"q2","response":"b"},{"question_id":"q1","response":true}]')
    assert responses_sha256(answers) == expected.hexdigest()


numbers = st.none() | st.integers(0, 2**53 - 1) | st.floats(0, 2**53 - 1, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(score=numbers, scaled=st.none() | st.floats(0, 1), text=st.text(min_size=1, max_size=20).filter(str.strip))
def test_the_record_fast_path_gives_exactly_the_rfc8785_bytes(score: object, scaled: object, text: str) -> None:
    import rfc8785

    from mcdesk.evidence.record import canonical_record

    record = quiz_record(score=score, max_score=None, scaled=scaled, activity_id=text, app_version=text)
    try:
        expected = rfc8785.dumps(record)
    except rfc8785.CanonicalizationError:
        with pytest.raises(EvidenceError):
            canonical_record(record)
        return
    assert canonical_record(record) == expected
