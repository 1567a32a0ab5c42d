"""Order routes (import, one by id or by order number, queries, updates) and the custom types
an order's fields are defined by."""

from __future__ import annotations

from aiohttp import web

from simulators.commercetools import orders, render
from simulators.commercetools.errors import CtError, duplicate, invalid_input, not_found
from simulators.commercetools.records import OrderRec, TypeRec
from simulators.commercetools.routing import actions_of, add, answer, body_of, page, version_of
from simulators.commercetools.state import Project, project_of


async def import_order(request: web.Request) -> web.Response:
    project = project_of(request)
    order = orders.import_order(project, await body_of(request))
    return answer(render.order(order), 201)


def _order(project: Project, request: web.Request) -> OrderRec:
    if "number" in request.match_info:
        number = request.match_info["number"]
        order_id = project.order_numbers.get(number)
        if order_id is None:
            raise CtError(
                404, "ResourceNotFound", f"The Resource with order number '{number}' was not found."
            )
        return project.orders[order_id]
    order_id = request.match_info["id"]
    order = project.orders.get(order_id)
    if order is None:
        raise not_found("order", order_id)
    return order


async def get_order(request: web.Request) -> web.Response:
    return answer(render.order(_order(project_of(request), request)))


async def query_orders(request: web.Request) -> web.Response:
    project = project_of(request)
    return answer(page(request.query, list(project.orders.values()), render.order, render.order))


async def update_order(request: web.Request) -> web.Response:
    project = project_of(request)
    order = _order(project, request)
    body = await body_of(request)
    changed = orders.update(project, order, version_of(body), actions_of(body))
    return answer(render.order(changed))


async def get_type(request: web.Request) -> web.Response:
    project = project_of(request)
    key = request.match_info["key"]
    found = next((t for t in project.types.values() if t.key == key), None)
    if found is None:
        raise CtError(404, "ResourceNotFound", f"The Resource with key '{key}' was not found.")
    return answer(render.custom_type(found))


async def create_type(request: web.Request) -> web.Response:
    project = project_of(request)
    body = await body_of(request)
    key = body.get("key")
    if not isinstance(key, str) or not key:
        raise invalid_input("key: Missing required value")
    if any(t.key == key for t in project.types.values()):
        raise duplicate("key", key)
    definitions = body.get("fieldDefinitions") or []
    resource_types = body.get("resourceTypeIds")
    if not isinstance(resource_types, list) or not isinstance(definitions, list):
        raise invalid_input("resourceTypeIds: Missing required value")
    moment = project.now()
    rec = TypeRec(
        id=project.new_id(),
        key=key,
        version=1,
        name=dict(body.get("name") or {"en": key}),
        resource_type_ids=[str(r) for r in resource_types],
        field_definitions=list(definitions),
        created_at=moment,
        last_modified_at=moment,
    )
    project.types[rec.id] = rec
    return answer(render.custom_type(rec), 201)


def add_routes(router: web.UrlDispatcher, key: str) -> None:
    view, manage = "view_orders", "manage_orders"
    add(router, key, "POST", "orders/import", import_order, name="orders.by_import", scope=manage)
    add(router, key, "GET", "orders", query_orders, name="orders.query", scope=view)
    add(
        router,
        key,
        "GET",
        "orders/order-number={number}",
        get_order,
        name="orders.get_by_number",
        scope=view,
    )
    add(
        router,
        key,
        "POST",
        "orders/order-number={number}",
        update_order,
        name="orders.update_by_number",
        scope=manage,
    )
    add(router, key, "GET", "orders/{id}", get_order, name="orders.get", scope=view)
    add(router, key, "POST", "orders/{id}", update_order, name="orders.update", scope=manage)
    add(
        router, key, "GET", "types/key={key}", get_type, name="types.get_by_key", scope="view_types"
    )
    add(router, key, "POST", "types", create_type, name="types.create", scope="manage_types")
