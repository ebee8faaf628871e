"""RFC 8785 (JSON Canonicalization Scheme) bytes, and a strict reader that accepts only canonical JSON."""

from __future__ import annotations

import json
from json.encoder import encode_basestring as _encode_basestring  # C: escapes exactly as RFC 8785
from typing import Any

from mcdesk.errors import EvidenceError

_MAX_INT = 2**53 - 1  # beyond this an integer is not exact in an IEEE 754 double (RFC 8785 3.2.2.3)


def canonical(obj: Any) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of ``obj`` (dicts, lists, str, int, float, bool, None).

    Refuses what JSON cannot carry exactly: NaN/infinity, integers beyond 2**53-1, non-string keys,
    lone surrogates, other Python types. Byte-for-byte the output of the ``rfc8785`` package (the
    tests compare them on generated values); this encoder is several times faster, which matters
    because every evidence record is canonicalised when it is signed.
    """
    parts: list[str] = []
    try:
        _encode(obj, parts)
        return "".join(parts).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise EvidenceError("The value cannot be written as canonical JSON: it holds a lone surrogate.",
                            code="not_canonical") from exc
    except RecursionError as exc:
        raise EvidenceError("The value is nested too deeply for canonical JSON.", code="not_canonical") from exc


def _utf16_order(key: str) -> bytes:
    """RFC 8785 sorts keys by their UTF-16 code units (for ASCII keys, plain string order is the same)."""
    return key.encode("utf-16-be", "surrogatepass")


def _encode(obj: Any, parts: list[str]) -> None:
    if obj is None:
        parts.append("null")
    elif obj is True:
        parts.append("true")
    elif obj is False:
        parts.append("false")
    elif isinstance(obj, str):
        parts.append(_encode_str(obj))
    elif isinstance(obj, int):
        if not -_MAX_INT <= obj <= _MAX_INT:
            raise EvidenceError(f"The integer {obj} is beyond what canonical JSON carries exactly (2**53 - 1).",
                                code="not_canonical")
        parts.append(str(int(obj)))
    elif isinstance(obj, float):
        parts.append(_encode_float(obj))
    elif isinstance(obj, dict):
        if not all(isinstance(k, str) for k in obj):
            raise EvidenceError("The value cannot be written as canonical JSON: object keys must be text.",
                                code="not_canonical")
        parts.append("{")
        first = True
        keys = sorted(obj) if all(k.isascii() for k in obj) else sorted(obj, key=_utf16_order)
        for key in keys:
            if not first:
                parts.append(",")
            first = False
            parts.append(_encode_str(key))
            parts.append(":")
            _encode(obj[key], parts)
        parts.append("}")
    elif isinstance(obj, list | tuple):
        parts.append("[")
        for n, item in enumerate(obj):
            if n:
                parts.append(",")
            _encode(item, parts)
        parts.append("]")
    else:
        raise EvidenceError(f"The value cannot be written as canonical JSON: {type(obj).__name__} is not JSON.",
                            code="not_canonical")


def _encode_str(text: str) -> str:
    if not text.isascii():
        text.encode("utf-8")  # a lone surrogate raises UnicodeEncodeError here
    return _encode_basestring(text)


def _encode_float(number: float) -> str:
    """ECMAScript Number.prototype.toString, as RFC 8785 requires (delegated to the rfc8785 package)."""
    import rfc8785

    try:
        return rfc8785.dumps(number).decode("ascii")
    except rfc8785.CanonicalizationError as exc:
        raise EvidenceError(f"The number {number} cannot be written as canonical JSON.", code="not_canonical") from exc


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise EvidenceError(f"The JSON names the key {key!r} twice.", code="not_canonical")
        result[key] = value
    return result


def _parse_int(digits: str) -> int | float:
    """JSON numbers are doubles: an integer beyond 2**53 - 1 is read as the double it stands for."""
    value = int(digits)
    return value if -_MAX_INT <= value <= _MAX_INT else float(digits)


def _no_constant(name: str) -> Any:
    raise EvidenceError(f"The JSON holds {name}, which canonical JSON does not allow.", code="not_canonical")


def loads_canonical(data: bytes, what: str = "The JSON") -> Any:
    """Parse ``data`` and return it, refusing anything that is not byte-for-byte canonical JSON
    (other spacing, key order, number forms, escapes, duplicate keys, a BOM, invalid UTF-8)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EvidenceError(f"{what} is not valid UTF-8.", code="not_canonical") from exc
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise EvidenceError(f"{what} is not JSON ({exc.msg} at position {exc.pos}).", code="malformed") from exc
    except RecursionError as exc:
        raise EvidenceError(f"{what} is nested too deeply.", code="malformed") from exc
    if canonical(value) != data:
        raise EvidenceError(f"{what} is not in RFC 8785 canonical form.",
                            "Records are signed over their canonical bytes; re-serialising them breaks them.",
                            code="not_canonical")
    return value
