"""Benchmark set-up for any store kind: the daemon in this process, the simulators in a child
(`bench/store_sim.py`), the config made from the kind's own demo config.

`StoreSetup.config` takes ``config/demo-<kind>.toml`` (what `ttsync demo --store KIND` runs) and
changes only what a benchmark must: free loopback ports, a temporary ledger, the shop's name,
TikTok's rate, the schedules and one more category rule so every generated product maps. The
store's simulator sits where the Shopify one does in `support.Harness` (``ports["shopify"]``,
`shopify_control`); its calls come from the kit's ``/_sim/calls`` like every simulator's.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from support import HERE, NOTEBOOK, SHOP, START_TIMEOUT, Harness

CONFIGS = HERE.parent / "config"
_SCHEDULES = re.compile(r"^\[shops\.schedules\]\n(?:[^\[\n].*\n|\n)*", re.MULTILINE)


@dataclass(frozen=True)
class StoreSetup:
    """A benchmark config for store `kind` (its demo config, changed as the docstring says)."""

    kind: str
    tiktok_rate: float = 50.0
    schedules: dict[str, str] = field(
        default_factory=lambda: {"orders": "off", "fulfillment": "off", "cancellations": "off"}
    )

    def config(self, directory: Path, ports: dict[str, int]) -> str:
        text = (CONFIGS / f"demo-{self.kind}.toml").read_text()
        replacements = {
            "port = 8787": f"port = {ports['http']}",
            "127.0.0.1:8788": f"127.0.0.1:{ports['shopify']}",
            "127.0.0.1:8789": f"127.0.0.1:{ports['tiktok']}",
            'path = "state/demo/ledger.sqlite3"': f'path = "{directory}/ledger.sqlite3"',
            "[shops.tiktok]\n": f"[shops.tiktok]\nrate_limit_per_second = {self.tiktok_rate}\n",
        }
        for old, new in replacements.items():
            if old not in text:
                raise RuntimeError(f"demo-{self.kind}.toml: expected {old!r} in it")
            text = text.replace(old, new)
        text = re.sub(r'^name = "[^"]*"$', f'name = "{SHOP}"', text, count=1, flags=re.MULTILINE)
        lines = "".join(f'{job} = "{every}"\n' for job, every in self.schedules.items())
        text, found = _SCHEDULES.subn(f"[shops.schedules]\n{lines}\n", text)
        if not found:
            text += f"\n[shops.schedules]\n{lines}"
        kind, category = NOTEBOOK
        return (
            f'{text}\n[[shops.catalog.categories]]\nmatch_by = "product_type"\n'
            f'value = "{kind}"\ncategory_id = "{category}"\n'
        )


class StoreHarness(Harness):
    """`Harness` with any kind's store simulator (and a neutral catalog) in the child."""

    async def _start_simulators(self) -> None:
        command = [sys.executable, str(HERE / "store_sim.py"), str(self.config_path)]
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
