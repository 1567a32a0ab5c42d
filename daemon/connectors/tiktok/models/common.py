"""Building blocks of the wire models: base classes, money, the envelope, pages, item errors."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

T = TypeVar("T")


class WireModel(BaseModel):
    """A shape TikTok sends: immutable, and tolerant of fields added after these notes."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class RequestModel(BaseModel):
    """A shape we send: immutable, and strict, so a misspelt field fails here, not remotely."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def _money(value: object) -> object:
    """Money arrives as a decimal string (``"12.50"``); a float would already be imprecise."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"not a decimal amount: {value!r}") from None
        if not amount.is_finite():
            raise ValueError(f"not a finite amount: {value!r}")
        return amount
    raise ValueError("money must be a decimal string")


def _optional_money(value: object) -> object:
    return None if value is None or value == "" else _money(value)


def _money_text(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


#: A required amount: parsed from a decimal string, sent as plain (never exponent) text.
Money = Annotated[Decimal, BeforeValidator(_money), PlainSerializer(_money_text, return_type=str)]
#: An amount that may be absent or an empty string.
OptionalMoney = Annotated[
    Decimal | None,
    BeforeValidator(_optional_money),
    PlainSerializer(_money_text, return_type=str | None),
]


class Envelope(WireModel):
    """Every Open API and auth-host answer: success iff ``code == 0``."""

    code: int
    message: str = ""
    request_id: str = ""
    data: Any = None


class Empty(WireModel):
    """A ``data`` object with nothing the client needs."""


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a search; `next_page_token` is None on the last page."""

    items: tuple[T, ...]
    next_page_token: str | None
    total_count: int | None


class PagedData(WireModel):
    next_page_token: str = ""
    total_count: int | None = None


class ExtraError(WireModel):
    code: int
    message: str = ""
    warehouse_id: str | None = None


class ItemErrorDetail(WireModel):
    sku_id: str | None = None
    product_id: str | None = None
    order_id: str | None = None
    extra_errors: list[ExtraError] = Field(default_factory=list)


class ItemError(WireModel):
    """One entry of ``data.errors`` inside a ``code: 0`` envelope."""

    code: int
    message: str = ""
    detail: ItemErrorDetail | None = None


class ErrorsData(WireModel):
    errors: list[ItemError] = Field(default_factory=list)


@dataclass(frozen=True)
class ItemFailure:
    """One record a batch call refused while accepting the rest.

    `code`/`message` are the most specific cause (a warehouse's secondary error when there is
    one); `outer_code` is the entry's main code (for example 12052990 "check failed").
    """

    code: int
    message: str
    outer_code: int
    sku_id: str | None = None
    warehouse_id: str | None = None
    product_id: str | None = None
    order_id: str | None = None


@dataclass(frozen=True)
class BatchResult:
    """What a batch write did: everything not listed in `failures` was accepted."""

    failures: tuple[ItemFailure, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failures

    def for_sku(self, sku_id: str) -> tuple[ItemFailure, ...]:
        return tuple(failure for failure in self.failures if failure.sku_id == sku_id)

    def for_product(self, product_id: str) -> tuple[ItemFailure, ...]:
        return tuple(failure for failure in self.failures if failure.product_id == product_id)

    def merged(self, other: BatchResult) -> BatchResult:
        return BatchResult(self.failures + other.failures)


def flatten_errors(errors: list[ItemError]) -> BatchResult:
    """One `ItemFailure` per (record, warehouse) named in ``data.errors``."""
    failures: list[ItemFailure] = []
    for error in errors:
        detail = error.detail or ItemErrorDetail()
        ids = {
            "sku_id": detail.sku_id,
            "product_id": detail.product_id,
            "order_id": detail.order_id,
        }
        if not detail.extra_errors:
            failures.append(ItemFailure(error.code, error.message, error.code, **ids))
        failures.extend(
            ItemFailure(
                extra.code, extra.message, error.code, warehouse_id=extra.warehouse_id, **ids
            )
            for extra in detail.extra_errors
        )
    return BatchResult(tuple(failures))
