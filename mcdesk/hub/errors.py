"""The hub's refusals: an McdeskError with a machine code and the HTTP status the API answers with."""

from __future__ import annotations

from typing import Any

from mcdesk.errors import McdeskError


class HubError(McdeskError):
    """A refusal of the hub. ``code`` is the machine word of the API's error body; ``status`` its HTTP
    status. The CLI prints message and hint like any McdeskError."""

    def __init__(self, message: str, hint: str = "", *, code: str = "refused", status: int = 400) -> None:
        super().__init__(message, hint)
        self.code = code
        self.status = status

    def detail(self) -> dict[str, Any]:
        """The ``detail`` of the API's error body: {"code", "message", "hint"}."""
        return {"code": self.code, "message": self.message, "hint": self.hint}


# The error body as OpenAPI documents it (a plain JSON Schema: importing this module stays cheap).
ERROR_BODY_SCHEMA: dict[str, Any] = {
    "title": "ErrorBody", "type": "object", "required": ["detail"],
    "properties": {"detail": {
        "title": "ErrorDetail", "type": "object", "required": ["code", "message", "hint"],
        "properties": {
            "code": {"type": "string", "description": "machine word, e.g. code_used, bad_token, too_large"},
            "message": {"type": "string", "description": "what happened, as a sentence"},
            "hint": {"type": "string", "description": "what to do about it"},
        },
    }},
}

_REASONS = {400: "Bad request", 401: "No or unknown device token", 403: "Refused", 404: "Not found",
            409: "Conflict", 413: "Too large", 415: "Unsupported encoding", 416: "Range not satisfiable",
            422: "Malformed request"}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` entries of the refusals an endpoint can answer, all in the one error shape."""
    return {status: {"description": _REASONS.get(status, "Refused"),
                     "content": {"application/json": {"schema": ERROR_BODY_SCHEMA}}} for status in statuses}
