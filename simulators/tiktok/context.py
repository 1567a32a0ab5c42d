"""What a handler receives: the verified request, the shop it targets and the state."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from simulators.tiktok.errors import invalid_param
from simulators.tiktok.model import Grant, JsonObject, Shop
from simulators.tiktok.state import SimState


@dataclass(frozen=True, slots=True)
class FormPart:
    """One field of a multipart body."""

    name: str
    filename: str | None
    content_type: str
    data: bytes


@dataclass(slots=True)
class RequestContext:
    state: SimState
    method: str
    path: str
    version: str
    params: dict[str, str]
    query: dict[str, str]
    body: bytes
    content_type: str
    grant: Grant | None = None
    shop_or_none: Shop | None = None
    form: dict[str, FormPart] = field(default_factory=dict)
    _json: JsonObject | None = None

    @property
    def shop(self) -> Shop:
        """The shop named by ``shop_cipher``; the gateway guarantees it on shop-scoped routes."""
        if self.shop_or_none is None:
            raise invalid_param("shop_cipher is required")
        return self.shop_or_none

    def now(self) -> int:
        return self.state.now()

    def json(self) -> JsonObject:
        """The JSON body as an object; an empty body reads as ``{}``."""
        if self._json is None:
            if not self.body.strip():
                self._json = {}
            else:
                try:
                    parsed: Any = json.loads(self.body)
                except ValueError as exc:
                    raise invalid_param("the request body is not valid JSON") from exc
                if not isinstance(parsed, dict):
                    raise invalid_param("the request body must be a JSON object")
                self._json = parsed
        return self._json


def str_list(payload: JsonObject, key: str, *, limit: int | None = None) -> list[str]:
    """A list of strings from the body (ids are strings on the wire); absent reads as []."""
    value = payload.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise invalid_param(f"{key} must be a list of strings")
    if limit is not None and len(value) > limit:
        raise invalid_param(f"{key} accepts at most {limit} items")
    return list(value)


def optional_int(payload: JsonObject, key: str) -> int | None:
    value = payload.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid_param(f"{key} must be an integer")
    return value


def optional_str(payload: JsonObject, key: str) -> str | None:
    value = payload.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise invalid_param(f"{key} must be a string")
    return value


def parse_money(raw: object) -> Decimal | None:
    """A money amount sent as a string such as ``"12.50"``; None when it is not one."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        return None
    if not amount.is_finite():
        return None
    return amount


def money(amount: Decimal) -> str:
    """Money on the wire: a string with two decimals."""
    return f"{amount.quantize(Decimal('0.01'))}"
