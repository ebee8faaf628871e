"""A test device: a real Ed25519 key that signs a real chain of evidence records for the hub tests."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mcdesk.evidence.record import GENESIS_HASH, build_record, record_hash, sign_record
from mcdesk.keys import key_id, raw_public

MANIFEST = "ab" * 32


@dataclass
class Laptop:
    """Signs records like a device would: ``next()`` makes the following record of its chain."""

    key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    name: str = "Lab 1 - PC 1"
    token: str | None = None
    seq: int = 0
    prev: str = GENESIS_HASH

    @property
    def raw(self) -> bytes:
        return raw_public(self.key.public_key())

    @property
    def device_id(self) -> str:
        return key_id(self.key.public_key())

    def record(self, seq: int, prev_hash: str, **overrides: Any) -> dict[str, Any]:
        fields: dict[str, Any] = dict(
            device_id=self.device_id, seq=seq, prev_hash=prev_hash,
            learner_id="5d3c2a1e-0000-4000-8000-000000000001", institution_id=None,
            pack_id="org.example.test", pack_version=1, manifest_sha256=MANIFEST,
            activity_type="lesson", activity_id=f"lesson-{seq}", verb="completed",
            completed="2024-05-01T09:04:12Z", recorded="2024-05-01T09:04:12Z", app_version="0.1.0",
        )
        fields.update(overrides)
        return dict(build_record(**fields))

    def sign(self, record: dict[str, Any]) -> str:
        return sign_record(self.key, record)  # type: ignore[arg-type]

    def next(self, **overrides: Any) -> str:
        """The next record of this laptop's chain, signed (the chain advances)."""
        jws = self.sign(self.record(self.seq + 1, self.prev, **overrides))
        self.seq += 1
        self.prev = record_hash(jws)
        return jws

    def chain(self, n: int) -> list[str]:
        return [self.next() for _ in range(n)]

    @property
    def auth(self) -> dict[str, str]:
        assert self.token, "enrol the laptop first"
        return {"Authorization": f"Bearer {self.token}"}

    def post(self, api: str, records: list[Any], *, gzipped: bool = False) -> httpx.Response:
        body = json.dumps({"records": records}).encode()
        headers = {**self.auth, "Content-Type": "application/json"}
        if gzipped:
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        return httpx.post(f"{api}/evidence", content=body, headers=headers, timeout=60)

    def statuses(self, api: str, records: list[Any]) -> list[str]:
        answer = self.post(api, records)
        assert answer.status_code == 200, answer.text
        return [r["status"] for r in answer.json()["results"]]
