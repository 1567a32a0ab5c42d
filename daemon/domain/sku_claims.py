"""One seller SKU, one store product: TikTok routes orders by seller SKU, so two store
products carrying the same SKU would send one product's orders to the other.

The product that holds a SKU is the one already on TikTok, else the one the ledger met first;
any other product carrying that SKU is refused before it is published, with a reason naming
the holder (DOMAIN.md section 2).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from daemon.domain.problems import FieldProblem, ProductField


@dataclass(frozen=True, order=True)
class SkuClaim:
    """A store product's claim on its seller SKUs; the smallest claim holds them."""

    unpublished: bool  # False (first) for a product with a TikTok listing
    seen: int  # the order in which the ledger first met the product
    store_product_id: str
    title: str = field(compare=False, default="")


def duplicate_sku_problems(
    mine: SkuClaim, others: Mapping[str, Iterable[SkuClaim]]
) -> list[FieldProblem]:
    """One problem per SKU of this product that another product holds (`others`: for each of
    this product's SKUs, the other products carrying it)."""
    problems = []
    for sku, claims in sorted(others.items()):
        holder = min(claims, default=None)
        if holder is None or holder > mine:
            continue
        named = f"store product {holder.store_product_id}"
        if holder.title:
            named += f" ({holder.title!r})"
        problems.append(
            FieldProblem(
                ProductField.SELLER_SKU,
                f"SKU {sku} is also on {named}, which "
                f"{'is on TikTok with it' if not holder.unpublished else 'had it first'}; "
                "TikTok routes orders by seller SKU: give each product its own SKUs",
                sku,
            )
        )
    return problems
