from __future__ import annotations

import asyncio
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from daemon.runtime.notify import SystemdNotifier, watchdog, watchdog_interval


@pytest.fixture
def notify_socket(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    path = str(tmp_path / "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(2)
    yield sock, path
    sock.close()


def received(sock: socket.socket) -> str:
    return sock.recv(4096).decode()


def test_ready_status_stopping(notify_socket) -> None:
    sock, path = notify_socket
    notifier = SystemdNotifier(path)
    notifier.ready("syncing 1 shop")
    assert received(sock) == "READY=1\nSTATUS=syncing 1 shop"
    notifier.status("catalog running")
    assert received(sock) == "STATUS=catalog running"
    notifier.stopping("draining")
    assert received(sock) == "STOPPING=1\nSTATUS=draining"
    notifier.close()


def test_abstract_namespace_socket() -> None:
    name = f"ttsync-test-{os.getpid()}"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind("\0" + name)
    sock.settimeout(2)
    try:
        notifier = SystemdNotifier("@" + name)
        notifier.ready("up")
        assert received(sock).startswith("READY=1")
        notifier.close()
    finally:
        sock.close()


def test_without_notify_socket_nothing_is_sent(monkeypatch) -> None:
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    notifier = SystemdNotifier.from_environment()
    assert not notifier.enabled
    notifier.ready("up")  # no error, no socket


def test_watchdog_interval_is_half_the_usec(monkeypatch) -> None:
    monkeypatch.setenv("WATCHDOG_USEC", "2000000")
    monkeypatch.delenv("WATCHDOG_PID", raising=False)
    assert watchdog_interval() == 1.0
    monkeypatch.setenv("WATCHDOG_PID", "1")  # meant for another process
    assert watchdog_interval() is None
    monkeypatch.setenv("WATCHDOG_PID", str(os.getpid()))
    assert watchdog_interval() == 1.0
    monkeypatch.delenv("WATCHDOG_USEC")
    assert watchdog_interval() is None


async def test_watchdog_pings_while_the_loop_turns_and_stops_when_it_stalls(
    notify_socket,
) -> None:
    sock, path = notify_socket
    sock.setblocking(False)
    notifier = SystemdNotifier(path)
    task = asyncio.create_task(watchdog(notifier, 0.05))
    await asyncio.sleep(0.3)
    pings = drain(sock)
    assert pings >= 4
    time.sleep(0.3)  # the loop is stuck: no ping may be sent meanwhile
    assert drain(sock) <= 1  # at most the one already due when the stall began
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    notifier.close()


def drain(sock: socket.socket) -> int:
    count = 0
    while True:
        try:
            assert sock.recv(4096) == b"WATCHDOG=1"
        except BlockingIOError:
            return count
        count += 1
