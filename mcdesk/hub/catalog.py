"""The catalog endpoints: the signed catalog, and pack files streamed from disk with HTTP Range.

GET /api/v1/catalog answers the newest signed catalog; GET /api/v1/packs/{id}/{version} answers the
.mcpack (200), one byte range of it (206, resuming a cut-off download) or 416 for a range it cannot
serve. The ETag is the quoted sha256 of the file, so a device resuming with If-Range gets the whole
file again (200) when the pack was replaced since it started.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Path, Request
from fastapi.responses import JSONResponse, StreamingResponse

from mcdesk.hub.errors import HubError, error_responses
from mcdesk.hub.logs import log_event
from mcdesk.hub.packs import latest_catalog, published

CHUNK = 256 * 1024
PACK_MEDIA_TYPE = "application/vnd.mcdesk.pack+zip"
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")
MAX_PACK_VERSION = 2**53  # as the manifest allows; a bigger number is refused (422), never sent to SQLite
_PACK_BYTES = {"description": "The .mcpack file (200) or the asked byte range of it (206)",
               "content": {PACK_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}}


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive

    @property
    def length(self) -> int:
        return self.end - self.start + 1


class Unsatisfiable(Exception):
    """The Range header asks for bytes this file cannot give (or is malformed): 416."""


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """The one byte range ``header`` asks for in a file of ``size`` bytes; None for the whole file
    (no header, or a unit other than bytes, which HTTP says to ignore). Raises Unsatisfiable for a
    malformed range, several ranges, or one that starts past the end."""
    if header is None:
        return None
    text = header.strip()
    if not text.lower().startswith("bytes="):
        return None
    match = _RANGE.fullmatch(text.replace(" ", ""))
    if match is None or (not match.group(1) and not match.group(2)):
        raise Unsatisfiable(f"the Range header {header[:80]!r} is not one byte range")
    first, last = match.group(1), match.group(2)
    if not first:  # bytes=-N: the last N bytes
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise Unsatisfiable("an empty suffix range")
        return ByteRange(max(0, size - suffix), size - 1)
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        raise Unsatisfiable(f"bytes {start}- are past the end of the {size}-byte file")
    return ByteRange(start, end)


def add_catalog_routes(app: FastAPI, hub: Any, current_device: Any) -> None:
    """Register the catalog and pack endpoints on ``app``; ``current_device`` is the app's bearer-token
    dependency (401/403 for anything but an enrolled device)."""
    device_auth = Depends(current_device)

    @app.get("/api/v1/catalog", tags=["catalog"], responses=error_responses(401, 403, 404))
    def get_catalog(device: Any = device_auth) -> dict[str, Any]:
        """The newest catalog the institution signed: {"catalog": compact JWS (typ mcdesk-catalog+jws,
        EdDSA by the institution key pinned at enrolment), "version", "expires"}. 404 no_catalog before
        the first `mcdesk hub publish`."""
        catalog = latest_catalog(hub.store)
        if catalog is None:
            raise HubError("The institution has not published any pack yet.",
                           "Ask its administrator to publish packs with `mcdesk hub publish`.",
                           code="no_catalog", status=404)
        return {"catalog": catalog.jws, "version": catalog.version, "expires": catalog.expires}

    @app.get("/api/v1/packs/{pack_id}/{version}", tags=["catalog"], response_class=StreamingResponse,
             responses={200: _PACK_BYTES, 206: _PACK_BYTES, **error_responses(401, 403, 404, 416, 422)})
    def get_pack(pack_id: str, version: Annotated[int, Path(ge=1, le=MAX_PACK_VERSION)], request: Request,
                 device: Any = device_auth) -> Any:
        """The .mcpack file. Range: bytes=N- (or N-M, -N) answers 206 with Content-Range; a range it
        cannot serve answers 416. ETag is the quoted sha256; If-Range with another ETag gets the whole
        file (200)."""
        pack = published(hub.store, hub.data, pack_id, version)
        if pack is None:
            raise HubError(f"The hub has no pack {pack_id!r} version {version}.",
                           "Fetch the catalog again: it lists what can be downloaded.",
                           code="unknown_pack", status=404)
        try:
            handle = open(pack.file, "rb")  # noqa: SIM115 - closed by the streaming generator
        except OSError as exc:
            raise HubError(f"The file of {pack_id} version {version} is missing at the hub.",
                           "Ask the hub's administrator to publish the pack again.",
                           code="pack_file_missing", status=500) from exc
        etag = f'"{pack.sha256}"'
        headers = {"Accept-Ranges": "bytes", "ETag": etag, "Cache-Control": "private, no-transform"}
        if_range = request.headers.get("if-range")
        asked = request.headers.get("range") if if_range in (None, etag) else None
        try:
            byte_range = parse_range(asked, pack.length)
        except Unsatisfiable as exc:
            handle.close()
            log_event("pack_range_refused", level=logging.WARNING, device_id=device.device_id,
                      pack_id=pack_id, version=version, reason=str(exc))
            return JSONResponse(
                {"detail": {"code": "range_not_satisfiable",
                            "message": f"The hub cannot serve that part of {pack_id} version {version}: {exc}.",
                            "hint": "Ask for one range within the file, e.g. Range: bytes=N-, or for the whole file."}},
                status_code=416, headers={**headers, "Content-Range": f"bytes */{pack.length}"})
        if byte_range is None:
            byte_range, status = ByteRange(0, pack.length - 1), 200
        else:
            status = 206
            headers["Content-Range"] = f"bytes {byte_range.start}-{byte_range.end}/{pack.length}"
        headers["Content-Length"] = str(byte_range.length)
        log_event("pack_download", device_id=device.device_id, pack_id=pack_id, version=version, status=status,
                  start=byte_range.start, end=byte_range.end, length=pack.length)
        return StreamingResponse(_stream(handle, byte_range), status_code=status, headers=headers,
                                 media_type=PACK_MEDIA_TYPE)


def _stream(handle: Any, byte_range: ByteRange) -> Iterator[bytes]:
    """The bytes of ``byte_range`` from the open file, in chunks; closes the file at the end."""
    with handle:
        handle.seek(byte_range.start)
        left = byte_range.length
        while left > 0:
            chunk = handle.read(min(CHUNK, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk
