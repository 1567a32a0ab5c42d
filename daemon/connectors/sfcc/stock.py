"""Reading inventory-list feeds: each list (one per warehouse) and its records.

A record's quantity is its ``ats`` when the file carries one (an export), else its
``allocation``; ``perpetual`` means always available (sent to TikTok as the maximum, as an
untracked item); ``preorder-backorder-handling`` of backorder or preorder keeps selling when
out of stock. ``mode="delete"`` on a header deletes the list, on a record the record.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from lxml import etree

from daemon.connectors.sfcc.validation import Feed, elements, required, tag


def _t(name: str) -> str:
    return tag(Feed.INVENTORY, name)


@dataclass(frozen=True)
class ListHeader:
    list_id: str
    delete: bool
    fields: dict[str, Any]


@dataclass(frozen=True)
class StockRecord:
    list_id: str
    product_id: str
    delete: bool
    fields: dict[str, Any]


def _units(text: str | None) -> int:
    try:
        return int(Decimal((text or "0").strip()))
    except (
        InvalidOperation
    ):  # the schema allows only decimals: this is unreachable in a checked file
        return 0


def _record(element: etree._Element) -> dict[str, Any]:
    ats = element.findtext(_t("ats"))
    handling = (element.findtext(_t("preorder-backorder-handling")) or "none").strip()
    return {
        "available": _units(ats if ats is not None else element.findtext(_t("allocation"))),
        "perpetual": (element.findtext(_t("perpetual")) or "").strip() in {"true", "1"},
        "backorder": handling in {"backorder", "preorder"},
    }


def read_inventory(path: Path) -> Iterator[ListHeader | StockRecord]:
    """Headers and records of a checked inventory file, in order, in flat memory."""
    list_id = ""
    for element in elements(path, Feed.INVENTORY, ["header", "record"]):
        if element.tag == _t("header"):
            list_id = required(element, "list-id")
            description = (element.findtext(_t("description")) or "").strip()
            yield ListHeader(
                list_id,
                element.get("mode") == "delete",
                {
                    "name": description or list_id,
                    "default_instock": element.findtext(_t("default-instock")) == "true",
                },
            )
        else:
            yield StockRecord(
                list_id,
                required(element, "product-id"),
                element.get("mode") == "delete",
                _record(element),
            )
