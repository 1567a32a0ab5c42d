"""The WooCommerce simulator's own ``/_sim/`` routes: what the merchant or the platform does
that the neutral store API does not say (rename a product, set one item's stock, break a
record on purpose, revoke or narrow the REST key, point the webhooks elsewhere)."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from pydantic import Field

from simulators.kit import ControlBody, add_control_routes, not_found, read_json, read_model
from simulators.woocommerce.context import store_of
from simulators.woocommerce.records import Item

_PERMISSIONS = "^(read|write|read_write)$"


class EditIn(ControlBody):
    name: str = Field(min_length=1)


class StockIn(ControlBody):
    quantity: int


class WebhookIn(ControlBody):
    url: str | None


class KeysIn(ControlBody):
    revoked: bool | None = None
    permissions: str | None = Field(default=None, pattern=_PERMISSIONS)


def add_routes(router: web.UrlDispatcher) -> None:
    add_control_routes(
        router,
        [
            ("POST", "/_sim/products/{id}/edit", _edit),
            ("POST", "/_sim/items/{id}/stock", _stock),
            ("POST", "/_sim/products/{id}/corrupt", _corrupt),
            ("POST", "/_sim/orders/{id}/corrupt", _corrupt_order),
            ("POST", "/_sim/keys", _keys),
            ("POST", "/_sim/webhook", _webhook),
        ],
    )


def _item(request: web.Request) -> Item:
    raw = request.match_info["id"]
    item = store_of(request).items.get(int(raw)) if raw.isdigit() else None
    if item is None:
        raise not_found(f"no product or variation {raw}")
    return item


async def _edit(request: web.Request) -> Any:
    item = _item(request)
    item.name = (await read_model(request, EditIn)).name
    store_of(request).touched(item)
    return {"id": item.id, "name": item.name}


async def _stock(request: web.Request) -> Any:
    item = _item(request)
    item.manage_stock = True
    item.stock_quantity = (await read_model(request, StockIn)).quantity
    store_of(request).touched(item)
    return {"id": item.id, "stock_quantity": item.stock_quantity}


async def _corrupt(request: web.Request) -> Any:
    """Fields shown as given from now on, whatever the schema says (a plugin gone wrong)."""
    item = _item(request)
    body = await read_json(request)
    if not isinstance(body, dict):
        raise ValueError("the body must be an object of fields")  # noqa: TRY004 the control middleware answers ValueError as a 400
    item.overrides.update(body)
    return {"id": item.id, "overrides": item.overrides}


async def _keys(request: web.Request) -> Any:
    keys = store_of(request).keys
    given = await read_model(request, KeysIn)
    if given.revoked is not None:
        keys.revoked = given.revoked
    if given.permissions is not None:
        keys.permissions = given.permissions
    return {"revoked": keys.revoked, "permissions": keys.permissions}


async def _webhook(request: web.Request) -> Any:
    """Where the store's webhooks deliver from now on (None: nowhere)."""
    webhooks = store_of(request).webhooks
    webhooks.url = (await read_model(request, WebhookIn)).url
    return {"url": webhooks.url}


async def _corrupt_order(request: web.Request) -> Any:
    """An order's fields shown as given from now on (a plugin gone wrong)."""
    raw = request.match_info["id"]
    order = store_of(request).orders.get(int(raw)) if raw.isdigit() else None
    if order is None:
        raise not_found(f"no order {raw}")
    body = await read_json(request)
    if not isinstance(body, dict):
        raise ValueError("the body must be an object of fields")  # noqa: TRY004 the control middleware answers ValueError as a 400
    order.overrides.update(body)
    return {"id": order.id, "overrides": order.overrides}
