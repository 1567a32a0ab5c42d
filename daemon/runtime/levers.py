"""The operator's levers, shared by the CLI and the status page: resync products, re-queue
retry-queue records. Each only records the request in the ledger; the jobs act on it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from daemon.errors import LedgerError
from daemon.jobs.catalog import PRODUCTS_BOOKMARK
from daemon.jobs.passes import request_full
from daemon.ledger import Ledger, resync, retry, shops
from daemon.ledger.retry import RetryEntry


async def ask_resync(ledger: Ledger, shop: str, product_ids: Sequence[str], *, every: bool) -> str:
    """Ask the shop's next catalog run to re-read and re-decide these products (or, with
    `every`, to make a full pass); return what will happen, for the operator."""
    now = datetime.now(UTC)
    async with ledger.transaction() as tx:
        if await shops.get_shop(tx, shop) is None:
            raise LedgerError(f"shop {shop} is not in the ledger yet: start the daemon with it")
        if every:
            await request_full(tx, shop, PRODUCTS_BOOKMARK)
            return f"Shop {shop}: the next catalog run reads and re-decides every product."
        known = await resync.known_products(tx, shop, product_ids)
        await resync.request(tx, shop, product_ids, now)
    unknown = [product_id for product_id in product_ids if product_id not in known]
    text = f"Shop {shop}: {len(product_ids)} product(s) will be re-read at the next catalog run."
    if unknown:
        text += (
            f"\n  not in the ledger yet (the run looks for them in the store): {', '.join(unknown)}"
        )
    return text


async def requeue_entry(ledger: Ledger, entry_id: int) -> RetryEntry | None:
    """Make one retry-queue record due now; the entry as it was, or None when there is none."""
    async with ledger.transaction() as tx:
        found = [entry for entry in await retry.list_entries(tx) if entry.id == entry_id]
        if found:
            await retry.requeue(tx, entry_id, datetime.now(UTC))
    return found[0] if found else None
