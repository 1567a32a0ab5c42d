"""``POST /admin/api/{version}/graphql.json``: the Admin GraphQL API on graphql-core.

The gate has checked the version and the token. Here a query is parsed and validated
against the schema subset, costed (`graphql_cost`), admitted by the token's points bucket or
refused with ``THROTTLED``, executed, and answered with ``extensions.cost`` (the difference
between the requested and the actual cost goes back to the bucket). GraphQL errors answer
200, as Shopify's do; a body that is not a query is a 400. A query that selects a deprecated
field is answered with ``X-Shopify-API-Deprecated-Reason``.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web
from graphql import (
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    execute_sync,
    parse,
    validate,
)

from simulators.shopify import bulk
from simulators.shopify.context import Shop, shop_of
from simulators.shopify.gate import DEPRECATED_REASON
from simulators.shopify.graphql_common import parse_gid
from simulators.shopify.graphql_cost import MAX_COST, actual_cost, requested_cost
from simulators.shopify.graphql_resolvers import TABLE, install_types, lookup, resolve_field
from simulators.shopify.graphql_schema import build

ALL_SCOPES = frozenset(
    {
        "read_products",
        "write_products",
        "read_inventory",
        "write_inventory",
        "read_locations",
        "read_orders",
        "write_orders",
        "read_fulfillments",
        "write_fulfillments",
        "read_merchant_managed_fulfillment_orders",
        "write_merchant_managed_fulfillment_orders",
    }
)


def _bulk_run(_: Any, info: Any, **args: Any) -> dict[str, Any]:
    shop: Shop = info.context["shop"]
    schema: GraphQLSchema = info.schema
    document, problem = bulk.check_query(schema, args["query"])
    if problem is None and shop.bulk.running() >= bulk.MAX_RUNNING:
        problem = f"A shop can run at most {bulk.MAX_RUNNING} bulk operations at once."
        code = "LIMIT_REACHED"
    else:
        code = "INVALID"
    if problem is not None or document is None:
        error = {"field": ["query"], "message": problem, "code": code}
        return {"bulkOperation": None, "userErrors": [error]}
    grouped = args.get("groupObjects")
    context = {key: info.context[key] for key in ("shop", "scopes", "token")}
    op = shop.bulk.start(
        schema, document, args["query"], context, grouped=True if grouped is None else grouped
    )
    return {"bulkOperation": op, "userErrors": []}


def _bulk_cancel(_: Any, info: Any, **args: Any) -> dict[str, Any]:
    shop: Shop = info.context["shop"]
    parsed = parse_gid(args["id"], "BulkOperation")
    op = None if parsed is None else shop.bulk.operations.get(parsed[1])
    if op is None:
        error = {"field": ["id"], "message": "Bulk operation does not exist", "code": None}
        return {"bulkOperation": None, "userErrors": [error]}
    shop.bulk.cancel(op)
    return {"bulkOperation": op, "userErrors": []}


def _current(_: Any, info: Any, **args: Any) -> Any:
    if args.get("type") == "MUTATION":
        return None
    shop: Shop = info.context["shop"]
    return shop.bulk.current(info.context["token"])


def _bulk_field(name: str) -> Any:
    return lambda op, _: op.wire()[name]


def make_schema() -> GraphQLSchema:
    schema = build()
    TABLE[("Mutation", "bulkOperationRunQuery")] = _bulk_run
    TABLE[("Mutation", "bulkOperationCancel")] = _bulk_cancel
    TABLE[("QueryRoot", "currentBulkOperation")] = _current
    TABLE[("QueryRoot", "bulkOperation")] = lambda _, info, **args: lookup(
        info.context["shop"], args["id"]
    )
    for name in ("id", "status", "errorCode", "type", "query", "createdAt", "completedAt"):
        TABLE[("BulkOperation", name)] = _bulk_field(name)
    for name in ("objectCount", "rootObjectCount", "fileSize", "url", "partialDataUrl"):
        TABLE[("BulkOperation", name)] = _bulk_field(name)
    install_types(schema, {bulk.BulkOp: "BulkOperation"})
    return schema


SCHEMA = make_schema()


def _errors(*errors: Any) -> web.Response:
    return web.json_response({"errors": list(errors)})


def _throttled(requested: int, shop: Shop, token: str) -> web.Response:
    status = shop.points.of(token).status()
    return web.json_response(
        {
            "errors": [
                {
                    "message": "Throttled",
                    "extensions": {
                        "code": "THROTTLED",
                        "documentation": "https://shopify.dev/api/usage/rate-limits",
                    },
                }
            ],
            "extensions": {
                "cost": {
                    "requestedQueryCost": requested,
                    "actualQueryCost": None,
                    "throttleStatus": status.wire(),
                }
            },
        }
    )


def _too_costly(cost: int) -> web.Response:
    return _errors(
        {
            "message": (
                f"Query cost is {cost}, which exceeds the single query max cost limit "
                f"({MAX_COST}).\n\nTo query larger amounts of data with fewer limits, bulk "
                "operations should be used instead."
            ),
            "extensions": {"code": "MAX_COST_EXCEEDED", "cost": cost, "maxCost": MAX_COST},
        }
    )


async def _body(request: web.Request) -> tuple[str, dict[str, Any], str | None] | web.Response:
    bad = web.json_response(
        {"errors": {"query": "Required parameter missing or invalid"}}, status=400
    )
    raw = await request.read()
    if request.content_type == "application/graphql":
        return raw.decode("utf-8", "replace"), {}, None
    try:
        body = json.loads(raw)
    except ValueError:
        return bad
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        return bad
    variables = body.get("variables") or {}
    if not isinstance(variables, dict):
        return bad
    name = body.get("operationName")
    return body["query"], variables, name if isinstance(name, str) else None


async def graphql(request: web.Request) -> web.Response:  # noqa: PLR0911 one per refusal
    shop = shop_of(request)
    given = await _body(request)
    if isinstance(given, web.Response):
        return given
    query, variables, operation_name = given
    try:
        document = parse(query)
    except GraphQLError as exc:
        return _errors(exc.formatted)
    problems = validate(SCHEMA, document)
    if problems:
        return _errors(*(problem.formatted for problem in problems))
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [
        op
        for op in operations
        if operation_name is None or (op.name is not None and op.name.value == operation_name)
    ]
    if len(chosen) != 1:
        return _errors({"message": "An operation name is required when there are several"})
    operation = chosen[0]
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    token = request.headers.get("X-Shopify-Access-Token", "")
    requested = requested_cost(SCHEMA, operation, fragments, variables)
    if requested > MAX_COST:
        return _too_costly(requested)
    bucket = shop.points.of(token)
    if not bucket.take(requested):
        shop.points.throttled += 1
        return _throttled(requested, shop, token)
    context: dict[str, Any] = {
        "shop": shop,
        "token": token,
        "scopes": shop.scopes.get(token, ALL_SCOPES),
    }
    result = execute_sync(
        SCHEMA,
        document,
        variable_values=variables,
        operation_name=operation_name,
        field_resolver=resolve_field,
        context_value=context,
    )
    actual = actual_cost(SCHEMA, operation, fragments, variables, result.data)
    bucket.refund(requested - actual)
    answer: dict[str, Any] = {}
    if result.errors:
        answer["errors"] = [error.formatted for error in result.errors]
    answer["data"] = result.data
    extensions: dict[str, Any] = {
        "cost": {
            "requestedQueryCost": requested,
            "actualQueryCost": actual,
            "throttleStatus": bucket.status().wire(),
        }
    }
    if context.get("search_warnings"):
        extensions["search"] = [
            {"path": [], "query": "", "warnings": [{"field": None, "message": message}]}
            for message in context["search_warnings"]
        ]
    answer["extensions"] = extensions
    headers = (
        {"X-Shopify-API-Deprecated-Reason": DEPRECATED_REASON} if context.get("deprecated") else {}
    )
    return web.json_response(answer, headers=headers)


async def download(request: web.Request) -> web.StreamResponse:
    """A bulk operation's result file (a signed storage URL at Shopify: no token needed)."""
    path = shop_of(request).bulk.file(request.match_info["name"])
    if path is None:
        raise web.HTTPNotFound
    return web.FileResponse(path, headers={"Content-Type": "application/jsonl"})


def add_routes(router: web.UrlDispatcher, prefix: str) -> None:
    router.add_post(f"{prefix}/graphql.json", graphql, name="graphql")
    router.add_get(f"{bulk.DOWNLOAD_PREFIX}{{name}}", download, name="bulk.download")
