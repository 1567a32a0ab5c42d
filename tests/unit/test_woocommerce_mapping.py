"""WooCommerce's catalog shapes onto the domain's products (pure)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from daemon.connectors.woocommerce.mapping import product_from_wire
from daemon.connectors.woocommerce.models import ProductWire, VariationWire
from daemon.domain.models import BadRecord, Money, Product, ProductState, WeightUnit

STAMP = "2026-11-30T10:00:00"


def product(**fields: Any) -> ProductWire:
    base = {
        "id": 10,
        "name": "Shirt",
        "type": "variable",
        "status": "publish",
        "date_modified_gmt": STAMP,
    }
    return ProductWire.model_validate({**base, **fields})


def variation(number: int, **fields: Any) -> VariationWire:
    base = {
        "id": number,
        "parent_id": 10,
        "status": "publish",
        "sku": f"SH-{number}",
        "regular_price": "12.00",
        "price": "12.00",
        "manage_stock": True,
        "stock_quantity": 3,
        "weight": "",
        "attributes": [{"name": "Size", "option": str(number)}],
        "date_modified_gmt": STAMP,
    }
    return VariationWire.model_validate({**base, **fields})


def test_disabled_variations_are_not_for_sale_and_weights_fall_back_to_the_product() -> None:
    shirt = product(
        weight="0.4", attributes=[{"name": "Size", "options": ["1", "2"], "variation": True}]
    )
    made = product_from_wire(
        shirt, [variation(11), variation(12, status="private")], "GBP", WeightUnit.GRAM
    )
    assert isinstance(made, Product)
    assert [v.id for v in made.variants] == ["11"]
    (only,) = made.variants
    assert (only.stock_key, only.options, only.weight and only.weight.value) == (
        "11",
        (("Size", "11"),),
        Decimal("0.4"),
    )
    assert made.option_names == ("Size",)


def test_a_running_sale_is_the_price_and_the_regular_price_the_compare_at() -> None:
    on_sale = variation(
        11, sale_price="9.00", price="9.00", backorders="notify", manage_stock=False
    )
    made = product_from_wire(product(), [on_sale], "GBP")
    assert isinstance(made, Product)
    (variant,) = made.variants
    assert (variant.price, variant.compare_at_price) == (
        Money(Decimal("9.00"), "GBP"),
        Money(Decimal("12.00"), "GBP"),
    )
    assert (variant.tracked, variant.continue_selling) == (False, True)


def test_only_published_products_are_active() -> None:
    simple = {
        "type": "simple",
        "sku": "MUG",
        "regular_price": "5.00",
        "price": "5.00",
        "status": "pending",
    }
    made = product_from_wire(product(**simple), [], "GBP")
    assert isinstance(made, Product)
    assert (made.state, made.published, made.variants[0].stock_key) == (
        ProductState.DRAFT,
        False,
        "10",
    )


def test_products_without_a_sku_of_their_own_fail_alone_with_the_reason() -> None:
    grouped = product_from_wire(product(type="grouped"), [], "GBP")
    assert grouped == BadRecord("product", "10", "a grouped product has no SKU of its own")
    priceless = product_from_wire(product(type="simple"), [], "GBP")
    assert isinstance(priceless, BadRecord)
    assert "no price" in priceless.reason
