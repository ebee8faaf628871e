"""The hub's HTTP API (FastAPI): health, enrolment, evidence intake and the changes feed under /api/v1.

Every refusal is a 4xx with {"detail": {"code", "message", "hint"}}. Database work runs in worker
threads; bodies are read under limits before any of it.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, FastAPI, Query, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPBearer
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from mcdesk import __version__
from mcdesk.errors import McdeskError
from mcdesk.hub import issuer
from mcdesk.hub.bodies import LIMITS, Limits, check_declared_length, decode_body, parse_batch, read_capped
from mcdesk.hub.catalog import add_catalog_routes
from mcdesk.hub.devices import Device, authenticate, enrol
from mcdesk.hub.errors import HubError, error_responses
from mcdesk.hub.institution import Institution, load_institution, read_institution
from mcdesk.hub.intake import MAX_FEED_PAGE, RecordResult, changes, counts, intake
from mcdesk.hub.logs import log_event
from mcdesk.hub.store import HubData, HubStore, open_store

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

API = "/api/v1"
EVIDENCE_PATH = f"{API}/evidence"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass
class HubContext:
    """What every request needs: the data folder, the database and the institution."""

    data: HubData
    store: HubStore
    key: Ed25519PrivateKey
    limits: Limits

    def institution(self) -> Institution:
        return read_institution(self.store, self.key)


# --- the documented shapes (OpenAPI) ---------------------------------------------------------


class InstitutionRef(BaseModel):
    id: str
    name: str


class Health(BaseModel):
    status: str = "ok"
    version: str
    institution: InstitutionRef


class EnrolRequest(BaseModel):
    code: str = Field(max_length=64, description="one-time code, e.g. K7QM-3XWD-9FRT (case and dashes optional)")
    public_key: str = Field(max_length=128, description="base64url of the device's raw 32-byte Ed25519 public key")
    device_name: str = Field(max_length=200, description="how the technician names this laptop")
    proof: str = Field(max_length=128, description="base64url Ed25519 signature by the device key over "
                       "'mcdesk-enrol-v1' LF code LF public_key LF device_name (exactly as sent)")


class InstitutionProfile(BaseModel):
    id: str
    name: str
    url: str | None


class Jwk(BaseModel):
    kid: str
    kty: str
    crv: str
    x: str
    use: str
    alg: str


class EnrolResponse(BaseModel):
    device_id: str
    device_token: str = Field(description="send as 'Authorization: Bearer <token>'; shown once")
    institution: InstitutionProfile
    institution_keys: list[Jwk]
    issuer_keys: dict[str, Any] = Field(description="the JWK Set {\"keys\": [...]} of the RSA keys credentials "
                                        "are signed with (also at /.well-known/jwks.json)")


class EvidenceBatch(BaseModel):
    records: list[str] = Field(description="compact JWS evidence records, in seq order", max_length=500)


class RecordResultModel(BaseModel):
    evidence_id: str | None
    seq: int | None
    status: str = Field(description="accepted | duplicate | rejected")
    reason: str | None = Field(description="'<code>: <sentence>' when rejected")


class EvidenceResponse(BaseModel):
    results: list[RecordResultModel]


class FeedItem(BaseModel):
    cursor: int
    kind: str = Field(description="ack | credential | revocation | issuer_keys (see docs/hub.md)")
    body: dict[str, Any]


class ChangesResponse(BaseModel):
    items: list[FeedItem]
    next: int = Field(description="the cursor to ask after next time")
    more: bool


ERRORS = error_responses(400, 401, 403, 409, 413, 415, 422)
# A JSON int the database can hold: a bigger cursor is refused (422) rather than overflowing SQLite.
MAX_CURSOR = 2**63 - 1


# --- the app ---------------------------------------------------------------------------------


def create_app(data_dir: str | Path | None = None, limits: Limits = LIMITS) -> FastAPI:
    """The hub's ASGI app over the data folder ``data_dir`` (opened, migrated and initialised now)."""
    data = HubData.open(data_dir)
    store = open_store(data)
    try:
        institution = load_institution(store, data)
        issuer.active_key(store)  # the first start makes the issuer key; enrolment answers carry it
    except BaseException:
        store.close()
        raise
    hub = HubContext(data, store, institution.private_key, limits)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        log_event("start", data=str(data.root), institution_id=institution.id, version=__version__)
        issuer.issue_pending(store)  # packs published after a learner's evidence came in
        yield
        store.close()
        log_event("stop")

    app = FastAPI(title="mcdesk hub", version=__version__, lifespan=lifespan,
                  description="The reference institution hub of mcdesk: enrolment, signed evidence intake "
                              "and each device's changes feed. See docs/hub.md.")
    app.state.hub = hub
    _add_error_handlers(app)
    _add_routes(app, hub)
    add_catalog_routes(app, hub, current_device)
    _add_issuer_routes(app, hub)
    app.add_middleware(_RequestGuard, small_cap=limits.max_small_body)  # type: ignore[arg-type]
    return app


