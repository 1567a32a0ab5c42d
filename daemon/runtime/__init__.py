"""Lifecycle: composition root, scheduler, supervisor, systemd notify and the HTTP server."""

from __future__ import annotations

from daemon.runtime.app import Daemon, build, run_once, serve

__all__ = ["Daemon", "build", "run_once", "serve"]
