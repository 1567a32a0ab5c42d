"""structlog set-up: JSON lines off a terminal (journald), a console renderer on one.

Every known secret value is scrubbed from every event before rendering, whatever key or
message it hides in, so that a token can never reach a log line.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, MutableMapping
from typing import Any, Literal

import structlog
from aiohttp.http_exceptions import HttpProcessingError

REDACTED = "[redacted]"
# Shorter values would scrub ordinary words; no real secret is that short.
_MIN_SECRET_LENGTH = 4


class SecretScrubber:
    """A structlog processor that replaces known secret values with ``[redacted]``."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()

    def add(self, values: Iterable[str]) -> None:
        self._secrets.update(value for value in values if len(value) >= _MIN_SECRET_LENGTH)

    def scrub(self, value: object) -> object:
        if isinstance(value, str):
            for secret in self._secrets:
                if secret in value:
                    value = value.replace(secret, REDACTED)
            return value
        if isinstance(value, dict):
            return {key: self.scrub(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.scrub(item) for item in value]
        return value

    def __call__(
        self, logger: Any, method_name: str, event_dict: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        del logger, method_name
        if not self._secrets:
            return event_dict
        for key, value in event_dict.items():
            event_dict[key] = self.scrub(value)
        return event_dict


scrubber = SecretScrubber()


class RefusedRequests(logging.Filter):
    """aiohttp logs a request it cannot parse (oversized headers, a bad request line) at
    error level with a traceback; that is a stranger's fault, not ours: one warning line."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, HttpProcessingError):
            remote = record.args[0] if isinstance(record.args, tuple) and record.args else "?"
            record.msg = "http_request_refused from %s: HTTP %s %s"
            record.args = (remote, error.code, str(error.message)[:200])
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info, record.exc_text = None, None
        return True


_refused_requests = RefusedRequests()


def configure(
    level: str = "info",
    fmt: Literal["auto", "json", "console"] = "auto",
    secrets: Iterable[str] = (),
) -> None:
    """Configure structlog and route the standard library's loggers through it."""
    scrubber.add(secrets)
    use_json = fmt == "json" or (fmt == "auto" and not sys.stdout.isatty())
    shared: list[structlog.typing.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
    ]
    renderer: structlog.typing.Processor
    if use_json:
        shared.append(structlog.processors.dict_tracebacks)
        renderer = structlog.processors.JSONRenderer()
    else:
        # Render tracebacks to text before the scrubber sees them.
        shared.append(structlog.processors.format_exc_info)
        renderer = structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[
            *shared,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            scrubber,
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # aiohttp logs every request at info; the metrics already count them.
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    # APScheduler names jobs by repr and repeats itself every tick; the scheduler logs its
    # events instead, with shop and job (daemon/runtime/scheduler.py).
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    server = logging.getLogger("aiohttp.server")
    if _refused_requests not in server.filters:
        server.addFilter(_refused_requests)
    # The SQL driver logs every statement with its parameters (tokens among them) at debug.
    logging.getLogger("aiosqlite").setLevel(logging.WARNING)
