"""The `StoreOrders` contract, run against every registered store kind and its simulator.

Each kind plugs in with ``orders_harness()`` in its fixture module in `tests/support/stores/`:
the connector's order side against the kind's simulator, a product with two variants in
stock, and the merchant's own actions in the store (ship, cancel) plus a lost create answer.
The tests speak only the neutral intents: create by reference, find by reference after a lost
answer, show TikTok's status, cancel, fulfilments and cancellations since a time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from daemon.connectors.registry import STORE_KINDS
from daemon.domain.models import BadRecord, Money
from daemon.domain.orders import (
    Buyer,
    CancelReason,
    DraftLine,
    FulfillmentStatus,
    OrderDraft,
    OrderState,
    Payment,
    PostalAddress,
    ShippedBy,
    StockOnCreate,
    StoreFulfillment,
    StoreOrder,
    StoreOrderStatus,
)
from daemon.errors import RetriableError
from tests.support.stores import OrdersHarness, fixtures_of


@pytest.fixture(params=sorted(STORE_KINDS))
async def harness(request: pytest.FixtureRequest) -> AsyncIterator[OrdersHarness]:
    async with fixtures_of(request.param).orders_harness() as opened:
        yield opened


def draft(harness: OrdersHarness, reference: str, quantity: int = 1, **changes: Any) -> OrderDraft:
    currency = harness.currency
    fields: dict[str, Any] = {
        "reference": reference,
        "marketplace_status": OrderState.AWAITING_SHIPMENT,
        "shipped_by": ShippedBy.SELLER,
        "lines": (DraftLine(harness.variant_ids[0], quantity, Money(Decimal("12.00"), currency)),),
        "currency": currency,
        "buyer": Buyer("Ada", "Lovelace", "ada@example.com"),
        "email": "ada@example.com",
        "shipping_address": PostalAddress(
            first_name="Ada",
            last_name="Lovelace",
            address1="1 High St",
            city="London",
            zip="N1 1AA",
            country_code="GB",
        ),
        "payments": (Payment(Money(Decimal(12 * quantity), currency), "TikTok Shop"),),
        "stock": StockOnCreate.REDUCE,
    }
    fields.update(changes)
    return OrderDraft(**fields)


async def test_an_order_is_created_carrying_its_reference(harness: OrdersHarness) -> None:
    created = await harness.orders.create_order(draft(harness, "576461413038785752", 2))
    assert isinstance(created.id, str)
    assert created.reference == "576461413038785752"
    assert created.marketplace_status == "AWAITING_SHIPMENT"
    assert (created.status, created.paid, created.cancelled) == (
        StoreOrderStatus.OPEN,
        True,
        False,
    )
    assert [(line.variant_id, line.quantity) for line in created.lines] == [
        (harness.variant_ids[0], 2)
    ]
    again = await harness.orders.order(created.id)
    assert again is not None
    assert (again.id, again.reference) == (created.id, created.reference)


@pytest.mark.parametrize(("stock", "left"), [(StockOnCreate.REDUCE, 7), (StockOnCreate.LEAVE, 10)])
async def test_stock_on_create_is_the_neutral_setting(
    harness: OrdersHarness, stock: StockOnCreate, left: int
) -> None:
    await harness.orders.create_order(draft(harness, "1", 3, stock=stock))
    assert await harness.stock_of(harness.variant_ids[0]) == left


async def test_an_order_is_found_by_reference_after_its_answer_was_lost(
    harness: OrdersHarness,
) -> None:
    other = await harness.orders.create_order(draft(harness, "700"))
    await harness.lose_next_create_answer()
    with pytest.raises(RetriableError):
        await harness.orders.create_order(draft(harness, "701"))
    await harness.settle()
    since = other.created_at - timedelta(days=1)
    found = await harness.orders.find_order("701", created_since=since)
    assert found is not None
    assert found.reference == "701"
    assert found.id != other.id
    assert await harness.creates() == 2  # the connector did not create it a second time
    if found.unfinished:  # the create stopped after the save: creating again finishes it
        finished = await harness.orders.create_order(draft(harness, "701"))
        assert (finished.id, finished.unfinished) == (found.id, False)
    assert await harness.orders.find_order("702", created_since=since) is None


async def test_a_reference_finds_its_earliest_order_or_the_store_keeps_one(
    harness: OrdersHarness,
) -> None:
    """Creating twice with one reference either gives the same order back (a store whose
    unique key holds one order per reference) or makes a second one, and then the lookup
    names the earliest since the time asked."""
    first = await harness.orders.create_order(draft(harness, "800"))
    later = await harness.advance_clock(3600)
    second = await harness.orders.create_order(draft(harness, "800"))
    since = first.created_at - timedelta(days=1)
    found = await harness.orders.find_order("800", created_since=since)
    assert found is not None
    assert found.id == first.id
    recent = await harness.orders.find_order("800", created_since=later)
    if second.id == first.id:
        assert recent is None
    else:
        assert recent is not None
        assert recent.id == second.id


async def test_the_status_shown_moves_and_showing_it_twice_changes_nothing(
    harness: OrdersHarness,
) -> None:
    created = await harness.orders.create_order(draft(harness, "900"))
    shown = await harness.orders.show_status(created.id, OrderState.IN_TRANSIT)
    assert shown.marketplace_status == "IN_TRANSIT"
    await harness.advance_clock(60)
    twice = await harness.orders.show_status(created.id, OrderState.IN_TRANSIT)
    assert twice.updated_at == shown.updated_at
    current = await harness.orders.order(created.id)
    assert current is not None
    assert current.marketplace_status == "IN_TRANSIT"


async def test_cancel_restocks_once_and_is_listed_since(harness: OrdersHarness) -> None:
    variant = harness.variant_ids[0]
    created = await harness.orders.create_order(draft(harness, "1000", 2))
    assert await harness.stock_of(variant) == 8
    since = await harness.advance_clock(60)
    cancelled = await harness.orders.cancel_order(created.id, reason=CancelReason.INVENTORY)
    assert (cancelled.cancelled, cancelled.status) == (True, StoreOrderStatus.CANCELLED)
    assert cancelled.cancel_reason is CancelReason.INVENTORY
    again = await harness.orders.cancel_order(created.id, reason=CancelReason.OTHER)
    assert again.cancelled_at == cancelled.cancelled_at
    assert await harness.stock_of(variant) == 10
    listed = await harness.orders.cancelled_orders_since(since)
    assert [o.id for o in listed if isinstance(o, StoreOrder)] == [created.id]
    assert not [o for o in listed if isinstance(o, BadRecord)]


async def test_a_cancellation_made_in_the_store_is_listed(harness: OrdersHarness) -> None:
    created = await harness.orders.create_order(draft(harness, "1100"))
    since = await harness.advance_clock(60)
    await harness.cancel_in_store(created.id)
    listed = await harness.orders.cancelled_orders_since(since)
    [found] = [o for o in listed if isinstance(o, StoreOrder)]
    assert (found.id, found.reference, found.cancelled) == (created.id, "1100", True)
    later = await harness.advance_clock(60)
    assert await harness.orders.cancelled_orders_since(later) == []


async def test_fulfilments_carry_carrier_and_tracking(harness: OrdersHarness) -> None:
    created = await harness.orders.create_order(draft(harness, "1200"))
    since = await harness.advance_clock(60)
    await harness.ship_in_store(created.id, "Royal Mail", "RM123456785GB")
    [shipped] = await harness.orders.fulfillments_since(since)
    assert isinstance(shipped, StoreFulfillment)
    assert (shipped.order_id, shipped.status) == (created.id, FulfillmentStatus.SUCCESS)
    assert (shipped.tracking_company, shipped.tracking_number) == ("Royal Mail", "RM123456785GB")
    assert [line.variant_id for line in shipped.lines] == [harness.variant_ids[0]]
    assert [f.id for f in await harness.orders.order_fulfillments(created.id)] == [shipped.id]
    later = await harness.advance_clock(60)
    assert await harness.orders.fulfillments_since(later) == []
    current = await harness.orders.order(created.id)
    assert current is not None
    assert current.status is StoreOrderStatus.FULFILLED


@pytest.mark.parametrize("foreign", ["no-such-order", "gid://x/Order/1", "../1", "-1"])
async def test_ids_are_opaque_and_an_unknown_one_is_not_found(
    harness: OrdersHarness, foreign: str
) -> None:
    assert await harness.orders.order(foreign) is None
    assert await harness.orders.order_fulfillments(foreign) == []
