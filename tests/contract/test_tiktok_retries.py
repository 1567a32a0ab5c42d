"""TikTok calls repeated by the shared transport policy: every attempt takes a fresh
timestamp and is signed again over the exact bytes it sends, and a repeated upload arrives
whole. The simulator checks the signature and the body before it injects a fault, so every
attempt is verified, not only the last."""

from __future__ import annotations

import itertools

import pytest
from tiktok_support import SHOP_NAME, open_world, png

from daemon.connectors.tiktok import OrderSearchFilter, TikTokClient
from daemon.ledger.sealing import PLAINTEXT
from daemon.runtime.tokens import LedgerTokenStore


@pytest.fixture
async def world(tmp_path):
    async with open_world(tmp_path) as opened:
        yield opened


async def test_a_refused_upload_is_repeated_and_arrives_whole(world):
    client = world.client()
    await client.connect()
    await world.control.fault(operation="upload_product_image", p_503=1.0, count=1)
    await world.control.clear_calls()

    image = await client.products.upload_image(png(), filename="a.png", content_type="image/png")

    assert image.uri
    calls = await world.control.calls(operation="upload_product_image")
    assert [(c["status"], c["code"]) for c in calls] == [(503, 36009003), (200, 0)]


async def test_a_repeated_json_call_is_stamped_and_signed_again(world):
    steps = itertools.count()

    def clock() -> float:  # a second later at every reading
        return world.control.now() + next(steps)

    client = TikTokClient.open(
        world.settings(),
        tokens=LedgerTokenStore(world.ledger, SHOP_NAME, PLAINTEXT),
        shop_name=SHOP_NAME,
        metrics=world.metrics,
        clock=clock,
    )
    world.clients.append(client)
    await client.connect()
    await world.control.fault(operation="search_orders", p_500=1.0, count=2)
    await world.control.clear_calls()

    page = await client.orders.search_page(OrderSearchFilter(), page_size=5)

    assert page.items == ()
    calls = await world.control.calls(operation="search_orders")
    assert [(c["status"], c["code"]) for c in calls] == [(500, 36009003)] * 2 + [(200, 0)]
    stamps = [c["query"]["timestamp"] for c in calls]
    assert len(set(stamps)) == 3  # each attempt stamped afresh, each signature accepted
