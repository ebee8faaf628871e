"""The hub over real HTTP: health, OpenAPI, enrolment, device authentication and the changes feed."""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mcdesk import __version__
from mcdesk.hub.institution import load_institution
from mcdesk.hub.store import HubData, open_store
from mcdesk.keys import b64url, b64url_decode, raw_public
from tests.hub.laptops import Laptop
from tests.hubproc import Hub, enrolment_body


def _enrol(hub: Hub, code: str, key: Ed25519PrivateKey, name: str = "Lab 1 - PC 1", *,
           public_key: str | None = None) -> httpx.Response:
    return httpx.post(f"{hub.api}/enrol", json=enrolment_body(key, code, name, public_key), timeout=30)


def _detail(answer: httpx.Response) -> dict[str, str]:
    detail = answer.json()["detail"]
    assert set(detail) == {"code", "message", "hint"} and detail["message"] and detail["hint"]
    return detail


def _key() -> tuple[Ed25519PrivateKey, bytes]:
    key = Ed25519PrivateKey.generate()
    return key, raw_public(key.public_key())


# --- health and OpenAPI ----------------------------------------------------------------------


def test_health_answers_ok_with_the_version_and_institution(hub: Hub) -> None:
    answer = httpx.get(f"{hub.api}/health")
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "ok" and body["version"] == __version__
    assert set(body["institution"]) == {"id", "name"} and body["institution"]["name"]


