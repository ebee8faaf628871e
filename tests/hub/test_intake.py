"""Evidence intake over real HTTP: per-record results, the chain checks, body limits, gzip and the logs."""

from __future__ import annotations

import base64
import gzip
import json
import socket
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from mcdesk.evidence.jcs import canonical
from mcdesk.evidence.jws import sign_compact
from mcdesk.evidence.record import GENESIS_HASH, JWS_TYP, record_hash
from tests.hub.laptops import Laptop
from tests.hubproc import Hub


def _held(hub: Hub, device_id: str) -> list[tuple[int, str]]:
    """(seq, record_hash) of what hub.db holds for a device, read from the file itself."""
    conn = sqlite3.connect(hub.data / "hub.db")
    try:
        return conn.execute("SELECT seq, record_hash FROM evidence WHERE device_id = ? ORDER BY seq",
                            (device_id,)).fetchall()
    finally:
        conn.close()


def _results(answer: httpx.Response) -> list[dict]:
    assert answer.status_code == 200, answer.text
    return answer.json()["results"]


def _reason_code(result: dict) -> str:
    assert result["status"] == "rejected" and result["reason"]
    code, _, sentence = result["reason"].partition(": ")
    assert sentence, result["reason"]
    return code


def _detail(answer: httpx.Response) -> dict[str, str]:
    detail = answer.json()["detail"]
    assert set(detail) == {"code", "message", "hint"}
    return detail


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --- accepted, duplicate, conflict -----------------------------------------------------------


def test_a_valid_chain_is_accepted_and_held_before_the_answer(hub: Hub, laptop: Laptop) -> None:
    records = laptop.chain(3)
    results = _results(laptop.post(hub.api, records))
    assert [r["status"] for r in results] == ["accepted"] * 3
    assert [r["seq"] for r in results] == [1, 2, 3] and all(r["reason"] is None for r in results)
    assert _held(hub, laptop.device_id) == [(i + 1, record_hash(j)) for i, j in enumerate(records)]


def test_resending_the_same_records_answers_duplicate_and_stores_nothing_new(hub: Hub, laptop: Laptop) -> None:
    records = laptop.chain(3)
    first = _results(laptop.post(hub.api, records))
    again = _results(laptop.post(hub.api, records + [laptop.next()]))
    assert [r["status"] for r in again] == ["duplicate"] * 3 + ["accepted"]
    assert [r["evidence_id"] for r in again[:3]] == [r["evidence_id"] for r in first]
    assert len(_held(hub, laptop.device_id)) == 4


def test_the_same_record_twice_in_one_batch_is_accepted_once(hub: Hub, laptop: Laptop) -> None:
    record = laptop.next()
    assert laptop.statuses(hub.api, [record, record]) == ["accepted", "duplicate"]


def test_the_same_evidence_id_with_other_content_is_a_conflict_and_the_first_is_kept(
        hub: Hub, laptop: Laptop) -> None:
    first = laptop.next()
    assert laptop.statuses(hub.api, [first]) == ["accepted"]
    evidence_id = json.loads(_unb64(first.split(".")[1]))["evidence_id"]
    # Same id, other content, at the same seq and at the next seq: both conflicts.
    same_seq = laptop.sign(laptop.record(1, GENESIS_HASH, evidence_id=evidence_id, activity_id="other"))
    next_seq = laptop.sign(laptop.record(2, record_hash(first), evidence_id=evidence_id))
    results = _results(laptop.post(hub.api, [same_seq, next_seq]))
    assert [_reason_code(r) for r in results] == ["conflict", "conflict"]
    assert results[0]["evidence_id"] == evidence_id
    assert _held(hub, laptop.device_id) == [(1, record_hash(first))]


# --- signatures and keys ---------------------------------------------------------------------


def test_a_tampered_record_is_rejected_for_its_signature(hub: Hub, laptop: Laptop) -> None:
    jws = laptop.next()
    head, body, sig = jws.split(".")
    record = json.loads(_unb64(body))
    record["result"]["completion"] = False
    tampered = f"{head}.{_b64(canonical(record))}.{sig}"
    results = _results(laptop.post(hub.api, [tampered]))
    assert _reason_code(results[0]) == "bad_signature"
    assert results[0]["evidence_id"] == record["evidence_id"] and results[0]["seq"] == 1
    assert _held(hub, laptop.device_id) == []
    assert laptop.statuses(hub.api, [jws]) == ["accepted"]  # the genuine one still goes in


def test_a_record_of_another_device_is_rejected(hub: Hub, enrolled: Callable[..., Laptop]) -> None:
    mine, theirs = enrolled(), enrolled("Lab 1 - PC 2")
    their_record = theirs.next()
    assert theirs.statuses(hub.api, [their_record]) == ["accepted"]
    results = _results(mine.post(hub.api, [their_record]))  # even one the hub already holds
    assert _reason_code(results[0]) == "wrong_device"
    assert _held(hub, mine.device_id) == []


