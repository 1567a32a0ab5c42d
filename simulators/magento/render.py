"""Records as Magento's REST answers: product, attribute, source, source item, order,
invoice and shipment entities, with the field names of the 2.4 schema."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from simulators.magento.records import (
    DEFAULT_STOCK_ID,
    AttributeRec,
    InvoiceRec,
    OrderItemRec,
    OrderRec,
    ProductRec,
    ShipmentRec,
    SourceItemRec,
    SourceRec,
)
from simulators.magento.state import MagentoStore, fmt_time


def _num(value: Decimal) -> float | int:
    """Magento writes decimals as JSON numbers (``12.5``, ``10``)."""
    return int(value) if value == value.to_integral_value() else float(value)


def product(store: MagentoStore, rec: ProductRec) -> dict[str, Any]:
    custom: list[dict[str, Any]] = [
        {"attribute_code": "description", "value": rec.description},
        {"attribute_code": "url_key", "value": rec.sku.lower()},
        {"attribute_code": "category_ids", "value": [str(c) for c in rec.category_ids]},
    ]
    if rec.barcode is not None:
        custom.append({"attribute_code": "barcode", "value": rec.barcode})
    for attribute_id, option_id in rec.options.items():
        code = store.attributes[attribute_id].code
        custom.append({"attribute_code": code, "value": str(option_id)})
    qty = sum((i.quantity for i in store.items_of(rec.sku)), Decimal(0))
    extension: dict[str, Any] = {
        "website_ids": [1],
        "category_links": [
            {"position": n, "category_id": str(c)} for n, c in enumerate(rec.category_ids)
        ],
        "stock_item": {
            "item_id": rec.id,
            "product_id": rec.id,
            "stock_id": DEFAULT_STOCK_ID,
            "qty": _num(qty),
            "is_in_stock": qty > 0 or rec.backorders > 0,
            "manage_stock": rec.manage_stock,
            "use_config_manage_stock": False,
            "backorders": rec.backorders,
            "use_config_backorders": False,
            "min_qty": 0,
        },
    }
    if rec.type_id == "configurable":
        extension["configurable_product_options"] = [
            _option(store.attributes[attribute_id], rec, position)
            for position, attribute_id in enumerate(rec.configurable_attribute_ids)
        ]
        extension["configurable_product_links"] = list(rec.child_ids)
    answer: dict[str, Any] = {
        "id": rec.id,
        "sku": rec.sku,
        "name": rec.name,
        "attribute_set_id": 4,
        "price": _num(rec.price),
        "status": rec.status,
        "visibility": rec.visibility,
        "type_id": rec.type_id,
        "created_at": fmt_time(rec.created_at),
        "updated_at": fmt_time(rec.updated_at),
        "extension_attributes": extension,
        "product_links": [],
        "options": [],
        "media_gallery_entries": [
            {
                "id": rec.id * 100 + n,
                "media_type": "image",
                "label": None,
                "position": n,
                "disabled": False,
                "types": ["image", "small_image", "thumbnail"] if n == 1 else [],
                "file": file,
            }
            for n, file in enumerate(rec.images, start=1)
        ],
        "tier_prices": [],
        "custom_attributes": custom,
    }
    if rec.weight is not None:
        answer["weight"] = _num(rec.weight)
    answer.update(rec.corrupt)
    return answer


def _option(attribute: AttributeRec, parent: ProductRec, position: int) -> dict[str, Any]:
    return {
        "id": attribute.id * 1000 + parent.id,
        "attribute_id": str(attribute.id),
        "label": attribute.label,
        "position": position,
        "values": [{"value_index": option_id} for option_id in attribute.options],
        "product_id": parent.id,
    }


def attribute(rec: AttributeRec) -> dict[str, Any]:
    return {
        "attribute_id": rec.id,
        "attribute_code": rec.code,
        "frontend_input": "select",
        "default_frontend_label": rec.label,
        "is_user_defined": True,
        "options": [{"label": " ", "value": ""}]
        + [{"label": label, "value": str(option_id)} for option_id, label in rec.options.items()],
    }


def source(rec: SourceRec) -> dict[str, Any]:
    return {
        "source_code": rec.code,
        "name": rec.name,
        "enabled": rec.enabled,
        "country_id": "GB",
        "postcode": "N1 1AA",
        "use_default_carrier_config": True,
    }


def source_item(rec: SourceItemRec) -> dict[str, Any]:
    return {
        "sku": rec.sku,
        "source_code": rec.source_code,
        "quantity": _num(rec.quantity),
        "status": rec.status,
    }


def _item(item: OrderItemRec, order: OrderRec) -> dict[str, Any]:
    return {
        "item_id": item.id,
        "order_id": order.id,
        "sku": item.sku,
        "name": item.name,
        "product_id": item.product_id,
        "product_type": "simple",
        "qty_ordered": _num(item.qty_ordered),
        "qty_invoiced": _num(item.qty_invoiced),
        "qty_shipped": _num(item.qty_shipped),
        "qty_canceled": _num(item.qty_canceled),
        "price": _num(item.price),
        "base_price": _num(item.price),
        "row_total": _num(item.price * item.qty_ordered),
        "tax_amount": _num(item.tax_amount),
        "discount_amount": _num(item.discount_amount),
        "created_at": fmt_time(order.created_at),
        "updated_at": fmt_time(order.updated_at),
    }


def order(rec: OrderRec) -> dict[str, Any]:
    due = rec.grand_total - rec.total_paid
    answer: dict[str, Any] = {
        "entity_id": rec.id,
        "increment_id": rec.increment_id,
        "store_id": rec.store_id,
        "state": rec.state,
        "status": rec.status,
        "created_at": fmt_time(rec.created_at),
        "updated_at": fmt_time(rec.updated_at),
        "order_currency_code": rec.currency,
        "base_currency_code": rec.currency,
        "global_currency_code": rec.currency,
        "grand_total": _num(rec.grand_total),
        "base_grand_total": _num(rec.grand_total),
        "subtotal": _num(rec.subtotal),
        "shipping_amount": _num(rec.shipping_amount),
        "tax_amount": _num(rec.tax_amount),
        "discount_amount": _num(rec.discount_amount),
        "total_paid": _num(rec.total_paid),
        "total_invoiced": _num(rec.total_invoiced),
        "total_due": _num(due),
        "total_qty_ordered": _num(sum((i.qty_ordered for i in rec.items), Decimal(0))),
        "customer_email": rec.customer_email,
        "customer_firstname": rec.customer_firstname,
        "customer_lastname": rec.customer_lastname,
        "customer_is_guest": 1,
        "items": [_item(item, rec) for item in rec.items],
        "billing_address": rec.billing_address,
        "payment": rec.payment,
        "status_histories": [
            {
                "entity_id": h.id,
                "parent_id": rec.id,
                "comment": h.comment,
                "status": h.status,
                "created_at": fmt_time(h.created_at),
                "entity_name": "order",
                "is_customer_notified": h.is_customer_notified,
                "is_visible_on_front": h.is_visible_on_front,
            }
            for h in sorted(rec.histories, key=lambda h: (h.created_at, h.id), reverse=True)
        ],
        "extension_attributes": {
            "shipping_assignments": [
                {
                    "shipping": {
                        "address": rec.shipping_address,
                        "method": "flatrate_flatrate",
                        "total": {"shipping_amount": _num(rec.shipping_amount)},
                    },
                    "items": [_item(item, rec) for item in rec.items],
                }
            ]
            if rec.shipping_address is not None
            else []
        },
    }
    if rec.ext_order_id is not None:
        answer["ext_order_id"] = rec.ext_order_id
    if rec.shipping_description is not None:
        answer["shipping_description"] = rec.shipping_description
    return answer


def invoice(rec: InvoiceRec) -> dict[str, Any]:
    return {
        "entity_id": rec.id,
        "increment_id": rec.increment_id,
        "order_id": rec.order_id,
        "state": 2,
        "grand_total": _num(rec.grand_total),
        "created_at": fmt_time(rec.created_at),
    }


def shipment(rec: ShipmentRec, order_rec: OrderRec) -> dict[str, Any]:
    items = {item.id: item for item in order_rec.items}
    return {
        "entity_id": rec.id,
        "increment_id": rec.increment_id,
        "order_id": rec.order_id,
        "store_id": order_rec.store_id,
        "total_qty": _num(sum((qty for _, qty in rec.items), Decimal(0))),
        "created_at": fmt_time(rec.created_at),
        "updated_at": fmt_time(rec.updated_at),
        "items": [
            {
                "entity_id": rec.id * 100 + n,
                "parent_id": rec.id,
                "order_item_id": item_id,
                "sku": items[item_id].sku,
                "name": items[item_id].name,
                "product_id": items[item_id].product_id,
                "qty": _num(qty),
                "price": _num(items[item_id].price),
            }
            for n, (item_id, qty) in enumerate(rec.items, start=1)
        ],
        "tracks": [
            {
                "entity_id": track.id,
                "parent_id": rec.id,
                "order_id": rec.order_id,
                "track_number": track.track_number,
                "title": track.title,
                "carrier_code": track.carrier_code,
                "created_at": fmt_time(track.created_at),
                "updated_at": fmt_time(track.created_at),
            }
            for track in rec.tracks
        ],
        "comments": [],
        "packages": [],
        "extension_attributes": {"source_code": rec.source_code},
    }
