"""Turning a marketplace order into a store order: when, and with what (DOMAIN.md section 6).

- `importability`: import at AWAITING_SHIPMENT (and, for orders TikTok's own logistics ship,
  at every later status); never UNPAID, ON_HOLD or cancelled.
- `group_lines`: one marketplace line is one unit; units of a SKU at one price are one line.
- `plan_import`: the `OrderDraft` (labelled as a TikTok order, at TikTok's prices, discounts,
  shipping, tax and payment), or `Blocked` with every reason it cannot be created yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from daemon.domain.models import Money
from daemon.domain.orders import (
    Buyer,
    Discount,
    DraftLine,
    MarketplaceLine,
    MarketplaceOrder,
    OrderDraft,
    OrderState,
    Payment,
    PostalAddress,
    ShippedBy,
    ShippingCharge,
    StockOnCreate,
    StoreOrder,
    TaxLine,
)

PAYMENT_GATEWAY = "TikTok Shop"
ZERO = Decimal(0)

_WAITING = frozenset({OrderState.UNPAID, OrderState.ON_HOLD})
_SELLER_IMPORTABLE = frozenset({OrderState.AWAITING_SHIPMENT, OrderState.PARTIALLY_SHIPPING})


class Importability(StrEnum):
    WAIT = "wait"  # not paid, or in the buyer's remorse window: the address is withheld
    IMPORT = "import"
    CANCELLED = "cancelled"  # cancelled before it could be imported: never created
    SHIPPED_OUTSIDE = "shipped_outside"  # the seller shipped it before it was ever imported


def importability(order: MarketplaceOrder) -> Importability:
    if order.state in _WAITING:
        return Importability.WAIT
    if order.state is OrderState.CANCELLED:
        return Importability.CANCELLED
    if order.shipped_by is ShippedBy.PLATFORM or order.state in _SELLER_IMPORTABLE:
        return Importability.IMPORT
    return Importability.SHIPPED_OUTSIDE


@dataclass(frozen=True)
class UnitGroup:
    """Units of one SKU sold at one price."""

    sku_id: str
    seller_sku: str | None
    price: Money
    line_ids: tuple[str, ...]

    @property
    def quantity(self) -> int:
        return len(self.line_ids)


def group_lines(lines: tuple[MarketplaceLine, ...]) -> tuple[UnitGroup, ...]:
    """The uncancelled units grouped by (SKU, unit price), in the order they first appear."""
    groups: dict[tuple[str, Money], list[MarketplaceLine]] = {}
    for line in lines:
        if not line.cancelled:
            groups.setdefault((line.sku_id, line.price), []).append(line)
    return tuple(
        UnitGroup(sku_id, units[0].seller_sku, price, tuple(unit.id for unit in units))
        for (sku_id, price), units in groups.items()
    )


@dataclass(frozen=True)
class SkuLink:
    """What the ledger knows of a marketplace SKU: its store variant, and whether the store
    product behind it was deleted."""

    variant_id: str | None
    deleted: bool = False


@dataclass(frozen=True)
class Blocked:
    """Why the order cannot be created yet; `field` names the part of the order at fault.

    `by_links` is True when linking SKUs (the catalog side) is what unblocks it.
    """

    reasons: tuple[str, ...]
    field: str
    by_links: bool = False

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


@dataclass(frozen=True)
class ImportRules:
    label: str  # how imported orders are marked in the store (``orders.tag``)
    stock: StockOnCreate


def _sku_name(group: UnitGroup) -> str:
    seller = f" (seller SKU {group.seller_sku})" if group.seller_sku else ""
    return f"SKU {group.sku_id}{seller}"


def blocking_reasons(
    groups: tuple[UnitGroup, ...], links: Mapping[str, SkuLink]
) -> tuple[str, ...]:
    reasons = []
    for group in groups:
        link = links.get(group.sku_id)
        if link is None or link.variant_id is None:
            reasons.append(
                f"{_sku_name(group)} is not linked to a store variant (the product is not synced)"
            )
        elif link.deleted:
            reasons.append(f"{_sku_name(group)}: its store product was deleted")
    return tuple(reasons)


def plan_import(
    order: MarketplaceOrder, links: Mapping[str, SkuLink], rules: ImportRules
) -> OrderDraft | Blocked:
    groups = group_lines(order.lines)
    if not groups:
        return Blocked(("the order has no uncancelled line items",), "line_items")
    reasons = blocking_reasons(groups, links)
    if reasons:
        return Blocked(reasons, "line_items", by_links=True)
    if order.recipient is None:
        return Blocked(("the shipping address is missing",), "recipient_address")
    return _draft(order, groups, links, rules)


def _draft(
    order: MarketplaceOrder,
    groups: tuple[UnitGroup, ...],
    links: Mapping[str, SkuLink],
    rules: ImportRules,
) -> OrderDraft:
    charges = order.charges
    recipient = order.recipient
    assert recipient is not None  # checked by plan_import
    address = PostalAddress(
        first_name=recipient.first_name,
        last_name=recipient.last_name or recipient.name,
        address1=recipient.address_lines[0] if recipient.address_lines else None,
        address2=", ".join(recipient.address_lines[1:]) or None,
        city=recipient.city,
        province=recipient.province,
        zip=recipient.postal_code,
        country_code=recipient.country_code,
        phone=recipient.phone,
    )
    discounts = tuple(
        Discount(code, amount)
        for code, amount in (
            ("TikTok seller discount", charges.seller_discount),
            ("TikTok platform discount", charges.platform_discount),
        )
        if amount.amount > ZERO
    )
    shipping = (
        (ShippingCharge("TikTok Shop shipping", charges.shipping, code="tiktok"),)
        if charges.shipping.amount > ZERO
        else ()
    )
    taxes = (TaxLine("TikTok Shop tax", charges.tax),) if charges.tax.amount > ZERO else ()
    # Tax is on top when the total is more than items and shipping (US); else included (UK VAT).
    on_top = charges.total.amount > charges.subtotal.amount + charges.shipping.amount
    note = f"TikTok Shop order {order.id}"
    if order.buyer_message:
        note += f"\nBuyer's message: {order.buyer_message}"
    return OrderDraft(
        reference=order.id,
        marketplace_status=order.state,
        shipped_by=order.shipped_by,
        label=rules.label,
        lines=tuple(
            DraftLine(str(links[group.sku_id].variant_id), group.quantity, group.price)
            for group in groups
        ),
        currency=charges.currency,
        buyer=Buyer(
            first_name=recipient.first_name,
            last_name=recipient.last_name or recipient.name,
            email=order.buyer_email,
        ),
        email=order.buyer_email,
        shipping_address=address,
        note=note,
        paid=not order.cash_on_delivery,
        payments=() if order.cash_on_delivery else (Payment(charges.total, PAYMENT_GATEWAY),),
        taxes=taxes,
        shipping=shipping,
        discounts=discounts,
        taxes_included=not on_top,
        stock=rules.stock,
    )


def sku_units(lines: tuple[MarketplaceLine, ...]) -> tuple[tuple[str, str | None, int], ...]:
    """(SKU id, seller SKU, units) of the uncancelled lines, whatever their prices."""
    units: dict[str, tuple[str | None, int]] = {}
    for line in lines:
        if not line.cancelled:
            seller, count = units.get(line.sku_id, (line.seller_sku, 0))
            units[line.sku_id] = (seller, count + 1)
    return tuple((sku, seller, count) for sku, (seller, count) in units.items())


def line_links(
    order: MarketplaceOrder, links: Mapping[str, SkuLink], store_order: StoreOrder
) -> tuple[tuple[str, str], ...]:
    """(store line id, marketplace line id) for every unit, matched through the SKU's variant."""
    by_variant: dict[str, list[str]] = {}
    for store_line in store_order.lines:
        if store_line.variant_id is not None:
            by_variant.setdefault(store_line.variant_id, []).append(store_line.id)
    pairs = []
    for unit in order.lines:
        link = links.get(unit.sku_id)
        store_lines = by_variant.get(link.variant_id or "", []) if link else []
        if not unit.cancelled and store_lines:
            pairs.append((store_lines[0], unit.id))
    return tuple(pairs)
