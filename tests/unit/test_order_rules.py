"""Marketplace orders into store orders, pure (DOMAIN.md sections 6 and 8): when an order is
importable, units grouped into quantities, the draft's label, money and address, blocked
reasons, status labels and cancel reasons."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from daemon.domain.order_import import (
    Blocked,
    Importability,
    ImportRules,
    SkuLink,
    group_lines,
    importability,
    line_links,
    plan_import,
    sku_units,
)
from daemon.domain.order_status import (
    status_label,
    store_cancel_reason,
    tiktok_cancel_reason,
)
from daemon.domain.orders import (
    CancelReason,
    MarketplaceLine,
    MarketplaceOrder,
    OrderCharges,
    OrderDraft,
    OrderState,
    Recipient,
    ShippedBy,
    StockOnCreate,
    StoreOrder,
    StoreOrderLine,
    StoreOrderStatus,
)
from daemon.jobs.shipment import _stop
from tests.domain_builders import gbp

RULES = ImportRules("TikTok Shop", StockOnCreate.REDUCE)
LINKS = {"sku-a": SkuLink("111"), "sku-b": SkuLink("222")}
ADDRESS = Recipient(
    name="Alex Smith",
    first_name="Alex",
    last_name="Smith",
    phone="(+44)77****1234",
    address_lines=("1 High Street", "Flat 2"),
    city="London",
    province="Greater London",
    postal_code="SW1A 1AA",
    country_code="GB",
)


def unit(
    line_id: str, sku: str = "sku-a", price: str = "10.00", **extra: object
) -> MarketplaceLine:
    values: dict[str, object] = {
        "id": line_id,
        "sku_id": sku,
        "seller_sku": sku.upper(),
        "title": "Mug",
        "price": gbp(price),
        "seller_discount": gbp("0"),
        "platform_discount": gbp("0"),
        **extra,
    }
    return MarketplaceLine(**values)  # type: ignore[arg-type]


def order(*lines: MarketplaceLine, **extra: object) -> MarketplaceOrder:
    values: dict[str, object] = {
        "id": "576",
        "state": OrderState.AWAITING_SHIPMENT,
        "created_at": 100,
        "updated_at": 200,
        "shipped_by": ShippedBy.SELLER,
        "lines": lines or (unit("1"), unit("2"), unit("3", "sku-b", "4.50")),
        "charges": OrderCharges(
            currency="GBP",
            subtotal=gbp("24.50"),
            shipping=gbp("2.99"),
            seller_discount=gbp("0"),
            platform_discount=gbp("0"),
            tax=gbp("4.58"),
            total=gbp("27.49"),
        ),
        "recipient": ADDRESS,
        "buyer_email": "v2b@chat.seller.tiktok.com",
        "buyer_message": "Leave by the door",
        **extra,
    }
    return MarketplaceOrder(**values)  # type: ignore[arg-type]


def test_only_paid_orders_past_the_hold_are_imported() -> None:
    expected = {
        OrderState.UNPAID: Importability.WAIT,
        OrderState.ON_HOLD: Importability.WAIT,
        OrderState.AWAITING_SHIPMENT: Importability.IMPORT,
        OrderState.PARTIALLY_SHIPPING: Importability.IMPORT,
        OrderState.AWAITING_COLLECTION: Importability.SHIPPED_OUTSIDE,
        OrderState.IN_TRANSIT: Importability.SHIPPED_OUTSIDE,
        OrderState.COMPLETED: Importability.SHIPPED_OUTSIDE,
        OrderState.CANCELLED: Importability.CANCELLED,
    }
    for state, decision in expected.items():
        assert importability(order(state=state)) is decision, state


def test_orders_tiktok_ships_are_imported_at_every_later_status() -> None:
    for state in (OrderState.AWAITING_COLLECTION, OrderState.IN_TRANSIT, OrderState.DELIVERED):
        assert importability(order(state=state, shipped_by=ShippedBy.PLATFORM)) is (
            Importability.IMPORT
        )
    assert importability(order(state=OrderState.ON_HOLD, shipped_by=ShippedBy.PLATFORM)) is (
        Importability.WAIT
    )


def test_units_are_grouped_by_sku_and_price() -> None:
    lines = (unit("1"), unit("2", price="8.00"), unit("3"), unit("4", "sku-b"))
    lines += (unit("5", cancelled=True),)
    groups = group_lines(lines)
    assert [(g.sku_id, str(g.price.amount), g.quantity, g.line_ids) for g in groups] == [
        ("sku-a", "10.00", 2, ("1", "3")),
        ("sku-a", "8.00", 1, ("2",)),
        ("sku-b", "10.00", 1, ("4",)),
    ]
    assert sku_units(lines) == (("sku-a", "SKU-A", 3), ("sku-b", "SKU-B", 1))


@given(st.lists(st.sampled_from(["sku-a", "sku-b", "sku-c"]), min_size=1, max_size=40))
def test_grouping_keeps_every_uncancelled_unit(skus: list[str]) -> None:
    lines = tuple(unit(str(i), sku) for i, sku in enumerate(skus))
    grouped = Counter({g.sku_id: g.quantity for g in group_lines(lines)})
    assert grouped == Counter(skus)


def test_the_draft_carries_tiktoks_label_money_and_address() -> None:
    draft = plan_import(order(), LINKS, RULES)
    assert isinstance(draft, OrderDraft)
    assert [(line.variant_id, line.quantity, str(line.price.amount)) for line in draft.lines] == [
        ("111", 2, "10.00"),
        ("222", 1, "4.50"),
    ]
    assert (draft.reference, draft.label) == ("576", "TikTok Shop")
    assert draft.marketplace_status is OrderState.AWAITING_SHIPMENT
    assert draft.shipped_by is ShippedBy.SELLER
    assert draft.note == "TikTok Shop order 576\nBuyer's message: Leave by the door"
    assert draft.paid
    assert [(p.amount, p.gateway) for p in draft.payments] == [(gbp("27.49"), "TikTok Shop")]
    assert [(s.title, s.amount) for s in draft.shipping] == [("TikTok Shop shipping", gbp("2.99"))]
    assert [t.amount for t in draft.taxes] == [gbp("4.58")]
    assert draft.taxes_included  # 24.50 + 2.99 = 27.49: the tax is inside (UK VAT)
    assert draft.stock is StockOnCreate.REDUCE
    address = draft.shipping_address
    assert address is not None
    assert (address.address1, address.address2, address.zip, address.country_code) == (
        "1 High Street",
        "Flat 2",
        "SW1A 1AA",
        "GB",
    )
    assert draft.buyer is not None
    assert (draft.buyer.last_name, draft.email) == ("Smith", "v2b@chat.seller.tiktok.com")


def test_discounts_tax_on_top_and_cash_on_delivery() -> None:
    charges = OrderCharges(
        currency="GBP",
        subtotal=gbp("17.00"),
        shipping=gbp("0"),
        seller_discount=gbp("2.00"),
        platform_discount=gbp("1.00"),
        tax=gbp("1.70"),
        total=gbp("18.70"),
    )
    draft = plan_import(
        order(unit("1"), unit("2"), charges=charges, cash_on_delivery=True), LINKS, RULES
    )
    assert isinstance(draft, OrderDraft)
    assert [(d.code, d.amount) for d in draft.discounts] == [
        ("TikTok seller discount", gbp("2.00")),
        ("TikTok platform discount", gbp("1.00")),
    ]
    assert draft.shipping == ()
    assert not draft.taxes_included  # 17.00 + 0 < 18.70: tax on top (US)
    assert (draft.paid, draft.payments) == (False, ())


def test_unlinked_and_deleted_skus_block_the_order_with_every_reason() -> None:
    links = {"sku-a": SkuLink(None), "sku-b": SkuLink("222", deleted=True)}
    blocked = plan_import(order(), links, RULES)
    assert blocked == Blocked(
        (
            (
                "SKU sku-a (seller SKU SKU-A) is not linked to a store variant (the product is "
                "not synced)"
            ),
            "SKU sku-b (seller SKU SKU-B): its store product was deleted",
        ),
        "line_items",
        by_links=True,
    )
    unknown = plan_import(order(unit("1", "sku-z")), LINKS, RULES)
    assert isinstance(unknown, Blocked)
    assert unknown.by_links


def test_a_missing_address_blocks_but_not_by_links() -> None:
    blocked = plan_import(order(recipient=None), LINKS, RULES)
    assert blocked == Blocked(("the shipping address is missing",), "recipient_address")


def test_store_lines_are_matched_to_units_for_the_reference() -> None:
    store_order = StoreOrder(
        id="9",
        name="#1001",
        reference="576",
        marketplace_status="AWAITING_SHIPMENT",
        currency="GBP",
        total_price=gbp("24.50"),
        status=StoreOrderStatus.OPEN,
        paid=True,
        cancelled_at=None,
        cancel_reason=None,
        lines=(
            StoreOrderLine("L1", "111", "SKU-A", "Mug", 2, gbp("10"), 2),
            StoreOrderLine("L2", "222", "SKU-B", "Mug", 1, gbp("4.5"), 1),
        ),
        created_at=datetime(2026, 11, 23, tzinfo=UTC),
        updated_at=datetime(2026, 11, 23, tzinfo=UTC),
    )
    assert line_links(order(), LINKS, store_order) == (("L1", "1"), ("L1", "2"), ("L2", "3"))


def test_status_labels_read_as_people_say_them() -> None:
    assert status_label(OrderState.IN_TRANSIT) == "TikTok: In transit"
    assert max(len(status_label(state)) for state in OrderState) <= 40


def test_cancel_reasons_map_both_ways() -> None:
    assert store_cancel_reason("BUYER", "Changed my mind") is CancelReason.CUSTOMER
    assert store_cancel_reason("SELLER", "seller_cancel_reason_out_of_stock_uk") is (
        CancelReason.INVENTORY
    )
    assert store_cancel_reason("SYSTEM", "package_lost_uk") is CancelReason.OTHER
    default = "seller_cancel_paid_reason_address_not_deliver_uk"
    assert tiktok_cancel_reason(CancelReason.INVENTORY, "UK", default) == (
        "seller_cancel_reason_out_of_stock_uk"
    )
    assert tiktok_cancel_reason(CancelReason.CUSTOMER, "UK", default) == default
    assert tiktok_cancel_reason(CancelReason.INVENTORY, "US", "x") == "x"
    assert tiktok_cancel_reason(None, "UK", default) == default


def test_nothing_is_shipped_for_an_order_on_hold_cancelled_or_shipped_by_tiktok() -> None:
    held = _stop(order(state=OrderState.ON_HOLD), "T123")
    assert held == (False, "the order is still on hold on TikTok; sent once the hold ends", None)
    cancelled = _stop(order(state=OrderState.CANCELLED), "T123")
    assert cancelled is not None
    assert cancelled[0]
    platform = _stop(order(shipped_by=ShippedBy.PLATFORM), "T123")
    assert platform is not None
    assert "TikTok's own logistics" in platform[1]
    assert _stop(order(), "") == (
        False,
        "the store fulfilment has no tracking number",
        "tracking_number",
    )
    assert _stop(order(), "T123") is None
