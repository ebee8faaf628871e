"""Request bodies under limits: a capped read, gzip inflated incrementally (a zip bomb stops at the
cap), and the evidence batch envelope {"records": [...]}."""

from __future__ import annotations

import json
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from mcdesk.hub.errors import HubError

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_body: int = 2 * MiB  # bytes on the wire (compressed or not)
    max_inflated: int = 2 * MiB  # bytes after gunzip
    max_records: int = 500  # records in one batch
    max_small_body: int = 64 * 1024  # every other request (enrolment)


LIMITS = Limits()


def too_large(what: str, cap: int, hint: str = "Send smaller batches (the sync client does).") -> HubError:
    return HubError(f"The {what} is larger than the hub accepts ({_size(cap)}).", hint,
                    code="too_large", status=413)


def _size(n: int) -> str:
    return f"{n // MiB} MiB" if n % MiB == 0 else f"{n // 1024} KiB"


def check_declared_length(content_length: str | None, cap: int) -> None:
    """Refuse at once a body whose Content-Length is over the cap (nothing is read)."""
    if content_length is None:
        return
    try:
        declared = int(content_length)
    except ValueError as exc:
        raise HubError("The Content-Length header is not a number.", code="bad_request", status=400) from exc
    if declared > cap:
        raise too_large("request body", cap)


async def read_capped(chunks: AsyncIterator[bytes], cap: int) -> bytes:
    """Collect a streamed body, stopping with 413 as soon as it passes ``cap`` bytes."""
    body = bytearray()
    async for chunk in chunks:
        body += chunk
        if len(body) > cap:
            raise too_large("request body", cap)
    return bytes(body)


def decode_body(body: bytes, content_encoding: str | None, cap: int) -> bytes:
    """The body as sent ('identity') or gunzipped ('gzip'), never more than ``cap`` bytes."""
    encoding = (content_encoding or "identity").strip().lower()
    if encoding in ("", "identity"):
        if len(body) > cap:
            raise too_large("request body", cap)
        return body
    if encoding in ("gzip", "x-gzip"):
        return gunzip_capped(body, cap)
    raise HubError(f"The body's Content-Encoding {content_encoding!r} is not supported.",
                   "Send the body plain or with Content-Encoding: gzip.", code="unsupported_encoding", status=415)


def gunzip_capped(data: bytes, cap: int) -> bytes:
    """Inflate gzip data (one or more members) a bounded step at a time: 413 as soon as the output
    would pass ``cap``, 400 when the data is not gzip or is cut short."""
    out = bytearray()
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    pending = data
    try:
        while True:
            chunk = inflater.decompress(pending, cap + 1 - len(out))
            out += chunk
            if len(out) > cap:
                raise too_large("request body, once inflated,", cap)
            if inflater.eof:
                rest = inflater.unused_data
                if not rest:
                    return bytes(out)
                inflater, pending = zlib.decompressobj(16 + zlib.MAX_WBITS), rest  # another gzip member
                continue
            pending = inflater.unconsumed_tail
            if not chunk and not pending:
                raise HubError("The gzip body is cut short.", "Send the whole body again.",
                               code="bad_gzip", status=400)
    except zlib.error as exc:
        raise HubError(f"The body is not valid gzip ({exc}).",
                       "Send it plain, or gzip'd with Content-Encoding: gzip.", code="bad_gzip", status=400) from exc


def parse_batch(body: bytes, max_records: int) -> list[Any]:
    """The ``records`` list of an evidence batch; entries are checked one by one by the intake."""
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise HubError("The request body is not JSON.", 'Send {"records": ["<jws>", ...]}.',
                       code="bad_json", status=400) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("records"), list):
        raise HubError('The request body must be a JSON object with a "records" list.',
                       'Send {"records": ["<jws>", ...]}.', code="bad_request", status=422)
    records = doc["records"]
    if len(records) > max_records:
        raise HubError(f"The batch holds {len(records)} records; at most {max_records} are accepted at once.",
                       "Send smaller batches (the sync client does).", code="too_many_records", status=413)
    return records