def test_openapi_describes_every_endpoint_and_the_bearer_scheme(hub: Hub) -> None:
    spec = httpx.get(f"{hub.url}/openapi.json").json()
    assert {"/api/v1/health", "/api/v1/enrol", "/api/v1/evidence", "/api/v1/changes"} <= set(spec["paths"])
    evidence = spec["paths"]["/api/v1/evidence"]["post"]
    assert "records" in evidence["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert evidence["security"] and spec["components"]["securitySchemes"]
    assert httpx.get(f"{hub.url}/docs").status_code == 200


def test_an_unknown_path_or_method_is_refused_in_the_error_shape(hub: Hub) -> None:
    answer = httpx.get(f"{hub.api}/nothing-here")
    assert answer.status_code == 404 and _detail(answer)["code"] == "not_found"
    assert "not an mcdesk hub endpoint" in _detail(answer)["message"]
    answer = httpx.get(f"{hub.api}/enrol")
    assert answer.status_code == 405 and _detail(answer)["code"] == "method_not_allowed"


# --- enrolment -------------------------------------------------------------------------------


def test_enrolment_returns_the_device_id_a_token_and_the_institution_key(hub: Hub) -> None:
    key, raw = _key()
    answer = _enrol(hub, hub.enrol_codes(1)[0], key)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["device_id"] == hashlib.sha256(raw).hexdigest()
    assert len(b64url_decode(body["device_token"])) == 32
    with open_store(HubData.open(hub.data)) as store:
        institution = load_institution(store, HubData.open(hub.data))
    assert body["institution"]["id"] == institution.id and body["institution"]["name"] == institution.name
    assert body["institution"]["url"]
    assert body["institution_keys"] == [institution.public_jwk()]
    jwk = body["institution_keys"][0]
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519" and jwk["alg"] == "EdDSA" and jwk["use"] == "sig"
    assert jwk["kid"] == hashlib.sha256(b64url_decode(jwk["x"])).hexdigest()


def test_codes_are_accepted_in_lower_case_and_without_dashes(hub: Hub) -> None:
    key, _raw = _key()
    code = hub.enrol_codes(1)[0]
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", code)
    assert _enrol(hub, f" {code.replace('-', '').lower()} ", key).status_code == 200


def test_a_used_code_is_refused_for_another_device(hub: Hub) -> None:
    code = hub.enrol_codes(1)[0]
    assert _enrol(hub, code, _key()[0]).status_code == 200
    answer = _enrol(hub, code, _key()[0])
    assert answer.status_code == 403 and _detail(answer)["code"] == "code_used"


def test_the_same_device_repeating_its_code_gets_its_id_back_and_a_new_token(hub: Hub) -> None:
    laptop = Laptop()
    code = hub.enrol_codes(1)[0]
    first = _enrol(hub, code, laptop.key).json()
    again = _enrol(hub, code, laptop.key)  # the first answer was lost on the way
    assert again.status_code == 200
    assert again.json()["device_id"] == first["device_id"] == laptop.device_id
    assert again.json()["device_token"] != first["device_token"]
    old = httpx.get(f"{hub.api}/changes", headers={"Authorization": f"Bearer {first['device_token']}"})
    assert old.status_code == 401
    new = httpx.get(f"{hub.api}/changes", headers={"Authorization": f"Bearer {again.json()['device_token']}"})
    assert new.status_code == 200


def test_re_enrolling_a_key_with_a_new_code_keeps_its_device_id_and_evidence(hub: Hub) -> None:
    laptop = Laptop()
    laptop.token = hub.enrol(laptop.key, "Old name")["device_token"]
    assert laptop.statuses(hub.api, laptop.chain(2)) == ["accepted", "accepted"]
    again = hub.enrol(laptop.key, "New name")
    assert again["device_id"] == laptop.device_id
    laptop.token = again["device_token"]
    assert laptop.statuses(hub.api, [laptop.next()]) == ["accepted"]  # the chain goes on
    devices = {d["device_id"]: d for d in hub_devices(hub)}
    assert devices[laptop.device_id]["name"] == "New name" and devices[laptop.device_id]["records"] == 3


def hub_devices(hub: Hub) -> list[dict]:
    import json

    return json.loads(hub.cli("devices", "--json").stdout)["devices"]


def test_an_unknown_code_is_refused(hub: Hub) -> None:
    for code in ("ABCD-EFGH-JKMN", "not a code", "0000-1111-OOOO"):
        answer = _enrol(hub, code, _key()[0])
        assert answer.status_code == 403 and _detail(answer)["code"] == "code_unknown"


@pytest.mark.parametrize("public_key", ["not base64url!", b64url(b"\x01" * 31), b64url(b"\x01" * 33), ""])
def test_a_bad_public_key_is_refused_and_the_code_stays_usable(hub: Hub, public_key: str) -> None:
    code = hub.enrol_codes(1)[0]
    answer = _enrol(hub, code, _key()[0], public_key=public_key)
    assert answer.status_code == 400 and _detail(answer)["code"] == "bad_public_key"
    assert _enrol(hub, code, _key()[0]).status_code == 200


def test_an_enrolment_not_signed_by_the_devices_own_key_is_refused_and_the_code_stays_usable(hub: Hub) -> None:
    code = hub.enrol_codes(1)[0]
    victim, thief = _key()[0], _key()[0]
    body = enrolment_body(thief, code, "Lab 1 - PC 1", public_key=b64url(raw_public(victim.public_key())))
    answer = httpx.post(f"{hub.api}/enrol", json=body, timeout=30)  # the victim's key, the thief's signature
    assert answer.status_code == 400 and _detail(answer)["code"] == "bad_proof"
    renamed = dict(enrolment_body(victim, code, "Lab 1 - PC 1"), device_name="Renamed on the way")
    answer = httpx.post(f"{hub.api}/enrol", json=renamed, timeout=30)
    assert answer.status_code == 400 and _detail(answer)["code"] == "bad_proof"
    missing = {k: v for k, v in enrolment_body(victim, code, "PC").items() if k != "proof"}
    assert httpx.post(f"{hub.api}/enrol", json=missing, timeout=30).status_code == 422
    assert _enrol(hub, code, victim).status_code == 200


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "tab\there"])
def test_a_bad_device_name_is_refused(hub: Hub, name: str) -> None:
    answer = _enrol(hub, hub.enrol_codes(1)[0], _key()[0], name)
    assert answer.status_code == 400 and _detail(answer)["code"] == "bad_device_name"


def test_an_enrolment_body_missing_a_field_is_refused_in_the_error_shape(hub: Hub) -> None:
    answer = httpx.post(f"{hub.api}/enrol", json={"code": hub.enrol_codes(1)[0]})
    assert answer.status_code == 422 and _detail(answer)["code"] == "bad_request"
    answer = httpx.post(f"{hub.api}/enrol", content=b"{not json", headers={"Content-Type": "application/json"})
    assert answer.status_code == 422 and _detail(answer)["code"] == "bad_request"


def test_an_oversized_enrolment_body_is_refused(hub: Hub) -> None:
    answer = httpx.post(f"{hub.api}/enrol", json={"code": "x", "public_key": "y", "device_name": "z" * 100_000})
    assert answer.status_code == 413 and _detail(answer)["code"] == "too_large"


