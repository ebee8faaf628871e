"""The OpenBadgeCredential builder: context, types, subject with id and hashed identifier, achievement."""

from __future__ import annotations

import pytest

from mcdesk.credentials import ob3
from mcdesk.errors import CredentialError
from tests.credentials.keys import sample_credential


def test_identity_hash_matches_the_ob3_specification_example() -> None:
    assert ob3.identity_hash("a@example.com", "Kosher") == (
        "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399")


def test_credential_has_the_ob3_shape() -> None:
    credential = sample_credential()
    assert credential["@context"] == ob3.CONTEXT
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"]["type"] == ["Profile"]
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"] and subject["id"].startswith("urn:uuid:")
    assert subject["identifier"] == [{"type": "IdentityObject", "hashed": True, "identityType": "identifier",
                                      "identityHash": ob3.identity_hash("S-1234", "pepper"), "salt": "pepper"}]
    achievement = subject["achievement"]
    assert achievement["achievementType"] == "MicroCredential"
    assert "Estimated study time: 6 hours." in achievement["criteria"]["narrative"]
    assert achievement["alignment"][0]["targetUrl"] == "https://example.org/skills/tl"
    assert achievement["alignment"][1]["targetUrl"].endswith("#skill-reading")
    assert subject["result"][0]["status"] == "Completed"


def test_credential_without_a_subject_id_is_refused() -> None:
    with pytest.raises(CredentialError):
        sample_credential(subject_id="")


@pytest.mark.parametrize("valid_from", ["yesterday", "2025-03-01T10:00:00"])
def test_valid_from_must_be_a_date_time_with_zone(valid_from: str) -> None:
    with pytest.raises(CredentialError):
        sample_credential(valid_from=valid_from)


def test_valid_until_before_valid_from_is_refused() -> None:
    with pytest.raises(CredentialError, match="after"):
        sample_credential(valid_until="2025-02-01T00:00:00Z")


def test_quiz_pass_mark_becomes_a_required_percent() -> None:
    described = ob3.quiz_result_description("https://x/a", "check", "Check", 0.7)
    assert described["requiredValue"] == "70" and described["resultType"] == "Percent"
    assert ob3.percent_result(described["id"], 0.875)["value"] == "87.5"
