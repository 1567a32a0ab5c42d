"""Faithful local simulators of the platforms ttsync talks to (tests, demos, benchmarks)."""

from __future__ import annotations
