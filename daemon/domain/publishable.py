"""What may be published: only what the store itself sells (DOMAIN.md section 1).

A product that is a draft, archived, or held back from the store's shop window is never
published, and a listing whose store product became one is deactivated on TikTok with the
reason recorded; it is reactivated when the store sells the product again.
"""

from __future__ import annotations

from daemon.domain.models import Product, ProductState

_STATES = {
    ProductState.DRAFT: "a draft in the store",
    ProductState.ARCHIVED: "archived in the store",
}


def not_for_sale(product: Product) -> str | None:
    """Why the store does not sell `product`, or None when it does."""
    if product.state in _STATES:
        return _STATES[product.state]
    if not product.published:
        return "not published in the store"
    return None
