"""`Harness` and `Setup` of `support.py` for a WooCommerce store: the same config but its
``[shops.store]`` table, and the simulators started by `woo_sim_process.py`. The store's
``/_sim/`` routes are reached through `Harness.shopify_control` (the kit's calls and clock
routes are the same on every store)."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from support import HERE, SHOP, START_TIMEOUT, Harness, Setup

CONSUMER_KEY = "ck_bench_0123456789"
CONSUMER_SECRET = "cs_bench_9876543210"
_STORE_TABLE = re.compile(r"\[shops\.store\]\n.*?(?=\[shops\.tiktok\])", re.DOTALL)


@dataclass(frozen=True)
class WooSetup(Setup):
    concurrency: int = 8  # shops.store.concurrency

    def config(self, directory: Path, ports: dict[str, int]) -> str:
        secret = 'webhook_secret = "wc_bench_secret"\n' if self.webhooks else ""
        store = f"""[shops.store]
kind = "woocommerce"
base_url = "http://127.0.0.1:{ports["shopify"]}"
consumer_key = "{CONSUMER_KEY}"
consumer_secret = "{CONSUMER_SECRET}"
location_name = "Main warehouse"
concurrency = {self.concurrency}
{secret}
"""
        return _STORE_TABLE.sub(lambda _: store, super().config(directory, ports), count=1)


class WooHarness(Harness):
    """The store's port is the one `Harness` calls ``shopify``."""

    async def _start_simulators(self) -> None:
        command = [sys.executable, str(HERE / "woo_sim_process.py"), str(self.config_path)]
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

    async def store_webhooks(self, *, on: bool) -> None:
        """Point the WooCommerce simulator's webhooks at the daemon, or nowhere."""
        url = f"http://127.0.0.1:{self.ports['http']}/webhooks/woocommerce/{SHOP}" if on else None
        await self.shopify_control("POST", "webhook", {"url": url})
