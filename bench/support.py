"""Shared benchmark set-up: the daemon built in-process, its simulators in a child process.

`Harness` writes a config (free loopback ports, a temporary ledger), starts the TikTok Shop and
Shopify simulators it names in a child process (`bench/sim_process.py`, with a generated
catalog), and builds the daemon in this process (`daemon.runtime.build`: ledger, connectors,
jobs, HTTP server with the webhook receivers). Helpers run single jobs, publish the catalog and
take it through TikTok's review, and talk to the simulators' `/_sim/` control APIs. Nothing
here leaves the loopback interface, and every wait is bounded.
"""

from __future__ import annotations

import asyncio
import json
import math
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, Self

import aiohttp

from daemon.domain import RunOutcome
from daemon.jobs import JobSpec
from daemon.ledger import Ledger, cursors, runs
from daemon.runtime import Daemon, build
from daemon.settings import load_settings

HERE = Path(__file__).parent
SHOP = "bench"
WAREHOUSE_ID = "7000000000000000001"
REVIEW_SECONDS = 60  # the TikTok simulator's default review delay
START_TIMEOUT = 120.0  # seconds for the simulators (and their catalog) to come up

# The Shopify simulator's generated product types onto the TikTok simulator's leaf categories
# (Notebooks get no rule unless `map_all`: they stay Unmapped, as in tests/conftest.py).
CATEGORIES = (
    ("Shirt", "601226"),
    ("Scarf", "601226"),
    ("Mug", "600024"),
    ("Bottle", "600024"),
    ("Lamp", "600025"),
    ("Candle", "600025"),
    ("Poster", "600025"),
)
NOTEBOOK = ("Notebook", "600025")
# The cursors whose age decides whether a pass reads everything (the daily reconciliation).
RECONCILED = ("catalog.products", "inventory.levels", "price.products")


def progress(text: str) -> None:
    """One progress line (run.py prints the figures themselves)."""
    sys.stdout.write(f"  {text}\n")
    sys.stdout.flush()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: Iterable[float], fraction: float) -> float:
    """Nearest-rank percentile (fraction in 0..1) of a non-empty sample."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Setup:
    """What a benchmark's config says; the defaults are the daemon's own where it has them."""

    webhook_debounce: str = "1s"
    # (job, schedule) overrides, e.g. {"inventory": "2s"}; the order jobs are switched off.
    schedules: dict[str, str] = field(default_factory=dict)
    restore_rate: float = 100.0  # GraphQL points per second (shops.store.restore_rate)
    tiktok_rate: float = 50.0  # the TikTok client's limiter (shops.tiktok.rate_limit_per_second)
    webhooks: bool = True  # give the shop a webhook secret (the Shopify receiver exists)
    map_all: bool = False  # a category rule for Notebooks too (every product is mapped)

    def config(self, directory: Path, ports: dict[str, int]) -> str:
        schedules = {
            "orders": "off",
            "fulfillment": "off",
            "cancellations": "off",
            **self.schedules,
        }
        schedule_lines = "".join(f'{job} = "{value}"\n' for job, value in schedules.items())
        rules = (*CATEGORIES, NOTEBOOK) if self.map_all else CATEGORIES
        categories = "".join(
            f"""
[[shops.catalog.categories]]
match_by = "product_type"
value = "{kind}"
category_id = "{category}"
"""
            for kind, category in rules
        )
        secret = 'webhook_secret = "shpss_bench_secret"\n' if self.webhooks else ""
        return f"""
[daemon]
drain_timeout = "5s"
log_level = "warning"
log_format = "json"
webhook_debounce = "{self.webhook_debounce}"

[http]
host = "127.0.0.1"
port = {ports["http"]}

[ledger]
path = "{directory}/ledger.sqlite3"
checkpoint_interval = "30s"

[[shops]]
name = "{SHOP}"

