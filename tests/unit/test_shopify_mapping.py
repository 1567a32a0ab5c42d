from __future__ import annotations

import copy
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from daemon.connectors.shopify.graphql_wire import ProductParts, level_of
from daemon.connectors.shopify.models import FulfillmentWire, OrderWire
from daemon.connectors.shopify.order_mapping import (
    draft_to_wire,
    fulfillment_from_wire,
    order_from_wire,
    relabel,
)
from daemon.domain.models import BadRecord, Money, Product, ProductState, Weight, WeightUnit
from daemon.domain.orders import (
    Buyer,
    CancelReason,
    DraftLine,
    FulfillmentStatus,
    OrderDraft,
    OrderState,
    Payment,
    PostalAddress,
    ShippedBy,
    ShippingCharge,
    StockOnCreate,
    StoreOrderStatus,
    TaxLine,
)

# Shapes and values after the product mock of shopify-api-js (DOMAIN.md 12.1), as Admin
# GraphQL 2026-10 answers them (a bulk result's lines, or a page's nodes), with a second
# variant and an inventory item id that differs from the variant id.
PRODUCT: dict[str, Any] = {
    "id": "gid://shopify/Product/632910392",
    "title": "IPod Nano - 8GB",
    "descriptionHtml": "<p>It's the small iPod.</p>",
    "vendor": "Apple",
    "productType": "Cult Products",
    "status": "ACTIVE",
    "tags": ["Emotive", "Flash Memory", "MP3", "Music"],
    "updatedAt": "2024-04-02T13:38:08Z",
    "options": [{"name": "Color", "position": 1}],
}
IMAGES: list[dict[str, Any]] = [
    {
        "id": "gid://shopify/MediaImage/850703190",
        "image": {"url": "https://cdn.shopify.com/a.webp"},
    },
    {
        "id": "gid://shopify/MediaImage/562641783",
        "image": {"url": "https://cdn.shopify.com/b.gif", "width": 123, "height": 456},
    },
]
VARIANTS: list[dict[str, Any]] = [
    {
        "id": "gid://shopify/ProductVariant/49148385",
        "sku": "",
        "barcode": None,
        "price": "199.00",
        "compareAtPrice": "249.00",
        "position": 2,
        "inventoryPolicy": "DENY",
        "selectedOptions": [{"name": "Color", "value": "Red"}],
        "inventoryItem": {
            "id": "gid://shopify/InventoryItem/222",
            "tracked": False,
            "measurement": {"weight": {"unit": "KILOGRAMS", "value": 0.0}},
        },
    },
    {
        "id": "gid://shopify/ProductVariant/808950810",
        "sku": "IPOD2008PINK",
        "barcode": "1234_pink",
        "price": "199.00",
        "compareAtPrice": None,
        "position": 1,
        "inventoryPolicy": "CONTINUE",
        "selectedOptions": [{"name": "Color", "value": "Pink"}],
        "inventoryItem": {
            "id": "gid://shopify/InventoryItem/111",
            "tracked": True,
            "measurement": {"weight": {"unit": "POUNDS", "value": 1.25}},
        },
    },
]


def mapped(
    raw: Any = PRODUCT, variants: list[dict[str, Any]] = VARIANTS, currency: str = "GBP"
) -> Product | BadRecord:
    parts = ProductParts(raw)
    parts.variants = variants
    parts.images = IMAGES
    parts.variant_images = {
        "gid://shopify/ProductVariant/808950810": "https://cdn.shopify.com/b.gif"
    }
    return parts.build(currency)


def test_a_product_maps_to_the_domain() -> None:
    product = mapped()
    assert isinstance(product, Product)
    assert product.id == "632910392"
    assert product.state is ProductState.ACTIVE
    assert product.updated_at == datetime(2024, 4, 2, 13, 38, 8, tzinfo=UTC)
    assert product.tags == frozenset({"Emotive", "Flash Memory", "MP3", "Music"})
    assert product.option_names == ("Color",)
    assert [image.url for image in product.images] == [
        "https://cdn.shopify.com/a.webp",
        "https://cdn.shopify.com/b.gif",
    ]
    pink, red = product.variants  # in position order
    assert pink.id == "808950810"
    assert pink.price == Money(Decimal("199.00"), "GBP")
    assert pink.options == (("Color", "Pink"),)
    assert (pink.tracked, pink.continue_selling) == (True, True)
    assert pink.weight == Weight(Decimal("1.25"), WeightUnit.POUND)
    assert pink.image_url == "https://cdn.shopify.com/b.gif"
    assert pink.stock_key == "111"
    assert (red.sku, red.barcode) == (None, None)  # blank SKU, no barcode
    assert (red.tracked, red.continue_selling) == (False, False)
    assert red.weight is None  # 0 means "not entered"
    assert red.compare_at_price == Money(Decimal("249.00"), "GBP")


