"""What is particular to the BigCommerce connector, against its simulator: the lookup by
``external_order_id``, guarded shipments, BigCommerce's out-of-stock refusal, custom lines for
``stock_on_create = leave``, the staff notes, pacing by the fixed window, and callbacks that
the receiver verifies."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from aiohttp import web

from daemon.connectors.bigcommerce import BigCommerceClient, BigCommerceWebhookReceiver
from daemon.domain.models import Money
from daemon.domain.orders import (
    DraftLine,
    OrderDraft,
    OrderState,
    PostalAddress,
    ShippedBy,
    StockOnCreate,
)
from daemon.errors import FatalError, RetriableError
from simulators.bigcommerce import BigCommerceSimulator
from simulators.kit import AppServer
from tests.support.bigcommerce import SimControl, running
from tests.support.stores.bigcommerce import client_for


@dataclass
class Shop:
    simulator: BigCommerceSimulator
    sim: SimControl
    client: BigCommerceClient
    variants: tuple[str, ...]


@pytest.fixture
async def shop() -> AsyncIterator[Shop]:
    async with running() as (simulator, sim):
        location = str(simulator.store.default_location)
        [lamp] = await sim.products(
            {
                "title": "Lamp",
                "category": "Lamps",
                "variants": [
                    {
                        "sku": "LAMP-A",
                        "price": "12.00",
                        "stock": [{"location": location, "available": 3}],
                    },
                    {
                        "sku": "LAMP-B",
                        "price": "8.00",
                        "stock": [{"location": location, "available": 3}],
                    },
                ],
            }
        )
        async with client_for(simulator) as client:
            yield Shop(simulator, sim, client, tuple(v["id"] for v in lamp["variants"]))


def draft(shop: Shop, reference: str, quantity: int = 1, **changes: Any) -> OrderDraft:
    fields: dict[str, Any] = {
        "reference": reference,
        "marketplace_status": OrderState.AWAITING_SHIPMENT,
        "shipped_by": ShippedBy.SELLER,
        "lines": (DraftLine(shop.variants[0], quantity, Money(Decimal("12.00"), "GBP")),),
        "currency": "GBP",
        "email": "ada@example.com",
        "shipping_address": PostalAddress(first_name="Ada", city="London", country_code="GB"),
        "stock": StockOnCreate.REDUCE,
    }
    fields.update(changes)
    return OrderDraft(**fields)


async def test_the_lookup_filters_on_external_order_id(shop: Shop) -> None:
    created = await shop.client.create_order(draft(shop, "576461413038785752"))
    order = shop.simulator.store.orders[int(created.id)]
    assert (order.external_order_id, order.external_source) == ("576461413038785752", "TikTok Shop")
    await shop.sim.sim("DELETE", "calls")
    found = await shop.client.find_order(
        "576461413038785752", created_since=created.created_at - timedelta(minutes=1)
    )
    assert found is not None
    assert found.id == created.id
    [call] = await shop.sim.calls(endpoint="orders.list")
    assert call["query"]["external_order_id"] == "576461413038785752"


async def test_a_shipment_is_created_once_per_tracking_number(shop: Shop) -> None:
    created = await shop.client.create_order(draft(shop, "1", 2))
    first = await shop.client.create_shipment(created.id, "RM123456785GB", "Royal Mail")
    again = await shop.client.create_shipment(created.id, "RM123456785GB", "Royal Mail")
    assert again.id == first.id
    assert len(shop.simulator.store.orders[int(created.id)].shipments) == 1
    assert [line.variant_id for line in first.lines] == [shop.variants[0]]
    with pytest.raises(FatalError, match="nothing to ship"):
        await shop.client.create_shipment(created.id, "OTHER1", "DPD")


async def test_a_lost_shipment_answer_is_not_shipped_twice(shop: Shop) -> None:
    created = await shop.client.create_order(draft(shop, "2"))
    fault = {"endpoint": "orders.shipments.create", "kind": "drop"}
    await shop.sim.sim("POST", "faults", {"queue": [fault]})
    with pytest.raises(RetriableError):
        await shop.client.create_shipment(created.id, "RM1", "Royal Mail")
    await shop.client.create_shipment(created.id, "RM1", "Royal Mail")
    assert len(shop.simulator.store.orders[int(created.id)].shipments) == 1


async def test_bigcommerce_refuses_an_order_it_has_no_stock_for(shop: Shop) -> None:
    with pytest.raises(FatalError) as caught:
        await shop.client.create_order(draft(shop, "3", 4))
    assert f"variant(id: {shop.variants[0]})" in str(caught.value)
    assert "available stock: 3" in str(caught.value)
    assert shop.simulator.store.orders == {}


async def test_leave_sends_custom_lines_that_read_back_as_the_variant(shop: Shop) -> None:
    created = await shop.client.create_order(draft(shop, "4", 5, stock=StockOnCreate.LEAVE))
    [line] = created.lines
    assert (line.variant_id, line.sku, line.quantity) == (shop.variants[0], "LAMP-A", 5)
    order = shop.simulator.store.orders[int(created.id)]
    assert order.products[0].product_id == 0  # a custom product: no catalog link
    levels = await shop.client.stock_levels([shop.variants[0]])
    assert [level.available for level in levels] == [3]
    shipped = await shop.client.create_shipment(created.id, "RM9", "Royal Mail")
    assert [fl.variant_id for fl in shipped.lines] == [shop.variants[0]]


async def test_the_status_shown_keeps_the_merchants_notes(shop: Shop) -> None:
    created = await shop.client.create_order(draft(shop, "5"))
    order = shop.simulator.store.orders[int(created.id)]
    order.staff_notes += "\nCall before delivery"
    shown = await shop.client.show_status(created.id, OrderState.IN_TRANSIT)
    assert shown.marketplace_status == "IN_TRANSIT"
    assert order.staff_notes.splitlines() == [
        "TikTok Shop order 5",
        "Call before delivery",
        "TikTok Shop status: IN_TRANSIT",
    ]
    assert order.status_id == 11


async def test_calls_are_paced_by_the_window_without_a_refusal(shop: Shop) -> None:
    # 8 calls a window, 5 of them kept in reserve for other apps: 3 calls per window.
    await shop.sim.sim("PUT", "rate_limit", {"quota": 8, "window_ms": 300})
    started = time.monotonic()
    for _ in range(9):
        await shop.client.store_info()
    assert time.monotonic() - started >= 0.55  # two resets waited out
    assert await shop.sim.calls(status="429") == []
    assert shop.client.pacer.waited > 0


async def test_the_simulators_callbacks_verify_with_the_receiver(shop: Shop) -> None:
    got: list[tuple[dict[str, str], bytes]] = []

    async def receive(request: web.Request) -> web.Response:
        got.append((dict(request.headers), await request.read()))
        return web.Response()

    app = web.Application()
    app.router.add_post("/hooks", receive)
    server = AppServer(app)
    url = await server.start() + "/hooks"
    try:
        await shop.sim.sim("PUT", "webhook_url", {"url": url})
        await shop.sim.sim(
            "POST",
            "store/stock",
            {
                "levels": [
                    {
                        "sku": "LAMP-B",
                        "location": str(shop.simulator.store.default_location),
                        "available": 9,
                    }
                ]
            },
        )
        await shop.sim.sim("POST", "webhooks/drain", {"timeout": 5})
        await asyncio.sleep(0)
    finally:
        await server.stop()
    receiver = BigCommerceWebhookReceiver(shop.client.settings.client_secret)  # type: ignore[arg-type]
    [(headers, body)] = got
    assert receiver.verify(headers, body)
    [hint] = receiver.hints(headers, body)
    assert (hint.job, hint.entity_ids) == ("inventory", (shop.variants[1],))
    assert not receiver.verify(headers, body + b" ")
