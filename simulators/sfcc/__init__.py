"""A Salesforce B2C Commerce instance as far as feeds go, for tests, demos and benchmarks.

A real WebDAV server (WsgiDAV) under ``/on/demandware.servlet/webdav/Sites/`` with Basic
authentication, laid out as ``Impex/src/...``; the merchant's export jobs (driven through the
kit's neutral ``/_sim/store/`` API and ``/_sim/sfcc/``) write catalog, price-book, inventory
and shipping-order status feeds there, and the storefront's order import job reads the order
files put in the orders folder. See docs/SIMULATORS.md and docs/SFCC_FEEDS.md.
"""

from __future__ import annotations

from simulators.sfcc.app import SfccSimulator, create_app
from simulators.sfcc.config import DAV_ROOT, SfccSimulatorConfig
from simulators.sfcc.start import SAMPLE_OPTIONS, RunningSfcc, start_store

__all__ = [
    "DAV_ROOT",
    "SAMPLE_OPTIONS",
    "RunningSfcc",
    "SfccSimulator",
    "SfccSimulatorConfig",
    "create_app",
    "start_store",
]