[shops.store]
kind = "shopify"
shop_domain = "bench-demo.myshopify.com"
base_url = "http://127.0.0.1:{ports["shopify"]}"
access_token = "shpat_0123456789abcdef"
restore_rate = {self.restore_rate}
{secret}
[shops.tiktok]
app_key = "app-key-1"
app_secret = "tiktok-app-secret-xyz"
auth_code = "sim-auth-code-{SHOP}"
api_base_url = "http://127.0.0.1:{ports["tiktok"]}"
auth_base_url = "http://127.0.0.1:{ports["tiktok"]}"
rate_limit_per_second = {self.tiktok_rate}

[shops.schedules]
{schedule_lines}
[[shops.rules.locations]]
locations = ["Main warehouse"]
warehouse = "{WAREHOUSE_ID}"

[shops.catalog]
identifier_exempt_categories = ["600025"]
fallback_package = {{ weight_kg = 0.5, length_cm = 20, width_cm = 15, height_cm = 10 }}
{categories}
"""


class Configures(Protocol):
    """What writes a benchmark's config: `Setup` here, or another kind's set-up."""

    def config(self, directory: Path, ports: dict[str, int]) -> str: ...


class Harness:
    """Simulators (child process) plus the daemon (this process): ``async with Harness(...)``.

    `products` x `variants` is the generated Shopify catalog; `listed` also puts its mapped
    products on TikTok as Active listings with the same seller SKUs.
    """

    def __init__(
        self, setup: Configures, *, products: int = 0, variants: int = 1, listed: bool = False
    ) -> None:
        self.setup = setup
        self.products = products
        self.variants = variants
        self.listed = listed
        self.stack = AsyncExitStack()
        self.daemon_stack: AsyncExitStack | None = None
        self.directory = Path()
        self.config_path = Path()
        self.ports: dict[str, int] = {}
        self.ready: dict[str, Any] = {}
        self.session: aiohttp.ClientSession | None = None
        self._child: asyncio.subprocess.Process | None = None
        self._daemon: Daemon | None = None

    async def __aenter__(self) -> Self:
        await self.stack.__aenter__()
        try:
            temporary = self.stack.enter_context(tempfile.TemporaryDirectory(prefix="ttsync-"))
            self.directory = Path(temporary)
            self.ports = {"http": free_port(), "shopify": free_port(), "tiktok": free_port()}
            self.config_path = self.directory / "ttsync.toml"
            self.config_path.write_text(self.setup.config(self.directory, self.ports))
            self.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
            self.stack.push_async_callback(self.session.close)
            self.stack.push_async_callback(self._stop_simulators)
            await self._start_simulators()
            # Requests are signed with wall time; the simulator clock is moved past reviews.
            await self.tiktok_control("PUT", "settings", {"timestamp_reference": "real"})
        except BaseException:
            await self.stack.aclose()
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop_daemon()
        await self.stack.aclose()

    # --- the simulators' process ----------------------------------------------------------

    simulator_script = "sim_process.py"  # the child process's script, in bench/

    def _simulator_args(self) -> list[str]:
        args = ["--products", str(self.products), "--variants", str(self.variants)]
        return [*args, "--listed"] if self.listed else args

    async def _start_simulators(self) -> None:
        command = [sys.executable, str(HERE / self.simulator_script), str(self.config_path)]
        command += self._simulator_args()
        errors = (self.directory / "simulators.stderr").open("wb")
        self.stack.callback(errors.close)
        self._child = await asyncio.create_subprocess_exec(
            *command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors
        )
        assert self._child.stdout is not None
        line = await asyncio.wait_for(self._child.stdout.readline(), START_TIMEOUT)
        if not line:
            detail = (self.directory / "simulators.stderr").read_text()[-2000:]
            raise RuntimeError(f"the simulators did not start:\n{detail}")
        self.ready = json.loads(line)

    async def _stop_simulators(self) -> None:
        child = self._child
        if child is None:
            return
        assert child.stdin is not None
        child.stdin.close()  # the simulators stop when their standard input closes
        try:
            await asyncio.wait_for(child.wait(), 10)
        except TimeoutError:
            child.kill()
            await child.wait()

    @property
    def tiktok_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['tiktok']}"

    @property
    def shopify_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['shopify']}"

    async def _control(self, method: str, url: str, body: Any, query: dict[str, str]) -> Any:
        assert self.session is not None
        async with self.session.request(method, url, json=body, params=query) as response:
            payload = await response.json(content_type=None)
            if response.status >= 400:  # noqa: PLR2004 HTTP errors
                raise RuntimeError(f"{method} {url}: {response.status} {payload}")
            return payload

    async def tiktok_control(self, method: str, path: str, body: Any = None, **query: str) -> Any:
        return await self._control(method, f"{self.tiktok_url}/_sim/{path}", body, query)

    async def shopify_control(self, method: str, path: str, body: Any = None, **query: str) -> Any:
        return await self._control(method, f"{self.shopify_url}/_sim/{path}", body, query)

    async def tiktok_rate_limit(self, per_second: float) -> None:
        """The TikTok simulator's limit per (shop, operation); <= 0 switches it off."""
        await self.tiktok_control("PUT", "rate_limit", {"per_second": per_second})

    async def shopify_bucket(
        self, size: int, leak_rate: float, restore_rate: float | None = None
    ) -> None:
        """The Shopify simulator's REST leaky bucket and GraphQL points bucket (per access
        token, twenty seconds of restore), reset."""
        body: dict[str, Any] = {"size": size, "leak_rate": leak_rate, "reset": True}
        if restore_rate is not None:
            body["restore_rate"] = restore_rate
        await self.shopify_control("POST", "bucket", body)

    async def shopify_webhooks(self, *, on: bool) -> None:
        """Point the Shopify simulator's webhooks at the daemon, or nowhere."""
        url = f"http://127.0.0.1:{self.ports['http']}/webhooks/shopify/{SHOP}" if on else None
        await self.shopify_control("POST", "webhooks", {"url": url})

    async def tiktok_calls(self, **query: str) -> list[dict[str, Any]]:
        """The TikTok simulator's call log (oldest first), filtered as `/_sim/calls` allows."""
        return list((await self.tiktok_control("GET", "calls", **query))["calls"])

    async def shopify_calls(self, **query: str) -> list[dict[str, Any]]:
        return list((await self.shopify_control("GET", "calls", **query))["calls"])

    async def forget_calls(self) -> None:
        await self.tiktok_control("DELETE", "calls")
        await self.shopify_control("DELETE", "calls")

    async def tiktok_clock_offset(self) -> float:
        return float((await self.tiktok_control("GET", "clock"))["offset"])

    def rewrite_config(self, setup: Configures) -> None:
        """Change the config (same ports and ledger); a daemon built after this reads it."""
        self.setup = setup
        self.config_path.write_text(setup.config(self.directory, self.ports))

    # --- the daemon -----------------------------------------------------------------------

    async def start_daemon(self) -> Daemon:
        """Build the daemon (ledger, connectors, jobs, HTTP server with webhook receivers)."""
        self.daemon_stack = AsyncExitStack()
        await self.daemon_stack.__aenter__()
        self._daemon = await build(load_settings(self.config_path), self.daemon_stack)
        return self._daemon

    async def stop_daemon(self) -> None:
        if self.daemon_stack is not None:
            stack, self.daemon_stack, self._daemon = self.daemon_stack, None, None
            await stack.aclose()

    @property
    def daemon(self) -> Daemon:
        assert self._daemon is not None, "start_daemon() first"
        return self._daemon

    @property
    def ledger_path(self) -> Path:
        return self.directory / "ledger.sqlite3"

    def spec(self, name: str) -> JobSpec:
        (found,) = [s for s in self.daemon.specs if s.shop_id == SHOP and s.name == name]
        return found

    async def run(self, name: str, hints: frozenset[str] = frozenset()) -> dict[str, int]:
        """Run one job once and answer its counts; a failed run stops the benchmark."""
        outcome = await self.daemon.runner.run(self.spec(name), hints)
        if outcome is not RunOutcome.OK:
            job = self.daemon.health.job(SHOP, name)
            raise RuntimeError(f"job {name} ended {outcome}: {job.last_error}")
        return await last_counts(self.daemon.ledger, name)

    async def publish_and_activate(self) -> dict[str, int]:
        """Connect, publish the catalog, pass TikTok's review, record Active, push stock.

        Answers the first catalog run's counts.
        """
        await self.run("connect")
        published = await self.run("catalog")
        await self.tiktok_control("POST", "clock/advance", {"seconds": REVIEW_SECONDS + 1})
        await self.run("catalog")
        await self.run("inventory")
        await self.run("price")
        return published


