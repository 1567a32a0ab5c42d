"""Control endpoints acting as buyers, carriers and the platform on orders and products."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, field_validator

from simulators.kit import add_control_routes
from simulators.tiktok import cancel_flow
from simulators.tiktok.cancellations import cancellation_json
from simulators.tiktok.control_http import ControlError, body_as, control, not_found
from simulators.tiktok.model import Order, OrderStatus, ProductStatus, Shop
from simulators.tiktok.order_flow import OrderRequest, advance, place_order
from simulators.tiktok.order_view import order_json
from simulators.tiktok.product_status import force_status
from simulators.tiktok.product_view import product_detail
from simulators.tiktok.simulation import Simulation

HTTP_BAD_REQUEST = 400
MAX_UNITS = 100


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OrderItem(_Model):
    sku_id: str
    quantity: int = Field(default=1, ge=1, le=MAX_UNITS)


class PlaceOrder(_Model):
    shop_id: str | None = None
    shop_cipher: str | None = None
    items: list[OrderItem] = Field(min_length=1)
    status: Literal["UNPAID", "ON_HOLD", "AWAITING_SHIPMENT"] = "ON_HOLD"
    shipping_fee: str = "0.00"
    warehouse_id: str | None = None
    recipient_address: dict[str, Any] | None = None
    buyer_message: str = ""
    shipping_type: Literal["SELLER", "TIKTOK"] = "SELLER"
    force: bool = False

    @field_validator("shipping_fee")
    @classmethod
    def _money(cls, value: str) -> str:
        try:
            amount = Decimal(value)
        except InvalidOperation as exc:
            raise ValueError("shipping_fee must be a decimal string") from exc
        if amount < 0:
            raise ValueError("shipping_fee must not be negative")
        return value


class AdvanceOrder(_Model):
    to: OrderStatus | None = None


class CancelRequest(_Model):
    reason: str | None = None
    line_item_ids: list[str] | None = None


class ProductStatusRequest(_Model):
    status: ProductStatus
    reason: str = "The product violates the platform's listing policy."


def _shop(sim: Simulation, shop_id: str | None, cipher: str | None) -> Shop:
    state = sim.state
    if shop_id is not None:
        shop = state.shops.get(shop_id)
    elif cipher is not None:
        shop = state.shops_by_cipher.get(cipher)
    elif len(state.shops) == 1:
        shop = next(iter(state.shops.values()))
    else:
        raise ControlError(HTTP_BAD_REQUEST, "name the shop with shop_id or shop_cipher")
    if shop is None:
        raise not_found("shop")
    return shop


def _order(request: web.Request, sim: Simulation) -> Order:
    order = sim.state.orders.get(request.match_info["order_id"])
    if order is None:
        raise not_found("order")
    return order


@control
async def post_order(request: web.Request, sim: Simulation) -> Any:
    """Place an order as a buyer would; one line item per unit."""
    body = await body_as(request, PlaceOrder)
    shop = _shop(sim, body.shop_id, body.shop_cipher)
    order_request = OrderRequest(
        items=tuple((item.sku_id, item.quantity) for item in body.items),
        status=OrderStatus(body.status),
        shipping_fee=Decimal(body.shipping_fee),
        warehouse_id=body.warehouse_id,
        address=body.recipient_address,
        buyer_message=body.buyer_message,
        shipping_type=body.shipping_type,
        force=body.force,
    )
    order = place_order(sim.state, shop, order_request)
    return order_json(sim.state, order)


@control
async def get_order(request: web.Request, sim: Simulation) -> Any:
    order = _order(request, sim)
    return {**order_json(sim.state, order), "unmasked_recipient_address": order.address}


@control
async def post_advance(request: web.Request, sim: Simulation) -> Any:
    """Next step on the main path, or straight to ``to`` (e.g. a carrier scan: IN_TRANSIT)."""
    body = await body_as(request, AdvanceOrder)
    order = _order(request, sim)
    advance(sim.state, order, body.to)
    return order_json(sim.state, order)


@control
async def post_buyer_cancel(request: web.Request, sim: Simulation) -> Any:
    body = await body_as(request, CancelRequest)
    order = _order(request, sim)
    cancellation = cancel_flow.buyer_cancel(sim.state, order, body.reason, body.line_item_ids)
    return cancellation_json(sim.state, cancellation)


@control
async def post_system_cancel(request: web.Request, sim: Simulation) -> Any:
    body = await body_as(request, CancelRequest)
    cancellation = cancel_flow.system_cancel(sim.state, _order(request, sim), body.reason)
    return cancellation_json(sim.state, cancellation)


@control
async def post_withdraw(request: web.Request, sim: Simulation) -> Any:
    """The buyer withdraws a pending cancellation request."""
    cancellation = sim.state.cancellations.get(request.match_info["cancel_id"])
    if cancellation is None:
        raise not_found("cancellation")
    cancel_flow.reject(sim.state, cancellation)
    return cancellation_json(sim.state, cancellation)


@control
async def post_product_status(request: web.Request, sim: Simulation) -> Any:
    """Platform action on a product, e.g. PLATFORM_DEACTIVATED or FREEZE."""
    body = await body_as(request, ProductStatusRequest)
    product = sim.state.products.get(request.match_info["product_id"])
    if product is None:
        raise not_found("product")
    force_status(sim.state, product, body.status, body.reason)
    return product_detail(sim.state, product)


def add_routes(app: web.Application) -> None:
    add_control_routes(
        app.router,
        [
            ("POST", "/_sim/orders", post_order),
            ("GET", "/_sim/orders/{order_id}", get_order),
            ("POST", "/_sim/orders/{order_id}/advance", post_advance),
            ("POST", "/_sim/orders/{order_id}/buyer_cancel", post_buyer_cancel),
            ("POST", "/_sim/orders/{order_id}/system_cancel", post_system_cancel),
            ("POST", "/_sim/cancellations/{cancel_id}/withdraw", post_withdraw),
            ("POST", "/_sim/products/{product_id}/status", post_product_status),
        ],
    )
