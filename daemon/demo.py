"""`ttsync demo`: run the daemon on the built-in configuration and show what it did."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from pathlib import Path

import aiohttp

from daemon.settings import load_settings
from daemon.simulate import start_simulators

DEMO_CONFIG = Path("config/demo.toml")


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


async def _wait_ready(url: str, deadline: float) -> dict[str, object]:
    async with aiohttp.ClientSession() as session:
        while True:
            try:
                async with session.get(url) as response:
                    body: dict[str, object] = await response.json()
                    if response.status == 200:  # noqa: PLR2004 HTTP OK
                        return body
            except aiohttp.ClientError:
                pass  # not listening yet
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not become ready")
            await asyncio.sleep(0.2)


async def demo(config: Path = DEMO_CONFIG, seconds: float = 6.0) -> int:
    settings = load_settings(config)
    base = f"http://{settings.http.host}:{settings.http.port}"
    for stale in settings.ledger.path.parent.glob(settings.ledger.path.name + "*"):
        stale.unlink()  # the simulators start empty, so the demo ledger does too
    simulators = await start_simulators(settings, str(config))
    try:
        return await _run_daemon(config, base, seconds)
    finally:
        await simulators.stop()


async def _run_daemon(config: Path, base: str, seconds: float) -> int:
    _say(f"Starting the daemon with {config} against the built-in simulators ...")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "daemon",
        "run",
        "--config",
        str(config),
        stdout=asyncio.subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        ready = await _wait_ready(f"{base}/readyz", time.monotonic() + 20)
        _say(f"\n{base}/readyz answered 200:\n{json.dumps(ready, indent=2)}")
        await asyncio.sleep(seconds)
        final = await _wait_ready(f"{base}/readyz", time.monotonic() + 5)
        _say(f"\nAfter {seconds:.0f}s:\n{json.dumps(final, indent=2)}")
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        code = await process.wait()
    _say(f"\nSent SIGTERM; the daemon drained and exited with code {code}.")
    return code
