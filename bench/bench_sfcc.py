"""SFCC feeds on WebDAV: a 100 MB catalog applied in flat memory, the cost of listing a
folder, and how soon a dropped inventory file reaches TikTok.

- Catalog: a generated catalog feed of `MASTERS` masters with `VARIANTS` variants each (every
  variant its own product element), about `CATALOG_MB` MB, dropped (with its marker) on the
  simulator's disk; the simulator (WsgiDAV) runs in a child process. Another child process
  runs one scan of the daemon's connector into a fresh ledger (download streamed to a file,
  streamed XSD check, streamed application in one transaction) and then reads every product
  back as the SourceStore answers the catalog job: its wall time and its own peak RSS
  (VmHWM, see bench/peak_rss.py), beside the same process importing only.
- Listing: one PROPFIND (Depth 1) of a folder holding `LISTED` files; and, in the child, a
  second scan of the four feed folders once the catalog was applied (nothing new: what every
  job cycle costs in the steady state).
- Latency: the daemon in this process, the SFCC and TikTok simulators in this process too, a
  small catalog published and Active; each sample drops an inventory file (the merchant's
  export job, through the neutral store API) and posts the feed alert; latency = from the drop
  to TikTok holding the new quantity (Update Inventory accepted).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from contextlib import AsyncExitStack
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
from sfcc_feeds import write_catalog
from support import HERE, free_port, percentile, progress, run_module, wait_until

from daemon.connectors.sfcc import WebDav
from daemon.domain import ProductStatus, RunOutcome
from daemon.ledger import products, runs
from daemon.metrics import Metrics
from daemon.runtime import build
from daemon.settings import load_settings
from daemon.simulate import start_simulators
from simulators.sfcc.store_control import ean13

MASTERS = 20_000
VARIANTS = 5
CATALOG_MB = 100
LISTED = 1_000
LATENCY_PRODUCTS = 8
SAMPLES = 20
WAREHOUSE_ID = "7000000000000000001"
ACCESS_KEY = "bench-sfcc-access-key"
FOLDER = "Impex/src/tiktok/catalog"
HTTP_OK = 200


async def main() -> dict[str, float]:
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-sfcc-") as scratch:
        root = Path(scratch) / "dav"
        figures.update(await _catalog(root, Path(scratch)))
    figures.update(await _latency())
    return figures


async def _sim(root: Path) -> tuple[asyncio.subprocess.Process, str]:
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        str(HERE / "sfcc_sim.py"),
        str(root),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert child.stdout is not None
    line = await asyncio.wait_for(child.stdout.readline(), 60)
    return child, json.loads(line)["base_url"]


async def _catalog(root: Path, scratch: Path) -> dict[str, float]:
    progress(f"writing a {CATALOG_MB} MB catalog ({MASTERS} masters x {VARIANTS} variants) ...")
    feed = root / FOLDER / "00000001_catalog.xml"
    size = write_catalog(feed, MASTERS, VARIANTS, CATALOG_MB * 1_000_000)
    (root / FOLDER / "00000001_catalog.xml.done").write_bytes(b"")
    for n in range(LISTED):
        (root / "Impex/src/listed" / f"{n:06d}_inventory.xml").parent.mkdir(
            parents=True, exist_ok=True
        )
        (root / "Impex/src/listed" / f"{n:06d}_inventory.xml").write_bytes(b"<x/>")
    child, base_url = await _sim(root)
    try:
        progress("applying it in a child process ...")
        ledger = scratch / "ledger.sqlite3"
        measured = await run_module(["sfcc_apply", base_url, str(ledger)], 1800, scratch, "apply")
        baseline = await run_module(["sfcc_apply", "--baseline"], 120, scratch, "baseline")
        if measured.returncode != 0:
            raise RuntimeError((scratch / "apply.log").read_text()[-2000:])
        applied = json.loads((scratch / "apply.log").read_text().strip().splitlines()[-1])
        listing = await _listing(base_url)
    finally:
        assert child.stdin is not None
        child.stdin.close()
        await child.wait()
    return {
        "catalog_file_mb": round(size / 1_000_000, 1),
        "catalog_product_elements": MASTERS * (VARIANTS + 1),
        "catalog_scan_s": applied["scan_s"],
        "catalog_products_read": applied["products_read"],
        "catalog_products_read_s": applied["products_read_s"],
        "rescan_nothing_new_ms": applied["rescan_nothing_new_ms"],
        "catalog_process_wall_s": round(measured.wall_s, 1),
        "catalog_peak_rss_mb": round(measured.peak_rss_mb, 1),
        "import_baseline_rss_mb": round(baseline.peak_rss_mb, 1),
        **listing,
    }


async def _listing(base_url: str) -> dict[str, float]:
    dav = WebDav(
        f"{base_url}/on/demandware.servlet/webdav/Sites/",
        "ttsync@example.com",
        ACCESS_KEY,
        Metrics(),
        timeout=timedelta(seconds=60),
    )
    await dav.start()
    try:
        times = []
        for _ in range(10):
            started = time.perf_counter()
            listing = await dav.listing("Impex/src/listed")
            times.append(time.perf_counter() - started)
        assert len(listing.entries) == LISTED
    finally:
        await dav.close()
    return {
        "propfind_files": LISTED,
        "propfind_median_ms": round(statistics.median(times) * 1000, 1),
    }


def _config(directory: Path, ports: dict[str, int]) -> str:
    return f"""
