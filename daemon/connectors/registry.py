"""Every store kind the daemon can sync, one entry each: the only place that knows them all.

Adding a store adds its entry here: an import and its name in the tuple (docs/ARCHITECTURE.md,
"Adding a store").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from daemon.connectors.bigcommerce.kind import BIGCOMMERCE
from daemon.connectors.commercetools.kind import COMMERCETOOLS
from daemon.connectors.magento.kind import MAGENTO
from daemon.connectors.sfcc.kind import SFCC
from daemon.connectors.shopify.kind import SHOPIFY
from daemon.connectors.store_kind import StoreKind
from daemon.connectors.woocommerce.kind import WOOCOMMERCE

STORE_KINDS: Mapping[str, StoreKind[Any]] = {
    kind.name: kind for kind in (SHOPIFY, WOOCOMMERCE, MAGENTO, BIGCOMMERCE, COMMERCETOOLS, SFCC)
}


def store_kind(name: str) -> StoreKind[Any]:
    """The entry for `name`; `KeyError` naming the known kinds otherwise."""
    try:
        return STORE_KINDS[name]
    except KeyError:
        raise KeyError(f"unknown store kind {name!r}; known kinds: {known_kinds()}") from None


def known_kinds() -> str:
    return ", ".join(sorted(STORE_KINDS))
