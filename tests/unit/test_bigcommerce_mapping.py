"""BigCommerce's catalog and order shapes onto the daemon's types (pure)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from daemon.connectors.bigcommerce.mapping import parse_product, product_or_bad
from daemon.connectors.bigcommerce.models import OrderWire
from daemon.connectors.bigcommerce.order_mapping import (
    ORDER_NOTE,
    STATUS_NOTE,
    draft_to_wire,
    note_value,
    order_from_wire,
    with_note,
)
from daemon.domain.models import BadRecord, Money, Product, ProductState, WeightUnit
from daemon.domain.orders import (
    CancelReason,
    DraftLine,
    OrderDraft,
    OrderState,
    ShippedBy,
    StockOnCreate,
    StoreOrderStatus,
)


def wire(**changes: Any) -> dict[str, Any]:
    product: dict[str, Any] = {
        "id": 100,
        "name": "Lamp",
        "description": "<p>Warm</p>",
        "price": 20.0,
        "sale_price": 0,
        "weight": 1.5,
        "is_visible": True,
        "availability": "available",
        "inventory_tracking": "variant",
        "date_modified": "2026-11-30T10:00:00+00:00",
        "categories": [7, 9],
        "variants": [
            {
                "id": 201,
                "product_id": 100,
                "sku": "L-1",
                "price": None,
                "upc": "5012345678900",
                "weight": None,
                "option_values": [{"label": "Red", "option_display_name": "Colour"}],
            },
            {
                "id": 202,
                "product_id": 100,
                "sku": "L-2",
                "price": 25.5,
                "sale_price": 19.99,
                "weight": 2.0,
                "option_values": [{"label": "Blue", "option_display_name": "Colour"}],
            },
        ],
        "images": [
            {"id": 2, "sort_order": 1, "url_zoom": "https://cdn/b.jpg"},
            {"id": 1, "sort_order": 0, "url_zoom": "https://cdn/a.jpg"},
        ],
    }
    product.update(changes)
    return product


def read(raw: dict[str, Any]) -> Product | BadRecord:
    return product_or_bad(parse_product(raw), "GBP", WeightUnit.KILOGRAM, {7: "Lamps", 9: "Sale"})


def test_a_product_with_its_variants_prices_and_categories() -> None:
    product = read(wire())
    assert isinstance(product, Product)
    assert (product.id, product.state, product.published) == ("100", ProductState.ACTIVE, True)
    assert (product.product_type, product.collections) == ("Lamps", frozenset({"Lamps", "Sale"}))
    assert [image.url for image in product.images] == ["https://cdn/a.jpg", "https://cdn/b.jpg"]
    first, second = product.variants
    # No price of its own: the product's; no weight of its own: the product's.
    assert (first.price, first.compare_at_price) == (Money(Decimal("20.0"), "GBP"), None)
    assert first.weight is not None
    assert first.weight.value == Decimal("1.5")
    assert (first.stock_key, first.barcode, first.options) == (
        "201",
        "5012345678900",
        (("Colour", "Red"),),
    )
    # On sale: the sale price is the price, the list price the compare-at price.
    assert second.price == Money(Decimal("19.99"), "GBP")
    assert second.compare_at_price == Money(Decimal("25.5"), "GBP")
    assert all(v.tracked and not v.continue_selling for v in product.variants)


def test_tracking_visibility_and_availability_are_the_products() -> None:
    hidden = read(wire(is_visible=False, inventory_tracking="none", availability="preorder"))
    assert isinstance(hidden, Product)
    assert not hidden.published
    assert all(not v.tracked and v.continue_selling for v in hidden.variants)
    disabled = read(wire(availability="disabled"))
    assert isinstance(disabled, Product)
    assert disabled.state is ProductState.ARCHIVED


def test_a_price_given_as_a_string_is_a_bad_record() -> None:
    raw = wire()
    raw["variants"][1]["price"] = "25.50"
    bad = read(raw)
    assert isinstance(bad, BadRecord)
    assert (bad.kind, bad.id) == ("product", "100")
    assert "variants.1.price" in bad.reason
    assert "25.50" not in bad.reason  # no value is echoed


def test_notes_keep_other_lines() -> None:
    notes = with_note("Fragile\nTikTok Shop status: UNPAID", STATUS_NOTE, "IN_TRANSIT")
    assert notes == "Fragile\nTikTok Shop status: IN_TRANSIT"
    assert note_value(notes, STATUS_NOTE) == "IN_TRANSIT"
    assert note_value(None, STATUS_NOTE) is None


def test_a_draft_becomes_an_order_body() -> None:
    draft = OrderDraft(
        reference="5764",
        marketplace_status=OrderState.AWAITING_SHIPMENT,
        shipped_by=ShippedBy.SELLER,
        lines=(DraftLine("201", 2, Money(Decimal("12.00"), "GBP")),),
        currency="GBP",
        stock=StockOnCreate.REDUCE,
    )
    body = draft_to_wire(draft, {"201": (100, "L-1")})
    assert (body["status_id"], body["external_order_id"]) == (11, "5764")
    assert body["products"] == [
        {
            "product_id": 100,
            "variant_id": 201,
            "quantity": 2,
            "price_inc_tax": "12.00",
            "price_ex_tax": "12.00",
        }
    ]
    assert note_value(str(body["staff_notes"]), ORDER_NOTE) == "5764"
    leave = draft_to_wire(
        OrderDraft(**{**draft.__dict__, "stock": StockOnCreate.LEAVE}), {"201": (100, "L-1")}
    )
    assert leave["products"] == [
        {
            "name": "L-1",
            "sku": "L-1",
            "quantity": 2,
            "price_inc_tax": "12.00",
            "price_ex_tax": "12.00",
        }
    ]
    unpaid = draft_to_wire(OrderDraft(**{**draft.__dict__, "paid": False}), {"201": (100, "L-1")})
    assert unpaid["status_id"] == 7


def test_an_order_reads_its_reference_status_and_cancel_reason() -> None:
    order = OrderWire.model_validate(
        {
            "id": 100,
            "status_id": 5,
            "date_created": "Mon, 30 Nov 2026 10:00:00 +0000",
            "date_modified": "Mon, 30 Nov 2026 11:00:00 +0000",
            "date_shipped": "",
            "currency_code": "GBP",
            "total_inc_tax": "24.0000",
            "external_order_id": "5764",
            "staff_notes": "TikTok Shop status: CANCELLED\nTikTok Shop cancel reason: inventory",
        }
    )
    found = order_from_wire(order, [], {})
    assert (found.reference, found.marketplace_status) == ("5764", "CANCELLED")
    assert (found.status, found.cancel_reason) == (
        StoreOrderStatus.CANCELLED,
        CancelReason.INVENTORY,
    )
    assert found.cancelled_at == found.updated_at
    assert found.total_price == Money(Decimal("24.0000"), "GBP")