async def last_counts(ledger: Ledger, name: str) -> dict[str, int]:
    """The counts the last run of job `name` recorded."""
    async with ledger.read() as tx:
        (last,) = await runs.recent_runs(tx, SHOP, name, limit=1)
    return dict(last.counts)


async def force_reconciliation(ledger: Ledger) -> None:
    """Age the reconciliation cursors so that the next catalog, inventory and price runs each
    read everything (what `reconcile_every`, daily by default, does on its own)."""
    long_ago = "2000-01-01T00:00:00+00:00"
    async with ledger.transaction() as tx:
        for name in RECONCILED:
            await cursors.set_cursor(tx, SHOP, f"{name}.reconciled", long_ago, datetime.now(UTC))


async def wait_until(
    check: Callable[[], Awaitable[Any]], within_s: float, poll_s: float = 0.005
) -> Any:
    """Await `check()` until it answers something truthy; give up after `within_s` seconds."""
    deadline = time.perf_counter() + within_s
    while True:
        found = await check()
        if found:
            return found
        if time.perf_counter() > deadline:
            raise TimeoutError(f"condition not met within {within_s}s")
        await asyncio.sleep(poll_s)


@dataclass(frozen=True)
class ChildRun:
    returncode: int
    wall_s: float
    peak_rss_mb: float  # the child's own peak resident set (VmHWM, see bench/peak_rss.py)


