"""Records as the REST API v3 shows them (dates in the site's zone, UTC here, and in GMT)."""

from __future__ import annotations

import zlib
from datetime import datetime
from typing import Any

from simulators.woocommerce.records import Item, Line, Note, Order, Tracking


def wc_date(moment: datetime | None) -> str | None:
    """``2017-03-23T17:01:14``: WooCommerce's dates carry no zone."""
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%S")


def _stock(item: Item) -> dict[str, Any]:
    return {
        "manage_stock": item.manage_stock,
        "stock_quantity": item.stock_quantity if item.manage_stock else None,
        "stock_status": item.current_stock_status(),
        "backorders": item.backorders,
        "backorders_allowed": item.backorders != "no",
        "backordered": item.manage_stock and (item.stock_quantity or 0) < 0,
    }


def _dates(item: Item) -> dict[str, Any]:
    return {
        "date_created": wc_date(item.created),
        "date_created_gmt": wc_date(item.created),
        "date_modified": wc_date(item.modified),
        "date_modified_gmt": wc_date(item.modified),
    }


def _image(src: str, position: int, base_url: str) -> dict[str, Any]:
    url = base_url + src if src.startswith("/") else src
    return {"id": position + 1, "src": url, "name": "", "alt": "", "position": position}


def product_json(item: Item, variations: list[Item], base_url: str) -> dict[str, Any]:
    options: dict[str, list[str]] = {}
    for variation in variations:
        for name, option in variation.attributes:
            values = options.setdefault(name, [])
            if option not in values:
                values.append(option)
    body: dict[str, Any] = {
        "id": item.id,
        "name": item.name,
        "slug": item.name.lower().replace(" ", "-"),
        "type": item.type,
        "status": item.status,
        "description": item.description,
        "short_description": "",
        "sku": item.sku,
        "global_unique_id": item.global_unique_id,
        "price": item.price,
        "regular_price": item.regular_price,
        "sale_price": item.sale_price,
        "on_sale": bool(item.sale_price),
        "weight": item.weight,
        "dimensions": {"length": "", "width": "", "height": ""},
        "categories": [] if item.category is None else [_category(item.category)],
        "images": [_image(src, n, base_url) for n, src in enumerate(item.images)],
        "attributes": [
            {
                "id": 0,
                "name": name,
                "position": n,
                "visible": True,
                "variation": True,
                "options": values,
            }
            for n, (name, values) in enumerate(options.items())
        ],
        "variations": list(item.variations),
        "parent_id": 0,
        "meta_data": [],
        **_stock(item),
        **_dates(item),
    }
    body.update(item.overrides)
    return body


def _category(name: str) -> dict[str, Any]:
    return {
        "id": zlib.crc32(name.encode()) % 10_000 + 15,
        "name": name,
        "slug": name.lower().replace(" ", "-"),
    }


def variation_json(item: Item, base_url: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": item.id,
        "type": "variation",
        "parent_id": item.parent_id,
        "status": item.status,
        "description": item.description,
        "sku": item.sku,
        "global_unique_id": item.global_unique_id,
        "price": item.price,
        "regular_price": item.regular_price,
        "sale_price": item.sale_price,
        "on_sale": bool(item.sale_price),
        "weight": item.weight,
        "dimensions": {"length": "", "width": "", "height": ""},
        "image": _image(item.images[0], 0, base_url) if item.images else None,
        "attributes": [
            {"id": 0, "name": name, "option": option} for name, option in item.attributes
        ],
        "meta_data": [],
        **_stock(item),
        **_dates(item),
    }
    body.update(item.overrides)
    return body


def line_json(line: Line) -> dict[str, Any]:
    return {
        "id": line.id,
        "name": line.name,
        "product_id": line.product_id,
        "variation_id": line.variation_id,
        "quantity": line.quantity,
        "sku": line.sku,
        "subtotal": f"{line.total:.2f}",
        "total": f"{line.total:.2f}",
        "price": float(line.total / line.quantity) if line.quantity else 0.0,
        "meta_data": [
            {"id": n + 1, "key": key, "value": value}
            for n, (key, value) in enumerate(line.meta.items())
        ],
    }


def order_json(order: Order) -> dict[str, Any]:
    return {**_order_fields(order), **order.overrides}


def _order_fields(order: Order) -> dict[str, Any]:
    return {
        "id": order.id,
        "parent_id": 0,
        "number": str(order.id),
        "order_key": f"wc_order_{order.id:08d}",
        "created_via": order.created_via,
        "status": order.status,
        "currency": order.currency,
        "date_created": wc_date(order.created),
        "date_created_gmt": wc_date(order.created),
        "date_modified": wc_date(order.modified),
        "date_modified_gmt": wc_date(order.modified),
        "date_paid": wc_date(order.date_paid),
        "date_paid_gmt": wc_date(order.date_paid),
        "date_completed": wc_date(order.date_completed),
        "date_completed_gmt": wc_date(order.date_completed),
        "total": f"{order.total():.2f}",
        "billing": order.billing,
        "shipping": order.shipping,
        "payment_method": order.payment_method,
        "payment_method_title": order.payment_method_title,
        "customer_note": order.customer_note,
        "meta_data": [{"id": i, "key": k, "value": v} for i, k, v in order.meta],
        "line_items": [line_json(line) for line in order.lines],
        "shipping_lines": order.shipping_lines,
    }


def note_json(note: Note) -> dict[str, Any]:
    return {
        "id": note.id,
        "author": "WooCommerce",
        "date_created": wc_date(note.created),
        "date_created_gmt": wc_date(note.created),
        "note": note.note,
        "customer_note": note.customer_note,
    }


def tracking_json(tracking: Tracking) -> dict[str, Any]:
    return {
        "tracking_id": tracking.tracking_id,
        "tracking_provider": tracking.tracking_provider,
        "tracking_link": "",
        "tracking_number": tracking.tracking_number,
        "date_shipped": tracking.date_shipped,
    }
