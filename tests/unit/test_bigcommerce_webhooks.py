"""BigCommerce callbacks: Standard Webhooks signatures (the published vector), the timestamp
tolerance, and the hints each scope gives."""

from __future__ import annotations

import json

import pytest
from pydantic import SecretStr

from daemon.connectors.bigcommerce import BigCommerceWebhookReceiver, secret_key, sign, verify
from daemon.errors import SkippableError

VECTOR = {
    "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
    "webhook-timestamp": "1614265330",
    "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
}
VECTOR_BODY = b'{"test": 2432232314}'
VECTOR_KEY = secret_key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")


def test_the_standard_webhooks_vector_verifies() -> None:
    assert (
        sign(VECTOR_KEY, VECTOR["webhook-id"], 1614265330, VECTOR_BODY)
        == (VECTOR["webhook-signature"])
    )
    assert verify(VECTOR_KEY, VECTOR, VECTOR_BODY, now=1614265330)


def test_one_of_several_signatures_may_match() -> None:
    several = {**VECTOR, "webhook-signature": "v1,bm9wZQ== " + VECTOR["webhook-signature"]}
    assert verify(VECTOR_KEY, several, VECTOR_BODY, now=1614265330)


@pytest.mark.parametrize(
    ("change", "body", "now"),
    [
        ({}, b'{"test": 2432232315}', 1614265330),  # another body
        ({"webhook-id": "msg_other"}, VECTOR_BODY, 1614265330),
        ({}, VECTOR_BODY, 1614265330 + 301),  # older than 5 minutes
        ({}, VECTOR_BODY, 1614265330 - 301),  # from the future
        ({"webhook-timestamp": "soon"}, VECTOR_BODY, 1614265330),
        ({"webhook-signature": ""}, VECTOR_BODY, 1614265330),
    ],
)
def test_anything_else_is_refused(change: dict[str, str], body: bytes, now: int) -> None:
    assert not verify(VECTOR_KEY, {**VECTOR, **change}, body, now=now)


def callback(scope: str, data: dict[str, object]) -> tuple[dict[str, str], bytes]:
    body = json.dumps(
        {
            "scope": scope,
            "store_id": "1",
            "data": data,
            "hash": "h1",
            "created_at": 1,
            "producer": "stores/x",
        }
    ).encode()
    key = b"client-secret"
    headers = {"webhook-id": "h1", "webhook-timestamp": "1000"}
    headers["webhook-signature"] = sign(key, "h1", 1000, body)
    return headers, body


def test_the_receiver_checks_with_the_client_secret_and_hints_by_scope() -> None:
    receiver = BigCommerceWebhookReceiver(SecretStr("client-secret"), clock=lambda: 1000.0)
    headers, body = callback(
        "store/sku/inventory/updated",
        {
            "type": "sku",
            "id": 5,
            "inventory": {"product_id": 1, "variant_id": 7, "method": "absolute", "value": 3},
        },
    )
    assert receiver.verify(headers, body)
    assert not BigCommerceWebhookReceiver(SecretStr("other")).verify(headers, body)
    [hint] = receiver.hints(headers, body)
    assert (hint.delivery_id, hint.job, hint.entity_ids) == ("h1", "inventory", ("7",))
    headers, body = callback("store/product/updated", {"type": "product", "id": 12})
    assert [(h.job, h.entity_ids) for h in receiver.hints(headers, body)] == [
        ("catalog", ("12",)),
        ("price", ("12",)),
    ]
    headers, body = callback("store/order/statusUpdated", {"type": "order", "id": 100})
    assert {h.job for h in receiver.hints(headers, body)} == {"fulfillment", "cancellations"}
    headers, body = callback("store/order/created", {"type": "order", "id": 100})
    assert receiver.hints(headers, body) == []


def test_an_unreadable_callback_is_skipped_with_its_reason() -> None:
    receiver = BigCommerceWebhookReceiver(SecretStr("client-secret"))
    with pytest.raises(SkippableError, match="not JSON"):
        receiver.hints({}, b"nope")
    headers, body = callback("store/product/updated", {"type": "product"})
    with pytest.raises(SkippableError, match=r"data\.id"):
        receiver.hints(headers, body)
