from __future__ import annotations

import copy
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from daemon.connectors.shopify.graphql_wire import ProductParts, level_of
from daemon.connectors.shopify.order_mapping import (
    draft_to_input,
    fulfillment_from_node,
    order_from_node,
    relabel,
)
from daemon.connectors.shopify.order_wire import FulfillmentNode, OrderNode
from daemon.domain.models import BadRecord, Money, Product, ProductState, Weight, WeightUnit
from daemon.domain.orders import (
    Buyer,
    CancelReason,
    Discount,
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


# An order as Admin GraphQL 2026-10 answers the connector's `OrderFields` (ids and values
# after the order mock of shopify-api-js).
ORDER: dict[str, Any] = {
    "id": "gid://shopify/Order/450789469",
    "legacyResourceId": "450789469",
    "name": "#1001",
    "tags": ["TikTok", "tiktok-9"],
    "currencyCode": "GBP",
    "displayFinancialStatus": "PAID",
    "displayFulfillmentStatus": "UNFULFILLED",
    "cancelledAt": None,
    "cancelReason": None,
    "totalPriceSet": {"shopMoney": {"amount": "27.99"}},
    "customAttributes": [{"key": "tiktok_order_id", "value": "9"}],
    "sourceName": "tiktok",
    "sourceIdentifier": None,
    "lineItems": {
        "pageInfo": {"hasNextPage": False, "endCursor": None},
        "nodes": [
            {
                "id": "gid://shopify/LineItem/466157049",
                "variant": {"id": "gid://shopify/ProductVariant/39072856"},
                "sku": "IPOD",
                "title": "IPod",
                "quantity": 2,
                "unfulfilledQuantity": 2,
                "originalUnitPriceSet": {"shopMoney": {"amount": "12.00"}},
            },
        ],
    },
    "createdAt": "2024-04-02T13:38:08Z",
    "updatedAt": "2024-04-02T14:00:00Z",
}


def order_of(raw: dict[str, Any]) -> Any:
    node = OrderNode.model_validate(raw)
    return order_from_node(node, node.lines.nodes)


def test_an_order_maps() -> None:
    order = order_of(ORDER)
    assert order.id == "450789469"  # the number REST used, so old ledgers still match
    assert order.total_price == Money(Decimal("27.99"), "GBP")
    assert order.reference == "9"
    assert order.marketplace_status is None
    assert (order.status, order.paid) == (StoreOrderStatus.OPEN, True)
    assert not order.cancelled
    [line] = order.lines
    assert (line.id, line.variant_id, line.quantity) == ("466157049", "39072856", 2)
    assert (line.price.amount, line.fulfillable_quantity) == (Decimal("12.00"), 2)
    assert order.created_at == datetime(2024, 4, 2, 13, 38, 8, tzinfo=UTC)


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"legacyResourceId": "gid"}, "legacyResourceId"),
        ({"totalPriceSet": {"shopMoney": {"amount": 27.99}}}, "totalPriceSet"),
        ({"createdAt": "yesterday"}, "createdAt"),
    ],
)
def test_an_unreadable_order_names_the_field(change: dict[str, Any], where: str) -> None:
    with pytest.raises(ValueError, match=where):
        OrderNode.model_validate({**ORDER, **change})


def test_a_fulfillment_maps_with_its_tracking() -> None:
    node = FulfillmentNode.model_validate(
        {
            "id": "gid://shopify/Fulfillment/255858046",
            "legacyResourceId": "255858046",
            "status": "SUCCESS",
            "trackingInfo": [
                {"company": "UPS", "number": "1Z001985YW99744790", "url": "https://ups/1"},
                {"company": "UPS", "number": "1Z001985YW99744791", "url": None},
            ],
            "fulfillmentLineItems": {
                "pageInfo": {"hasNextPage": False},
                "nodes": [
                    {
                        "quantity": 1,
                        "lineItem": {
                            "id": "gid://shopify/LineItem/466157049",
                            "sku": "",
                            "variant": {"id": "gid://shopify/ProductVariant/39072856"},
                        },
                    }
                ],
            },
            "createdAt": "2024-04-02T13:38:08Z",
            "updatedAt": "2024-04-02T13:38:08Z",
        }
    )
    shipped = fulfillment_from_node(node, node.lines.nodes, "450789469", "#1001")
    assert (shipped.id, shipped.order_id, shipped.order_name) == ("255858046", "450789469", "#1001")
    assert shipped.status is FulfillmentStatus.SUCCESS
    assert shipped.tracking_company == "UPS"
    assert shipped.tracking_numbers == ("1Z001985YW99744790", "1Z001985YW99744791")
    assert shipped.tracking_urls == ("https://ups/1",)
    [line] = shipped.lines
    assert (line.line_item_id, line.variant_id, line.sku, line.quantity) == (
        "466157049",
        "39072856",
        None,
        1,
    )


