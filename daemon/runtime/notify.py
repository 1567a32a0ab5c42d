"""systemd notification over ``$NOTIFY_SOCKET``: READY, STATUS, WATCHDOG, STOPPING.

The watchdog ping comes from a task on the event loop, so it stops when the loop stalls and
systemd restarts a daemon that is alive but stuck.
"""

from __future__ import annotations

import asyncio
import os
import socket

import structlog

log = structlog.get_logger("ttsync.notify")


class SystemdNotifier:
    """Sends datagrams to systemd; does nothing when not started by systemd."""

    def __init__(self, address: str | None) -> None:
        self._address = address
        self._socket: socket.socket | None = None
        if address:
            self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            # A leading '@' names a socket in the abstract namespace.
            self._target = "\0" + address[1:] if address.startswith("@") else address

    @classmethod
    def from_environment(cls) -> SystemdNotifier:
        return cls(os.environ.get("NOTIFY_SOCKET"))

    @property
    def enabled(self) -> bool:
        return self._socket is not None

    def notify(self, *lines: str) -> None:
        if self._socket is None:
            return
        try:
            self._socket.sendto("\n".join(lines).encode(), self._target)
        except OSError as exc:
            log.warning("systemd_notify_failed", error=str(exc))

    def ready(self, status: str) -> None:
        self.notify("READY=1", f"STATUS={status}")

    def status(self, status: str) -> None:
        self.notify(f"STATUS={status}")

    def stopping(self, status: str) -> None:
        self.notify("STOPPING=1", f"STATUS={status}")

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None


def watchdog_interval() -> float | None:
    """Half of ``WATCHDOG_USEC`` in seconds when the watchdog is meant for this process."""
    usec = os.environ.get("WATCHDOG_USEC")
    pid = os.environ.get("WATCHDOG_PID")
    if not usec or (pid and pid != str(os.getpid())):
        return None
    try:
        microseconds = int(usec)
    except ValueError:
        log.warning("watchdog_usec_invalid", value=usec)
        return None
    return microseconds / 2_000_000 if microseconds > 0 else None


async def watchdog(notifier: SystemdNotifier, interval: float) -> None:
    """Ping the watchdog every `interval` seconds for as long as the event loop turns."""
    while True:
        notifier.notify("WATCHDOG=1")
        await asyncio.sleep(interval)
