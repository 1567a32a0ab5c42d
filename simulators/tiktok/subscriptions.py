"""Shop webhook subscriptions: GET / PUT / DELETE ``/event/202309/webhooks``."""

from __future__ import annotations

from urllib.parse import urlsplit

from simulators.tiktok.context import RequestContext, optional_str
from simulators.tiktok.errors import GATEWAY_INVALID, HTTP_BAD_REQUEST, ApiError
from simulators.tiktok.model import JsonObject, Subscription

MAX_ADDRESS = 255
#: Event type names (Update Shop Webhook) and the ``type`` number their deliveries carry.
EVENT_TYPES: dict[str, int] = {
    "ORDER_STATUS_CHANGE": 1,
    "REVERSE_STATUS_UPDATE": 2,
    "RECIPIENT_ADDRESS_UPDATE": 3,
    "PACKAGE_UPDATE": 4,
    "PRODUCT_STATUS_CHANGE": 5,
    "SELLER_DEAUTHORIZATION": 6,
    "UPCOMING_AUTHORIZATION_EXPIRATION": 7,
    "CANCELLATION_STATUS_CHANGE": 11,
    "RETURN_STATUS_CHANGE": 12,
    "NEW_CONVERSATION": 13,
    "NEW_MESSAGE": 14,
    "PRODUCT_INFORMATION_CHANGE": 15,
    "PRODUCT_CREATION": 16,
    "PRODUCT_CATEGORY_CHANGE": 18,
    "NEW_MESSAGE_LISTENER": 33,
    "INVOICE_STATUS_CHANGE": 36,
    "PRODUCT_AUDIT_STATUS_CHANGE": 37,
}
EVENT_NAMES: dict[int, str] = {number: name for name, number in EVENT_TYPES.items()}


def _param_error(message: str) -> ApiError:
    return ApiError(GATEWAY_INVALID, message, status=HTTP_BAD_REQUEST)


def _event_type(payload: JsonObject) -> str:
    event_type = optional_str(payload, "event_type")
    if not event_type:
        raise _param_error("param body.event_type is missing")
    if event_type not in EVENT_TYPES:
        raise _param_error(f"param body.event_type is invalid: {event_type}")
    return event_type


def get_webhooks(ctx: RequestContext) -> JsonObject:
    subscriptions = ctx.state.subscriptions[ctx.shop.shop_id].values()
    webhooks = [
        {
            "event_type": s.event_type,
            "address": s.address,
            "create_time": s.create_time,
            "update_time": s.update_time,
        }
        for s in subscriptions
    ]
    return {"webhooks": webhooks, "total_count": len(webhooks)}


def update_webhook(ctx: RequestContext) -> JsonObject:
    payload = ctx.json()
    address = optional_str(payload, "address")
    if not address:
        raise _param_error("param body.address is missing")
    parts = urlsplit(address)
    if parts.scheme not in {"http", "https"} or not parts.netloc or len(address) > MAX_ADDRESS:
        raise _param_error("param body.address is invalid")
    event_type = _event_type(payload)
    shop_subscriptions = ctx.state.subscriptions[ctx.shop.shop_id]
    now = ctx.now()
    existing = shop_subscriptions.get(event_type)
    if existing is None:
        shop_subscriptions[event_type] = Subscription(event_type, address, now, now)
    else:
        existing.address = address
        existing.update_time = now
    return {}


def delete_webhook(ctx: RequestContext) -> JsonObject:
    event_type = _event_type(ctx.json())
    ctx.state.subscriptions[ctx.shop.shop_id].pop(event_type, None)
    return {}
