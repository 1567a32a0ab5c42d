from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from daemon.connectors.tiktok.errors import TikTokFatalError
from daemon.connectors.tiktok.models import (
    CancelStatus,
    Order,
    OrderStatus,
    PriceInput,
    Product,
    ProductInput,
    TokenGrant,
)
from daemon.connectors.tiktok.models.cancellations import CancellationSearchData
from daemon.connectors.tiktok.models.common import ErrorsData, flatten_errors
from daemon.connectors.tiktok.models.products import ListingCheckResult, ProductSearchData
from daemon.connectors.tiktok.transport import encode_body, parse_data

ORDER = {
    "id": "576461413038785752",
    "status": "AWAITING_SHIPMENT",
    "create_time": 1619611561,
    "update_time": 1619621761,
    "payment": {
        "currency": "GBP",
        "sub_total": "10.50",
        "shipping_fee": "",
        "total_amount": "12.99",
        "tax": "0",
    },
    "recipient_address": {"name": "A. Buyer", "postal_code": "SW1A 1AA", "region_code": "GB"},
    "line_items": [
        {"id": "577086512123755123", "sku_id": "1729", "sale_price": "5.25", "currency": "GBP"},
        {"id": "577086512123755124", "sku_id": "1729", "sale_price": "5.25", "currency": "GBP"},
    ],
    "some_field_added_later": {"x": 1},
}


def test_order_money_is_decimal_parsed_from_strings():
    order = Order.model_validate(ORDER)
    assert order.status is OrderStatus.AWAITING_SHIPMENT
    assert order.payment is not None
    assert order.payment.total_amount == Decimal("12.99")
    assert order.payment.sub_total == Decimal("10.50")
    assert order.payment.shipping_fee is None  # empty string means absent
    assert [item.sale_price for item in order.line_items] == [Decimal("5.25")] * 2


def test_money_given_as_a_float_is_a_contract_violation():
    broken = {**ORDER, "payment": {"currency": "GBP", "total_amount": 12.99}}
    with pytest.raises(ValidationError, match="decimal string"):
        Order.model_validate(broken)


def test_unknown_order_status_is_rejected():
    with pytest.raises(ValidationError):
        Order.model_validate({**ORDER, "status": "TELEPORTED"})


def test_money_is_sent_as_plain_decimal_text():
    price = PriceInput(amount=Decimal("1E+1"), currency="GBP")
    assert encode_body(price) == b'{"amount":"10","currency":"GBP"}'
    assert PriceInput.model_validate({"amount": "12.50", "currency": "GBP"}).amount == Decimal(
        "12.50"
    )


def test_request_models_refuse_unknown_fields():
    with pytest.raises(ValidationError):
        PriceInput.model_validate({"amount": "1", "currency": "GBP", "sale_price": "1"})


def _product_input(**overrides):
    data = {
        "title": "Blue mug",
        "description": "<p>A mug</p>",
        "category_id": "600001",
        "main_images": [{"uri": "tos-maliva-i-o3syd03w52-us/abc"}],
        "package_weight": {"value": "0.4", "unit": "KILOGRAM"},
        "skus": [
            {
                "seller_sku": "MUG-1",
                "price": {"amount": "9.99", "currency": "GBP"},
                "inventory": [{"warehouse_id": "7068517275539719942", "quantity": 5}],
            }
        ],
    }
    return ProductInput.model_validate({**data, **overrides})


def test_request_bodies_are_compact_and_drop_absent_fields():
    body = encode_body(_product_input())
    assert b" " not in body.replace(b"Blue mug", b"").replace(b"A mug", b"")
    assert b"null" not in body
    assert b'"amount":"9.99"' in body
    assert b'"value":"0.4"' in body


def test_mapping_bodies_keep_unicode_unescaped():
    assert encode_body({"title": "Café / Thé"}) == '{"title":"Café / Thé"}'.encode()


def test_product_read_shape_uses_sale_price():
    product = Product.model_validate(
        {
            "id": "1729592969712207008",
            "status": "ACTIVATE",
            "skus": [
                {
                    "id": "1729592969712207012",
                    "seller_sku": "MUG-1",
                    "price": {"currency": "GBP", "sale_price": "9.99"},
                    "inventory": [{"warehouse_id": "1", "quantity": 5}],
                }
            ],
        }
    )
    sku = product.skus[0]
    assert sku.price is not None
    assert sku.price.sale_price == Decimal("9.99")
    assert sku.inventory[0].quantity == 5


def test_search_data_tolerates_the_last_page():
    data = ProductSearchData.model_validate(
        {"products": [], "next_page_token": "", "total_count": 0}
    )
    assert data.next_page_token == ""
    assert data.products == []


def test_listing_check_accepts_warnings_as_one_object():
    result = ListingCheckResult.model_validate(
        {
            "check_result": "FAILED",
            "fail_reasons": [{"code": 12052700, "message": "Product title invalid"}],
            "warnings": {"message": "Your product will not be sent for review."},
        }
    )
    assert not result.passed
    assert result.warnings[0].message.startswith("Your product")


@pytest.mark.parametrize(
    "spelling", ["CANCELLATION_REQUEST_CANCEL", "CANCELLATION_REQUEST_CANCELLED"]
)
def test_both_spellings_of_the_withdrawn_cancellation_status_parse(spelling):
    data = CancellationSearchData.model_validate(
        {
            "cancellations": [{"cancel_id": "4035", "order_id": "5764", "cancel_status": spelling}],
            "next_page_token": "",
        }
    )
    assert data.cancellations[0].cancel_status is CancelStatus.CANCEL


def test_inventory_item_errors_become_one_failure_per_sku_and_warehouse():
    data = ErrorsData.model_validate(
        {
            "errors": [
                {
                    "code": 12052990,
                    "message": "Check failed",
                    "detail": {
                        "sku_id": "1729592969712207013",
                        "extra_errors": [
                            {"warehouse_id": "W1", "code": 12052097, "message": "no warehouse"},
                            {"warehouse_id": "W2", "code": 12019024, "message": "bad stock"},
                        ],
                    },
                },
                {"code": "36020001", "message": "Invalid order_id", "detail": {"order_id": "5"}},
            ]
        }
    )
    result = flatten_errors(data.errors)
    assert not result.ok
    assert [(f.sku_id, f.warehouse_id, f.code, f.outer_code) for f in result.failures[:2]] == [
        ("1729592969712207013", "W1", 12052097, 12052990),
        ("1729592969712207013", "W2", 12019024, 12052990),
    ]
    assert result.failures[2].order_id == "5"
    assert result.failures[2].code == 36020001
    assert len(result.for_sku("1729592969712207013")) == 2


def test_token_grant_never_shows_its_tokens():
    grant = TokenGrant.model_validate(
        {
            "access_token": "ROW_secret-access",
            "access_token_expire_in": 1660556783,
            "refresh_token": "ROW_secret-refresh",
            "refresh_token_expire_in": 1691487031,
            "granted_scopes": ["seller.order.info"],
        }
    )
    assert "secret" not in repr(grant)
    assert "secret" not in str(grant.model_dump())


def test_shape_mismatch_is_fatal_and_does_not_echo_values():
    with pytest.raises(TikTokFatalError) as caught:
        parse_data(TokenGrant, {"access_token": "ROW_secret-access"}, "auth.token_get")
    assert "secret" not in str(caught.value)
    assert "access_token_expire_in" in str(caught.value)
