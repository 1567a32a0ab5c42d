"""Reading shipping-order status feeds (the merchant's job reports shipments and
cancellations of the orders it imported): one update per ``shipping_order``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from daemon.connectors.sfcc.validation import Feed, elements, tag


def _t(name: str) -> str:
    return tag(Feed.ORDER_STATUS, name)


@dataclass(frozen=True)
class Tracking:
    id: str
    carrier: str | None
    tracking_number: str | None
    ship_date: str | None


@dataclass(frozen=True)
class ShippingUpdate:
    order_no: str  # the shipping order number: our order number
    status: str | None  # warehouse | shipped | cancelled
    ship_date: str | None
    items: tuple[tuple[str, int], ...]  # (product id, quantity)
    tracking: tuple[Tracking, ...]


def _text(element: object, name: str) -> str | None:
    value = element.findtext(_t(name))  # type: ignore[attr-defined]
    return None if value is None or not value.strip() else value.strip()


def read_status(path: Path) -> Iterator[ShippingUpdate]:
    for element in elements(path, Feed.ORDER_STATUS, ["shipping_order"]):
        items = tuple(
            (_text(item, "product_id") or "", int(float(_text(item, "quantity") or "0")))
            for item in element.iterfind(f"{_t('items')}/{_t('item')}")
        )
        tracking = tuple(
            Tracking(
                id=_text(info, "id") or "",
                carrier=_text(info, "carrier"),
                tracking_number=_text(info, "tracking_number"),
                ship_date=_text(info, "ship_date"),
            )
            for info in element.iterfind(f"{_t('tracking_infos')}/{_t('tracking_info')}")
        )
        yield ShippingUpdate(
            order_no=_text(element, "shipping_order_number") or "",
            status=_text(element, "status"),
            ship_date=_text(element, "ship_date"),
            items=items,
            tracking=tracking,
        )