def test_an_order_from_elsewhere_carries_no_reference_and_its_cancel_reason_maps() -> None:
    raw = {
        **ORDER,
        "customAttributes": [],
        "sourceName": "web",
        "sourceIdentifier": "9",
        "cancelledAt": "2024-04-03T13:00:00Z",
        "cancelReason": "INVENTORY",
        "displayFinancialStatus": "PENDING",
    }
    order = order_of(raw)
    assert order.reference is None
    assert (order.status, order.cancel_reason, order.paid) == (
        StoreOrderStatus.CANCELLED,
        CancelReason.INVENTORY,
        False,
    )
    by_source = order_of({**raw, "sourceName": "tiktok", "cancelReason": "WEIRD"})
    assert (by_source.reference, by_source.cancel_reason) == ("9", CancelReason.OTHER)


def test_the_fulfilment_status_of_an_order() -> None:
    shipped = order_of({**ORDER, "displayFulfillmentStatus": "FULFILLED"})
    partly = order_of({**ORDER, "displayFulfillmentStatus": "PARTIALLY_FULFILLED"})
    assert (shipped.status, partly.status) == (
        StoreOrderStatus.FULFILLED,
        StoreOrderStatus.PARTIALLY_FULFILLED,
    )


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


def test_a_draft_becomes_the_order_create_input() -> None:
    draft = OrderDraft(
        reference="9",
        marketplace_status=OrderState.AWAITING_SHIPMENT,
        shipped_by=ShippedBy.SELLER,
        lines=(
            DraftLine("808950810", 2, gbp("12"), (TaxLine("VAT", gbp("4"), Decimal("0.2")),)),
            DraftLine("808950811", 1, gbp("10"), (TaxLine("VAT", gbp("2")),)),
        ),
        currency="GBP",
        label="TikTok",
        buyer=Buyer("Ada", None, "ada@example.com"),
        shipping_address=PostalAddress(first_name="Ada", city="London", country_code="gb"),
        payments=(Payment(gbp("27.99"), "tiktok"),),
        shipping=(ShippingCharge("Standard", gbp("3.99")),),
        discounts=(Discount("TT10", gbp("1")), Discount("SELLER5", gbp("0.5"))),
        stock=StockOnCreate.REDUCE,
    )
    order, options = draft_to_input(draft)
    assert order["lineItems"][0] == {
        "variantId": "gid://shopify/ProductVariant/808950810",
        "quantity": 2,
        "priceSet": {"shopMoney": {"amount": "12.00", "currencyCode": "GBP"}},
        "taxLines": [
            {
                "title": "VAT",
                "rate": "0.2",
                "priceSet": {"shopMoney": {"amount": "4.00", "currencyCode": "GBP"}},
            }
        ],
    }
    # GraphQL requires a rate: one TikTok did not give is the amount over the line's price.
    assert order["lineItems"][1]["taxLines"][0]["rate"] == "0.2000"
    assert options == {
        "inventoryBehaviour": "DECREMENT_IGNORING_POLICY",
        "sendReceipt": False,
        "sendFulfillmentReceipt": False,
    }
    assert order["tags"] == ["TikTok", "TikTok: Awaiting shipment"]
    assert order["customAttributes"] == [
        {"key": "tiktok_order_id", "value": "9"},
        {"key": "tiktok_status", "value": "AWAITING_SHIPMENT"},
        {"key": "tiktok_shipped_by", "value": "SELLER"},
    ]
    assert (order["sourceName"], order["sourceIdentifier"]) == ("tiktok", "9")
    assert order["financialStatus"] == "PAID"
    assert order["transactions"] == [
        {
            "kind": "SALE",
            "status": "SUCCESS",
            "amountSet": {"shopMoney": {"amount": "27.99", "currencyCode": "GBP"}},
            "gateway": "tiktok",
        }
    ]
    # Shopify takes one discount code: both are named, the amount is their sum.
    assert order["discountCode"] == {
        "itemFixedDiscountCode": {
            "code": "TT10 + SELLER5",
            "amountSet": {"shopMoney": {"amount": "1.50", "currencyCode": "GBP"}},
        }
    }
    assert order["customer"] == {"toUpsert": {"firstName": "Ada", "email": "ada@example.com"}}
    assert order["shippingAddress"] == {"firstName": "Ada", "city": "London", "countryCode": "GB"}
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
        draft_to_input(draft)
