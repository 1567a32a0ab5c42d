"""What is particular to the commercetools connector beyond the store-neutral contracts: its
OAuth2 token (renewed before expiry and after a refusal; a missing scope named), prices selected
for the shop's market, stock as available or on hand, the Messages API as the change feed,
updates made again on a newer version, and ttsync's order type."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from daemon.connectors.commercetools import CommercetoolsClient
from daemon.domain.models import Money, Product
from daemon.domain.orders import DraftLine, OrderDraft, OrderState, ShippedBy
from daemon.errors import AuthError, FatalError
from daemon.metrics import Metrics
from simulators.commercetools.records import PriceRec
from tests.support.commercetools import client_for, running

_WITH_MESSAGES = ("view_project_settings", "manage_products", "view_messages")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_the_token_is_renewed_before_it_expires_and_after_a_refusal() -> None:
    async with running(token_lifetime_seconds=600) as (simulator, control):
        clock = Clock()
        settings = client_for(simulator).settings
        async with CommercetoolsClient(settings, Metrics(), clock=clock) as client:
            await client.locations()
            await client.locations()
            assert len(await control.calls(endpoint="oauth.token")) == 1
            clock.now += 600 - 300 + 1  # within the 5 minute margin before expiry
            client._channels = None
            await client.locations()
            assert len(await control.calls(endpoint="oauth.token")) == 2
            await control.sim("POST", "commercetools/tokens/expire", {})
            client._channels = None
            assert await client.locations()
            assert len(await control.calls(endpoint="oauth.token")) == 3
            refused = await control.calls(endpoint="channels.query", status="401")
            assert len(refused) == 1


async def test_stock_is_available_or_on_hand_as_configured() -> None:
    async with running() as (simulator, control):
        [lamp] = await control.products(
            [
                {
                    "title": "Lamp",
                    "variants": [
                        {
                            "sku": "LAMP",
                            "price": "12.00",
                            "stock": [{"location": "leeds-warehouse", "available": 10}],
                        }
                    ],
                }
            ]
        )
        variant = lamp["variants"][0]["id"]
        draft = OrderDraft(
            reference="42",
            marketplace_status=OrderState.AWAITING_SHIPMENT,
            shipped_by=ShippedBy.SELLER,
            lines=(DraftLine(variant, 3, Money(Decimal("12.00"), "GBP")),),
            currency="GBP",
        )
        async with client_for(simulator) as available:
            order = await available.create_order(draft)
            assert order.reference == "42"
            [level] = await available.stock_levels(["LAMP"])
            assert (level.location_id, level.available) == ("leeds-warehouse", 7)
        async with client_for(simulator, stock_quantity="on_stock") as on_hand:
            [level] = await on_hand.stock_levels(["LAMP"])
            assert level.available == 10  # the order reserved the units; none left the shelf


async def test_changes_and_deletions_by_the_messages_api() -> None:
    async with running(messages_enabled=True) as (simulator, control):
        created = await control.products(
            [{"title": f"P{n}", "variants": [{"sku": f"M{n}", "price": "5.00"}]} for n in range(3)]
        )
        since = await control.advance(60)
        await control.sim("PATCH", f"commercetools/products/{created[0]['id']}", {"name": "New"})
        await control.sim("DELETE", f"store/products/{created[1]['id']}")
        async with client_for(simulator, change_feed="messages", scopes=_WITH_MESSAGES) as client:
            assert (await client.store_info()).currency == "GBP"
            changed = [p async for p in client.products(updated_since=since)]
            assert [(p.id, getattr(p, "title", None)) for p in changed] == [
                (created[0]["id"], "New")
            ]
            assert await client.deleted_product_ids(since) == [created[1]["id"]]
            later = await control.advance(60)
            assert [p async for p in client.products(updated_since=later)] == []


async def test_messages_as_the_feed_need_the_messages_api_enabled() -> None:
    async with (
        running() as (simulator, _),
        client_for(simulator, change_feed="messages", scopes=_WITH_MESSAGES) as client,
    ):
        with pytest.raises(FatalError, match=r"change_feed: .* Messages API enabled"):
            await client.store_info()


async def test_an_update_that_meets_a_newer_version_is_made_again_on_it() -> None:
    async with running() as (simulator, control):
        [lamp] = await control.products(
            [{"title": "Lamp", "variants": [{"sku": "LAMP", "price": "12.00"}]}]
        )
        draft = OrderDraft(
            reference="43",
            marketplace_status=OrderState.AWAITING_SHIPMENT,
            shipped_by=ShippedBy.SELLER,
            lines=(DraftLine(lamp["variants"][0]["id"], 1, Money(Decimal("12.00"), "GBP")),),
            currency="GBP",
        )
        async with client_for(simulator) as client:
            order = await client.create_order(draft)
            # The update arrives after the merchant's own change: its version is stale.
            slow = {"endpoint": "orders.update", "kind": "slow", "seconds": 0.5, "times": 1}
            await control.sim("POST", "faults", {"queue": [slow]})
            shown = asyncio.create_task(client.show_status(order.id, OrderState.IN_TRANSIT))
            await asyncio.sleep(0.2)
            await control.sim("POST", f"store/orders/{order.id}/cancel", {})
            updated = await shown
            assert (updated.marketplace_status, updated.cancelled) == ("IN_TRANSIT", True)
            statuses = [c["status"] for c in await control.calls(endpoint="orders.update")]
            assert statuses == [409, 200]


async def test_a_scope_the_api_client_lacks_is_named_and_the_secret_is_not() -> None:
    async with (
        running(scopes=("view_products:tt-test",)) as (simulator, _),
        client_for(simulator) as client,
    ):
        with pytest.raises(AuthError) as caught:
            await client.locations()
        assert "invalid_scope: Invalid scope: view_project_settings:tt-test" in str(caught.value)
        assert client.settings.client_secret.get_secret_value() not in str(caught.value)


async def test_an_order_type_of_that_key_without_ttsyncs_fields_is_named() -> None:
    async with running() as (simulator, control):
        [lamp] = await control.products(
            [{"title": "Lamp", "variants": [{"sku": "LAMP", "price": "12.00"}]}]
        )
        async with client_for(simulator) as client:
            body = {"key": client.settings.order_type_key, "resourceTypeIds": ["order"]}
            await client.tokens.bearer()  # the merchant's own type, made before ttsync's first run
            await client._api.call("POST", ["types"], endpoint="types.create", body=body)
            draft = OrderDraft(
                reference="44",
                marketplace_status=OrderState.AWAITING_SHIPMENT,
                shipped_by=ShippedBy.SELLER,
                lines=(DraftLine(lamp["variants"][0]["id"], 1, Money(Decimal("12.00"), "GBP")),),
                currency="GBP",
            )
            with pytest.raises(FatalError, match=r"order_type_key: .* has no field"):
                await client.create_order(draft)
            assert await control.calls(endpoint="orders.by_import") == []


async def test_prices_are_selected_for_the_shops_market() -> None:
    async with running() as (simulator, control):
        [lamp] = await control.products(
            [{"title": "Lamp", "variants": [{"sku": "LAMP", "price": "12.00"}]}]
        )
        project = simulator.project
        variant = project.products[lamp["id"]].variants[0]
        outlet = project.add_channel("Outlet", roles=["ProductDistribution"])
        variant.prices += [
            PriceRec(project.new_id(), 1100, "GBP", country="GB", discounted_cents=990),
            PriceRec(project.new_id(), 1000, "GBP", country="GB", channel_id=outlet.id),
            PriceRec(project.new_id(), 1400, "EUR", country="IE"),
        ]
        expected = {
            (None, None): (Decimal("12.00"), None),
            ("GB", None): (Decimal("9.90"), Decimal("11.00")),  # discounted: compare-at
            ("GB", outlet.key): (Decimal("10.00"), None),
        }
        for (country, channel), (price, compare_at) in expected.items():
            async with client_for(
                simulator, price_country=country, price_channel=channel
            ) as client:
                [product] = [p async for p in client.products()]
                assert isinstance(product, Product)
                [found] = product.variants
                assert found.price == Money(price, "GBP")
                assert (found.compare_at_price.amount if found.compare_at_price else None) == (
                    compare_at
                )
