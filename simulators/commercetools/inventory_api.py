"""Inventory routes: entries queried with predicates and updated with actions
(``addQuantity``, ``removeQuantity``, ``changeQuantity``, ``setRestockableInDays``) under
optimistic concurrency: a stale ``version`` is 409 ``ConcurrentModification``."""

from __future__ import annotations

from functools import partial
from typing import Any

from aiohttp import web

from simulators.commercetools import render
from simulators.commercetools.errors import conflict, invalid_input, not_found
from simulators.commercetools.records import InventoryRec
from simulators.commercetools.routing import actions_of, add, answer, body_of, page, version_of
from simulators.commercetools.state import Project, project_of


async def query_inventory(request: web.Request) -> web.Response:
    project = project_of(request)
    entries = list(project.inventory.values())
    return answer(
        page(
            request.query,
            entries,
            lambda e: project.view(e.id, e.version, partial(render.inventory, e)),
            render.inventory,
        )
    )


def _quantity(action: dict[str, Any]) -> int:
    quantity = action.get("quantity")
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise invalid_input(f"{action.get('action')}: quantity: Missing required value")
    return quantity


def apply_action(project: Project, entry: InventoryRec, action: dict[str, Any]) -> None:
    del project
    name = action.get("action")
    if name == "addQuantity":
        entry.on_stock += _quantity(action)
    elif name == "removeQuantity":
        entry.on_stock -= _quantity(action)
    elif name == "changeQuantity":
        entry.on_stock = _quantity(action)
    elif name == "setRestockableInDays":
        days = action.get("restockableInDays")
        entry.restockable_in_days = days if isinstance(days, int) else None
    else:
        raise invalid_input(f"Unknown update action {name!r} for inventory entries.")


async def update_inventory(request: web.Request) -> web.Response:
    project = project_of(request)
    entry_id = request.match_info["id"]
    entry = project.inventory.get(entry_id)
    if entry is None:
        raise not_found("inventory-entry", entry_id)
    body = await body_of(request)
    version, actions = version_of(body), actions_of(body)
    if version != entry.version:
        raise conflict(entry.id, version, entry.version)
    before = (entry.on_stock, entry.restockable_in_days)
    for action in actions:
        apply_action(project, entry, action)
    if (entry.on_stock, entry.restockable_in_days) != before:
        project.touch_entry(entry)
    return answer(render.inventory(entry))


def add_routes(router: web.UrlDispatcher, key: str) -> None:
    add(
        router,
        key,
        "GET",
        "inventory",
        query_inventory,
        name="inventory.query",
        scope="view_products",
    )
    add(
        router,
        key,
        "POST",
        "inventory/{id}",
        update_inventory,
        name="inventory.update",
        scope="manage_products",
    )
