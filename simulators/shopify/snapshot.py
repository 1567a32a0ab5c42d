"""The whole simulated shop as one JSON document (``GET /_sim/state``)."""

from __future__ import annotations

from typing import Any

from simulators.shopify.context import Shop
from simulators.shopify.dialect import ShopifyDialect
from simulators.shopify.render_catalog import (
    render_event,
    render_inventory_item,
    render_level,
    render_location,
    render_product,
)
from simulators.shopify.render_orders import (
    render_fulfillment_order,
    render_order,
)


def dump_state(shop: Shop) -> dict[str, Any]:
    state = shop.state
    zone = shop.zone
    return {
        "shop": {
            "domain": shop.config.shop_domain,
            "currency": shop.config.currency,
            "api_version": shop.config.api_version,
        },
        "clock": {"now": shop.fmt(shop.now()), "offset_seconds": shop.clock.offset},
        "locations": [render_location(state.locations[k], zone) for k in sorted(state.locations)],
        "products": [
            render_product(state, state.products[k], zone) for k in state.product_order.after(None)
        ],
        "inventory_items": [
            render_inventory_item(state.items[k], zone) for k in state.item_order.after(None)
        ],
        "inventory_levels": [
            render_level(level, zone)
            for item in state.item_order.after(None)
            for _, level in sorted(state.levels.get(item, {}).items())
        ],
        "events": [render_event(state.events[k], zone) for k in state.event_order.after(None)],
        "orders": [render_order(shop, state.orders[k]) for k in state.order_order.after(None)],
        "fulfillment_orders": [
            render_fulfillment_order(shop, fo) for _, fo in sorted(state.fulfillment_orders.items())
        ],
        "webhooks": shop.webhooks.attempts(),
        "bucket": shop.buckets.status(),
        "faults": ShopifyDialect(shop.config).faults(shop.faults),
        "calls": len(shop.calls),
    }
