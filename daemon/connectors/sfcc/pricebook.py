"""Reading price-book feeds: the header (its id and currency) and a price per product.

A price table's ``amount`` for quantity 1 is the price; a table with only a percentage (of
the parent book) is not a price this daemon can send and is left out with a note.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from daemon.connectors.sfcc.validation import Feed, elements, required, tag


def _t(name: str) -> str:
    return tag(Feed.PRICEBOOK, name)


@dataclass(frozen=True)
class BookHeader:
    pricebook_id: str
    currency: str
    delete: bool
    line: int


@dataclass(frozen=True)
class Price:
    pricebook_id: str
    product_id: str
    amount: str | None  # decimal text; None: no quantity-1 amount
    delete: bool


def read_pricebooks(path: Path) -> Iterator[BookHeader | Price]:
    book = ""
    for element in elements(path, Feed.PRICEBOOK, ["header", "price-table"]):
        if element.tag == _t("header"):
            book = required(element, "pricebook-id")
            currency = (element.findtext(_t("currency")) or "").strip()
            yield BookHeader(
                book, currency, element.get("mode") == "delete", element.sourceline or 0
            )
            continue
        amounts = {
            (node.get("quantity") or "1").strip(): (node.text or "").strip()
            for node in element.findall(_t("amount"))
        }
        amount = amounts.get("1") or amounts.get("1.0")
        product_id = required(element, "product-id")
        yield Price(book, product_id, amount, element.get("mode") == "delete")
