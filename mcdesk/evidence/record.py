"""The evidence record (format 1): building, validating, signing as a compact JWS, opening and hashing.

See docs/evidence-format.md. The record is the JWS payload, as RFC 8785 canonical JSON; ``seq`` and
``prev_hash`` chain one device's records (``prev_hash`` is ``record_hash`` of the previous JWS).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, TypedDict

from mcdesk.errors import EvidenceError
from mcdesk.evidence.jcs import canonical, loads_canonical
from mcdesk.evidence.jws import parse_compact, sign_compact, verify_compact

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

TYPE = "mcdesk.evidence"
FORMAT = 1
JWS_TYP = "mcdesk-evidence+jws"
GENESIS_HASH = "0" * 64
MAX_TEXT = 200  # ids, versions: generous, but a record stays small
MAX_SEQ = 2**53 - 1

ActivityType = Literal["lesson", "quiz", "credential"]
VERBS: dict[str, frozenset[str]] = {
    "lesson": frozenset({"completed"}),
    "quiz": frozenset({"passed", "failed"}),
    "credential": frozenset({"earned"}),
}


class Learner(TypedDict):
    id: str
    institution_id: str | None


class PackRef(TypedDict):
    id: str
    version: int
    manifest_sha256: str


class Activity(TypedDict):
    type: ActivityType
    id: str


class Result(TypedDict):
    score: int | float | None
    max: int | float | None
    scaled: int | float | None
    success: bool | None
    completion: bool
    duration: str | None


class Timestamps(TypedDict):
    started: str | None
    completed: str
    recorded: str


class EvidenceRecord(TypedDict):
    type: str
    format: int
    evidence_id: str
    device_id: str
    seq: int
    prev_hash: str
    learner: Learner
    pack: PackRef
    activity: Activity
    verb: str
    result: Result
    responses_sha256: str | None
    timestamps: Timestamps
    app_version: str


_FIELDS: dict[str, frozenset[str]] = {
    "": frozenset(EvidenceRecord.__annotations__),
    "learner": frozenset(Learner.__annotations__),
    "pack": frozenset(PackRef.__annotations__),
    "activity": frozenset(Activity.__annotations__),
    "result": frozenset(Result.__annotations__),
    "timestamps": frozenset(Timestamps.__annotations__),
}
_HEX64 = re.compile(r"[0-9a-f]{64}")
_UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
_RFC3339_Z = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z")
_DURATION = re.compile(r"PT(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,3})?S)?")


# --- helpers for the builder -------------------------------------------------------------------


def new_evidence_id() -> str:
    return str(uuid.uuid4())


def record_hash(jws: str) -> str:
    """Lower-case hex SHA-256 of the compact JWS's ASCII bytes: the chain link and the duplicate key."""
    return hashlib.sha256(jws.encode("ascii")).hexdigest()


def iso_duration(seconds: float) -> str:
    """Whole seconds as an ISO 8601 duration: 252 -> "PT4M12S", 0 -> "PT0S", 3600 -> "PT1H"."""
    total = max(0, int(round(seconds)))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    text = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return text + (f"{secs}S" if secs or text == "PT" else "")


def _parse_utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def duration_between(started: str | None, finished: str | None) -> str | None:
    """The ISO 8601 duration from one RFC 3339 UTC time to another; None when either is unknown or
    the clock went backwards (a duration is never invented)."""
    if not started or not finished:
        return None
    try:
        seconds = (_parse_utc(finished) - _parse_utc(started)).total_seconds()
    except ValueError:
        return None
    return iso_duration(seconds) if seconds >= 0 else None


def responses_sha256(answers: list[dict[str, Any]]) -> str:
    """SHA-256 hex of the canonical JSON of ``[{question_id, response}, ...]`` (in draw order)."""
    items = [{"question_id": a["question_id"], "response": a["response"]} for a in answers]
    return hashlib.sha256(canonical(items)).hexdigest()


