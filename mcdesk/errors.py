"""The one error family of mcdesk: every refusal carries a message a person can act on."""

from __future__ import annotations


class McdeskError(Exception):
    """Base of every error mcdesk raises on purpose.

    ``message`` says what happened; ``hint`` says what to do about it. Both are plain sentences a
    technician or learner can read; the CLI prints them and the GUI's ``show_error`` shows them.
    """

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip() if self.hint else self.message


class StoreError(McdeskError):
    """The database or the data folder cannot be used."""


class PackError(McdeskError):
    """A content pack (source folder or .mcpack) is malformed, tampered with or cannot be installed."""


class QuizError(PackError):
    """A quiz file breaks the pack format."""


class TrustError(McdeskError):
    """A key is unknown, untrusted or unusable."""


class Cancelled(McdeskError):
    """The person asked a long operation to stop; nothing was changed."""

    def __init__(self, message: str = "Cancelled; nothing was changed.") -> None:
        super().__init__(message)


class EvidenceError(McdeskError):
    """An evidence record or its signature is malformed, altered, or the outbox cannot be used.

    ``code`` is a short machine word for the kind of refusal (``malformed``, ``not_canonical``,
    ``bad_header``, ``bad_signature``, ``invalid_record``, ``device_key`` ...), so a caller such as the
    hub can report it without matching message text.
    """

    def __init__(self, message: str, hint: str = "", code: str = "invalid_record") -> None:
        super().__init__(message, hint)
        self.code = code


class SyncError(McdeskError):
    """Sending evidence to the institution hub, or enrolling with it, failed or was refused."""


class CredentialError(McdeskError):
    """An Open Badges credential, its VC-JWT, a status list or an issuer key is malformed, altered,
    not yet valid, expired, or cannot be issued.

    ``code`` is a short machine word for the kind of refusal (``malformed``, ``bad_alg``,
    ``unknown_kid``, ``bad_signature``, ``not_yet_valid``, ``expired``, ``claim_mismatch``,
    ``not_a_credential``, ``bad_key``, ``bad_status_list`` ...), so callers can act without matching text.
    """

    def __init__(self, message: str, hint: str = "", code: str = "malformed") -> None:
        super().__init__(message, hint)
        self.code = code
