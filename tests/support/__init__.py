"""Helpers shared by several test folders (simulator harnesses)."""

from __future__ import annotations
