"""The ``commercetools`` package's platform client (Lab Digital's SDK), unmodified, against the
simulator: the calls the connector makes take the shapes the SDK's models read, and the
simulator refuses what the platform refuses (a wrong secret, a scope the API client lacks, a
missing permission, a page over the limit, a stale version, a second order with one number).

The SDK is synchronous (requests): it runs in a thread beside the simulator's event loop.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, TypeVar

import pytest
from commercetools.exceptions import CommercetoolsError
from commercetools.platform import models as m
from commercetools.platform.client import ByProjectKeyRequestBuilder, Client
from oauthlib.oauth2.rfc6749.errors import InvalidClientError, InvalidScopeError

from simulators.commercetools import CommercetoolsSimulator
from tests.support.commercetools import CONFIG, CommercetoolsControl, running

T = TypeVar("T")

# The SDK's schemas use marshmallow 3 idioms that marshmallow warns about: its own business.
pytestmark = pytest.mark.filterwarnings("ignore::marshmallow.warnings.RemovedInMarshmallow4Warning")


@pytest.fixture(autouse=True)
def _plain_http() -> Iterator[None]:
    """requests-oauthlib refuses http:// token URLs unless told this is a test."""
    before = os.environ.get("OAUTHLIB_INSECURE_TRANSPORT")
    os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"
    yield
    if before is None:
        del os.environ["OAUTHLIB_INSECURE_TRANSPORT"]
    else:
        os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = before


@pytest.fixture
async def sim() -> AsyncIterator[tuple[CommercetoolsSimulator, CommercetoolsControl]]:
    async with running() as (simulator, control):
        await control.products(
            [
                {
                    "title": "Lamp",
                    "category": "Lighting",
                    "variants": [
                        {
                            "sku": f"LAMP-{c}",
                            "price": "12.50",
                            "options": {"Colour": c},
                            "stock": [{"location": "leeds-warehouse", "available": 7}],
                        }
                        for c in ("Red", "Blue")
                    ],
                }
            ]
        )
        yield simulator, control


def project(
    simulator: CommercetoolsSimulator,
    *,
    secret: str = CONFIG.client_secret,
    scope: list[str] | None = None,
) -> ByProjectKeyRequestBuilder:
    client = Client(
        client_id=CONFIG.client_id,
        client_secret=secret,
        scope=scope if scope is not None else list(CONFIG.granted()),
        url=simulator.base_url,
        token_url=f"{simulator.base_url}/oauth/token",
    )
    return client.with_project_key(CONFIG.project_key)


async def in_thread(work: Callable[[], T]) -> T:
    return await asyncio.to_thread(work)


async def test_catalog_and_inventory_read_as_the_sdk_models_them(sim: Any) -> None:
    simulator, _ = sim
    api = await in_thread(lambda: project(simulator))  # its token is fetched at once

    def read() -> tuple[Any, Any, Any, Any]:
        products = api.product_projections().get(
            staged=False,
            price_currency="GBP",
            price_country="GB",
            limit=500,
            sort=["id asc"],
            with_total=False,
            where=['lastModifiedAt >= "2000-01-01T00:00:00.000Z"'],
        )
        channels = api.channels().get()
        inventory = api.inventory().get(where=['sku in ("LAMP-Red", "LAMP-Blue")'])
        info = api.get()
        return products, channels, inventory, info

    products, channels, inventory, info = await in_thread(read)
    [lamp] = products.results
    assert lamp.name["en-GB"] == "Lamp"
    assert lamp.master_variant.price.value.cent_amount == 1250
    assert lamp.master_variant.price.value.currency_code == "GBP"
    assert [a.value for a in lamp.variants[0].attributes] == ["Blue"]
    assert lamp.master_variant.availability.channels  # stock per supply channel
    assert [c.key for c in channels.results] == ["leeds-warehouse"]
    assert channels.results[0].roles == [m.ChannelRoleEnum.INVENTORY_SUPPLY]
    assert sorted(e.available_quantity for e in inventory.results) == [7, 7]
    assert info.currencies == ["GBP"]


