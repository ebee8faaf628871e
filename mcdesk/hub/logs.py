"""Structured logs: one JSON object per line (time, level, event, fields) to DATA/logs/hub.log and stderr.

Events carry ids and counts, never tokens, codes or record contents.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

LOGGER = "mcdesk.hub"
_FIELDS = "hub_fields"


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "event", ...fields}``; other libraries' lines (uvicorn) become event
    "server" with their message."""

    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, _FIELDS, None)
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "level": record.levelname.lower(),
        }
        if fields is not None:
            line["event"] = record.msg
            line.update(fields)
        else:
            line["event"] = "server"
            line["logger"] = record.name
            line["message"] = record.getMessage()
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def setup_logging(log_path: Path, *, stderr: bool = True, level: int = logging.INFO) -> logging.Logger:
    """Send the hub's logger (and uvicorn's) as JSON lines to ``log_path`` and, by default, stderr."""
    formatter = JsonFormatter()
    handlers: list[logging.Handler] = [logging.FileHandler(log_path, encoding="utf-8")]
    if stderr:
        handlers.append(logging.StreamHandler(sys.stderr))
    for name in (LOGGER, "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        for old in list(logger.handlers):
            logger.removeHandler(old)
            old.close()
        for handler in handlers:
            handler.setFormatter(formatter)
            logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False
    logging.getLogger("uvicorn.error").propagate = False
    logging.getLogger("uvicorn.access").disabled = True  # the hub logs requests itself, as JSON
    return logging.getLogger(LOGGER)


def log_event(event: str, level: int = logging.INFO, exc_info: bool = False, **fields: Any) -> None:
    """One structured line: ``log_event("enrol", device_id=..., again=False)``."""
    logging.getLogger(LOGGER).log(level, event, extra={_FIELDS: fields}, exc_info=exc_info)


def close_logging() -> None:
    for name in (LOGGER, "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
            handler.close()
