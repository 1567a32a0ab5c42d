from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time

import pytest
from pydantic import SecretStr

from daemon.connectors.shopify import (
    InvalidWebhookError,
    ShopifyWebhookReceiver,
    parse_delivery,
    verify,
    verify_delivery,
)
from daemon.connectors.shopify.bulk import BulkFinishes
from daemon.errors import SkippableError

# DOMAIN.md section 12.2 (shopify-api-js validate.test.ts); the expected value was computed
# independently with `openssl dgst -sha256 -hmac test_secret_key -binary | base64`.
SECRET = "test_secret_key"
BODY = b'{"foo": "bar"}'
EXPECTED = "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g="
HEADERS = {
    "X-Shopify-API-Version": "2023-01",
    "X-Shopify-Shop-Domain": "shop1.myshopify.io",
    "X-Shopify-Topic": "products/create",
    "X-Shopify-Webhook-Id": "123456789",
    "X-Shopify-Hmac-Sha256": EXPECTED,
}


def test_the_research_vector_verifies() -> None:
    assert verify(SECRET, BODY, EXPECTED)


@pytest.mark.parametrize(
    ("secret", "body", "signature"),
    [
        (SECRET, BODY, "fake"),  # the negative case of the same test suite
        (SECRET, BODY, ""),
        (SECRET, b'{"foo":"bar"}', EXPECTED),  # re-serialised body: a different message
        ("test_secret_kez", BODY, EXPECTED),
        (SECRET, BODY, EXPECTED[:-4]),
        (SECRET, BODY, EXPECTED.lower()),
        (SECRET, BODY, base64.b64encode(b"x" * 32).decode()),
        (SECRET, BODY, "!!not base64!!"),
    ],
)
def test_anything_else_does_not(secret: str, body: bytes, signature: str) -> None:
    assert not verify(secret, body, signature)


def test_a_verified_delivery_becomes_a_hint() -> None:
    hint = verify_delivery(SECRET, HEADERS, BODY)
    assert (hint.topic, hint.webhook_id, hint.shop_domain, hint.api_version) == (
        "products/create",
        "123456789",
        "shop1.myshopify.io",
        "2023-01",
    )
    assert hint.product_id is None  # the body carries no id


def test_a_wrong_signature_is_rejected() -> None:
    with pytest.raises(InvalidWebhookError, match="signature"):
        verify_delivery(SECRET, {**HEADERS, "X-Shopify-Hmac-Sha256": "fake"}, BODY)
    headers = {k: v for k, v in HEADERS.items() if k != "X-Shopify-Hmac-Sha256"}
    with pytest.raises(InvalidWebhookError):
        verify_delivery(SECRET, headers, BODY)


@pytest.mark.parametrize(
    "missing",
    ["X-Shopify-API-Version", "X-Shopify-Shop-Domain", "X-Shopify-Topic", "X-Shopify-Webhook-Id"],
)
def test_a_delivery_missing_a_header_is_rejected(missing: str) -> None:
    headers = {k: v for k, v in HEADERS.items() if k != missing}
    with pytest.raises(InvalidWebhookError, match=missing.lower()):
        parse_delivery(headers, BODY)


def delivery(topic: str, payload: dict[str, object]) -> tuple[dict[str, str], bytes]:
    headers = {
        **HEADERS,
        "x-shopify-topic": topic,
        "X-Shopify-Triggered-At": "2026-01-02T03:04:05+00:00",
    }
    del headers["X-Shopify-Topic"]
    return headers, json.dumps(payload).encode()


@pytest.mark.parametrize(
    ("topic", "payload", "expected"),
    [
        ("products/update", {"id": 632910392, "title": "x"}, {"product_id": "632910392"}),
        ("products/delete", {"id": 632910392}, {"product_id": "632910392"}),
        (
            "inventory_levels/update",
            {"inventory_item_id": 808950810, "location_id": 655441491, "available": 3},
            {"inventory_item_id": "808950810", "location_id": "655441491"},
        ),
        ("inventory_items/update", {"id": 808950810}, {"inventory_item_id": "808950810"}),
        ("orders/cancelled", {"id": 450789469}, {"order_id": "450789469"}),
        (
            "fulfillments/create",
            {"id": 255858046, "order_id": 450789469},
            {"fulfillment_id": "255858046", "order_id": "450789469"},
        ),
        ("app/uninstalled", {"id": 1}, {}),
    ],
)
def test_hints_name_the_entity(
    topic: str, payload: dict[str, object], expected: dict[str, str]
) -> None:
    headers, body = delivery(topic, payload)
    hint = parse_delivery(headers, body)  # header names are case-insensitive
    assert hint.topic == topic
    assert hint.triggered_at is not None
    assert hint.triggered_at.year == 2026
    found = {
        name: getattr(hint, name)
        for name in ("product_id", "inventory_item_id", "location_id", "order_id", "fulfillment_id")
        if getattr(hint, name) is not None
    }
    assert found == expected


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]"])
def test_an_unreadable_body_is_rejected(body: bytes) -> None:
    with pytest.raises(InvalidWebhookError):
        parse_delivery(HEADERS, body)


