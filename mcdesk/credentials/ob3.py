"""The Open Badges 3.0 OpenBadgeCredential (VC Data Model 2.0 form) and its parts, built from plain values."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from mcdesk.errors import CredentialError

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
CREDENTIAL_TYPE = ["VerifiableCredential", "OpenBadgeCredential"]
ACHIEVEMENT_TYPE = "MicroCredential"
_SLUG = re.compile(r"[^a-z0-9]+")


def timestamp(when: datetime | None = None) -> str:
    """An XML Schema dateTime in UTC with a "Z", to the second (what validFrom / validUntil hold)."""
    when = when or datetime.now(UTC)
    return when.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_timestamp(text: Any, what: str) -> datetime:
    """A dateTime with a time zone (``Z`` or an offset) as an aware datetime; anything else is refused."""
    if not isinstance(text, str):
        raise CredentialError(f"The credential's {what} is not a date and time.", code="not_a_credential")
    try:
        when = datetime.fromisoformat(text)
    except ValueError as exc:
        raise CredentialError(f"The credential's {what} ({text!r}) is not a date and time.",
                              code="not_a_credential") from exc
    if when.tzinfo is None:
        raise CredentialError(f"The credential's {what} ({text!r}) has no time zone.", code="not_a_credential")
    return when


def identity_hash(value: str, salt: str) -> str:
    """OB 3.0 IdentityHash: "sha256$" + hex SHA-256 of the UTF-8 of value followed by salt."""
    import hashlib  # loads OpenSSL: only when a hash is computed, never on the app's start path

    return "sha256$" + hashlib.sha256((value + salt).encode("utf-8")).hexdigest()


def identity_object(value: str, salt: str, identity_type: str = "identifier") -> dict[str, Any]:
    """A hashed IdentityObject for ``value`` (an institution learner id): only the hash and salt travel."""
    return {"type": "IdentityObject", "hashed": True, "identityHash": identity_hash(value, salt),
            "identityType": identity_type, "salt": salt}


def issuer_profile(issuer_id: str, name: str, *, url: str | None = None, email: str | None = None,
                   description: str | None = None) -> dict[str, Any]:
    """The issuer Profile embedded in credentials (and, with more, served at the issuer URL)."""
    profile: dict[str, Any] = {"id": issuer_id, "type": ["Profile"], "name": name}
    if url:
        profile["url"] = url
    if email:
        profile["email"] = email
    if description:
        profile["description"] = description
    return profile


def alignment(skill: dict[str, Any], fallback_url: str) -> dict[str, Any]:
    """An Alignment from a manifest skill {name, framework?, url?, code?}; targetUrl is required by OB 3.0,
    so a skill without a url points at ``fallback_url`` plus a fragment naming the skill."""
    name = str(skill["name"])
    target = {"type": ["Alignment"], "targetName": name,
              "targetUrl": skill.get("url") or f"{fallback_url}#skill-{_SLUG.sub('-', name.lower()).strip('-')}",
              "targetType": "ceasn:Competency"}
    if skill.get("framework"):
        target["targetFramework"] = str(skill["framework"])
    if skill.get("code"):
        target["targetCode"] = str(skill["code"])
    return target


def build_achievement(achievement_id: str, *, name: str, description: str, narrative: str,
                      skills: Sequence[dict[str, Any]] = (), hours: float | None = None,
                      result_descriptions: Sequence[dict[str, Any]] = (),
                      level: str | None = None, language: str | None = None,
                      creator: dict[str, Any] | None = None) -> dict[str, Any]:
    """An Achievement of type MicroCredential. OB 3.0 has no field for study hours, so ``hours`` is said in
    the criteria narrative (and ``level`` as a tag), where every viewer shows it."""
    text = narrative.strip()
    if hours is not None:
        text += f"\n\nEstimated study time: {_hours(hours)}."
    achievement: dict[str, Any] = {
        "id": achievement_id, "type": ["Achievement"], "achievementType": ACHIEVEMENT_TYPE,
        "name": name, "description": description,
        "criteria": {"id": achievement_id + "#criteria", "narrative": text},
    }
    if skills:
        achievement["alignment"] = [alignment(skill, achievement_id) for skill in skills]
    if result_descriptions:
        achievement["resultDescription"] = list(result_descriptions)
    if level:
        achievement["tag"] = [level]
    if language:
        achievement["inLanguage"] = language
    if creator:
        achievement["creator"] = creator
    return achievement


def _hours(hours: float) -> str:
    value = int(hours) if float(hours).is_integer() else hours
    return f"{value} hour" if value == 1 else f"{value} hours"


def pass_result_description(achievement_id: str, narrative: str) -> dict[str, Any]:
    """The ResultDescription for "passed at the pass mark": a Status result whose required value is Completed."""
    return {"id": achievement_id + "#result", "type": ["ResultDescription"], "name": narrative,
            "resultType": "Status", "allowedValue": ["Completed"], "requiredValue": "Completed"}


def quiz_result_description(achievement_id: str, quiz_id: str, title: str,
                            pass_mark: float | None) -> dict[str, Any]:
    """A Percent ResultDescription for one quiz; its pass mark (a fraction) becomes the required percent."""
    description: dict[str, Any] = {"id": f"{achievement_id}#quiz-{quiz_id}", "type": ["ResultDescription"],
                                   "name": title, "resultType": "Percent", "valueMin": "0", "valueMax": "100"}
    if pass_mark is not None:
        description["requiredValue"] = _percent(pass_mark)
    return description


def _percent(fraction: float) -> str:
    value = round(float(fraction) * 100, 1)
    return str(int(value)) if value.is_integer() else str(value)


def status_result(description_id: str) -> dict[str, Any]:
    return {"type": ["Result"], "resultDescription": description_id, "status": "Completed"}


def percent_result(description_id: str, scaled: float) -> dict[str, Any]:
    return {"type": ["Result"], "resultDescription": description_id, "value": _percent(scaled)}


def build_credential(*, credential_id: str, issuer: dict[str, Any], subject_id: str, achievement: dict[str, Any],
                     valid_from: str, name: str | None = None, description: str | None = None,
                     identifier: list[dict[str, Any]] | None = None, result: list[dict[str, Any]] | None = None,
                     credential_status: dict[str, Any] | None = None, valid_until: str | None = None,
                     awarded_date: str | None = None) -> dict[str, Any]:
    """An OpenBadgeCredential: @context (VC 2.0 + OB 3.0.3), type, id, issuer Profile, validFrom
    (validUntil), credentialSubject (AchievementSubject with id, hashed identifier, achievement, result)
    and credentialStatus. ``subject_id`` is required: the VC-JWT's ``sub`` claim is made from it."""
    if not subject_id:
        raise CredentialError("A credential needs a subject id (the JWT sub claim is made from it).",
                              code="not_a_credential")
    parse_timestamp(valid_from, "validFrom")
    subject: dict[str, Any] = {"id": subject_id, "type": ["AchievementSubject"], "achievement": achievement}
    if identifier:
        subject["identifier"] = list(identifier)
    if result:
        subject["result"] = list(result)
    credential: dict[str, Any] = {
        "@context": list(CONTEXT), "id": credential_id, "type": list(CREDENTIAL_TYPE),
        "name": name or achievement["name"], "issuer": issuer, "validFrom": valid_from,
    }
    if description:
        credential["description"] = description
    if awarded_date:
        credential["awardedDate"] = awarded_date
    if valid_until:
        if parse_timestamp(valid_until, "validUntil") <= parse_timestamp(valid_from, "validFrom"):
            raise CredentialError("validUntil must come after validFrom.", code="not_a_credential")
        credential["validUntil"] = valid_until
    credential["credentialSubject"] = subject
    if credential_status:
        credential["credentialStatus"] = credential_status
    return credential


def issuer_id(credential: dict[str, Any]) -> str | None:
    """The issuer's id, whether ``issuer`` is a Profile object or a bare URI."""
    issuer = credential.get("issuer")
    if isinstance(issuer, str):
        return issuer
    if isinstance(issuer, dict) and isinstance(issuer.get("id"), str):
        return issuer["id"]
    return None


def subject_id(credential: dict[str, Any]) -> str | None:
    subject = credential.get("credentialSubject")
    if isinstance(subject, dict) and isinstance(subject.get("id"), str):
        return subject["id"]
    return None
