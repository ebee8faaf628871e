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
