"""commercetools (the HTTP API, OAuth2 client credentials) as a source store: product
projections priced for one market, inventory per supply channel, and orders by Order Import;
`COMMERCETOOLS` is its registry entry."""

from __future__ import annotations

from daemon.connectors.commercetools.client import CommercetoolsClient
from daemon.connectors.commercetools.kind import COMMERCETOOLS
from daemon.connectors.commercetools.settings import CommercetoolsSettings

__all__ = ["COMMERCETOOLS", "CommercetoolsClient", "CommercetoolsSettings"]