[daemon]
drain_timeout = "5s"
log_level = "warning"
log_format = "json"
webhook_debounce = "20ms"
[http]
host = "127.0.0.1"
port = {ports["http"]}
[ledger]
path = "{directory}/ledger.sqlite3"
[[shops]]
name = "bench"
[shops.store]
kind = "sfcc"
base_url = "http://127.0.0.1:{ports["store"]}"
username = "ttsync@example.com"
access_key = "{ACCESS_KEY}"
list_pricebook = "gbp-list-prices"
image_base_url = "http://127.0.0.1:{ports["store"]}"
alert_secret = "bench-alert-secret"
[shops.tiktok]
app_key = "app-key-1"
app_secret = "tiktok-app-secret-xyz"
auth_code = "sim-auth-code-bench"
api_base_url = "http://127.0.0.1:{ports["tiktok"]}"
auth_base_url = "http://127.0.0.1:{ports["tiktok"]}"
[shops.schedules]
orders = "off"
fulfillment = "off"
cancellations = "off"
[[shops.rules.locations]]
locations = ["Main warehouse"]
warehouse = "{WAREHOUSE_ID}"
[shops.catalog]
fallback_package = {{ weight_kg = 0.5, length_cm = 20, width_cm = 15, height_cm = 10 }}
[[shops.catalog.categories]]
match_by = "product_type"
value = "Mug"
category_id = "600024"
"""


async def _latency() -> dict[str, float]:
    progress(f"dropped inventory file to TikTok, {SAMPLES} samples ...")
    with tempfile.TemporaryDirectory(prefix="bench-sfcc-latency-") as scratch:
        ports = {"http": free_port(), "store": free_port(), "tiktok": free_port()}
        path = Path(scratch) / "bench.toml"
        path.write_text(_config(Path(scratch), ports))
        settings = load_settings(path)
        simulators = await start_simulators(settings, str(path))
        try:
            async with AsyncExitStack() as stack, aiohttp.ClientSession() as session:
                daemon = await build(settings, stack)
                samples = await _samples(daemon, session, ports)
        finally:
            await simulators.stop()
    return {
        "drop_to_tiktok_samples": len(samples),
        "drop_to_tiktok_p50_s": round(percentile(samples, 0.5), 3),
        "drop_to_tiktok_p95_s": round(percentile(samples, 0.95), 3),
    }


async def _samples(
    daemon: Any, session: aiohttp.ClientSession, ports: dict[str, int]
) -> list[float]:
    store = f"http://127.0.0.1:{ports['store']}/_sim"
    tiktok = f"http://127.0.0.1:{ports['tiktok']}/_sim"

    async def call(method: str, url: str, body: Any = None) -> Any:
        async with session.request(method, url, json=body) as answer:
            assert answer.status == HTTP_OK, await answer.text()
            return await answer.json()

    async def run(job: str) -> None:
        spec = next(s for s in daemon.specs if s.name == job)
        assert await daemon.runner.run(spec, frozenset()) is RunOutcome.OK

    specs = [
        {
            "title": f"Mug {n}",
            "category": "Mug",
            "description_html": "<p>A good mug.</p>",
            "images": ["/cdn/bench/mug_800x800.jpg"],
            "variants": [
                {
                    "sku": f"LAT-{n}",
                    "price": "12.50",
                    "barcode": ean13(n),
                    "weight_kg": "0.4",
                    "stock": [{"location": "main_warehouse", "available": 5}],
                }
            ],
        }
        for n in range(LATENCY_PRODUCTS)
    ]
    await call("POST", f"{store}/store/products", {"products": specs})
    for job in ("connect", "catalog"):
        await run(job)
    await call("POST", f"{tiktok}/clock/advance", {"seconds": 3600})
    for job in ("catalog", "inventory"):
        await run(job)
    async with daemon.ledger.read() as tx:
        failed = await products.products_with_status(tx, "bench", [ProductStatus.FAILED_TO_SYNC])
    if failed:
        raise RuntimeError(f"products failed to sync: {[(p.title, p.reason) for p in failed]}")
    alert = f"http://127.0.0.1:{ports['http']}/feeds/sfcc/bench"
    latencies = []
    for n in range(SAMPLES):
        sku = f"LAT-{n % LATENCY_PRODUCTS}"
        quantity = 100 + n
        started = time.perf_counter()
        level = {"sku": sku, "location": "main_warehouse", "available": quantity}
        await call("POST", f"{store}/store/stock", {"levels": [level]})
        async with session.post(alert, headers={"X-Feed-Secret": "bench-alert-secret"}) as answer:
            assert answer.status == HTTP_OK

        async def arrived(sku: str = sku, quantity: int = quantity) -> bool:
            return await _tiktok_quantity(call, tiktok, sku) == quantity

        await wait_until(arrived, 30)
        latencies.append(time.perf_counter() - started)
        await asyncio.sleep(0.2)
    async with daemon.ledger.read() as tx:
        assert await runs.recent_runs(tx, "bench", "inventory", 1)
    return latencies


async def _tiktok_quantity(call: Any, tiktok: str, seller_sku: str) -> int | None:
    state = await call("GET", f"{tiktok}/state")
    products = state["products"]
    for product in products.values() if isinstance(products, dict) else products:
        for sku in product["skus"]:
            if sku.get("seller_sku") == seller_sku:
                for cell in sku["inventory"]:
                    if str(cell["warehouse_id"]) == WAREHOUSE_ID:
                        return int(cell["quantity"])
    return None