def test_the_default_title_option_is_no_option() -> None:
    raw = dict(PRODUCT, options=[{"name": "Title", "position": 1}])
    variant = dict(VARIANTS[1], selectedOptions=[{"name": "Title", "value": "Default Title"}])
    product = mapped(raw, [variant])
    assert isinstance(product, Product)
    assert product.option_names == ()
    assert product.variants[0].options == ()


def broken(path: tuple[Any, ...], value: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    raw, variants = copy.deepcopy(PRODUCT), copy.deepcopy(VARIANTS)
    target: Any = {"product": raw, "variants": variants}
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return raw, variants


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        (broken(("variants", 0, "price"), 199.0), "price"),  # money must be a string
        (broken(("variants", 0, "price"), "abc"), "price"),
        (broken(("variants", 1, "inventoryPolicy"), "sometimes"), "inventoryPolicy"),
        (broken(("product", "status"), "published"), "status"),
        (broken(("product", "title"), KeyError), "title"),
        (broken(("product", "updatedAt"), "yesterday"), "updatedAt"),
    ],
)
def test_an_unreadable_product_is_a_bad_record(
    raw: tuple[dict[str, Any], list[dict[str, Any]]], where: str
) -> None:
    record = mapped(*raw)
    assert isinstance(record, BadRecord)
    assert (record.kind, record.id) == ("product", "632910392")
    assert where in record.reason
    assert "abc" not in record.reason  # reasons name fields, they do not echo values


@pytest.mark.parametrize("raw", [{"title": "no id"}, {"id": True}])
def test_a_bad_record_without_an_id(raw: Any) -> None:
    record = mapped(raw)
    assert isinstance(record, BadRecord)
    assert record.id == "unknown"


def test_an_unusable_value_after_parsing_is_a_bad_record() -> None:
    record = mapped(currency="pounds")  # not an ISO 4217 code
    assert isinstance(record, BadRecord)
    assert "ISO 4217" in record.reason


def test_stock_levels() -> None:
    raw = {
        "location": {"id": "gid://shopify/Location/905684977"},
        "quantities": [{"name": "available", "quantity": 6}],
    }
    level = level_of("gid://shopify/InventoryItem/808950810", raw)
    assert level is not None
    assert (level.stock_key, level.location_id, level.available) == ("808950810", "905684977", 6)
    assert level_of("gid://shopify/InventoryItem/1", dict(raw, quantities=[])) is None


ORDER: dict[str, Any] = {
    "id": 450789469,
    "name": "#1001",
    "currency": "gbp",
    "financial_status": "paid",
    "fulfillment_status": None,
    "cancelled_at": None,
    "total_price": "27.99",
    "tags": "TikTok, tiktok-9",
    "note_attributes": [{"name": "tiktok_order_id", "value": 9}],
    "source_name": "tiktok",
    "line_items": [
        {
            "id": 466157049,
            "variant_id": 39072856,
            "sku": "IPOD",
            "title": "IPod",
            "quantity": 2,
            "price": "12.00",
            "fulfillable_quantity": 2,
        },
    ],
    "created_at": "2024-04-02T09:38:08-04:00",
    "updated_at": "2024-04-02T10:00:00-04:00",
}


def test_an_order_maps() -> None:
    order = order_from_wire(OrderWire.model_validate(ORDER))
    assert order.id == "450789469"
    assert order.total_price == Money(Decimal("27.99"), "GBP")
    assert order.reference == "9"
    assert order.marketplace_status is None
    assert (order.status, order.paid) == (StoreOrderStatus.OPEN, True)
    assert not order.cancelled
    [line] = order.lines
    assert (line.variant_id, line.quantity, line.price.amount) == ("39072856", 2, Decimal("12.00"))


def test_a_fulfillment_maps_with_its_tracking() -> None:
    wire = FulfillmentWire.model_validate(
        {
            "id": 255858046,
            "order_id": 450789469,
            "status": "success",
            "tracking_company": "UPS",
            "tracking_number": "1Z001985YW99744790",
            "tracking_numbers": [],
            "tracking_url": "https://ups/1",
            "tracking_urls": [],
            "line_items": [
                {"id": 466157049, "variant_id": 39072856, "quantity": 1, "price": "12.00"}
            ],
            "created_at": "2024-04-02T09:38:08-04:00",
            "updated_at": "2024-04-02T09:38:08-04:00",
        }
    )
    shipped = fulfillment_from_wire(wire, "#1001")
    assert shipped.status is FulfillmentStatus.SUCCESS
    assert shipped.tracking_number == "1Z001985YW99744790"
    assert shipped.tracking_urls == ("https://ups/1",)
    assert shipped.lines[0].quantity == 1