async def test_order_import_lookup_and_updates(sim: Any) -> None:
    simulator, _ = sim
    api = await in_thread(lambda: project(simulator))

    def draft(number: str) -> m.OrderImportDraft:
        price = m.Money(cent_amount=1250, currency_code="GBP")
        return m.OrderImportDraft(
            order_number=number,
            total_price=price,
            inventory_mode=m.InventoryMode.TRACK_ONLY,
            line_items=[
                m.LineItemImportDraft(
                    name={"en-GB": "Lamp"},
                    variant=m.ProductVariantImportDraft(sku="LAMP-Red"),
                    quantity=1,
                    price=m.PriceDraft(value=price),
                    supply_channel=m.ChannelResourceIdentifier(key="leeds-warehouse"),
                )
            ],
        )

    def flow() -> tuple[Any, Any, Any, CommercetoolsError, Any]:
        created = api.orders().import_order().post(draft("TT-1"))
        found = api.orders().with_order_number("TT-1").get()
        line = created.line_items[0]
        shipped = (
            api.orders()
            .with_id(created.id)
            .post(
                m.OrderUpdate(
                    version=created.version,
                    actions=[
                        m.OrderAddDeliveryAction(
                            items=[m.DeliveryItem(id=line.id, quantity=1)],
                            parcels=[
                                m.ParcelDraft(
                                    tracking_data=m.TrackingData(
                                        tracking_id="RM1", carrier="Royal Mail"
                                    )
                                )
                            ],
                        ),
                        m.OrderChangeShipmentStateAction(shipment_state=m.ShipmentState.SHIPPED),
                    ],
                )
            )
        )
        with pytest.raises(CommercetoolsError) as stale:
            api.orders().with_id(created.id).post(
                m.OrderUpdate(
                    version=created.version,
                    actions=[m.OrderChangeOrderStateAction(order_state=m.OrderState.CANCELLED)],
                )
            )
        with pytest.raises(CommercetoolsError) as twice:
            api.orders().import_order().post(draft("TT-1"))
        inventory = api.inventory().get(where=['sku = "LAMP-Red"'])
        return created, found, shipped, stale.value, (twice.value, inventory)

    created, found, shipped, stale, (twice, inventory) = await in_thread(flow)
    assert found.id == created.id
    assert found.order_number == "TT-1"
    [delivery] = shipped.shipping_info.deliveries
    assert delivery.parcels[0].tracking_data.tracking_id == "RM1"
    assert shipped.shipment_state == m.ShipmentState.SHIPPED
    assert stale.codes == ["ConcurrentModification"]
    assert twice.codes == ["DuplicateField"]
    # TrackOnly took the unit from what is available; stock on hand is untouched.
    [entry] = inventory.results
    assert (entry.quantity_on_stock, entry.available_quantity) == (7, 6)


async def test_what_the_platform_refuses_is_refused(sim: Any) -> None:
    simulator, control = sim

    def wrong_secret() -> None:
        project(simulator, secret="not-the-secret")

    def scope_not_granted() -> None:
        project(simulator, scope=[f"manage_project:{CONFIG.project_key}"])

    def over_the_page_limit(api: ByProjectKeyRequestBuilder) -> None:
        api.product_projections().get(limit=501)

    def past_the_offset_limit(api: ByProjectKeyRequestBuilder) -> None:
        api.product_projections().get(offset=10_001)

    def malformed_predicate(api: ByProjectKeyRequestBuilder) -> None:
        api.product_projections().get(where=['lastModifiedAt >= "2000'])

    def orders_without_permission(api: ByProjectKeyRequestBuilder) -> None:
        api.orders().get()

    with pytest.raises(InvalidClientError):
        await in_thread(wrong_secret)
    with pytest.raises(InvalidScopeError):
        await in_thread(scope_not_granted)
    api = await in_thread(lambda: project(simulator))
    for refused in (over_the_page_limit, past_the_offset_limit, malformed_predicate):
        with pytest.raises(CommercetoolsError) as caught:
            await in_thread(lambda r=refused: r(api))
        assert caught.value.codes == ["InvalidInput"]
    products_only = await in_thread(
        lambda: project(simulator, scope=[f"view_products:{CONFIG.project_key}"])
    )
    with pytest.raises(CommercetoolsError) as missing:
        await in_thread(lambda: orders_without_permission(products_only))
    assert missing.value.codes == ["insufficient_scope"]
    await control.sim("POST", "commercetools/clients", {"revoke": [CONFIG.client_id]})
    with pytest.raises(CommercetoolsError) as revoked:
        await in_thread(lambda: orders_without_permission(api))
    assert revoked.value.codes == ["invalid_token"]