def test_of_many_devices_racing_for_one_code_exactly_one_enrols(hub: Hub) -> None:
    code = hub.enrol_codes(1)[0]
    racers = 8
    barrier = threading.Barrier(racers)
    answers: list[httpx.Response] = []
    lock = threading.Lock()

    def race() -> None:
        key = _key()[0]
        with httpx.Client(timeout=30) as client:
            barrier.wait()
            answer = client.post(f"{hub.api}/enrol", json=enrolment_body(key, code, "racer"))
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=race) for _ in range(racers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200] + [403] * (racers - 1)
    assert {_detail(a)["code"] for a in answers if a.status_code == 403} == {"code_used"}


# --- authentication --------------------------------------------------------------------------


def test_no_token_is_refused_with_401(hub: Hub) -> None:
    for answer in (httpx.get(f"{hub.api}/changes"), httpx.post(f"{hub.api}/evidence", json={"records": []})):
        assert answer.status_code == 401 and _detail(answer)["code"] == "no_token"
        assert answer.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("header", ["Bearer " + b64url(b"\x00" * 32), "Bearer nonsense", "Basic dXNlcjpwdw==",
                                    "Bearer"])
def test_a_bad_token_is_refused_with_401(hub: Hub, header: str) -> None:
    answer = httpx.get(f"{hub.api}/changes", headers={"Authorization": header})
    assert answer.status_code == 401 and _detail(answer)["code"] in ("bad_token", "no_token")


def test_a_revoked_device_gets_403_and_cannot_enrol_again(hub: Hub, laptop: Laptop) -> None:
    assert laptop.statuses(hub.api, [laptop.next()]) == ["accepted"]
    hub.cli("revoke-device", laptop.device_id[:12])
    answer = laptop.post(hub.api, [laptop.next()])
    assert answer.status_code == 403 and _detail(answer)["code"] == "device_revoked"
    answer = httpx.get(f"{hub.api}/changes", headers=laptop.auth)
    assert answer.status_code == 403 and _detail(answer)["code"] == "device_revoked"
    answer = _enrol(hub, hub.enrol_codes(1)[0], laptop.key)
    assert answer.status_code == 403 and _detail(answer)["code"] == "device_revoked"


# --- the changes feed ------------------------------------------------------------------------


def test_the_changes_feed_pages_by_cursor_and_holds_one_ack_per_accepted_record(
        hub: Hub, enrolled: Callable[..., Laptop]) -> None:
    laptop, other = enrolled(), enrolled("Lab 1 - PC 2")
    records = laptop.chain(5)
    assert laptop.statuses(hub.api, records) == ["accepted"] * 5
    assert laptop.statuses(hub.api, records[:2]) == ["duplicate"] * 2  # duplicates add no acks
    assert other.statuses(hub.api, other.chain(1)) == ["accepted"]
    seen, after, pages = [], 0, 0
    while True:
        page = httpx.get(f"{hub.api}/changes", params={"after": after, "limit": 2}, headers=laptop.auth).json()
        pages += 1
        seen += page["items"]
        assert page["next"] >= after
        after = page["next"]
        if not page["more"]:
            break
    assert pages == 3
    assert [i["kind"] for i in seen] == ["ack"] * 5
    assert [i["body"]["seq"] for i in seen] == [1, 2, 3, 4, 5]
    assert all(i["body"]["status"] == "accepted" for i in seen)
    assert [i["cursor"] for i in seen] == sorted(i["cursor"] for i in seen)
    end = httpx.get(f"{hub.api}/changes", params={"after": after}, headers=laptop.auth).json()
    assert end == {"items": [], "next": after, "more": False}
    theirs = httpx.get(f"{hub.api}/changes", headers=other.auth).json()["items"]
    assert [i["body"]["seq"] for i in theirs] == [1]


@pytest.mark.parametrize("params", [{"after": -1}, {"limit": 0}, {"limit": 501}, {"after": "x"}])
def test_bad_feed_parameters_are_refused_with_422(hub: Hub, laptop: Laptop, params: dict) -> None:
    answer = httpx.get(f"{hub.api}/changes", params=params, headers=laptop.auth)
    assert answer.status_code == 422 and _detail(answer)["code"] == "bad_request"
