"""Resources as the HTTP API answers them (``lastModifiedAt``, ``version``, TypedMoney...)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulators.commercetools.records import (
    ChannelRec,
    DeliveryRec,
    InventoryRec,
    LineItemRec,
    OrderRec,
    PriceRec,
    ProductRec,
    TypeRec,
    VariantRec,
)
from simulators.commercetools.state import Project, iso


def money(cents: int, currency: str) -> dict[str, Any]:
    return {
        "type": "centPrecision",
        "currencyCode": currency,
        "centAmount": cents,
        "fractionDigits": 2,
    }


def _price(price: PriceRec) -> dict[str, Any]:
    body: dict[str, Any] = {"id": price.id, "value": money(price.cents, price.currency)}
    if price.country:
        body["country"] = price.country
    if price.channel_id:
        body["channel"] = {"typeId": "channel", "id": price.channel_id}
    if price.discounted_cents is not None:
        body["discounted"] = {
            "value": money(price.discounted_cents, price.currency),
            "discount": {"typeId": "product-discount", "id": "sim-discount"},
        }
    return body


@dataclass(frozen=True, slots=True)
class PriceSelection:
    """The price-selecting query parameters (``priceCurrency`` enables selection)."""

    currency: str | None = None
    country: str | None = None
    channel: str | None = None

    def pick(self, prices: list[PriceRec]) -> PriceRec | None:
        if self.currency is None:
            return None
        fitting = [
            p
            for p in prices
            if p.currency == self.currency
            and p.country in {None, self.country}
            and p.channel_id in {None, self.channel}
        ]
        # The most specific price wins: a channel's over none, a country's over none.
        fitting.sort(key=lambda p: (p.channel_id is not None, p.country is not None), reverse=True)
        return fitting[0] if fitting else None


def _availability(project: Project, sku: str | None) -> dict[str, Any] | None:
    if not sku:
        return None
    entries = project.entries_of([sku])
    if not entries:
        return None
    body: dict[str, Any] = {}
    channels: dict[str, Any] = {}
    for entry in entries:
        view: dict[str, Any] = {
            "isOnStock": entry.available > 0,
            "availableQuantity": entry.available,
            "version": entry.version,
            "id": entry.id,
        }
        if entry.restockable_in_days is not None:
            view["restockableInDays"] = entry.restockable_in_days
        if entry.channel_id is None:
            body.update(view)
        else:
            channels[entry.channel_id] = view
    if channels:
        body["channels"] = channels
    return body


def variant(project: Project, rec: VariantRec, selection: PriceSelection) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": rec.id,
        "prices": [_price(p) for p in rec.prices],
        "images": [{"url": url, "dimensions": {"w": 800, "h": 800}} for url in rec.images],
        "attributes": [{"name": k, "value": v} for k, v in rec.attributes.items()],
        "assets": [],
    }
    if rec.sku:
        body["sku"] = rec.sku
    picked = selection.pick(rec.prices)
    if picked is not None:
        body["price"] = _price(picked)
    availability = _availability(project, rec.sku)
    if availability is not None:
        body["availability"] = availability
    return body


def projection(project: Project, rec: ProductRec, selection: PriceSelection) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": rec.id,
        "version": rec.version,
        "productType": {"typeId": "product-type", "id": "sim-product-type"},
        "name": rec.name,
        "slug": rec.slug,
        "categories": [{"typeId": "category", "id": c} for c in rec.category_ids],
        "masterVariant": variant(project, rec.variants[0], selection),
        "variants": [variant(project, v, selection) for v in rec.variants[1:]],
        "searchKeywords": {},
        "hasStagedChanges": False,
        "published": rec.published,
        "createdAt": iso(rec.created_at),
        "lastModifiedAt": iso(rec.last_modified_at),
    }
    if rec.key:
        body["key"] = rec.key
    if rec.description is not None:
        body["description"] = rec.description
    body.update(rec.corrupt)
    return body


def product_index(rec: ProductRec) -> dict[str, Any]:
    """The fields predicates usually name, without rendering prices and availability."""
    return {
        "id": rec.id,
        "key": rec.key,
        "published": rec.published,
        "createdAt": iso(rec.created_at),
        "lastModifiedAt": iso(rec.last_modified_at),
        "masterVariant": {"id": 1, "sku": rec.variants[0].sku},
        "variants": [{"id": v.id, "sku": v.sku} for v in rec.variants[1:]],
        "categories": [{"typeId": "category", "id": c} for c in rec.category_ids],
    }


def channel(rec: ChannelRec) -> dict[str, Any]:
    return {
        "id": rec.id,
        "version": rec.version,
        "key": rec.key,
        "roles": list(rec.roles),
        "name": rec.name,
        "createdAt": iso(rec.created_at),
        "lastModifiedAt": iso(rec.last_modified_at),
    }


def inventory(rec: InventoryRec) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": rec.id,
        "version": rec.version,
        "sku": rec.sku,
        "quantityOnStock": rec.on_stock,
        "availableQuantity": rec.available,
        "createdAt": iso(rec.created_at),
        "lastModifiedAt": iso(rec.last_modified_at),
    }
    if rec.channel_id is not None:
        body["supplyChannel"] = {"typeId": "channel", "id": rec.channel_id}
    if rec.restockable_in_days is not None:
        body["restockableInDays"] = rec.restockable_in_days
    return body


def custom_type(rec: TypeRec) -> dict[str, Any]:
    return {
        "id": rec.id,
        "version": rec.version,
        "key": rec.key,
        "name": rec.name,
        "resourceTypeIds": rec.resource_type_ids,
        "fieldDefinitions": rec.field_definitions,
        "createdAt": iso(rec.created_at),
        "lastModifiedAt": iso(rec.last_modified_at),
    }


def _line(rec: LineItemRec) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": rec.id,
        "productId": rec.product_id,
        "name": rec.name,
        "variant": {"id": rec.variant_id, **({"sku": rec.sku} if rec.sku else {})},
        "price": {"id": f"price-{rec.id}", "value": money(rec.cents, rec.currency)},
        "quantity": rec.quantity,
        "totalPrice": money(rec.cents * rec.quantity, rec.currency),
        "state": [],
        "priceMode": "ExternalPrice",
        "lineItemMode": "Standard",
    }
    if rec.supply_channel_id:
        body["supplyChannel"] = {"typeId": "channel", "id": rec.supply_channel_id}
    if rec.inventory_mode:
        body["inventoryMode"] = rec.inventory_mode
    return body


def _delivery(rec: DeliveryRec) -> dict[str, Any]:
    return {
        "id": rec.id,
        **({"key": rec.key} if rec.key else {}),
        "createdAt": iso(rec.created_at),
        "items": [{"id": item, "quantity": qty} for item, qty in rec.items],
        "parcels": [
            {
                "id": parcel.id,
                "createdAt": iso(parcel.created_at),
                "trackingData": {
                    k: v
                    for k, v in (("trackingId", parcel.tracking_id), ("carrier", parcel.carrier))
                    if v is not None
                },
                "items": [{"id": item, "quantity": qty} for item, qty in parcel.items],
            }
            for parcel in rec.parcels
        ],
    }


def order(rec: OrderRec) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": rec.id,
        "version": rec.version,
        "createdAt": iso(rec.created_at),
        "lastModifiedAt": iso(rec.last_modified_at),
        "lineItems": [_line(line) for line in rec.line_items],
        "customLineItems": [],
        "totalPrice": money(rec.total_cents, rec.currency),
        "orderState": rec.order_state,
        "inventoryMode": rec.inventory_mode,
        "taxMode": "Platform",
        "origin": "Customer",
        "syncInfo": [],
        "refusedGifts": [],
    }
    optional = {
        "orderNumber": rec.order_number,
        "customerEmail": rec.customer_email,
        "shipmentState": rec.shipment_state,
        "paymentState": rec.payment_state,
        "shippingAddress": rec.shipping_address,
        "billingAddress": rec.billing_address,
        "completedAt": rec.completed_at,
        "custom": rec.custom,
    }
    body.update({k: v for k, v in optional.items() if v is not None})
    body.update(rec.extra)
    if rec.shipping_info is not None or rec.deliveries:
        info = dict(rec.shipping_info or {})
        info["deliveries"] = [_delivery(d) for d in rec.deliveries]
        body["shippingInfo"] = info
    return body