def signed(
    topic: str, payload: dict[str, object], secret: str = SECRET
) -> tuple[dict[str, str], bytes]:
    headers, body = delivery(topic, payload)
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    headers["X-Shopify-Hmac-Sha256"] = base64.b64encode(digest).decode()
    return headers, body


def test_the_receiver_verifies_with_the_shop_secret() -> None:
    receiver = ShopifyWebhookReceiver(SecretStr(SECRET))
    assert receiver.verify(HEADERS, BODY)
    assert not receiver.verify({**HEADERS, "X-Shopify-Hmac-Sha256": "fake"}, BODY)
    assert not receiver.verify({k: v for k, v in HEADERS.items() if "Hmac" not in k}, BODY)
    assert not ShopifyWebhookReceiver(SecretStr("other")).verify(HEADERS, BODY)


@pytest.mark.parametrize(
    ("topic", "payload", "expected"),
    [
        ("products/update", {"id": 7}, [("catalog", ("7",)), ("price", ("7",))]),
        ("products/delete", {"id": 7}, [("catalog", ("7",))]),
        (
            "inventory_levels/update",
            {"inventory_item_id": 8, "location_id": 9},
            [("inventory", ("8",))],
        ),
        ("fulfillments/create", {"id": 1, "order_id": 2}, [("fulfillment", ("2",))]),
        ("orders/cancelled", {"id": 3}, [("cancellations", ("3",))]),
        ("app/uninstalled", {"id": 1}, [("connect", ())]),
        ("orders/create", {"id": 3}, []),  # the store's own orders wake no job
    ],
)
def test_the_receiver_wakes_the_right_jobs(
    topic: str, payload: dict[str, object], expected: list[tuple[str, tuple[str, ...]]]
) -> None:
    headers, body = signed(topic, payload)
    hints = ShopifyWebhookReceiver(SecretStr(SECRET)).hints(headers, body)
    assert [(hint.job, hint.entity_ids) for hint in hints] == expected
    assert all(hint.delivery_id == "123456789" and hint.topic == topic for hint in hints)


@pytest.mark.parametrize(
    ("topic", "body"),
    [("products/update", b"not json"), ("products/update", b'{"title": "no id"}')],
)
def test_an_unreadable_delivery_is_skippable(topic: str, body: bytes) -> None:
    headers, _ = delivery(topic, {})
    with pytest.raises(SkippableError):
        ShopifyWebhookReceiver(SecretStr(SECRET)).hints(headers, body)


def test_a_bulk_finish_wakes_no_job_but_the_wait_for_its_operation() -> None:
    heard: list[str] = []
    receiver = ShopifyWebhookReceiver(SecretStr(SECRET), heard.append)
    operation = "gid://shopify/BulkOperation/5500000001"
    finish = {"admin_graphql_api_id": operation, "status": "completed", "type": "query"}
    headers, body = signed("bulk_operations/finish", finish)
    assert receiver.hints(headers, body) == []
    assert heard == [operation]
    headers, body = signed("bulk_operations/finish", {"status": "completed"})
    with pytest.raises(SkippableError, match="admin_graphql_api_id"):
        receiver.hints(headers, body)
    assert heard == [operation]


async def test_a_finish_ends_the_wait_for_its_operation_only() -> None:
    finishes = BulkFinishes()
    finishes.expect("gid://shopify/BulkOperation/1")
    finishes.expect("gid://shopify/BulkOperation/2")
    finishes.finished("gid://shopify/BulkOperation/2")
    finishes.finished("gid://shopify/BulkOperation/3")  # nobody waits for it: dropped
    started = time.monotonic()
    assert await finishes.wait("gid://shopify/BulkOperation/2", 30.0) is True
    assert time.monotonic() - started < 1.0
    # Heard once: a poll that still finds the operation running waits its interval again.
    assert await finishes.wait("gid://shopify/BulkOperation/2", 0.05) is False
    assert await finishes.wait("gid://shopify/BulkOperation/1", 0.05) is False
    later = asyncio.get_running_loop().call_later(
        0.05, finishes.finished, "gid://shopify/BulkOperation/1"
    )
    assert await finishes.wait("gid://shopify/BulkOperation/1", 30.0) is True
    later.cancel()
    assert time.monotonic() - started < 2.0
