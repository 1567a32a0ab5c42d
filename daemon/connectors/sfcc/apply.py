"""Applying one checked feed file to the feed state, inside the one transaction that also
records the file as consumed: a crash before the commit leaves nothing of it, and the next
scan applies it again. Elements are read in batches, so memory stays flat for any file size.

Record kinds: ``product`` (each product element, merged over what earlier feeds said),
``owner`` (variant id -> its master), ``price`` (book and product), ``stock`` (list and
product; see `key_of`) and ``list`` (inventory lists).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from daemon.connectors.feeds import FeedRecord, FeedWrites
from daemon.connectors.sfcc.catalog import ProductElement, merged, read_products
from daemon.connectors.sfcc.pricebook import BookHeader, Price, read_pricebooks
from daemon.connectors.sfcc.stock import ListHeader, StockRecord, read_inventory
from daemon.connectors.sfcc.validation import FeedRefused

BATCH = 500
T = TypeVar("T")
# Joins a list or book id and a product id in one key: a control character, which XML 1.0
# cannot carry, so no id holds it.
SEP = "\x1f"


def key_of(holder: str, product_id: str) -> str:
    return f"{holder}{SEP}{product_id}"


def batches(items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


async def _touch_owners(writes: FeedWrites, product_ids: Sequence[str]) -> None:
    """Stamp the products that own these (a variant's master, or the product itself)."""
    owners = await writes.get("owner", product_ids)
    masters = {str(owners[p].body["master"]) for p in product_ids if p in owners}
    await writes.touch("product", sorted(masters | set(product_ids)))


async def apply_catalog(path: Path, writes: FeedWrites) -> int:
    count = 0
    for batch in batches(read_products(path)):
        await _apply_products(batch, writes)
        count += len(batch)
    return count


async def _apply_products(batch: list[ProductElement], writes: FeedWrites) -> None:
    ids = [element.product_id for element in batch]
    stored = await writes.get("product", ids)
    current: dict[str, dict[str, Any] | None] = {
        key: None if record.deleted_at else dict(record.body) for key, record in stored.items()
    }
    # Only deletes need to know a variant's master (a bulk feed has none: no extra read).
    known = await writes.get("owner", ids) if any(e.delete for e in batch) else {}
    owners = {key: str(record.body["master"]) for key, record in known.items()}
    for element in batch:
        if element.delete:
            await _delete(element.product_id, current, stored, owners, writes)
            continue
        body = merged(current.get(element.product_id), element.fields)
        current[element.product_id] = body
        owners.update((str(variant), element.product_id) for variant in body.get("variants", []))
    live = {key: body for key, body in current.items() if body is not None}
    gone = [key for key, body in current.items() if body is None and key in stored]
    await writes.put("product", live)
    await writes.delete("product", gone)
    await writes.put(
        "owner",
        {
            variant: {"master": master}
            for master, body in live.items()
            for variant in body.get("variants", [])
        },
    )
    changed = [
        key
        for key, body in live.items()
        if key not in stored or stored[key].deleted_at is not None or stored[key].body != body
    ]
    await _touch_owners(writes, changed)


async def _delete(
    product_id: str,
    current: dict[str, dict[str, Any] | None],
    stored: dict[str, FeedRecord],
    owners: dict[str, str],
    writes: FeedWrites,
) -> None:
    """`mode="delete"`: a master goes with its variants; a variant leaves its master's list,
    so the master loses that SKU and keeps the others."""
    body = current.get(product_id)
    current[product_id] = None
    variants = [str(variant) for variant in (body or {}).get("variants", [])]
    await _load(variants, current, stored, writes)
    current.update(dict.fromkeys(variants))
    master = owners.get(product_id)
    if master is None or master == product_id:
        return
    await _load([master], current, stored, writes)
    kept = current.get(master)
    if kept is not None and product_id in kept.get("variants", []):
        current[master] = {**kept, "variants": [v for v in kept["variants"] if v != product_id]}


async def _load(
    keys: Sequence[str],
    current: dict[str, dict[str, Any] | None],
    stored: dict[str, FeedRecord],
    writes: FeedWrites,
) -> None:
    """Bring products the batch did not name into the working set (deletes reach them)."""
    found = await writes.get("product", [key for key in keys if key not in current])
    stored.update(found)
    for key, record in found.items():
        current[key] = None if record.deleted_at else dict(record.body)


async def apply_pricebooks(
    path: Path, writes: FeedWrites, *, books: frozenset[str], currency: str
) -> int:
    """Prices of the configured books; a configured book in another currency refuses the file
    (no price of it is applied)."""
    count = 0
    for batch in batches(read_pricebooks(path)):
        prices: dict[str, dict[str, Any]] = {}
        gone: list[str] = []
        for item in batch:
            if isinstance(item, BookHeader):
                if item.pricebook_id in books and item.currency != currency:
                    raise FeedRefused(
                        f"line {item.line}: price book {item.pricebook_id!r} is in "
                        f"{item.currency}; the shop sells in {currency}"
                    )
                continue
            if item.pricebook_id not in books:
                continue
            count += 1
            _price(item, prices, gone)
        before = await writes.get("price", [*prices, *gone])
        await writes.put("price", prices)
        await writes.delete("price", gone)
        changed = [
            key
            for key in [*prices, *gone]
            if key not in before
            or (before[key].deleted_at is None) != (key in prices)
            or before[key].body != prices.get(key)
        ]
        await _touch_owners(writes, sorted({key.split(SEP, 1)[1] for key in changed}))
    return count


def _price(item: Price, prices: dict[str, dict[str, Any]], gone: list[str]) -> None:
    key = key_of(item.pricebook_id, item.product_id)
    if item.delete or item.amount is None:
        gone.append(key)
        prices.pop(key, None)
    else:
        prices[key] = {"amount": item.amount}


async def apply_inventory(path: Path, writes: FeedWrites) -> int:
    count = 0
    for batch in batches(read_inventory(path)):
        lists: dict[str, dict[str, Any]] = {}
        dropped: list[str] = []
        records: dict[str, dict[str, Any]] = {}
        for item in batch:
            if isinstance(item, ListHeader):
                lists[item.list_id] = item.fields  # a deleted list stays, as inactive
                if item.delete:
                    dropped.append(item.list_id)
                continue
            count += 1
            records[key_of(item.list_id, item.product_id)] = _level(item)
        await writes.put("list", lists)
        await writes.delete("list", dropped)
        await _apply_levels(records, writes)
    return count


def _level(item: StockRecord) -> dict[str, Any]:
    if item.delete:  # no record: nothing to sell from this list
        return {"available": 0, "perpetual": False, "backorder": False}
    return item.fields


async def _apply_levels(records: dict[str, dict[str, Any]], writes: FeedWrites) -> None:
    before = await writes.get("stock", list(records))
    await writes.put("stock", records)

    def flags(body: Any) -> tuple[bool, bool]:
        return bool(body.get("perpetual")), bool(body.get("backorder"))

    flipped = [
        key.split(SEP, 1)[1]
        for key, body in records.items()
        if key not in before or flags(before[key].body) != flags(body)
    ]
    await _touch_owners(writes, sorted(set(flipped)))
