"""docs/evidence-format.md stays true: its worked example verifies, with mcdesk and with its own snippet."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mcdesk.errors import EvidenceError
from mcdesk.evidence.record import open_record, record_hash
from mcdesk.keys import b64url_decode

DOC = Path(__file__).resolve().parents[2] / "docs" / "evidence-format.md"


def blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def example() -> tuple[str, dict]:
    [jws] = [b.strip() for b in blocks("text")]
    jwk = json.loads(blocks("json")[0])
    return jws, jwk


def test_the_worked_example_verifies_with_mcdesk() -> None:
    jws, jwk = example()
    record = open_record(jws, b64url_decode(jwk["x"]))
    assert record == json.loads(blocks("json")[1])  # the laid-out payload is the signed one
    assert record["device_id"] == jwk["kid"]
    assert record_hash(jws) in DOC.read_text(encoding="utf-8")


def test_the_documented_snippet_checks_the_example_and_refuses_a_forgery() -> None:
    jws, jwk = example()
    namespace: dict = {}
    exec(blocks("python")[0], namespace)  # noqa: S102 - our own documentation's example
    assert namespace["check"](jws, jwk)["evidence_id"] == "3f2b8c1e-6a4d-4e9b-9c7a-2d5e8f1a0b6c"
    head, body, sig = jws.split(".")
    forged = f"{head}.{body[:-2]}{'A' if body[-2] != 'A' else 'B'}{body[-1]}.{sig}"
    with pytest.raises(Exception):  # noqa: B017 - cryptography's InvalidSignature or a decode error
        namespace["check"](forged, jwk)
    with pytest.raises(EvidenceError):
        open_record(forged, b64url_decode(jwk["x"]))