def test_a_record_claiming_this_device_but_signed_by_another_key_is_rejected(
        hub: Hub, laptop: Laptop) -> None:
    intruder = Laptop()
    record = laptop.record(1, GENESIS_HASH)
    forged = sign_compact(intruder.key, laptop.device_id, canonical(record), JWS_TYP)
    results = _results(laptop.post(hub.api, [forged]))
    assert _reason_code(results[0]) == "bad_signature"
    assert _held(hub, laptop.device_id) == []


def test_a_record_from_an_unenrolled_key_is_rejected(hub: Hub, laptop: Laptop) -> None:
    stranger = Laptop()
    results = _results(laptop.post(hub.api, [stranger.next()]))
    assert _reason_code(results[0]) == "wrong_device"


@pytest.mark.parametrize("bad", ["", "not-a-jws", "a.b.c", "a.b", 42, None, {"jws": "x"}, "é.é.é"])
def test_malformed_records_are_rejected_one_by_one_and_the_rest_go_in(hub: Hub, laptop: Laptop, bad: object) -> None:
    good = laptop.next()
    results = _results(laptop.post(hub.api, [bad, good]))
    assert _reason_code(results[0]) == "malformed"
    assert results[0]["evidence_id"] is None and results[0]["seq"] is None
    assert results[1]["status"] == "accepted"


def test_a_non_canonical_payload_is_rejected_even_with_a_valid_signature(hub: Hub, laptop: Laptop) -> None:
    record = laptop.record(1, GENESIS_HASH)
    spaced = json.dumps(record, indent=1).encode()
    jws = sign_compact(laptop.key, laptop.device_id, spaced, JWS_TYP)
    assert _reason_code(_results(laptop.post(hub.api, [jws]))[0]) == "not_canonical"


def test_an_invalid_record_is_rejected_naming_the_field(hub: Hub, laptop: Laptop) -> None:
    record = laptop.record(1, GENESIS_HASH)
    record["verb"] = "aced"
    jws = sign_compact(laptop.key, laptop.device_id, canonical(record), JWS_TYP)
    result = _results(laptop.post(hub.api, [jws]))[0]
    assert _reason_code(result) == "invalid_record" and "verb" in result["reason"]


# --- the chain -------------------------------------------------------------------------------


def test_a_gap_is_rejected_with_the_expected_seq(hub: Hub, laptop: Laptop) -> None:
    records = laptop.chain(3)
    results = _results(laptop.post(hub.api, [records[0], records[2]]))
    assert results[0]["status"] == "accepted"
    assert _reason_code(results[1]) == "gap" and "expected seq 2" in results[1]["reason"]
    assert [r["status"] for r in _results(laptop.post(hub.api, records[1:]))] == ["accepted", "accepted"]


def test_a_first_record_that_is_not_seq_1_is_a_gap(hub: Hub, laptop: Laptop) -> None:
    laptop.chain(1)
    result = _results(laptop.post(hub.api, [laptop.next()]))[0]
    assert _reason_code(result) == "gap" and "expected seq 1" in result["reason"]


def test_a_fork_at_a_held_seq_is_rejected(hub: Hub, laptop: Laptop) -> None:
    first, second = laptop.chain(2)
    assert laptop.statuses(hub.api, [first, second]) == ["accepted", "accepted"]
    rival = laptop.sign(laptop.record(2, record_hash(first), activity_id="rewritten"))
    result = _results(laptop.post(hub.api, [rival]))[0]
    assert _reason_code(result) == "fork" and result["seq"] == 2
    assert _held(hub, laptop.device_id) == [(1, record_hash(first)), (2, record_hash(second))]


def test_a_record_chained_to_a_replaced_predecessor_is_rejected(hub: Hub, laptop: Laptop) -> None:
    held = laptop.next()
    assert laptop.statuses(hub.api, [held]) == ["accepted"]
    replacement = laptop.sign(laptop.record(1, GENESIS_HASH, activity_id="edited"))  # what the device now holds
    after = laptop.sign(laptop.record(2, record_hash(replacement)))
    result = _results(laptop.post(hub.api, [after]))[0]
    assert _reason_code(result) == "replaced" and result["seq"] == 2
    assert _held(hub, laptop.device_id) == [(1, record_hash(held))]


# --- bodies and limits -----------------------------------------------------------------------


def test_a_gzip_body_is_accepted(hub: Hub, laptop: Laptop) -> None:
    answer = laptop.post(hub.api, laptop.chain(3), gzipped=True)
    assert [r["status"] for r in _results(answer)] == ["accepted"] * 3


def test_a_gzip_bomb_is_refused_without_inflating_it(hub: Hub, laptop: Laptop) -> None:
    bomb = gzip.compress(b'{"records": [' + b" " * (256 * 1024 * 1024) + b"]}", compresslevel=9)
    assert len(bomb) < 2 * 1024 * 1024
    answer = httpx.post(f"{hub.api}/evidence", content=bomb, timeout=60,
                        headers={**laptop.auth, "Content-Encoding": "gzip", "Content-Type": "application/json"})
    assert answer.status_code == 413 and _detail(answer)["code"] == "too_large"
    assert "inflated" in _detail(answer)["message"]
    assert httpx.get(f"{hub.api}/health").status_code == 200