async def run_module(
    module_args: list[str], within_s: float, directory: Path, name: str
) -> ChildRun:
    """``python -m MODULE ARGS`` in a child process, to its end (killed after `within_s`):
    its exit code, wall time and peak RSS. Its output goes to DIRECTORY/NAME.log."""
    peak_file = directory / f"{name}.peak_rss_kb"
    with (directory / f"{name}.log").open("wb") as log_file:
        started = time.perf_counter()
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            str(HERE / "peak_rss.py"),
            str(peak_file),
            *module_args,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=log_file,
        )
        try:
            code = await asyncio.wait_for(child.wait(), within_s)
        except TimeoutError:
            child.kill()
            await child.wait()
            raise
        wall = time.perf_counter() - started
    peak = int(peak_file.read_text()) / 1024 if peak_file.exists() else float("nan")
    return ChildRun(code, wall, peak)


class Listed(Protocol):
    """A SKU on TikTok: its product and SKU ids there."""

    @property
    def tiktok_product_id(self) -> str: ...

    @property
    def tiktok_sku_id(self) -> str: ...


async def arrival(
    harness: Harness, target: Listed, quantity: int, sent: float, warehouse: str = WAREHOUSE_ID
) -> float | None:
    """When the Update Inventory call for the target's product arrived after `sent`, once
    TikTok holds `quantity` in `warehouse`; None while it has not."""
    calls = await harness.tiktok_calls(operation="update_inventory", since=str(int(sent)))
    for call in calls:
        received = float(call["at"]) - float(call["duration_ms"]) / 1000
        if (
            target.tiktok_product_id in call["path"]
            and received >= sent
            and await tiktok_quantity(harness, target, warehouse) == quantity
        ):
            return received
    return None


async def tiktok_quantity(
    harness: Harness, target: Listed, warehouse: str = WAREHOUSE_ID
) -> int | None:
    state = await harness.tiktok_control("GET", "state")
    products = state["products"]
    for product in products.values() if isinstance(products, dict) else products:
        if str(product.get("id", product.get("product_id"))) != target.tiktok_product_id:
            continue
        for sku in product["skus"]:
            if str(sku["id"]) == target.tiktok_sku_id:
                for cell in sku["inventory"]:
                    if str(cell["warehouse_id"]) == warehouse:
                        return int(cell["quantity"])
    return None
