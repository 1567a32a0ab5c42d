"""Salesforce B2C Commerce as a source store, through XML feeds on the instance's WebDAV
server (catalog, delta, inventory and price-book feeds in; order XML out; shipping-order
status feeds back). See docs/SFCC_FEEDS.md."""

from __future__ import annotations

from daemon.connectors.sfcc.client import SfccStore
from daemon.connectors.sfcc.kind import SFCC, connect
from daemon.connectors.sfcc.order_flow import SfccOrders
from daemon.connectors.sfcc.settings import SfccSettings
from daemon.connectors.sfcc.webdav import WebDav

__all__ = ["SFCC", "SfccOrders", "SfccSettings", "SfccStore", "WebDav", "connect"]