def test_an_oversize_body_is_refused_with_413(hub: Hub, laptop: Laptop) -> None:
    body = json.dumps({"records": ["x" * 1000] * 2200}).encode()
    answer = httpx.post(f"{hub.api}/evidence", content=body, headers=laptop.auth, timeout=60)
    assert answer.status_code == 413 and _detail(answer)["code"] == "too_large"

    def chunks():  # no Content-Length: the hub counts as it reads
        for _ in range(30):
            yield b" " * 100_000

    answer = httpx.post(f"{hub.api}/evidence", content=chunks(), headers=laptop.auth, timeout=60)
    assert answer.status_code == 413 and _detail(answer)["code"] == "too_large"


def test_more_than_500_records_are_refused_and_none_is_stored(hub: Hub, laptop: Laptop) -> None:
    records = laptop.chain(3) * 167  # 501 entries
    answer = laptop.post(hub.api, records)
    assert answer.status_code == 413 and _detail(answer)["code"] == "too_many_records"
    assert _held(hub, laptop.device_id) == []


@pytest.mark.parametrize(("body", "headers", "status", "code"), [
    (b"{not json", {}, 400, "bad_json"),
    (b'["a"]', {}, 422, "bad_request"),
    (b'{"records": "abc"}', {}, 422, "bad_request"),
    (b"not gzip at all", {"Content-Encoding": "gzip"}, 400, "bad_gzip"),
    (gzip.compress(b'{"records": []}')[:-6], {"Content-Encoding": "gzip"}, 400, "bad_gzip"),
    (b'{"records": []}', {"Content-Encoding": "br"}, 415, "unsupported_encoding"),
])
def test_a_malformed_body_is_refused_in_the_error_shape(hub: Hub, laptop: Laptop, body: bytes,
                                                        headers: dict, status: int, code: str) -> None:
    answer = httpx.post(f"{hub.api}/evidence", content=body, headers={**laptop.auth, **headers})
    assert answer.status_code == status and _detail(answer)["code"] == code


def test_an_empty_batch_answers_no_results(hub: Hub, laptop: Laptop) -> None:
    assert _results(laptop.post(hub.api, [])) == []


# --- logs ------------------------------------------------------------------------------------


def test_log_lines_are_json_with_counts_and_never_hold_a_token_or_code(
        hub: Hub, enrolled: Callable[..., Laptop]) -> None:
    code = hub.enrol_codes(1)[0]
    laptop = Laptop()
    laptop.token = hub.enrol(laptop.key, "Logged laptop", code=code)["device_token"]
    laptop.post(hub.api, laptop.chain(2) + ["junk"])
    httpx.get(f"{hub.api}/changes", headers={"Authorization": "Bearer wrong-token-value"})
    other = enrolled()
    log = Path(hub.data / "logs" / "hub.log").read_text(encoding="utf-8")  # each line is flushed as written
    lines = [json.loads(line) for line in log.splitlines()]
    assert all({"time", "level", "event"} <= set(line) for line in lines)
    for secret in (laptop.token, other.token, code, code.replace("-", ""), "wrong-token-value"):
        assert secret not in log and secret not in hub.stderr()
    intake = [line for line in lines if line["event"] == "evidence" and line.get("device_id") == laptop.device_id]
    assert intake and intake[-1]["accepted"] == 2 and intake[-1]["rejected"] == 1 and intake[-1]["records"] == 3
    assert any(line["event"] == "enrol" and line["device_id"] == laptop.device_id for line in lines)
    assert any(line["event"] == "auth_refused" and line["code"] == "bad_token" for line in lines)
    requests = [line for line in lines if line["event"] == "request" and line["path"] == "/api/v1/evidence"]
    assert requests and all({"method", "status", "ms"} <= set(line) for line in requests)


def test_an_upload_cut_off_midway_stores_nothing_and_the_hub_keeps_serving(hub: Hub, laptop: Laptop) -> None:
    records = laptop.chain(3)
    body = json.dumps({"records": records}).encode()
    where = urlsplit(hub.url)
    head = (f"POST /api/v1/evidence HTTP/1.1\r\nHost: {where.netloc}\r\nAuthorization: Bearer {laptop.token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    with socket.create_connection((where.hostname, where.port), timeout=10) as sock:
        sock.sendall(head + body[: len(body) // 2])
    log = hub.data / "logs" / "hub.log"
    deadline = time.monotonic() + 30  # a bounded wait for the hub to notice, not a timing assertion
    while "client_disconnected" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "client_disconnected" in log.read_text()
    assert _held(hub, laptop.device_id) == []
    assert laptop.statuses(hub.api, records) == ["accepted"] * 3  # the resend goes in whole
