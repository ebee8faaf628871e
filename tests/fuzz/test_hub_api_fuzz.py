"""Fuzzing the hub's HTTP API from its own OpenAPI document (schemathesis), against the real hub process.

Every operation gets requests that fit its schema and requests that break it, with no token, with a wrong
token and with a real device token (from a real enrolment). Checks: never a 5xx; the status code, the
content type and the body are the ones the OpenAPI document promises for that status.
"""

from __future__ import annotations

import pytest
import schemathesis
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.fuzz.budget import fuzz
from tests.hubproc import Hub

pytestmark = pytest.mark.slow

# Every operation of the API, and whether its schema leaves a request anything to get wrong (so that
# schemathesis can also make requests that break it: a credential id is any string, so it cannot).
OPERATIONS = {
    "GET /api/v1/health": False,
    "POST /api/v1/enrol": True,
    "POST /api/v1/evidence": True,
    "GET /api/v1/changes": True,
    "GET /api/v1/catalog": False,
    "GET /api/v1/packs/{pack_id}/{version}": True,
    "GET /.well-known/jwks.json": False,
    "GET /ob/v3p0/issuer": False,
    "GET /ob/v3p0/status/{list_number}": True,
    "GET /ob/v3p0/credentials/{credential_id}": False,
}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
TOKENS = ("none", "wrong", "device")


@pytest.fixture(scope="module")
def schema(fuzz_hub: Hub) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{fuzz_hub.url}/openapi.json")


@pytest.fixture(scope="module")
def device_token(fuzz_hub: Hub) -> str:
    return fuzz_hub.enrol(Ed25519PrivateKey.generate(), "Fuzz laptop")["device_token"]


def test_the_fuzzed_operations_are_every_operation_the_hub_documents(schema: schemathesis.BaseSchema) -> None:
    assert sorted(result.ok().label for result in schema.get_all_operations()) == sorted(OPERATIONS)


CASES = [(label, mode, token) for label, has_input in OPERATIONS.items()
         for mode in ([GenerationMode.POSITIVE, GenerationMode.NEGATIVE] if has_input else [GenerationMode.POSITIVE])
         for token in TOKENS]


@pytest.mark.parametrize(("label", "mode", "token"), CASES, ids=[f"{c[0]}-{c[1].value}-{c[2]}" for c in CASES])
def test_no_request_makes_the_hub_fail_or_break_its_documented_answers(
        label: str, mode: GenerationMode, token: str, schema: schemathesis.BaseSchema, fuzz_hub: Hub,
        device_token: str) -> None:
    operation = schema.find_operation_by_label(label)
    assert operation is not None
    headers = {"none": None, "wrong": {"Authorization": "Bearer not-a-token"},
               "device": {"Authorization": f"Bearer {device_token}"}}[token]

    @fuzz(40)
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        case = data.draw(operation.as_strategy(generation_mode=mode))
        case.call_and_validate(base_url=fuzz_hub.url, headers=headers, checks=CHECKS, timeout=30)

    run()
    assert fuzz_hub.process.poll() is None, fuzz_hub.stderr()
    assert "Traceback" not in fuzz_hub.stderr()


def test_a_cursor_or_pack_version_too_big_for_the_database_is_refused_not_a_server_error(
        fuzz_hub: Hub, device_token: str) -> None:
    """Found by this fuzz: after=2**64 reached SQLite and failed with 500; now the schema bounds it (422)."""
    import httpx

    auth = {"Authorization": f"Bearer {device_token}"}
    for url in (f"{fuzz_hub.api}/changes?after={2**64}", f"{fuzz_hub.api}/packs/org.example.x/{2**64}"):
        answer = httpx.get(url, headers=auth, timeout=30)
        assert answer.status_code == 422, answer.text
        assert set(answer.json()["detail"]) == {"code", "message", "hint"}
    assert httpx.get(f"{fuzz_hub.api}/changes?after={2**63 - 1}", headers=auth, timeout=30).json()["items"] == []
