"""The order mutations of the Admin GraphQL schema: ``orderCreate``, ``orderUpdate``,
``orderCancel``, ``fulfillmentCreate`` and ``fulfillmentTrackingInfoUpdate``.

Each translates its GraphQL input into the same order rules the REST endpoints apply
(`orders`, `fulfillment`), so both APIs see one shop. A refusal is a ``userErrors`` entry
(``orderCancelUserErrors`` for a cancel) with the field path and Shopify's message, not a
GraphQL error. Writing orders needs ``write_orders``; fulfilling needs
``write_merchant_managed_fulfillment_orders``. A cancel is done when the mutation answers
(its job is reported done), or `cancel_job_seconds` later when the simulator is configured so,
as at Shopify, where the cancel runs as a background job."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Mapping
from typing import Any

import structlog
from graphql import GraphQLResolveInfo
from pydantic import ValidationError

from simulators.shopify.context import Shop
from simulators.shopify.errors import ApiError
from simulators.shopify.fulfillment import fulfil, update_tracking
from simulators.shopify.graphql_common import Resolver, gid, parse_gid, require, shop_of_info
from simulators.shopify.order_input import (
    CancelIn,
    FulfillmentIn,
    OrderIn,
    OrderUpdateIn,
    TrackingUpdateIn,
)
from simulators.shopify.orders import cancel_order, check_cancel, create_order, update_order
from simulators.shopify.records import OrderRec

log = structlog.get_logger(__name__)

_JOBS = itertools.count(1)
_ADDRESS_KEYS = {
    "address1": "address1",
    "address2": "address2",
    "city": "city",
    "company": "company",
    "countryCode": "country_code",
    "firstName": "first_name",
    "lastName": "last_name",
    "phone": "phone",
    "provinceCode": "province_code",
    "zip": "zip",
}


def _errors(exc: ApiError | ValidationError, root: str) -> list[dict[str, Any]]:
    if isinstance(exc, ValidationError):
        return [
            {"field": [root, *(str(part) for part in item["loc"])], "message": str(item["msg"])}
            for item in exc.errors(include_url=False, include_input=False)
        ]
    given = exc.errors
    if isinstance(given, str):
        return [{"field": None, "message": given}]
    if isinstance(given, list):
        return [{"field": None, "message": message} for message in given]
    return [
        {"field": [root], "message": message}
        if name == "base"
        else {"field": [root, name], "message": f"{name} {message}"}
        for name, messages in given.items()
        for message in messages
    ]


def _amount(bag: Mapping[str, Any] | None) -> Any:
    return None if bag is None else bag["shopMoney"]["amount"]


def _number(value: str | None, kind: str) -> int | None:
    parsed = None if value is None else parse_gid(value, kind)
    return None if parsed is None else parsed[1]


def _taxes(lines: list[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    return [
        {"title": t["title"], "price": _amount(t.get("priceSet")) or 0, "rate": t["rate"]}
        for t in lines or ()
    ]


def _address(given: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if given is None:
        return None
    return {_ADDRESS_KEYS[key]: value for key, value in given.items() if value is not None}


def _discounts(given: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    if not given:
        return []
    found = []
    if fixed := given.get("itemFixedDiscountCode"):
        found.append({"code": fixed["code"], "amount": _amount(fixed.get("amountSet")) or 0})
    if percent := given.get("itemPercentageDiscountCode"):
        amount = percent.get("percentage") or 0
        found.append({"code": percent["code"], "amount": amount, "type": "percentage"})
    if shipping := given.get("freeShippingDiscountCode"):
        amount = _amount(shipping.get("amountSet")) or 0
        found.append({"code": shipping["code"], "amount": amount, "type": "shipping"})
    return found


def _order_in(given: Mapping[str, Any], options: Mapping[str, Any]) -> dict[str, Any]:
    customer = (given.get("customer") or {}).get("toUpsert")
    body = {
        "line_items": [
            {
                "variant_id": _number(line.get("variantId"), "ProductVariant"),
                "quantity": line["quantity"],
                "price": _amount(line.get("priceSet")),
                "title": line.get("title"),
                "sku": line.get("sku"),
                "requires_shipping": line.get("requiresShipping"),
                "taxable": line.get("taxable", True),
                "tax_lines": _taxes(line.get("taxLines")),
            }
            for line in given.get("lineItems") or ()
        ],
        "currency": given.get("currency"),
        "email": given.get("email"),
        "phone": given.get("phone"),
        "note": given.get("note"),
        "tags": list(given.get("tags") or ()),
        "note_attributes": [
            {"name": a["key"], "value": a["value"]} for a in given.get("customAttributes") or ()
        ],
        "source_name": given.get("sourceName"),
        "source_identifier": given.get("sourceIdentifier"),
        "financial_status": (given.get("financialStatus") or "").lower() or None,
        "transactions": [
            {
                "kind": (t.get("kind") or "SALE").lower(),
                "status": (t.get("status") or "SUCCESS").lower(),
                "amount": _amount(t["amountSet"]),
                "gateway": t.get("gateway"),
            }
            for t in given.get("transactions") or ()
        ],
        "tax_lines": _taxes(given.get("taxLines")),
        "shipping_lines": [
            {
                "title": s["title"],
                "price": _amount(s["priceSet"]),
                "code": s.get("code"),
                "source": s.get("source"),
                "tax_lines": _taxes(s.get("taxLines")),
            }
            for s in given.get("shippingLines") or ()
        ],
        "discount_codes": _discounts(given.get("discountCode")),
        "taxes_included": bool(given.get("taxesIncluded")),
        "test": bool(given.get("test")),
        "customer": None
        if customer is None
        else {
            "first_name": customer.get("firstName"),
            "last_name": customer.get("lastName"),
            "email": customer.get("email"),
            "phone": customer.get("phone"),
        },
        "shipping_address": _address(given.get("shippingAddress")),
        "billing_address": _address(given.get("billingAddress")),
        "inventory_behaviour": (options.get("inventoryBehaviour") or "BYPASS").lower(),
    }
    return {key: value for key, value in body.items() if value is not None}


def _order_create(_: Any, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    require(info, "write_orders")
    shop = shop_of_info(info)
    try:
        given = OrderIn.model_validate(_order_in(args["order"], args.get("options") or {}))
        order = create_order(shop, given)
    except (ApiError, ValidationError) as exc:
        return {"order": None, "userErrors": _errors(exc, "order")}
    return {"order": order, "userErrors": []}


def _missing(field: str, what: str) -> list[dict[str, Any]]:
    return [{"field": [field], "message": f"{what} does not exist"}]


def _order_update(_: Any, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    require(info, "write_orders")
    shop = shop_of_info(info)
    given: Mapping[str, Any] = args["input"]
    order = shop.state.orders.get(_number(given["id"], "Order") or 0)
    if order is None:
        return {"order": None, "userErrors": _missing("id", "Order")}
    body: dict[str, Any] = {key: given[key] for key in ("note", "email", "tags") if key in given}
    if "customAttributes" in given:
        body["note_attributes"] = [
            {"name": a["key"], "value": a["value"]} for a in given["customAttributes"] or ()
        ]
    try:
        update_order(shop, order, OrderUpdateIn.model_validate(body))
    except (ApiError, ValidationError) as exc:
        return {"order": None, "userErrors": _errors(exc, "input")}
    return {"order": order, "userErrors": []}


def _order_cancel(_: Any, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    require(info, "write_orders")
    shop = shop_of_info(info)
    order = shop.state.orders.get(_number(args["orderId"], "Order") or 0)
    if order is None:
        error = {"field": ["orderId"], "message": "Order does not exist", "code": "NOT_FOUND"}
        return _cancel_refused([error])
    given = CancelIn(
        reason=args["reason"].lower(),
        restock=args["restock"],
        email=bool(args.get("notifyCustomer")),
    )
    try:
        check_cancel(shop, order, given)
    except ApiError as exc:
        return _cancel_refused([{**error, "code": "INVALID"} for error in _errors(exc, "orderId")])
    delay = shop.config.cancel_job_seconds
    if delay > 0:
        order.cancelling = True
        asyncio.get_running_loop().call_later(delay, _finish_cancel, shop, order, given)
    else:
        cancel_order(shop, order, given)
    done = delay <= 0
    job = gid("Job", next(_JOBS))
    status = "SUCCEEDED" if done else "STARTED"
    result = {"id": job, "done": done, "status": status, "errors": [], "order": order}
    return {
        "job": {"id": job, "done": done},
        "jobResult": result,
        "orderCancelUserErrors": [],
        "userErrors": [],
    }


def _finish_cancel(shop: Shop, order: OrderRec, given: CancelIn) -> None:
    """The background job: the cancel happens moments after the mutation answered."""
    order.cancelling = False
    try:
        cancel_order(shop, order, given)
    except ApiError:
        log.warning("shopify_sim_cancel_job_failed", order_id=order.id)


def _cancel_refused(errors: list[dict[str, Any]]) -> dict[str, Any]:
    plain = [{"field": e["field"], "message": e["message"]} for e in errors]
    return {"job": None, "jobResult": None, "orderCancelUserErrors": errors, "userErrors": plain}


def _tracking(given: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if given is None:
        return None
    tracking = {
        key: given[key] for key in ("company", "number", "url") if given.get(key) is not None
    }
    if "number" not in tracking and given.get("numbers"):
        tracking["number"] = given["numbers"][0]
    if "url" not in tracking and given.get("urls"):
        tracking["url"] = given["urls"][0]
    return tracking


def _fulfillment_create(_: Any, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    require(info, "write_merchant_managed_fulfillment_orders")
    shop = shop_of_info(info)
    given: Mapping[str, Any] = args["fulfillment"]
    body: dict[str, Any] = {
        "line_items_by_fulfillment_order": [
            {
                "fulfillment_order_id": _number(group["fulfillmentOrderId"], "FulfillmentOrder")
                or 0,
                **(
                    {}
                    if group.get("fulfillmentOrderLineItems") is None
                    else {
                        "fulfillment_order_line_items": [
                            {
                                "id": _number(line["id"], "FulfillmentOrderLineItem") or 0,
                                "quantity": line["quantity"],
                            }
                            for line in group["fulfillmentOrderLineItems"]
                        ]
                    }
                ),
            }
            for group in given["lineItemsByFulfillmentOrder"]
        ],
        "tracking_info": _tracking(given.get("trackingInfo")),
        "notify_customer": bool(given.get("notifyCustomer")),
    }
    try:
        record = fulfil(shop, FulfillmentIn.model_validate(body))
    except (ApiError, ValidationError) as exc:
        if isinstance(exc, ApiError) and exc.status == 404:  # noqa: PLR2004 REST's not found
            return {"fulfillment": None, "userErrors": _missing("fulfillment", "Fulfillment order")}
        return {"fulfillment": None, "userErrors": _errors(exc, "fulfillment")}
    return {"fulfillment": record, "userErrors": []}


def _tracking_update(_: Any, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    require(info, "write_merchant_managed_fulfillment_orders")
    shop = shop_of_info(info)
    record = shop.state.fulfillments.get(_number(args["fulfillmentId"], "Fulfillment") or 0)
    if record is None:
        return {"fulfillment": None, "userErrors": _missing("fulfillmentId", "Fulfillment")}
    body = {
        "tracking_info": _tracking(args["trackingInfoInput"]),
        "notify_customer": bool(args.get("notifyCustomer")),
    }
    try:
        update_tracking(shop, record, TrackingUpdateIn.model_validate(body))
    except (ApiError, ValidationError) as exc:
        return {"fulfillment": None, "userErrors": _errors(exc, "trackingInfoInput")}
    return {"fulfillment": record, "userErrors": []}


ORDER_MUTATIONS: dict[tuple[str, str], Resolver] = {
    ("Mutation", "orderCreate"): _order_create,
    ("Mutation", "orderUpdate"): _order_update,
    ("Mutation", "orderCancel"): _order_cancel,
    ("Mutation", "fulfillmentCreate"): _fulfillment_create,
    ("Mutation", "fulfillmentTrackingInfoUpdate"): _tracking_update,
}
