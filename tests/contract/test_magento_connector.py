"""What the Magento connector does beyond the neutral contracts: configurable products and
their children, a changed child standing for its parent, stock by a full read and diff (and
its cost), salable quantities, increment ids, invoices, stock moves and guarded shipments."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from daemon.connectors.magento import MagentoClient
from daemon.domain.models import BadRecord, Money, Product
from daemon.domain.orders import (
    CancelReason,
    DraftLine,
    OrderDraft,
    OrderState,
    ShippedBy,
    StockOnCreate,
)
from daemon.errors import FatalError, RetriableError
from simulators.magento import MagentoSimulator
from tests.support.magento import MagentoControl, client_for, running

SINCE = datetime(2000, 1, 1, tzinfo=UTC)


@pytest.fixture
async def world() -> AsyncIterator[tuple[MagentoSimulator, MagentoControl, dict[str, Any]]]:
    async with running() as (simulator, control):
        leeds = (await control.locations())[0]
        york = (await control.sim("POST", "magento/sources", {"name": "York"}))["source_code"]
        [shirt, mug] = await control.products(
            [
                {
                    "title": "Shirt",
                    "category": "Shirt",
                    "description_html": "<p>Soft</p>",
                    "images": ["/cdn/shirt_800x800.jpg"],
                    "variants": [
                        {
                            "sku": "SH-M",
                            "price": "12.00",
                            "barcode": "5000000000017",
                            "weight_kg": "0.3",
                            "options": {"Size": "M"},
                            "stock": [
                                {"location": leeds, "available": 4},
                                {"location": york, "available": 6},
                            ],
                        },
                        {
                            "sku": "SH-L",
                            "price": "13.50",
                            "options": {"Size": "L"},
                            "backorders": True,
                            "stock": [{"location": leeds, "available": 1}],
                        },
                    ],
                },
                {
                    "title": "Mug",
                    "variants": [
                        {
                            "sku": "MUG",
                            "price": "9.00",
                            "stock": [{"location": leeds, "available": 2}],
                        }
                    ],
                },
            ]
        )
        yield simulator, control, {"shirt": shirt, "mug": mug, "leeds": leeds, "york": york}


async def test_a_configurable_product_is_one_product_with_its_children(world: Any) -> None:
    simulator, _, made = world
    async with client_for(simulator) as client:
        products = {p.id: p async for p in client.products() if isinstance(p, Product)}
    assert set(products) == {made["shirt"]["id"], made["mug"]["id"]}
    shirt = products[made["shirt"]["id"]]
    assert (shirt.title, shirt.product_type, shirt.published) == ("Shirt", "Shirt", True)
    assert shirt.option_names == ("Size",)
    assert shirt.description_html == "<p>Soft</p>"
    assert [image.url for image in shirt.images] == [
        f"{simulator.base_url}/media/catalog/product/s/h/shirt_800x800.jpg"
    ]
    medium, large = shirt.variants
    assert (medium.sku, medium.options, medium.price) == (
        "SH-M",
        (("Size", "M"),),
        Money(Decimal("12.00"), "GBP"),
    )
    assert (medium.barcode, medium.stock_key, medium.continue_selling) == (
        "5000000000017",
        "SH-M",
        False,
    )
    assert medium.weight is not None
    assert medium.weight.value == Decimal("0.3")
    assert (large.sku, large.continue_selling) == ("SH-L", True)


async def test_a_changed_child_brings_its_parent_once(world: Any) -> None:
    simulator, control, made = world
    async with client_for(simulator) as client:
        since = await control.advance(600)
        await control.sim("POST", "store/prices", {"prices": [{"sku": "SH-L", "price": "15.00"}]})
        changed = [p async for p in client.products(updated_since=since)]
    assert [p.id for p in changed] == [made["shirt"]["id"]]
    [shirt] = changed
    assert isinstance(shirt, Product)
    assert shirt.variants[1].price == Money(Decimal("15.00"), "GBP")


async def test_a_disabled_product_is_listed_unpublished(world: Any) -> None:
    simulator, control, made = world
    await control.sim("POST", f"store/products/{made['mug']['id']}/published", {"published": False})
    async with client_for(simulator) as client:
        mug = await client.product(made["mug"]["id"])
        child = await client.product(made["shirt"]["variants"][0]["id"])
    assert mug is not None
    assert not mug.published
    assert child is not None
    assert child.id == made["shirt"]["id"]  # a child is read as its configurable


async def test_stock_changes_cost_a_full_read_and_answer_only_what_moved(world: Any) -> None:
    simulator, control, made = world
    async with client_for(simulator) as client:
        first = await client.stock_changes(None)
        assert {(lv.stock_key, lv.location_id, lv.available) for lv in first} == {
            ("SH-M", made["leeds"], 4),
            ("SH-M", made["york"], 6),
            ("SH-L", made["leeds"], 1),
            ("MUG", made["leeds"], 2),
        }
        moment = await control.advance(60)
        await control.sim("DELETE", "calls")
        level = {"sku": "SH-M", "location": made["york"], "available": 0}
        await control.sim("POST", "store/stock", {"levels": [level]})
        moved = await client.stock_changes(moment)
        assert [(lv.stock_key, lv.location_id, lv.available) for lv in moved] == [
            ("SH-M", made["york"], 0)
        ]
        calls = await control.calls(path_prefix="/rest/")
        assert [c["endpoint"] for c in calls] == ["source_items.list"]  # one page of 300
        assert await client.stock_changes(moment) == moved  # the same window answers again
        assert await client.stock_changes(await control.advance(60)) == []


async def test_salable_mode_reads_the_stock_per_sku(world: Any) -> None:
    simulator, control, _ = world
    async with client_for(simulator, stock_quantity="salable") as client:
        [location] = await client.locations()
        levels = await client.stock_levels(["SH-M", "MUG"])
        assert {(lv.stock_key, lv.location_id, lv.available) for lv in levels} == {
            ("SH-M", location.id, 10),
            ("MUG", location.id, 2),
        }
        await client.stock_changes(None)
        moment = await control.advance(60)
        level = {"sku": "MUG", "location": (await control.locations())[0], "available": 7}
        await control.sim("POST", "store/stock", {"levels": [level]})
        moved = await client.stock_changes(moment)
    assert [(lv.stock_key, lv.available) for lv in moved] == [("MUG", 7)]


def draft(variant_id: str, reference: str, quantity: int, stock: StockOnCreate) -> OrderDraft:
    return OrderDraft(
        reference=reference,
        marketplace_status=OrderState.AWAITING_SHIPMENT,
        shipped_by=ShippedBy.SELLER,
        lines=(DraftLine(variant_id, quantity, Money(Decimal("12.00"), "GBP")),),
        currency="GBP",
        stock=stock,
    )


async def test_orders_carry_the_tiktok_id_are_invoiced_and_take_stock(world: Any) -> None:
    simulator, control, made = world
    medium = made["shirt"]["variants"][0]["id"]
    async with client_for(simulator) as client:
        order = await client.create_order(
            draft(medium, "576461413038785752", 7, StockOnCreate.REDUCE)
        )
        assert (order.name, order.reference, order.paid) == (
            "TT576461413038785752",
            "576461413038785752",
            True,
        )
        levels = {lv.location_id: lv.available for lv in await client.stock_levels(["SH-M"])}
        assert levels == {made["york"]: 0, made["leeds"]: 3}  # the fuller source first
        status, answer = await control.rest("GET", "orders", **{"searchCriteria[pageSize]": "10"})
        assert status == 200
        assert [o["ext_order_id"] for o in answer["items"]] == ["576461413038785752"]
        await client.cancel_order(order.id, reason=CancelReason.CUSTOMER)
        await client.cancel_order(order.id, reason=CancelReason.CUSTOMER)
        levels = {lv.location_id: lv.available for lv in await client.stock_levels(["SH-M"])}
        assert levels == {made["york"]: 6, made["leeds"]: 4}


async def test_a_second_create_for_one_tiktok_order_is_the_first_order(world: Any) -> None:
    """The increment id TT<TikTok id> is unique: a repeated create (a lost answer retried by
    hand, say) gets the existing order back, and stock and invoice are not taken twice."""
    simulator, control, made = world
    medium = made["shirt"]["variants"][0]["id"]
    async with client_for(simulator) as client:
        first = await client.create_order(draft(medium, "900", 2, StockOnCreate.REDUCE))
        again = await client.create_order(draft(medium, "900", 2, StockOnCreate.REDUCE))
        assert again.id == first.id
        levels = {lv.location_id: lv.available for lv in await client.stock_levels(["SH-M"])}
    assert sum(levels.values()) == 8  # 10 less the first order's 2, once
    status, answer = await control.rest("GET", "orders", **{"searchCriteria[pageSize]": "10"})
    assert status == 200
    assert [o["increment_id"] for o in answer["items"]] == ["TT900"]
    assert len(await control.calls(endpoint="orders.save")) == 2  # the store refused the second
    assert len(await control.calls(endpoint="orders.invoice")) == 1


async def test_reduce_if_available_refuses_a_short_order_before_creating_it(world: Any) -> None:
    simulator, control, made = world
    async with client_for(simulator) as client:
        with pytest.raises(FatalError, match="SH-L: 1 available, 2 ordered"):
            await client.create_order(
                draft(made["shirt"]["variants"][1]["id"], "5", 2, StockOnCreate.REDUCE_IF_AVAILABLE)
            )
    assert await control.calls(endpoint="orders.save") == []


async def test_a_shipment_is_made_once_per_tracking_number(world: Any) -> None:
    simulator, control, made = world
    async with client_for(simulator) as client:
        order = await client.create_order(draft(made["mug"]["id"], "6", 1, StockOnCreate.LEAVE))
        first = await client.create_shipment(order.id, "custom", "Royal Mail", "RM1")
        again = await client.create_shipment(order.id, "custom", "Royal Mail", "RM1")
        assert [f.id for f in again] == [f.id for f in first]
        assert first[0].tracking_company == "Royal Mail"
    assert len(await control.calls(endpoint="orders.ship")) == 1


async def test_an_unreachable_store_never_names_the_token(world: Any) -> None:
    simulator, control, _ = world
    await control.sim("POST", "magento/tokens", {"revoke": [control.token]})
    client: MagentoClient
    async with client_for(simulator) as client:
        with pytest.raises(FatalError) as caught:
            await client.store_info()
    assert control.token not in str(caught.value)
    assert "Magento_Backend::store" in str(caught.value)


async def test_an_order_whose_invoice_fails_is_finished_by_the_next_attempt(world: Any) -> None:
    """The save stands, the failed invoice is retriable, the order is found `unfinished`
    until a second create (the import's next attempt) has finished it: one order, one
    invoice, the stock taken once."""
    simulator, control, made = world
    fault = {"endpoint": "orders.invoice", "kind": "error", "status": 400, "times": 1}
    await control.sim("POST", "faults", {"queue": [fault]})
    async with client_for(simulator) as client:
        order = draft(made["mug"]["id"], "7", 1, StockOnCreate.REDUCE)
        with pytest.raises(RetriableError, match=r"TT7 is saved but its invoice failed"):
            await client.create_order(order)
        unfinished = await client.find_order("7", created_since=SINCE)
        assert unfinished is not None
        assert (unfinished.unfinished, unfinished.paid) == (True, False)
        finished = await client.create_order(order)
        assert (finished.reference, finished.paid) == ("7", True)
        found = await client.find_order("7", created_since=SINCE)
        assert found is not None
        assert (found.id, found.unfinished) == (finished.id, False)
        levels = await client.stock_levels(["MUG"])
    assert [level.available for level in levels] == [1]  # taken once, on the second attempt
    assert len(await control.calls(endpoint="orders.save")) == 2  # the second was refused
    assert [c["status"] for c in await control.calls(endpoint="orders.invoice")] == [400, 200]


async def test_an_order_cut_short_after_its_stock_move_is_finished_not_refused(
    world: Any,
) -> None:
    """`reduce_if_available` took the last units, then the import stopped before it was
    marked finished: the next attempt finds the stock short, but the order holds its own
    move, so it is finished (not refused, not taken twice)."""
    simulator, control, made = world
    passes = {"endpoint": "orders.comment", "kind": "slow", "seconds": 0, "times": 1}
    cut = {"endpoint": "orders.comment", "kind": "error", "status": 503, "times": 1}
    await control.sim("POST", "faults", {"queue": [passes, cut]})
    order = draft(made["mug"]["id"], "8", 2, StockOnCreate.REDUCE_IF_AVAILABLE)
    async with client_for(simulator) as client:
        with pytest.raises(RetriableError):
            await client.create_order(order)
        found = await client.find_order("8", created_since=SINCE)
        assert found is not None
        assert found.unfinished
        finished = await client.create_order(order)
        assert (finished.id, finished.unfinished, finished.paid) == (found.id, False, True)
        levels = await client.stock_levels(["MUG"])
    assert [level.available for level in levels] == [0]  # taken once
    assert len(await control.calls(endpoint="source_items.save")) == 1


async def test_an_unreadable_child_makes_its_configurable_a_bad_record(world: Any) -> None:
    simulator, control, made = world
    child = made["shirt"]["variants"][1]["id"]
    body = {"fields": {"price": "cheap"}}
    await control.sim("POST", f"magento/products/{child}/corrupt", body)
    async with client_for(simulator) as client:
        items = [p async for p in client.products()]
        since = await control.advance(60)
        await control.sim("PATCH", f"magento/products/{child}", {"name": "Shirt L"})
        changed = [p async for p in client.products(updated_since=since)]
    bad = [p for p in items if isinstance(p, BadRecord)]
    assert [(b.id, b.reason.startswith(f"child {child}: ")) for b in bad] == [
        (made["shirt"]["id"], True)
    ]
    assert [p.id for p in items if isinstance(p, Product)] == [made["mug"]["id"]]
    assert [(p.id, isinstance(p, BadRecord)) for p in changed] == [(made["shirt"]["id"], True)]
