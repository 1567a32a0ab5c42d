"""Benchmark set-up for a BigCommerce store: the same `Harness` (daemon in this process,
simulators in a child), with a BigCommerce config and `bench/bigcommerce_sim.py` as the child.

The store's simulator sits where the Shopify one does in `support.Harness` (its port is
``ports["shopify"]``, its control API `shopify_control`): only the config and the child differ.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from support import CATEGORIES, HERE, NOTEBOOK, SHOP, START_TIMEOUT, WAREHOUSE_ID, Harness

TOKEN = "bc_bench_token_0123456789"
CLIENT_SECRET = "bc_bench_client_secret"
LOCATION = "Default location"


@dataclass(frozen=True)
class BigCommerceSetup:
    """What a BigCommerce benchmark's config says (the daemon's defaults where it has them)."""

    webhook_debounce: str = "1s"
    schedules: dict[str, str] = field(default_factory=dict)
    requests_quota: int = 150  # the plan's window (Standard and Plus: 150 per 30 s)
    tiktok_rate: float = 50.0
    webhooks: bool = True
    map_all: bool = False

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
            f'\n[[shops.catalog.categories]]\nmatch_by = "product_type"\nvalue = "{kind}"\n'
            f'category_id = "{category}"\n'
            for kind, category in rules
        )
        secret = f'client_secret = "{CLIENT_SECRET}"\n' if self.webhooks else ""
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
kind = "bigcommerce"
store_hash = "benchstore"
base_url = "http://127.0.0.1:{ports["shopify"]}"
access_token = "{TOKEN}"
requests_quota = {self.requests_quota}
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
locations = ["{LOCATION}"]
warehouse = "{WAREHOUSE_ID}"

[shops.catalog]
identifier_exempt_categories = ["600025"]
fallback_package = {{ weight_kg = 0.5, length_cm = 20, width_cm = 15, height_cm = 10 }}
{categories}
"""


class BigCommerceHarness(Harness):
    """`Harness` with the BigCommerce store simulator in the child process."""

    async def _start_simulators(self) -> None:
        command = [sys.executable, str(HERE / "bigcommerce_sim.py"), str(self.config_path)]
        command += ["--products", str(self.products), "--variants", str(self.variants)]
        if self.listed:
            command.append("--listed")
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

    async def store_window(self, quota: int, window_ms: int = 30_000) -> None:
        """The BigCommerce simulator's rate window (a new window starts)."""
        await self.shopify_control("PUT", "rate_limit", {"quota": quota, "window_ms": window_ms})

    async def store_webhooks(self, *, on: bool) -> None:
        url = f"http://127.0.0.1:{self.ports['http']}/webhooks/bigcommerce/{SHOP}" if on else None
        await self.shopify_control("PUT", "webhook_url", {"url": url})

    async def store_calls(self, **query: str) -> list[dict[str, Any]]:
        return await self.shopify_calls(**query)
