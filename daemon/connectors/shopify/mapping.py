"""Helpers shared by the Shopify wire translations (`graphql_wire`, `order_mapping`). Pure."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated

from pydantic import BeforeValidator, ValidationError


def _money(value: object) -> Decimal:
    """Shopify writes money as a decimal string ("199.00"); anything else is a contract
    violation."""
    if not isinstance(value, str):
        raise ValueError(  # noqa: TRY004 pydantic turns only ValueError into a validation error
            "money must be a decimal string"
        )
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise ValueError("not a decimal amount") from None
    if not amount.is_finite():
        raise ValueError("money must be finite")
    return amount


MoneyText = Annotated[Decimal, BeforeValidator(_money)]


def validation_summary(error: ValidationError) -> str:
    """Where and why a payload failed validation, without echoing any of its values."""
    problems = []
    for item in error.errors(include_input=False, include_url=False)[:5]:
        where = ".".join(str(part) for part in item["loc"]) or "(top level)"
        problems.append(f"{where}: {item['msg']}")
    return "; ".join(problems)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def blank_to_none(value: str | None) -> str | None:
    return value if value and value.strip() else None


def raw_id(raw: object) -> str:
    """The id of an unreadable record, as far as it can be told."""
    if isinstance(raw, Mapping):
        value = raw.get("id")
        if isinstance(value, int | str) and not isinstance(value, bool):
            return str(value)
    return "unknown"
