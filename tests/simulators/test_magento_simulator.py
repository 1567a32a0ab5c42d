"""The Magento simulator's own behaviour beyond what pymagento and the neutral suites show:
scopes, the server's clock, paging past the end, ACL and bearer settings, MSI deductions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from email.utils import parsedate_to_datetime
from typing import Any

import pytest

from simulators.magento import MagentoSimulator
from tests.support.magento import MagentoControl, running


@pytest.fixture
async def world() -> AsyncIterator[tuple[MagentoSimulator, MagentoControl]]:
    async with running() as (simulator, control):
        leeds = (await control.locations())[0]
        await control.products(
            [
                {
                    "title": f"P{n}",
                    "variants": [
                        {
                            "sku": f"P-{n}",
                            "price": "2.00",
                            "stock": [{"location": leeds, "available": 5}],
                        }
                    ],
                }
                for n in range(5)
            ]
        )
        yield simulator, control


def page(size: int, number: int, **extra: str) -> dict[str, str]:
    return {
        "searchCriteria[pageSize]": str(size),
        "searchCriteria[currentPage]": str(number),
        **extra,
    }


async def test_every_scope_spelling_reaches_the_store(world: Any) -> None:
    simulator, control = world
    headers = {"Authorization": f"Bearer {control.token}"}
    for scope in ("", "/default", "/all"):
        url = f"{simulator.base_url}/rest{scope}/V1/products"
        async with control.session.get(url, params=page(2, 1), headers=headers) as response:
            assert response.status == 200, scope
            assert (await response.json())["total_count"] == 5
    url = f"{simulator.base_url}/rest/elsewhere/V1/products"
    async with control.session.get(url, params=page(2, 1), headers=headers) as response:
        assert response.status == 400
        assert "store" in (await response.json())["message"]


async def test_a_page_past_the_end_answers_the_last_page_again(world: Any) -> None:
    _, control = world
    status, last = await control.rest("GET", "products", **page(2, 3))
    assert status == 200
    status, past = await control.rest("GET", "products", **page(2, 9))
    assert (status, past["items"], past["total_count"]) == (200, last["items"], 5)
    assert [p["sku"] for p in last["items"]] == ["P-4"]


async def test_sorting_descending_and_the_echoed_criteria(world: Any) -> None:
    _, control = world
    query = page(
        2,
        1,
        **{
            "searchCriteria[sortOrders][0][field]": "entity_id",
            "searchCriteria[sortOrders][0][direction]": "DESC",
        },
    )
    status, found = await control.rest("GET", "products", **query)
    assert status == 200
    assert [p["sku"] for p in found["items"]] == ["P-4", "P-3"]
    assert found["search_criteria"]["sort_orders"] == [{"field": "entity_id", "direction": "DESC"}]


async def test_answers_carry_the_simulated_time(world: Any) -> None:
    _, control = world
    later = await control.advance(7200)
    async with control.session.get(
        f"{control.base_url}/rest/V1/inventory/sources",
        headers={"Authorization": f"Bearer {control.token}"},
    ) as response:
        served = parsedate_to_datetime(response.headers["Date"])
    assert abs((served - later).total_seconds()) < 5


async def test_an_integration_token_needs_the_bearer_setting() -> None:
    async with running(integration_as_bearer=False) as (_, control):
        status, answer = await control.rest("GET", "inventory/sources")
        assert status == 401
        assert answer["parameters"] == {"resources": "Magento_InventoryApi::source"}


async def test_shipping_deducts_its_source_and_cancel_refuses_a_shipped_order(world: Any) -> None:
    _, control = world
    entity = {
        "increment_id": "TT1",
        "ext_order_id": "1",
        "items": [{"sku": "P-1", "qty_ordered": 2, "price": 2}],
        "billing_address": {"firstname": "A"},
        "payment": {"method": "checkmo"},
    }
    status, order = await control.rest("POST", "orders", {"entity": entity})
    assert status == 200
    status, _ = await control.rest("POST", f"order/{order['entity_id']}/ship", {})
    assert status == 200
    status, items = await control.rest(
        "GET",
        "inventory/source-items",
        **{
            "searchCriteria[filter_groups][0][filters][0][field]": "sku",
            "searchCriteria[filter_groups][0][filters][0][value]": "P-1",
        },
    )
    assert [i["quantity"] for i in items["items"]] == [3]
    status, answer = await control.rest("POST", f"orders/{order['entity_id']}/cancel")
    assert (status, answer) == (200, False)


async def test_long_external_ids_and_orders_without_payment_are_refused(world: Any) -> None:
    _, control = world
    entity: dict[str, Any] = {
        "ext_order_id": "9" * 33,
        "items": [{"sku": "P-1", "qty_ordered": 1, "price": 2}],
        "billing_address": {"firstname": "A"},
        "payment": {"method": "checkmo"},
    }
    status, answer = await control.rest("POST", "orders", {"entity": entity})
    assert (status, answer["parameters"]) == (400, {"fieldName": "ext_order_id"})
    entity["ext_order_id"] = "9"
    del entity["payment"]
    status, answer = await control.rest("POST", "orders", {"entity": entity})
    assert (status, answer["parameters"]) == (400, {"fieldName": "payment"})


async def test_unknown_routes_answer_in_magentos_words(world: Any) -> None:
    _, control = world
    status, answer = await control.rest("GET", "no/such/thing")
    assert (status, answer) == (404, {"message": "Request does not match any route."})
