"""Benchmark set-up for a commercetools project: the same `Harness` (daemon in this process,
simulators in a child), with a commercetools config and `bench/commercetools_sim.py` as the
child. The store's simulator sits where the Shopify one does in `support.Harness` (its port is
``ports["shopify"]``, its control API `shopify_control`)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from support import CATEGORIES, HERE, NOTEBOOK, SHOP, START_TIMEOUT, WAREHOUSE_ID, Harness

CLIENT_SECRET = "ct_bench_client_secret_0123456789"
LOCATION = "Main Warehouse"


@dataclass(frozen=True)
class CommercetoolsSetup:
    """What a commercetools benchmark's config says (the daemon's defaults where it has them)."""

    schedules: dict[str, str] = field(default_factory=dict)
    tiktok_rate: float = 50.0
    map_all: bool = False

    def config(self, directory: Path, ports: dict[str, int]) -> str:
        schedules = {"orders": "off", "fulfillment": "off", "cancellations": "off"}
        schedules |= self.schedules
        schedule_lines = "".join(f'{job} = "{value}"\n' for job, value in schedules.items())
        rules = (*CATEGORIES, NOTEBOOK) if self.map_all else CATEGORIES
        categories = "".join(
            f'\n[[shops.catalog.categories]]\nmatch_by = "product_type"\nvalue = "{kind}"\n'
            f'category_id = "{category}"\n'
            for kind, category in rules
        )
        return f"""
[daemon]
drain_timeout = "5s"
log_level = "warning"
log_format = "json"

[http]
host = "127.0.0.1"
port = {ports["http"]}

[ledger]
path = "{directory}/ledger.sqlite3"
checkpoint_interval = "30s"

[[shops]]
name = "{SHOP}"

[shops.store]
kind = "commercetools"
project_key = "bench-project"
api_url = "http://127.0.0.1:{ports["shopify"]}"
auth_url = "http://127.0.0.1:{ports["shopify"]}"
client_id = "ttsync-bench"
client_secret = "{CLIENT_SECRET}"
price_currency = "GBP"
price_country = "GB"

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


class CommercetoolsHarness(Harness):
    """`Harness` with the commercetools simulator in the child process."""

    async def _start_simulators(self) -> None:
        command = [sys.executable, str(HERE / "commercetools_sim.py"), str(self.config_path)]
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

    async def store_calls(self, **query: str) -> list[dict[str, Any]]:
        return await self.shopify_calls(**query)
