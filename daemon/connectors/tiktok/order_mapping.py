"""TikTok order, cancellation, return and carrier wire models to domain types. Pure.

Money arrives as decimal strings; a missing amount is zero. Each line item is one unit.
"""

from __future__ import annotations

from decimal import Decimal

from daemon.connectors.tiktok.models.cancellations import Cancellation, CancelStatus, RefundAmount
from daemon.connectors.tiktok.models.logistics import ShippingProvider as WireProvider
from daemon.connectors.tiktok.models.orders import LineItem, Order, Payment, RecipientAddress
from daemon.connectors.tiktok.models.returns import Return
from daemon.domain.models import Money
from daemon.domain.orders import (
    CancellationState,
    MarketplaceCancellation,
    MarketplaceLine,
    MarketplaceOrder,
    MarketplaceReturn,
    OrderCharges,
    OrderState,
    Recipient,
    ReturnKind,
    ShippedBy,
    ShippingProvider,
)

ZERO = Decimal(0)
_CANCELLED_LINE = "CANCELLED"
# District levels (DOMAIN.md 11.4 `district_info`): L0 country, L1 county/state, L2-L3 towns.
_PROVINCE_LEVEL = "L1"
_CANCEL_STATES = {
    CancelStatus.PENDING: CancellationState.REQUESTED,
    CancelStatus.SUCCESS: CancellationState.ACCEPTED,
    CancelStatus.COMPLETE: CancellationState.COMPLETE,
    CancelStatus.CANCEL: CancellationState.WITHDRAWN,
}


def _money(amount: Decimal | None, currency: str) -> Money:
    return Money(amount if amount is not None else ZERO, currency)


def _blank(text: str) -> str | None:
    stripped = text.strip()
    return stripped or None


def _currency(order: Order) -> str:
    if order.payment is not None and order.payment.currency:
        return order.payment.currency.upper()
    for item in order.line_items:
        if item.currency:
            return item.currency.upper()
    raise ValueError(f"order {order.id} names no currency")


def _line(item: LineItem, currency: str) -> MarketplaceLine:
    price = item.original_price if item.original_price is not None else item.sale_price
    if price is None:
        raise ValueError(f"line item {item.id} has no price")
    return MarketplaceLine(
        id=item.id,
        sku_id=item.sku_id,
        seller_sku=_blank(item.seller_sku),
        title=" - ".join(part for part in (item.product_name, item.sku_name) if part) or item.id,
        price=Money(price, currency),
        seller_discount=_money(item.seller_discount, currency),
        platform_discount=_money(item.platform_discount, currency),
        cancelled=item.display_status == _CANCELLED_LINE,
        package_id=_blank(item.package_id),
        tracking_number=_blank(item.tracking_number),
    )


def _subtotal(lines: tuple[MarketplaceLine, ...], currency: str) -> Money:
    """The subtotal when TikTok gives none: list prices less every line discount."""
    total = sum(
        (line.price.amount - line.seller_discount.amount - line.platform_discount.amount)
        for line in lines
        if not line.cancelled
    )
    return Money(Decimal(total), currency)


def charges(order: Order, lines: tuple[MarketplaceLine, ...], currency: str) -> OrderCharges:
    payment = order.payment or Payment(currency=currency)
    live = [line for line in lines if not line.cancelled]
    seller = payment.seller_discount
    platform = payment.platform_discount
    subtotal = (
        Money(payment.sub_total, currency)
        if payment.sub_total is not None
        else _subtotal(lines, currency)
    )
    shipping = _money(payment.shipping_fee, currency)
    tax = payment.tax
    if tax is None and (payment.product_tax is not None or payment.shipping_fee_tax is not None):
        tax = (payment.product_tax or ZERO) + (payment.shipping_fee_tax or ZERO)
    total = payment.total_amount
    if total is None:
        total = subtotal.amount + shipping.amount
    return OrderCharges(
        currency=currency,
        subtotal=subtotal,
        shipping=shipping,
        seller_discount=Money(
            seller if seller is not None else sum((x.seller_discount.amount for x in live), ZERO),
            currency,
        ),
        platform_discount=Money(
            platform
            if platform is not None
            else sum((x.platform_discount.amount for x in live), ZERO),
            currency,
        ),
        tax=_money(tax, currency),
        total=Money(total, currency),
    )


