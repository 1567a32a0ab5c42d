"""One scan of the SFCC feed folders by the daemon's connector, into a fresh ledger, in its
own process (so its peak RSS is its own): ``python -m sfcc_apply BASE_URL LEDGER`` prints one
JSON line of figures; ``python -m sfcc_apply --baseline`` only imports what it would use."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from daemon.connectors.sfcc import SfccSettings, SfccStore, WebDav
from daemon.ledger import Ledger, shops
from daemon.metrics import Metrics
from daemon.runtime.feed_state import LedgerFeedState

ACCESS_KEY = "bench-sfcc-access-key"


async def scan(base_url: str, ledger_path: Path) -> dict[str, float]:
    settings = SfccSettings(
        base_url=base_url,
        username="ttsync@example.com",
        access_key=ACCESS_KEY,
        list_pricebook="gbp-list-prices",
        request_timeout=timedelta(minutes=5),
    )
    ledger = await Ledger.open(ledger_path)
    async with ledger.transaction() as tx:
        await shops.ensure_shop(tx, "bench", "sfcc", datetime.now(UTC))
    dav = WebDav(
        settings.davroot,
        settings.username,
        ACCESS_KEY,
        Metrics(),
        timeout=settings.request_timeout,
    )
    await dav.start()
    store = SfccStore(settings, dav, LedgerFeedState(ledger, "bench"))
    started = time.perf_counter()
    report = await store.scanner.refresh()
    applied_s = time.perf_counter() - started
    started = time.perf_counter()
    again = await store.scanner.refresh()  # nothing new: the steady state of every cycle
    rescan_s = time.perf_counter() - started
    started = time.perf_counter()
    products = 0
    async for _ in store.products():
        products += 1
    read_s = time.perf_counter() - started
    await dav.close()
    await ledger.close()
    assert report is not None
    assert again is not None
    assert again.applied == []
    return {
        "rescan_nothing_new_ms": round(rescan_s * 1000, 1),
        "files_applied": len(report.applied),
        "files_refused": len(report.refused),
        "scan_s": round(applied_s, 1),
        "products_read": products,
        "products_read_s": round(read_s, 1),
    }


if __name__ == "__main__":
    if sys.argv[1:] == ["--baseline"]:
        sys.stdout.write("{}\n")
    else:
        figures = asyncio.run(scan(sys.argv[1], Path(sys.argv[2])))
        sys.stdout.write(json.dumps(figures) + "\n")
