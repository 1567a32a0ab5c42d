"""A WooCommerce REST API v3 (``/wp-json/wc/v3``) simulator for tests, demos and benchmarks.

Products (simple and variable, variations as their own resources), orders with meta data,
notes and the Shipment Tracking extension's endpoints, behind WooCommerce's own
authentication (HTTP Basic over HTTPS, one-legged OAuth 1.0a over HTTP); signed webhooks; the
kit's ``/_sim/`` controls and neutral store API. See docs/SIMULATORS.md.
"""

from __future__ import annotations

from simulators.woocommerce.app import WooSimulator, create_app
from simulators.woocommerce.auth import oauth_signature
from simulators.woocommerce.config import WooSimulatorConfig
from simulators.woocommerce.start import SAMPLE_OPTIONS, RunningWoo, start_store
from simulators.woocommerce.webhooks import sign

__all__ = [
    "SAMPLE_OPTIONS",
    "RunningWoo",
    "WooSimulator",
    "WooSimulatorConfig",
    "create_app",
    "oauth_signature",
    "sign",
    "start_store",
]
