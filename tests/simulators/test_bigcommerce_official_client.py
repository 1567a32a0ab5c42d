"""The official ``bigcommerce`` Python client (unmodified; test-only) against the simulator,
over HTTPS with a trustme CA, for the V2 calls the connector makes, and the refusals the
platform makes: a bad token, a missing scope, bad paging, over the rate limit."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, TypeVar

import bigcommerce
import pytest
import trustme
from bigcommerce.exception import ClientRequestException, RateLimitingException

from tests.support.bigcommerce import SimControl, running, stocked

T = TypeVar("T")


@pytest.fixture
async def tls_sim(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[SimControl]:
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    async with running(tls=context) as (_, sim):
        assert sim.base_url.startswith("https://")
        monkeypatch.setenv("BC_API_ENDPOINT", sim.base_url.removeprefix("https://"))
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
        yield sim
        while OPENED:  # the client keeps its connections open: close them before the server
            OPENED.pop().connection._session.close()


OPENED: list[bigcommerce.api.BigcommerceApi] = []


def client(sim: SimControl, token: str | None = None) -> bigcommerce.api.BigcommerceApi:
    api = bigcommerce.api.BigcommerceApi(
        client_id=sim.config.client_id,
        store_hash=sim.config.store_hash,
        access_token=token or sim.config.access_token,
    )
    OPENED.append(api)
    return api


async def off_loop(call: Callable[[], T]) -> T:
    return await asyncio.to_thread(call)


def empty(api: bigcommerce.api.BigcommerceApi, result: object) -> bool:
    """An empty list as the client gives it: a 204 answer and no list."""
    status = api.connection._last_response.status_code
    return status == 204 and not isinstance(result, list)


def order_fields(product_id: int, reference: str) -> dict[str, Any]:
    return {
        "status_id": 11,
        "customer_id": 0,
        "billing_address": {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ada@example.com",
            "country_iso2": "GB",
        },
        "shipping_addresses": [{"first_name": "Ada", "city": "London", "country_iso2": "GB"}],
        "products": [{"product_id": product_id, "quantity": 1}],
        "external_source": "TikTok Shop",
        "external_order_id": reference,
        "staff_notes": "TikTok Shop order",
    }


async def test_the_v2_order_calls_the_connector_makes(tls_sim: SimControl) -> None:
    [lamp] = await tls_sim.products(stocked("Lamp"))
    api = client(tls_sim)
    created = await off_loop(lambda: api.Orders.create(**order_fields(int(lamp["id"]), "576")))
    assert created.external_order_id == "576"
    found = await off_loop(lambda: api.Orders.all(external_order_id="576"))
    assert [o.id for o in found] == [created.id]
    # BigCommerce answers an empty list 204 No Content; the client gives an empty resource.
    none = await off_loop(lambda: api.Orders.all(external_order_id="404"))
    assert empty(api, none)
    order = await off_loop(lambda: api.Orders.get(created.id))
    lines = await off_loop(order.products)
    assert [line.sku for line in lines] == ["LAMP"]
    addresses = await off_loop(order.shipping_addresses)
    shipment = await off_loop(
        lambda: api.OrderShipments.create(
            created.id,
            order_address_id=addresses[0].id,
            tracking_number="RM123456785GB",
            tracking_carrier="royal-mail",
            items=[{"order_product_id": lines[0].id, "quantity": 1}],
        )
    )
    assert shipment.tracking_number == "RM123456785GB"
    shipped = await off_loop(lambda: api.Orders.get(created.id))
    assert shipped.status == "Shipped"
    cancelled = await off_loop(lambda: order.update(status_id=5))
    assert cancelled.status_id == 5
    assert api.connection.rate_limit["requests_quota"] == tls_sim.config.requests_quota


async def test_a_bad_token_is_refused(tls_sim: SimControl) -> None:
    api = client(tls_sim, token="not-the-token")
    with pytest.raises(ClientRequestException) as caught:
        await off_loop(api.Orders.all)
    assert caught.value.status_code == 401


async def test_a_missing_scope_is_refused(tls_sim: SimControl) -> None:
    await tls_sim.sim("POST", "tokens", {"grant": {"read-only": ["store_v2_orders_read_only"]}})
    [lamp] = await tls_sim.products(stocked("Lamp"))
    api = client(tls_sim, token="read-only")
    assert empty(api, await off_loop(api.Orders.all))
    with pytest.raises(ClientRequestException) as caught:
        await off_loop(lambda: api.Orders.create(**order_fields(int(lamp["id"]), "1")))
    assert caught.value.status_code == 403


async def test_bad_paging_is_refused(tls_sim: SimControl) -> None:
    api = client(tls_sim)
    with pytest.raises(ClientRequestException) as caught:
        await off_loop(lambda: api.Orders.all(limit=251))
    assert caught.value.status_code == 400


async def test_over_the_rate_limit_is_refused_with_the_reset(tls_sim: SimControl) -> None:
    await tls_sim.sim("PUT", "rate_limit", {"quota": 2, "window_ms": 30_000})
    api = client(tls_sim)
    await off_loop(api.Orders.all)
    await off_loop(api.Orders.all)
    assert api.connection.rate_limit["requests_remaining"] == 0
    with pytest.raises(RateLimitingException) as caught:
        await off_loop(api.Orders.all)
    assert caught.value.status_code == 429
    assert 0 < int(caught.value.response.headers["X-Rate-Limit-Time-Reset-Ms"]) <= 30_000