def test_an_order_from_elsewhere_carries_no_reference_and_its_cancel_reason_maps() -> None:
    raw = {
        **ORDER,
        "note_attributes": [],
        "source_name": "web",
        "source_identifier": "9",
        "cancelled_at": "2024-04-03T09:00:00-04:00",
        "cancel_reason": "inventory",
        "financial_status": "pending",
    }
    order = order_from_wire(OrderWire.model_validate(raw))
    assert order.reference is None
    assert (order.status, order.cancel_reason, order.paid) == (
        StoreOrderStatus.CANCELLED,
        CancelReason.INVENTORY,
        False,
    )
    by_source = order_from_wire(
        OrderWire.model_validate({**raw, "source_name": "tiktok", "cancel_reason": "weird"})
    )
    assert (by_source.reference, by_source.cancel_reason) == ("9", CancelReason.OTHER)


def test_the_status_shown_is_replaced_not_added() -> None:
    tags, attributes = relabel(
        ["TikTok Shop", "TikTok: Awaiting shipment", "vip"],
        [("tiktok_order_id", "576"), ("tiktok_status", "AWAITING_SHIPMENT")],
        OrderState.DELIVERED,
    )
    assert tags == ["TikTok Shop", "TikTok: Delivered", "vip"]
    assert attributes == [("tiktok_order_id", "576"), ("tiktok_status", "DELIVERED")]


def gbp(amount: str) -> Money:
    return Money(Decimal(amount), "GBP")


def test_a_draft_becomes_the_create_body() -> None:
    draft = OrderDraft(
        reference="9",
        marketplace_status=OrderState.AWAITING_SHIPMENT,
        shipped_by=ShippedBy.SELLER,
        lines=(DraftLine("808950810", 2, gbp("12"), (TaxLine("VAT", gbp("4"), Decimal("0.2")),)),),
        currency="GBP",
        label="TikTok",
        buyer=Buyer("Ada", None, "ada@example.com"),
        shipping_address=PostalAddress(first_name="Ada", city="London", country_code="GB"),
        payments=(Payment(gbp("27.99"), "tiktok"),),
        shipping=(ShippingCharge("Standard", gbp("3.99")),),
        stock=StockOnCreate.REDUCE,
    )
    order = draft_to_wire(draft)["order"]
    assert order["line_items"] == [
        {
            "variant_id": 808950810,
            "quantity": 2,
            "price": "12.00",
            "tax_lines": [{"title": "VAT", "price": "4.00", "rate": "0.2"}],
        }
    ]
    assert order["inventory_behaviour"] == "decrement_ignoring_policy"
    assert order["tags"] == "TikTok, TikTok: Awaiting shipment"
    assert order["note_attributes"] == [
        {"name": "tiktok_order_id", "value": "9"},
        {"name": "tiktok_status", "value": "AWAITING_SHIPMENT"},
        {"name": "tiktok_shipped_by", "value": "SELLER"},
    ]
    assert (order["source_name"], order["source_identifier"]) == ("tiktok", "9")
    assert order["financial_status"] == "paid"
    assert order["transactions"] == [
        {"kind": "sale", "status": "success", "amount": "27.99", "gateway": "tiktok"}
    ]
    assert order["customer"] == {"first_name": "Ada", "email": "ada@example.com"}
    assert order["shipping_address"] == {
        "first_name": "Ada",
        "city": "London",
        "country_code": "GB",
    }
    assert "note" not in order


@pytest.mark.parametrize(
    "draft",
    [
        OrderDraft("9", OrderState.AWAITING_SHIPMENT, ShippedBy.SELLER, (), "GBP"),
        OrderDraft(
            "9",
            OrderState.AWAITING_SHIPMENT,
            ShippedBy.SELLER,
            (DraftLine("gid://x", 1, gbp("1")),),
            "GBP",
        ),
        OrderDraft(
            "9",
            OrderState.AWAITING_SHIPMENT,
            ShippedBy.SELLER,
            (DraftLine("1", 1, Money(Decimal(1), "USD")),),
            "GBP",
        ),
    ],
)
def test_a_draft_that_cannot_be_sent(draft: OrderDraft) -> None:
    with pytest.raises(ValueError, match=r"line|id|USD"):
        draft_to_wire(draft)
