"""Magento 2 (Open Source and Adobe Commerce 2.4, REST with MSI) as a source store: catalog,
stock per source, and the order side; `MAGENTO` is its registry entry."""

from __future__ import annotations

from daemon.connectors.magento.client import MagentoClient
from daemon.connectors.magento.kind import MAGENTO
from daemon.connectors.magento.settings import MagentoSettings

__all__ = ["MAGENTO", "MagentoClient", "MagentoSettings"]
