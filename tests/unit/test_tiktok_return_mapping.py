"""TikTok returns (Search Returns records) to domain returns, and webhook 12 as a hint."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from pydantic import SecretStr

from daemon.connectors.tiktok.models.returns import Return, ReturnSearchFilter
from daemon.connectors.tiktok.order_mapping import return_from_wire
from daemon.connectors.tiktok.returns import read_return
from daemon.connectors.tiktok.webhooks import TikTokWebhookReceiver
from daemon.domain.models import BadRecord, Money
from daemon.domain.orders import ReturnKind


def wire(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "return_id": "4035600000000000007",
        "order_id": "576400000000000007",
        "return_type": "RETURN_AND_REFUND",
        "return_status": "AWAITING_BUYER_SHIP",
        "role": "BUYER",
        "return_reason": "ecom_order_delivered_refund_and_return_reason_not_as_described",
        "return_reason_text": "Not as described",
        "create_time": 1700000000,
        "update_time": 1700003600,
        "refund_amount": {"currency": "gbp", "refund_total": "25.00", "refund_subtotal": "25.00"},
        "return_line_items": [
            {"return_line_item_id": "1", "order_line_item_id": "577000000000000007"},
            {"return_line_item_id": "2", "order_line_item_id": "577000000000000014"},
        ],
        "arbitration_status": "NONE",  # a field this client does not read
    }
    base.update(changes)
    return base


def test_a_return_maps_to_the_domain() -> None:
    record = read_return(wire())
    assert isinstance(record, Return)
    mapped = return_from_wire(record)
    assert (mapped.id, mapped.order_id) == ("4035600000000000007", "576400000000000007")
    assert (mapped.kind, mapped.status, mapped.role) == (
        ReturnKind.RETURN_AND_REFUND,
        "AWAITING_BUYER_SHIP",
        "BUYER",
    )
    assert mapped.reason == "Not as described"
    assert (mapped.created_at, mapped.updated_at) == (1700000000, 1700003600)
    assert mapped.refund == Money(Decimal("25.00"), "GBP")
    assert mapped.line_ids == ("577000000000000007", "577000000000000014")


@pytest.mark.parametrize(
    "spelling",
    [
        "REFUND_OR_RETURN_REQUEST_REJECT",
        "RETURN_OR_REFUND_REQUEST_REJECT",
        "RETURN_OR_REFUND_REQUEST_REJECTED",
    ],
)
def test_every_spelling_of_the_rejected_status(spelling: str) -> None:
    record = read_return(wire(return_status=spelling))
    assert isinstance(record, Return)
    assert return_from_wire(record).status == "REFUND_OR_RETURN_REQUEST_REJECT"


def test_a_refund_only_return_without_an_amount_or_update_time() -> None:
    raw = wire(return_type="REFUND", update_time=None, return_line_items=[])
    del raw["refund_amount"]
    record = read_return(raw)
    assert isinstance(record, Return)
    mapped = return_from_wire(record)
    assert (mapped.kind, mapped.refund, mapped.line_ids) == (ReturnKind.REFUND, None, ())
    assert mapped.updated_at == mapped.created_at == 1700000000


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"return_status": "SOMETHING_NEW"}, "return_status"),
        ({"return_type": "EXCHANGE"}, "return_type"),
        ({"order_id": ""}, "order_id"),
        ({"refund_amount": {"currency": "GBP", "refund_total": "lots"}}, "refund_total"),
    ],
)
def test_a_malformed_return_is_a_bad_record(changes: dict[str, Any], problem: str) -> None:
    record = read_return(wire(**changes))
    assert isinstance(record, BadRecord)
    assert (record.kind, record.id) == ("return", "4035600000000000007")
    assert problem in record.reason


def test_a_return_without_any_time_cannot_be_mapped() -> None:
    record = read_return(wire(create_time=None, update_time=None))
    assert isinstance(record, Return)
    with pytest.raises(ValueError, match="neither create_time nor update_time"):
        return_from_wire(record)


def test_the_search_filter_is_strict_and_sends_only_what_is_set() -> None:
    filters = ReturnSearchFilter(update_time_ge=1700000000, order_ids=["1"])
    assert filters.model_dump(mode="json", exclude_none=True) == {
        "order_ids": ["1"],
        "update_time_ge": 1700000000,
    }
    with pytest.raises(ValueError, match="return_type"):
        ReturnSearchFilter.model_validate({"return_type": ["REFUND"]})


def test_webhook_12_is_a_hint_for_the_cancellations_job() -> None:
    receiver = TikTokWebhookReceiver("key", SecretStr("secret"))
    data = {
        "order_id": "576400000000000007",
        "return_role": "BUYER",
        "return_type": "REFUND",
        "return_status": "RETURN_OR_REFUND_REQUEST_PENDING",
        "return_id": "4035600000000000007",
        "create_time": 1700000000,
        "update_time": 1700000000,
    }
    body = json.dumps({"type": 12, "tts_notification_id": "n1", "shop_id": "s", "data": data})
    (hint,) = receiver.hints({}, body.encode())
    assert (hint.job, hint.entity_ids, hint.topic) == (
        "cancellations",
        ("576400000000000007",),
        "type 12",
    )
