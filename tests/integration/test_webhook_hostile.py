"""Hostile webhook input gets a 4xx and one log line, never a 500 or a traceback, on every
platform's receiver: signed bodies nested too deep or too large, wrong content types, unknown
topics, oversized headers."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import aiohttp
import pytest
from aiohttp import web
from pydantic import SecretStr

from daemon import log
from daemon.connectors.base import WebhookReceiver
from daemon.connectors.bigcommerce.webhooks import BigCommerceWebhookReceiver
from daemon.connectors.bigcommerce.webhooks import sign as bigcommerce_sign
from daemon.connectors.shopify import ShopifyWebhookReceiver
from daemon.connectors.tiktok.signing import sign_webhook
from daemon.connectors.tiktok.webhooks import TikTokWebhookReceiver
from daemon.connectors.woocommerce.webhooks import WooCommerceWebhookReceiver
from daemon.connectors.woocommerce.webhooks import sign as woocommerce_sign
from daemon.jobs import HealthBoard, JobRunner
from daemon.ledger import Ledger
from daemon.metrics import Metrics
from daemon.runtime.server import HttpServer
from daemon.runtime.triggers import Triggers
from daemon.runtime.webhooks import MAX_BODY_BYTES, MAX_JSON_DEPTH, WebhookRouter, json_depth

SECRET = "hostile-test-secret"
BIGCOMMERCE_SECRET = "bigcommerce-client-secret"

Signer = Callable[[bytes, str], dict[str, str]]


def shopify(body: bytes, topic: str) -> dict[str, str]:
    digest = hmac.new(SECRET.encode(), body, hashlib.sha256).digest()
    return {
        "X-Shopify-Hmac-Sha256": base64.b64encode(digest).decode(),
        "X-Shopify-Topic": topic or "products/update",
        "X-Shopify-Shop-Domain": "uk.myshopify.com",
        "X-Shopify-API-Version": "2025-07",
        "X-Shopify-Webhook-Id": "d-1",
    }


def tiktok(body: bytes, topic: str) -> dict[str, str]:
    del topic  # TikTok's type is in the body
    return {"Authorization": sign_webhook("app-key", SECRET, body)}


def woocommerce(body: bytes, topic: str) -> dict[str, str]:
    return {
        "X-WC-Webhook-Signature": woocommerce_sign(SECRET, body),
        "X-WC-Webhook-Topic": topic or "product.updated",
        "X-WC-Webhook-Delivery-ID": "d-1",
    }


def bigcommerce(body: bytes, topic: str) -> dict[str, str]:
    del topic  # BigCommerce's scope is in the body
    stamp = int(time.time())
    return {
        "webhook-id": "d-1",
        "webhook-timestamp": str(stamp),
        "webhook-signature": bigcommerce_sign(BIGCOMMERCE_SECRET.encode(), "d-1", stamp, body),
    }


RECEIVERS: dict[str, tuple[WebhookReceiver, Signer, dict[str, object], bytes]] = {
    # platform: receiver, signer, a well-formed body, an unknown topic's body (or header)
    "shopify": (
        ShopifyWebhookReceiver(SecretStr(SECRET)),
        shopify,
        {"id": 1},
        b"carts/teleport",
    ),
    "tiktok": (
        TikTokWebhookReceiver("app-key", SecretStr(SECRET)),
        tiktok,
        {"type": 1, "data": {"order_id": "1"}},
        b'{"type": 999, "data": {}}',
    ),
    "woocommerce": (
        WooCommerceWebhookReceiver(SecretStr(SECRET)),
        woocommerce,
        {"id": 1},
        b"spaceship.launched",
    ),
    "bigcommerce": (
        BigCommerceWebhookReceiver(SecretStr(BIGCOMMERCE_SECRET)),
        bigcommerce,
        {"scope": "store/product/updated", "data": {"id": 1}},
        b'{"scope": "store/teleport/updated", "data": {"id": 1}}',
    ),
}


@pytest.fixture
async def url(ledger: Ledger, clock) -> AsyncIterator[str]:
    runner = JobRunner(ledger, Metrics(), HealthBoard(), clock)
    triggers = Triggers(runner, [], timedelta(seconds=1))
    receivers = {(platform, "uk"): entry[0] for platform, entry in RECEIVERS.items()}
    app = web.Application()
    WebhookRouter(ledger, triggers, clock, receivers).add_routes(app)
    server = HttpServer(app, "127.0.0.1", 0)
    yield await server.start()
    await server.stop()


@pytest.fixture
def lines() -> AsyncIterator[io.StringIO]:
    """Every log line, rendered as the daemon renders it."""
    sink = io.StringIO()
    log.configure("info", "json")
    handler = logging.getLogger().handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(sink)
    yield sink
    handler.setStream(io.StringIO())


def nested(depth: int) -> bytes:
    """An object `depth` levels deep (deeper than the json module will write)."""
    return b'{"x": ' * (depth - 1) + b"{}" + b"}" * (depth - 1)


def with_extra(good: dict[str, object], extra: bytes) -> bytes:
    """`good` with one more member, ``"extra"``, holding `extra` as it is."""
    return json.dumps(good).encode()[:-1] + b', "extra": ' + extra + b"}"


async def post(
    url: str, platform: str, body: bytes, topic: str = "", content_type: str = "application/json"
) -> int:
    headers = {**RECEIVERS[platform][1](body, topic), "Content-Type": content_type}
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{url}/webhooks/{platform}/uk", data=io.BytesIO(body), headers=headers
        ) as reply,
    ):
        return reply.status


def test_json_depth_counts_nesting_and_ignores_brackets_in_strings() -> None:
    assert json_depth(b'{"a": [1, {"b": "]]]}}}[[[{{"}]}') == 3
    assert json_depth(b'"just a string"') == 0
    assert json_depth(nested(1000)) == 1000


@pytest.mark.parametrize("platform", sorted(RECEIVERS))
async def test_hostile_bodies_get_a_4xx_and_one_line(url: str, platform: str, lines) -> None:
    _, _, good, unknown = RECEIVERS[platform]
    assert await post(url, platform, json.dumps(good).encode()) == 200
    assert await post(url, platform, with_extra(good, nested(1000))) == 400
    assert await post(url, platform, with_extra(good, nested(MAX_JSON_DEPTH - 1))) == 200
    assert await post(url, platform, with_extra(good, nested(MAX_JSON_DEPTH))) == 400
    big = with_extra(good, b'"' + b"x" * MAX_BODY_BYTES + b'"')
    assert await post(url, platform, big) == 413
    assert await post(url, platform, json.dumps(good).encode(), content_type="text/xml") == 415
    if unknown.startswith(b"{"):
        assert await post(url, platform, unknown) == 422
    else:
        assert await post(url, platform, json.dumps(good).encode(), topic=unknown.decode()) == 422
    logged = [json.loads(line) for line in lines.getvalue().splitlines()]
    refusals = [entry for entry in logged if entry["event"] == "webhook_refused"]
    assert [entry["level"] for entry in refusals] == ["warning"] * 5
    reasons = " | ".join(entry["reason"] for entry in refusals)
    assert f"JSON nested deeper than {MAX_JSON_DEPTH} levels" in reasons
    assert "content type 'text/xml' is not accepted" in reasons
    assert "unknown" in refusals[-1]["reason"]
    assert not [entry for entry in logged if entry["level"] == "error" or "exception" in entry]


async def test_oversized_headers_get_400_and_one_warning_line(url: str, lines) -> None:
    headers = {"Content-Type": "application/json", "X-Padding": "x" * 20_000}
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{url}/webhooks/tiktok/uk", data=b"{}", headers=headers) as reply,
    ):
        assert reply.status in {400, 431}
    logged = [json.loads(line) for line in lines.getvalue().splitlines()]
    assert [entry["level"] for entry in logged] == ["warning"]
    assert logged[0]["event"].startswith("http_request_refused from 127.0.0.1: HTTP 400")
    assert "exception" not in logged[0]
