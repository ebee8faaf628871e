"""Shared test material for evidence: a fixed device key and a valid record."""

from __future__ import annotations

import hashlib
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mcdesk.evidence.record import GENESIS_HASH, EvidenceRecord, build_record
from mcdesk.keys import raw_public

SEED = bytes(range(32))
KEY = Ed25519PrivateKey.from_private_bytes(SEED)
DEVICE_ID = hashlib.sha256(raw_public(KEY.public_key())).hexdigest()
EVIDENCE_ID = "0f8fad5b-d9cb-469f-a165-70867728950e"
MANIFEST = "ab" * 32
RESPONSES = "cd" * 32


def quiz_record(**changes: Any) -> EvidenceRecord:
    fields: dict[str, Any] = dict(
        evidence_id=EVIDENCE_ID, device_id=DEVICE_ID, seq=1, prev_hash=GENESIS_HASH,
        learner_id="5d3c2a1e-0000-4000-8000-000000000001", institution_id=None,
        pack_id="org.example.test", pack_version=3, manifest_sha256=MANIFEST,
        activity_type="quiz", activity_id="check", verb="passed",
        score=3, max_score=4, scaled=0.75, success=True, completion=True, duration="PT4M12S",
        responses_digest=RESPONSES, started="2024-05-01T09:00:00Z", completed="2024-05-01T09:04:12Z",
        recorded="2024-05-01T09:04:12Z", app_version="0.1.0")
    fields.update(changes)
    return build_record(**fields)
