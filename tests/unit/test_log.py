from __future__ import annotations

import json
import logging

import pytest
import structlog

from daemon import log


@pytest.fixture(autouse=True)
def _restore_logging():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    structlog.reset_defaults()
    log.scrubber._secrets.clear()


def test_secrets_are_scrubbed_from_every_field(capsys) -> None:
    log.configure("info", "json", ["tok_very_secret_value"])
    logger = structlog.get_logger("test")
    logger.info(
        "calling tok_very_secret_value",
        url="https://x/?access_token=tok_very_secret_value",
        nested={"headers": ["x-tts-access-token: tok_very_secret_value"]},
    )
    logging.getLogger("aiohttp.client").warning("stdlib says tok_very_secret_value")
    out = capsys.readouterr().out
    assert "tok_very_secret_value" not in out
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines[0]["event"] == "calling [redacted]"
    assert lines[0]["nested"] == {"headers": ["x-tts-access-token: [redacted]"]}
    assert lines[1]["event"] == "stdlib says [redacted]"


def test_tracebacks_are_scrubbed_too(capsys) -> None:
    log.configure("info", "json", ["tok_in_exception_1"])

    def fail() -> None:
        raise RuntimeError("bad token tok_in_exception_1")

    try:
        fail()
    except RuntimeError:
        structlog.get_logger("test").exception("failed")
    out = capsys.readouterr().out
    assert "tok_in_exception_1" not in out
    assert "[redacted]" in out


def test_context_is_bound_per_run(capsys) -> None:
    log.configure("info", "json")
    with structlog.contextvars.bound_contextvars(shop="uk", job="orders", run_id="r1"):
        structlog.get_logger("test").info("job_run")
    line = json.loads(capsys.readouterr().out)
    assert (line["shop"], line["job"], line["run_id"]) == ("uk", "orders", "r1")
