"""Catalog routes: the project, product projections (``staged``, price selection), channels,
categories, and the Messages API."""

from __future__ import annotations

from functools import partial

from aiohttp import web

from simulators.commercetools import render
from simulators.commercetools.errors import CtError, invalid_input, not_found
from simulators.commercetools.render import PriceSelection
from simulators.commercetools.routing import add, answer, page
from simulators.commercetools.state import project_of


async def get_project(request: web.Request) -> web.Response:
    project = project_of(request)
    config = project.config
    return answer(
        {
            "key": config.project_key,
            "name": config.project_name,
            "version": 1,
            "currencies": list(config.currencies),
            "countries": list(config.countries),
            "languages": list(config.languages),
            "createdAt": "2024-01-01T00:00:00.000Z",
            "messages": {"enabled": config.messages_enabled, "deleteDaysAfterCreation": 15},
        }
    )


def _selection(request: web.Request) -> PriceSelection:
    query = request.query
    currency = query.get("priceCurrency")
    if currency is None and ("priceCountry" in query or "priceChannel" in query):
        raise invalid_input("The parameter 'priceCurrency' is required for price selection.")
    return PriceSelection(currency, query.get("priceCountry"), query.get("priceChannel"))


def _staged(request: web.Request) -> bool:
    return request.query.get("staged", "false").lower() == "true"


async def query_projections(request: web.Request) -> web.Response:
    """``staged=false`` (the default) answers published products only."""
    project = project_of(request)
    selection, staged = _selection(request), _staged(request)
    products = [p for p in project.products.values() if staged or p.published]
    body = page(
        request.query,
        products,
        lambda p: project.view(p.id, p.version, partial(render.product_index, p)),
        partial(render.projection, project, selection=selection),
    )
    return answer(body)


async def get_projection(request: web.Request) -> web.Response:
    project = project_of(request)
    product_id = request.match_info["id"]
    product = project.products.get(product_id)
    if product is None or not (_staged(request) or product.published):
        raise not_found("product", product_id)
    return answer(render.projection(project, product, _selection(request)))


async def query_channels(request: web.Request) -> web.Response:
    project = project_of(request)
    channels = list(project.channels.values())
    return answer(page(request.query, channels, render.channel, render.channel))


async def query_categories(request: web.Request) -> web.Response:
    project = project_of(request)

    def view(item: tuple[str, str]) -> dict[str, object]:
        return {
            "id": item[0],
            "version": 1,
            "name": {"en-GB": item[1]},
            "slug": {"en-GB": item[1].lower().replace(" ", "-")},
            "ancestors": [],
            "orderHint": "0.5",
            "createdAt": "2024-01-01T00:00:00.000Z",
            "lastModifiedAt": "2024-01-01T00:00:00.000Z",
        }

    return answer(page(request.query, list(project.categories.items()), view, view))


async def query_messages(request: web.Request) -> web.Response:
    project = project_of(request)
    if not project.config.messages_enabled:
        raise CtError(
            400,
            "InvalidOperation",
            "The Messages API is not enabled for this Project.",
        )
    return answer(page(request.query, project.messages, dict, dict))


def add_routes(router: web.UrlDispatcher, key: str) -> None:
    add(router, key, "GET", "", get_project, name="project.get", scope="view_project_settings")
    add(
        router,
        key,
        "GET",
        "product-projections",
        query_projections,
        name="product_projections.query",
        scope="view_products",
    )
    add(
        router,
        key,
        "GET",
        "product-projections/{id}",
        get_projection,
        name="product_projections.get",
        scope="view_products",
    )
    add(
        router, key, "GET", "channels", query_channels, name="channels.query", scope="view_products"
    )
    add(
        router,
        key,
        "GET",
        "categories",
        query_categories,
        name="categories.query",
        scope="view_products",
    )
    add(
        router, key, "GET", "messages", query_messages, name="messages.query", scope="view_messages"
    )
