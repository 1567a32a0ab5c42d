"""The kit's neutral store API (``/_sim/store/``) for the Shopify simulator.

Each action goes through the simulator's own functions, so it behaves as the merchant's
change would on Shopify: timestamps move and webhooks fire. Stock is set as
``inventory_levels/set.json`` does (untracked items are refused); prices and publishing are
product edits (``products/update``); shipping is a fulfilment with tracking (as
``/_sim/orders/{id}/fulfil``); cancelling restocks (the merchant puts the units back).
A product created here fires ``products/create``; a generated catalog is loaded quietly.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from simulators.kit import (
    ControlError,
    CreatedProduct,
    CreatedVariant,
    Location,
    OrderLine,
    PriceChange,
    ProductSpec,
    Shipment,
    StockLevel,
    StoreOrder,
    not_found,
)
from simulators.kit.jsonio import HTTP_CONFLICT
from simulators.shopify import catalog_spec as shopify
from simulators.shopify.catalog import create_product, delete_product, edit_product
from simulators.shopify.context import Shop
from simulators.shopify.errors import ApiError
from simulators.shopify.fulfillment import merchant_fulfil
from simulators.shopify.generate import generate_catalog
from simulators.shopify.inventory import set_available
from simulators.shopify.order_input import CancelIn, TrackingIn
from simulators.shopify.orders import cancel_order
from simulators.shopify.records import OrderRec, ProductRec, VariantRec

REFERENCE_ATTRIBUTE = "tiktok_order_id"
MAX_OPTIONS = 3
HTTP_NOT_FOUND = 404


def _refused(error: ApiError) -> ControlError:
    """Shopify's refusal (422 and the like) as the neutral API's 409 (404 stays 404)."""
    status = HTTP_NOT_FOUND if error.status == HTTP_NOT_FOUND else HTTP_CONFLICT
    return ControlError(status, f"Shopify refused: {error.errors}")


def _number(text: str, what: str, field: str | None = None) -> int:
    if not text.isdigit():
        raise not_found(f"no {what} {text!r}", field)
    return int(text)


class ShopifyStoreControl:
    """`StoreControl` on one simulated shop."""

    def __init__(self, shop: Shop) -> None:
        self._shop = shop

    async def locations(self) -> Sequence[Location]:
        locations = self._shop.state.locations
        return [Location(str(key), locations[key].name) for key in sorted(locations)]

    async def create_products(self, specs: Sequence[ProductSpec]) -> Sequence[CreatedProduct]:
        converted = [self._product(spec, f"products[{i}]") for i, spec in enumerate(specs)]
        try:
            created = [create_product(self._shop, spec) for spec in converted]
        except ApiError as error:
            raise _refused(error) from None
        return [_created(product) for product in created]

    async def generate(self, products: int, variants: int, seed: int) -> Sequence[CreatedProduct]:
        locations = tuple(sorted(self._shop.state.locations))
        spec = generate_catalog(products, variants, seed=seed, location_ids=locations)
        loaded = [create_product(self._shop, item, notify=False) for item in spec.products]
        return [_created(product) for product in loaded]

    async def set_stock(self, levels: Sequence[StockLevel]) -> Sequence[StockLevel]:
        state = self._shop.state
        plan: list[tuple[int, int, int]] = []
        for index, level in enumerate(levels):
            where = f"levels[{index}]"
            location = self._location(level.location, f"{where}.location")
            for variant in self._variants(level.sku, f"{where}.sku"):
                if not state.items[variant.inventory_item_id].tracked:
                    raise ControlError(
                        HTTP_CONFLICT, f"SKU {level.sku!r} does not track inventory", where
                    )
                plan.append((variant.inventory_item_id, location, level.available))
        for item_id, location, available in plan:
            set_available(self._shop, item_id, location, available)
        return list(levels)

    async def set_prices(self, prices: Sequence[PriceChange]) -> Sequence[PriceChange]:
        edits: dict[int, list[shopify.VariantEdit]] = {}
        for index, change in enumerate(prices):
            for variant in self._variants(change.sku, f"prices[{index}].sku"):
                edit = shopify.VariantEdit(id=variant.id, price=change.price)
                edits.setdefault(variant.product_id, []).append(edit)
        for product_id, variant_edits in edits.items():
            edit_product(self._shop, product_id, shopify.ProductEdit(variants=variant_edits))
        return list(prices)

    async def set_published(self, product_id: str, published: bool) -> None:  # noqa: FBT001 the neutral API's shape
        status = "active" if published else "draft"
        try:
            edit_product(
                self._shop, self._product_id(product_id), shopify.ProductEdit(status=status)
            )
        except ApiError as error:
            raise _refused(error) from None

    async def delete_product(self, product_id: str) -> None:
        try:
            delete_product(self._shop, self._product_id(product_id))
        except ApiError as error:
            raise _refused(error) from None

    async def orders(self) -> Sequence[StoreOrder]:
        state = self._shop.state
        return [self._order_view(state.orders[key]) for key in state.order_order.after(None)]

    async def ship_order(self, order_id: str, carrier: str, tracking_number: str) -> StoreOrder:
        order = self._order(order_id)
        try:
            merchant_fulfil(self._shop, order, TrackingIn(company=carrier, number=tracking_number))
        except ApiError as error:
            raise _refused(error) from None
        return self._order_view(order)

    async def cancel_order(self, order_id: str) -> StoreOrder:
        order = self._order(order_id)
        try:
            cancel_order(self._shop, order, CancelIn(reason="other", restock=True))
        except ApiError as error:
            raise _refused(error) from None
        return self._order_view(order)

    def _location(self, text: str, field: str) -> int:
        location = _number(text, "location", field)
        if location not in self._shop.state.locations:
            raise not_found(f"no location {text!r}", field)
        return location

    def _variants(self, sku: str, field: str) -> list[VariantRec]:
        found = [v for v in self._shop.state.variants.values() if v.sku == sku]
        if not found:
            raise not_found(f"no variant with SKU {sku!r}", field)
        return found

    def _product_id(self, text: str) -> int:
        product_id = _number(text, "product")
        if product_id not in self._shop.state.products:
            raise not_found(f"no product {text!r}")
        return product_id

    def _order(self, text: str) -> OrderRec:
        order = self._shop.state.orders.get(_number(text, "order"))
        if order is None:
            raise not_found(f"no order {text!r}")
        return order

    def _product(self, spec: ProductSpec, where: str) -> shopify.ProductSpec:
        names = list(dict.fromkeys(name for v in spec.variants for name in v.options))
        if len(names) > MAX_OPTIONS:
            raise ControlError(400, f"Shopify takes at most {MAX_OPTIONS} options", where)
        variants = []
        for index, variant in enumerate(spec.variants):
            field = f"{where}.variants[{index}]"
            if names and set(variant.options) != set(names):
                raise ControlError(400, f"every variant needs a value for {names}", field)
            stock = [
                shopify.StockSpec(
                    location_id=self._location(s.location, f"{field}.stock[{n}].location"),
                    available=s.available,
                )
                for n, s in enumerate(variant.stock)
            ]
            variants.append(
                shopify.VariantSpec(
                    sku=variant.sku,
                    barcode=variant.barcode,
                    price=variant.price,
                    options=[variant.options[name] for name in names],
                    weight=variant.weight_kg or Decimal(0),
                    weight_unit="kg",
                    inventory_policy="continue" if variant.backorders else "deny",
                    tracked=variant.tracked,
                    stock=stock,
                )
            )
        return shopify.ProductSpec(
            title=spec.title,
            body_html=spec.description_html,
            product_type=spec.category or "",
            status="active" if spec.published else "draft",
            options=[shopify.OptionSpec(name=name) for name in names],
            images=[shopify.ImageSpec(src=src) for src in spec.images],
            variants=variants,
        )

    def _order_view(self, order: OrderRec) -> StoreOrder:
        state = self._shop.state
        attributes = {a["name"]: a["value"] for a in order.note_attributes}
        fulfillments = [state.fulfillments[f] for f in order.fulfillment_ids]
        return StoreOrder(
            id=str(order.id),
            name=order.name,
            reference=attributes.get(REFERENCE_ATTRIBUTE) or order.source_identifier,
            cancelled=order.cancelled_at is not None,
            lines=tuple(OrderLine(line.sku, line.quantity) for line in order.line_items),
            shipments=tuple(
                Shipment(f.tracking_company, f.tracking_numbers[0] if f.tracking_numbers else None)
                for f in fulfillments
            ),
        )


def _created(product: ProductRec) -> CreatedProduct:
    return CreatedProduct(
        id=str(product.id),
        title=product.title,
        variants=tuple(
            CreatedVariant(str(v.id), v.sku or "", str(v.inventory_item_id))
            for v in product.variants
        ),
    )