def recipient(address: RecipientAddress | None) -> Recipient | None:
    """None while TikTok withholds the address (UNPAID, ON_HOLD: every field empty)."""
    if address is None or not (address.name or address.address_line1 or address.full_address):
        return None
    lines = tuple(
        line
        for line in (
            address.address_line1,
            address.address_line2,
            address.address_line3,
            address.address_line4,
        )
        if line.strip()
    ) or ((address.address_detail or address.full_address),)
    levels = {d.address_level: d.address_name for d in address.district_info if d.address_name}
    towns = [levels[level] for level in sorted(levels) if level not in {"L0", _PROVINCE_LEVEL}]
    first, last = _blank(address.first_name), _blank(address.last_name)
    if first is None and last is None and address.name.strip():
        first, _, rest = address.name.strip().partition(" ")
        last = rest or None
    return Recipient(
        name=address.name.strip() or " ".join(p for p in (first, last) if p),
        first_name=first,
        last_name=last,
        phone=_blank(address.phone_number),
        address_lines=lines,
        city=towns[-1] if towns else None,
        province=levels.get(_PROVINCE_LEVEL),
        postal_code=_blank(address.postal_code),
        country_code=_blank(address.region_code.upper()),
    )


def order_from_wire(order: Order) -> MarketplaceOrder:
    """The domain order; ValueError when the order lacks what an import needs."""
    currency = _currency(order)
    lines = tuple(_line(item, currency) for item in order.line_items)
    return MarketplaceOrder(
        id=order.id,
        state=OrderState(order.status.value),
        created_at=order.create_time,
        updated_at=order.update_time,
        shipped_by=ShippedBy.PLATFORM if order.shipping_type == "TIKTOK" else ShippedBy.SELLER,
        lines=lines,
        charges=charges(order, lines, currency),
        recipient=recipient(order.recipient_address),
        buyer_email=_blank(order.buyer_email),
        buyer_message=_blank(order.buyer_message),
        delivery_option_id=_blank(order.delivery_option_id),
        warehouse_id=_blank(order.warehouse_id),
        cash_on_delivery=order.is_cod,
        cancel_reason=_blank(order.cancel_reason),
        cancelled_by=_blank(order.cancellation_initiator),
    )


def _refund(refund: RefundAmount | None) -> Money | None:
    if refund is None or refund.refund_total is None or not refund.currency:
        return None
    return Money(refund.refund_total, refund.currency.upper())


def cancellation_from_wire(record: Cancellation) -> MarketplaceCancellation:
    amount = _refund(record.refund_amount)
    return MarketplaceCancellation(
        id=record.cancel_id,
        order_id=record.order_id,
        state=_CANCEL_STATES[record.cancel_status],
        role=record.role or "UNKNOWN",
        reason=record.cancel_reason_text or record.cancel_reason,
        updated_at=record.update_time or record.create_time or 0,
        refund=amount,
        line_ids=tuple(line.order_line_item_id for line in record.cancel_line_items),
    )


def return_from_wire(record: Return) -> MarketplaceReturn:
    """The domain return; ValueError when it carries neither a create nor an update time."""
    created = record.create_time or record.update_time
    updated = record.update_time or record.create_time
    if created is None or updated is None:
        raise ValueError(f"return {record.return_id} has neither create_time nor update_time")
    return MarketplaceReturn(
        id=record.return_id,
        order_id=record.order_id,
        kind=ReturnKind(record.return_type.value),
        status=record.return_status.value,
        role=record.role or "UNKNOWN",
        reason=record.return_reason_text or record.return_reason,
        created_at=created,
        updated_at=updated,
        refund=_refund(record.refund_amount),
        line_ids=tuple(
            line.order_line_item_id for line in record.return_line_items if line.order_line_item_id
        ),
    )


def provider_from_wire(provider: WireProvider) -> ShippingProvider:
    return ShippingProvider(id=provider.id, name=provider.name)
