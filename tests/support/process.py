"""Running `ttsync` as a process, as systemd would, and waiting on it over HTTP."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).parents[2]


class Ttsync(subprocess.Popen[str]):
    """A `ttsync` process whose output goes to files, not pipes: a pipe nobody reads fills at
    64 KB and then stalls the process at its next log line. `communicate` waits for the end
    and answers everything it wrote."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        out, self._out = tempfile.mkstemp(prefix="ttsync-out-")
        err, self._err = tempfile.mkstemp(prefix="ttsync-err-")
        weakref.finalize(self, _remove, self._out, self._err)
        try:
            super().__init__(args, cwd=ROOT, env=env, stdout=out, stderr=err, text=True)
        finally:  # the child has its own copies
            os.close(out)
            os.close(err)

    def written(self) -> tuple[str, str]:
        """What it has written so far (standard output, standard error)."""
        return (
            Path(self._out).read_text(encoding="utf-8", errors="replace"),
            Path(self._err).read_text(encoding="utf-8", errors="replace"),
        )

    def communicate(  # type: ignore[override]
        self,
        input: str | None = None,  # noqa: A002 Popen.communicate's own name
        timeout: float | None = None,
    ) -> tuple[str, str]:
        del input
        self.wait(timeout)
        return self.written()

    def wait_for_output(self, text: str, count: int, within: float) -> None:
        """Until standard output holds `text` `count` times (or the process ended)."""
        deadline = time.monotonic() + within
        while self.written()[0].count(text) < count:
            if self.poll() is not None or time.monotonic() > deadline:
                out, err = self.written()
                raise AssertionError(f"no {count} x {text!r} in the output:\n{out}\n{err}")
            time.sleep(0.05)


def _remove(*paths: str) -> None:
    for path in paths:
        Path(path).unlink(missing_ok=True)


def ttsync(*args: str, env: dict[str, str] | None = None) -> Ttsync:
    return Ttsync(
        [sys.executable, "-m", "daemon", *args],
        {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
    )


def http_json(url: str, body: Any = None, method: str | None = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method or ("POST" if data else "GET"))
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def wait_http(url: str, timeout: float = 20) -> tuple[int, Any]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return http_json(url)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@contextmanager
def simulators(config: Path) -> Iterator[Ttsync]:
    """`ttsync simulate --config` until the block ends (then SIGTERM, expecting exit 0)."""
    process = ttsync("simulate", "--config", str(config))
    try:
        process.wait_for_output("simulator", 2, within=60)  # a line each once they listen
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=10)
    assert process.returncode == 0