_bearer = HTTPBearer(auto_error=False, description="the device token from enrolment")


def current_device(request: Request, _: Annotated[Any, Security(_bearer)]) -> Device:
    """The device whose bearer token came with the request (401/403 otherwise)."""
    hub: HubContext = request.app.state.hub
    try:
        device = authenticate(hub.store, request.headers.get("authorization"))
    except HubError as exc:
        log_event("auth_refused", level=logging.WARNING, code=exc.code, path=request.url.path)
        raise
    request.state.device_id = device.device_id
    return device


AuthenticatedDevice = Annotated[Device, Depends(current_device)]


def _add_routes(app: FastAPI, hub: HubContext) -> None:
    @app.get(f"{API}/health", response_model=Health, tags=["hub"])
    def health() -> dict[str, Any]:
        """Whether the hub is up, its version and institution (no authentication)."""
        institution = hub.institution()
        return {"status": "ok", "version": __version__,
                "institution": {"id": institution.id, "name": institution.name}}

    @app.post(f"{API}/enrol", response_model=EnrolResponse, responses=ERRORS, tags=["devices"])
    def enrol_device(body: EnrolRequest, request: Request) -> dict[str, Any]:
        """Use a one-time code to enrol a device's public key. The same key enrolling again keeps its
        device_id and gets a new token. Errors: 403 code_unknown / code_used / device_revoked,
        400 bad_public_key / bad_device_name / bad_proof."""
        try:
            done = enrol(hub.store, body.code, body.public_key, body.device_name, body.proof)
        except HubError as exc:
            log_event("enrol_refused", level=logging.WARNING, code=exc.code)
            raise
        request.state.device_id = done.device.device_id
        log_event("enrol", device_id=done.device.device_id, device_name=done.device.name, again=done.again)
        issuer.public_base(hub.store, str(request.base_url).rstrip("/"))  # fixes the issuer's URLs once
        institution = hub.institution()
        return {"device_id": done.device.device_id, "device_token": done.device_token,
                "institution": institution.profile(url_fallback=str(request.base_url).rstrip("/")),
                "institution_keys": [institution.public_jwk()],
                "issuer_keys": {"keys": issuer.jwks(hub.store)}}

    @app.post(EVIDENCE_PATH, response_model=EvidenceResponse, responses=ERRORS, tags=["evidence"],
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/json": {"schema": EvidenceBatch.model_json_schema()}}}})
    async def post_evidence(request: Request, device: AuthenticatedDevice) -> dict[str, Any]:
        """A batch of signed records (at most 500, 2 MiB after gunzip; Content-Encoding: gzip welcome).
        Answers per record, in order: accepted, duplicate or rejected with '<code>: <sentence>'."""
        limits = hub.limits
        check_declared_length(request.headers.get("content-length"), limits.max_body)
        try:
            raw = await read_capped(request.stream(), limits.max_body)
        except ClientDisconnect as exc:  # the link dropped mid-upload: nothing was stored, the client resends
            log_event("client_disconnected", level=logging.WARNING, device_id=device.device_id)
            raise HubError("The upload was cut off.", "Send the batch again.", code="incomplete_body") from exc
        encoding = request.headers.get("content-encoding")

        def take_in() -> tuple[list[Any], list[RecordResult]]:  # CPU and disk work, off the event loop
            records = parse_batch(decode_body(raw, encoding, limits.max_inflated), limits.max_records)
            return records, intake(hub.store, device, records, "http")

        records, results = await run_in_threadpool(take_in)
        tally = counts(results)
        rejections: dict[str, int] = {}
        for r in results:
            if r.reason:
                code = r.reason.split(":", 1)[0]
                rejections[code] = rejections.get(code, 0) + 1
        log_event("evidence", device_id=device.device_id, records=len(records), bytes=len(raw),
                  gzip=bool(encoding and "gzip" in encoding.lower()), rejections=rejections, **tally)
        return {"results": [r.as_json() for r in results]}

    @app.get(f"{API}/changes", response_model=ChangesResponse, responses=ERRORS, tags=["evidence"])
    def get_changes(device: AuthenticatedDevice,
                    after: Annotated[int, Query(ge=0, le=MAX_CURSOR,
                                                description="the cursor of the last item already seen")] = 0,
                    limit: Annotated[int, Query(ge=1, le=MAX_FEED_PAGE)] = 100) -> dict[str, Any]:
        """What flows back to this device since ``after``: acks now; credentials, revocations and the
        catalog later. Ask again with ``after=next`` while ``more`` is true."""
        return changes(hub.store, device.device_id, after, limit).as_json()


def _add_issuer_routes(app: FastAPI, hub: HubContext) -> None:
    """Open Badges 3.0 publication (no authentication): the issuer keys, the issuer Profile, status lists
    and issued credentials, so anyone can verify a credential without mcdesk."""
    def base(request: Request) -> str:
        return str(request.base_url).rstrip("/")

    def public(content: Any, media_type: str = "application/json", max_age: int = 300) -> Response:
        body = content if isinstance(content, str) else json.dumps(content, separators=(",", ":"))
        return Response(body, media_type=media_type, headers={"Cache-Control": f"public, max-age={max_age}",
                                                              "Access-Control-Allow-Origin": "*"})

    @app.get(issuer.JWKS_PATH, tags=["credentials"], response_class=Response,
             responses=_content("application/jwk-set+json", {"type": "object", "required": ["keys"]}))
    def get_jwks() -> Response:
        """The JWK Set of every issuer key (RS256), retired ones included: earlier credentials keep verifying."""
        return public({"keys": issuer.jwks(hub.store)}, "application/jwk-set+json")

    @app.get(issuer.ISSUER_PATH, tags=["credentials"], response_class=Response,
             responses=_content("application/json", {"type": "object"}))
    def get_issuer(request: Request) -> Response:
        """The issuer Profile (Open Badges 3.0); ``jwks_uri`` says where its public keys are."""
        return public(issuer.issuer_document(hub.store, base(request)))

    @app.get(issuer.STATUS_PATH + "/{list_number}", tags=["credentials"], response_class=Response,
             responses={**_content("application/vc+jwt", {"type": "string"}), **error_responses(404, 422)})
    def get_status_list(list_number: int, request: Request) -> Response:
        """The Bitstring Status List credential (revocation) as a VC-JWT (application/vc+jwt), signed now.
        404 not_found for a list that does not exist."""
        return public(issuer.status_list_jwt(hub.store, list_number, base(request)), "application/vc+jwt", 60)

    @app.get(issuer.CREDENTIALS_PATH + "/{credential_id}", tags=["credentials"], response_class=Response,
             responses={**_content("application/vc+jwt", {"type": "string"}), **error_responses(404, 422)})
    def get_credential(credential_id: str) -> Response:
        """An issued credential's VC-JWT (application/vc+jwt) by its id (urn:uuid:… or the bare uuid); the
        status list says whether it was revoked. 404 not_found for an id never issued here."""
        full = credential_id if credential_id.startswith("urn:uuid:") else f"urn:uuid:{credential_id}"
        found = issuer.get_issued(hub.store, full)
        if found is None:
            raise HubError(f"No credential {credential_id!r} was issued here.", "Check the id.",
                           code="not_found", status=404)
        return public(found.jwt, "application/vc+jwt")


def _content(media_type: str, schema: dict[str, Any]) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI description of a 200 answer that is not the default JSON (a JWK Set, a VC-JWT ...)."""
    return {200: {"description": "Successful Response", "content": {media_type: {"schema": schema}}}}


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HubError)
    async def hub_error(_: Request, exc: HubError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse({"detail": exc.detail()}, status_code=exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def bad_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "the request"
        return JSONResponse({"detail": {"code": "bad_request", "message": f"{where}: {first.get('msg', 'invalid')}.",
                                        "hint": "See /docs for the request's shape."}}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if isinstance(exc.detail, dict):
            detail = exc.detail
        elif exc.status_code == 404:
            detail = {"code": "not_found", "message": f"{request.url.path} is not an mcdesk hub endpoint.",
                      "hint": "Check the hub's address (the part before /api/v1); /docs lists the API."}
        elif exc.status_code == 405:
            detail = {"code": "method_not_allowed",
                      "message": f"{request.url.path} does not take {request.method} requests.",
                      "hint": "/docs lists the API."}
        else:
            detail = {"code": "http_error", "message": str(exc.detail), "hint": "/docs lists the API."}
        return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def internal(_: Request, exc: Exception) -> JSONResponse:
        log_event("internal_error", level=logging.ERROR, error=type(exc).__name__)
        return JSONResponse({"detail": {"code": "internal", "message": "The hub failed on this request.",
                                        "hint": "Try again; if it keeps failing, the hub's log says why."}},
                            status_code=500)

    @app.exception_handler(McdeskError)
    async def unavailable(_: Request, exc: McdeskError) -> JSONResponse:
        log_event("unavailable", level=logging.ERROR, error=exc.message)
        return JSONResponse({"detail": {"code": "unavailable", "message": exc.message,
                                        "hint": "Try again later; nothing was stored."}}, status_code=503)


class _RequestGuard:
    """Pure ASGI middleware: one log line per request (method, path, status, ms, device_id, never
    headers), and a small body cap on every endpoint but evidence intake (which has its own)."""

    def __init__(self, app: ASGIApp, small_cap: int) -> None:
        self.app = app
        self.small_cap = small_cap

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        state = scope.setdefault("state", {})
        status = {"code": 500}

        async def send_logged(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        path = scope.get("path", "")
        guarded = receive if path == EVIDENCE_PATH else self._capped(receive)
        try:
            declared = dict(scope.get("headers") or ()).get(b"content-length")
            if path != EVIDENCE_PATH and declared is not None and declared.isdigit() \
                    and int(declared) > self.small_cap:
                from mcdesk.hub.bodies import too_large

                exc = too_large("request body", self.small_cap, "This endpoint takes a small JSON object.")
                await JSONResponse({"detail": exc.detail()}, status_code=413)(scope, receive, send_logged)
            else:
                await self.app(scope, guarded, send_logged)
        finally:
            fields = {"method": scope.get("method"), "path": path, "status": status["code"],
                      "ms": round((time.perf_counter() - started) * 1000, 1)}
            if state.get("device_id"):
                fields["device_id"] = state["device_id"]
            log_event("request", level=logging.DEBUG if path.endswith("/health") else logging.INFO, **fields)

    def _capped(self, receive: Receive) -> Receive:
        seen = {"bytes": 0}

        async def capped() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                seen["bytes"] += len(message.get("body", b""))
                if seen["bytes"] > self.small_cap:
                    from mcdesk.hub.bodies import too_large

                    raise StarletteHTTPException(413, detail=too_large(
                        "request body", self.small_cap, "This endpoint takes a small JSON object.").detail())
            return message

        return capped
