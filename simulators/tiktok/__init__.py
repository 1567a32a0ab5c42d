"""A faithful TikTok Shop Open API simulator (aiohttp.web) for tests, demos and benchmarks.

Serves the Open API paths and the auth host's ``/api/v2/token/*`` paths on one server, and a
``/_sim/`` control API. See docs/SIMULATORS.md.
"""

from __future__ import annotations

from simulators.tiktok.app import create_app
from simulators.tiktok.config import PriceRange, ReviewRules, SimulatorConfig
from simulators.tiktok.server import TikTokSimulator

__all__ = ["PriceRange", "ReviewRules", "SimulatorConfig", "TikTokSimulator", "create_app"]
