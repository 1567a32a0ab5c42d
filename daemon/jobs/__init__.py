"""Sync jobs: one cycle per module, run by `JobRunner`."""

from __future__ import annotations

from daemon.jobs.health import HealthBoard, JobHealth
from daemon.jobs.runner import DAEMON_WIDE, Clock, JobFn, JobRunner, JobSpec, RunContext

__all__ = [
    "DAEMON_WIDE",
    "Clock",
    "HealthBoard",
    "JobFn",
    "JobHealth",
    "JobRunner",
    "JobSpec",
    "RunContext",
]