def _number(value: int | float | None) -> int | float | None:
    """Integers where integral (so the canonical JSON and the parsed record agree)."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return value


def build_record(*, device_id: str, seq: int, prev_hash: str, learner_id: str, institution_id: str | None,
                 pack_id: str, pack_version: int, manifest_sha256: str, activity_type: str, activity_id: str,
                 verb: str, completed: str, recorded: str, app_version: str, evidence_id: str | None = None,
                 score: int | float | None = None, max_score: int | float | None = None,
                 scaled: int | float | None = None, success: bool | None = None, completion: bool = True,
                 duration: str | None = None, responses_digest: str | None = None,
                 started: str | None = None, validate: bool = True) -> EvidenceRecord:
    """A complete record, validated (raises EvidenceError naming the first bad field) unless
    ``validate`` is False because ``sign_record`` will validate it next anyway."""
    record: EvidenceRecord = {
        "type": TYPE, "format": FORMAT,
        "evidence_id": evidence_id or new_evidence_id(),
        "device_id": device_id, "seq": seq, "prev_hash": prev_hash,
        "learner": {"id": learner_id, "institution_id": institution_id},
        "pack": {"id": pack_id, "version": pack_version, "manifest_sha256": manifest_sha256},
        "activity": {"type": activity_type, "id": activity_id},  # type: ignore[typeddict-item]
        "verb": verb,
        "result": {"score": _number(score), "max": _number(max_score), "scaled": _number(scaled),
                   "success": success, "completion": completion, "duration": duration},
        "responses_sha256": responses_digest,
        "timestamps": {"started": started, "completed": completed, "recorded": recorded},
        "app_version": app_version,
    }
    if validate:
        validate_record(record)
    return record


# --- validation --------------------------------------------------------------------------------


def _fail(field: str, problem: str) -> EvidenceError:
    return EvidenceError(f"The evidence record's field {field!r} {problem}.",
                         "The record is malformed; it was not made by this version of mcdesk or was altered.",
                         code="invalid_record")


def _object(value: Any, field: str) -> dict[str, Any]:
    label = field or "record"
    if not isinstance(value, dict):
        raise EvidenceError(f"The evidence {label} must be a JSON object.", code="invalid_record")
    expected = _FIELDS[field]
    missing = sorted(expected - set(value))
    extra = sorted(set(value) - expected)
    if missing:
        raise _fail(f"{field}.{missing[0]}" if field else missing[0], "is missing")
    if extra:
        raise _fail(f"{field}.{extra[0]}" if field else extra[0], "is not part of format 1")
    return value


def _text(value: Any, field: str, *, null: bool = False) -> None:
    if value is None and null:
        return
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
        raise _fail(field, f"must be a non-empty text of at most {MAX_TEXT} characters" + (" or null" if null else ""))


def _hex64(value: Any, field: str, *, null: bool = False) -> None:
    if value is None and null:
        return
    if not isinstance(value, str) or not _HEX64.fullmatch(value):
        raise _fail(field, "must be 64 lower-case hex characters" + (" or null" if null else ""))


def _int(value: Any, field: str, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= MAX_SEQ:
        raise _fail(field, f"must be a whole number of at least {minimum}")


def _num(value: Any, field: str, *, maximum: float | None = None) -> None:
    if value is None:
        return
    if (isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0
            or value > MAX_SEQ):
        raise _fail(field, "must be a number from 0 to 2**53 - 1, or null")
    if maximum is not None and value > maximum:
        raise _fail(field, f"must be at most {maximum:g}")


def _time(value: Any, field: str, *, null: bool = False) -> None:
    if value is None and null:
        return
    if not isinstance(value, str) or not _RFC3339_Z.fullmatch(value):
        raise _fail(field, "must be an RFC 3339 UTC time such as 2024-05-01T09:30:00Z")
    try:
        _parse_utc(value)
    except ValueError as exc:
        raise _fail(field, "is not a real date and time") from exc


def validate_record(record: Any) -> EvidenceRecord:
    """Check every field of a format 1 record; raises EvidenceError naming the first bad one."""
    top = _object(record, "")
    if top["type"] != TYPE:
        raise _fail("type", f"must be {TYPE!r}")
    if isinstance(top["format"], bool) or top["format"] != FORMAT:
        raise _fail("format", f"must be {FORMAT}")
    if not isinstance(top["evidence_id"], str) or not _UUID4.fullmatch(top["evidence_id"]):
        raise _fail("evidence_id", "must be a lower-case UUID version 4")
    _hex64(top["device_id"], "device_id")
    _int(top["seq"], "seq", 1)
    _hex64(top["prev_hash"], "prev_hash")
    if (top["seq"] == 1) != (top["prev_hash"] == GENESIS_HASH):
        raise _fail("prev_hash", "must be 64 zeros for seq 1, and only for seq 1")

    learner = _object(top["learner"], "learner")
    _text(learner["id"], "learner.id")
    _text(learner["institution_id"], "learner.institution_id", null=True)

    pack = _object(top["pack"], "pack")
    _text(pack["id"], "pack.id")
    _int(pack["version"], "pack.version", 1)
    _hex64(pack["manifest_sha256"], "pack.manifest_sha256")

    activity = _object(top["activity"], "activity")
    kind = activity["type"]
    if kind not in VERBS:
        raise _fail("activity.type", "must be 'lesson', 'quiz' or 'credential'")
    _text(activity["id"], "activity.id")
    if kind == "credential" and not activity["id"].startswith(pack["id"] + "/"):
        raise _fail("activity.id", "of a credential must be '<pack id>/<credential id>' of the record's pack")
    if top["verb"] not in VERBS[kind]:
        raise _fail("verb", f"of a {kind} must be " + " or ".join(repr(v) for v in sorted(VERBS[kind])))

    result = _object(top["result"], "result")
    _num(result["score"], "result.score")
    _num(result["max"], "result.max")
    _num(result["scaled"], "result.scaled", maximum=1)
    if result["score"] is not None and result["max"] is not None and result["score"] > result["max"]:
        raise _fail("result.score", "must not be more than result.max")
    if result["success"] is not None and not isinstance(result["success"], bool):
        raise _fail("result.success", "must be true, false or null")
    if kind == "quiz" and result["success"] is not (top["verb"] == "passed"):
        raise _fail("result.success", f"must be {str(top['verb'] == 'passed').lower()} when the verb is "
                    f"{top['verb']!r}")
    if not isinstance(result["completion"], bool):
        raise _fail("result.completion", "must be true or false")
    if result["duration"] is not None and (not isinstance(result["duration"], str)
                                           or not _DURATION.fullmatch(result["duration"])):
        raise _fail("result.duration", "must be an ISO 8601 duration such as PT4M12S, or null")

    if kind == "quiz":
        _hex64(top["responses_sha256"], "responses_sha256")
    elif top["responses_sha256"] is not None:
        raise _fail("responses_sha256", f"must be null for a {kind}")

    times = _object(top["timestamps"], "timestamps")
    _time(times["started"], "timestamps.started", null=True)
    _time(times["completed"], "timestamps.completed")
    _time(times["recorded"], "timestamps.recorded")
    _text(top["app_version"], "app_version")
    return top  # type: ignore[return-value]


# --- signing and opening -----------------------------------------------------------------------


def _plain_number(value: Any) -> bool:
    """Numbers whose Python JSON form is already their RFC 8785 form: None, integers, and non-integral
    floats from 1e-4 to 1e16 (where both print the shortest round-trip digits without an exponent)."""
    if value is None or isinstance(value, int):
        return True
    return isinstance(value, float) and not value.is_integer() and 1e-4 <= abs(value) < 1e16


def canonical_record(record: EvidenceRecord) -> bytes:
    """The RFC 8785 bytes of a *validated* record. Its keys are fixed ASCII names, so sorted keys are
    in RFC 8785 order and the C JSON encoder gives the canonical bytes whenever its numbers are plain
    (the usual case; the tests compare with the rfc8785 package); otherwise the general encoder."""
    result = record["result"]
    if _plain_number(result["score"]) and _plain_number(result["max"]) and _plain_number(result["scaled"]):
        try:
            return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                              allow_nan=False).encode("utf-8")
        except UnicodeEncodeError as exc:
            raise EvidenceError("The record cannot be written as canonical JSON: it holds a lone surrogate.",
                                code="not_canonical") from exc
    return canonical(record)


def sign_record(private_key: Ed25519PrivateKey, record: EvidenceRecord) -> str:
    """Validate ``record`` and sign its canonical bytes as a compact JWS (kid = its device_id)."""
    validate_record(record)
    return sign_compact(private_key, record["device_id"], canonical_record(record), JWS_TYP)


def _record_of(payload: bytes, kid: str) -> EvidenceRecord:
    record = validate_record(loads_canonical(payload, "The evidence record"))
    if record["device_id"] != kid:
        raise EvidenceError("The record's device_id is not the key id it was signed with.",
                            "The record was altered or made by another device.", code="invalid_record")
    return record


def open_record(jws: str, public_key: Ed25519PublicKey | bytes) -> EvidenceRecord:
    """Verify ``jws`` with the device's public key (object or 32 raw bytes) and return its record:
    header exactly EdDSA + kid + our typ, the key's id equal to the kid and the record's device_id,
    payload canonical and valid. Raises EvidenceError saying what is wrong."""
    from mcdesk.keys import public_from_raw, raw_public

    if isinstance(public_key, bytes | bytearray):
        raw = bytes(public_key)
        try:
            public_key = public_from_raw(raw)
        except Exception as exc:  # TrustError for a wrong length
            raise EvidenceError(str(exc), code="bad_signature") from exc
    else:
        raw = raw_public(public_key)
    parsed = verify_compact(jws, public_key, typ=JWS_TYP, kid=hashlib.sha256(raw).hexdigest())
    return _record_of(parsed.payload_bytes, parsed.header["kid"])


def read_unverified(jws: str) -> EvidenceRecord:
    """The record inside ``jws`` WITHOUT checking its signature (for reporting which record a refused
    JWS claims to be). Format checks still apply; never trust the result."""
    parsed = parse_compact(jws)
    if parsed.header["typ"] != JWS_TYP:
        raise EvidenceError(f"The JWS type is {parsed.header['typ']!r}, not {JWS_TYP!r}.", code="bad_header")
    return _record_of(parsed.payload_bytes, parsed.header["kid"])
