"""Benchmark set-up for any store kind: the daemon in this process, the simulators in a child
(`bench/store_sim.py`), the config made from the kind's own demo config.

`StoreSetup.config` takes ``config/demo-<kind>.toml`` (what `ttsync demo --store KIND` runs) and
changes only what a benchmark must: free loopback ports, a temporary ledger, the shop's name,
TikTok's rate, the schedules, the ``[daemon]`` and ``[shops.store]`` keys it is given and one
more category rule so every generated product maps. The store's simulator sits where the
Shopify one does in `support.Harness` (``ports["shopify"]``, `shopify_control`); its calls come
from the kit's ``/_sim/calls`` like every simulator's, the neutral store API is `store_control`
and the kind's own routes (webhooks, request window) are named by `store_kinds.KINDS`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store_kinds import KINDS
from support import HERE, NOTEBOOK, SHOP, Harness

CONFIGS = HERE.parent / "config"
UNLISTED = "Unlisted"  # the filler products' category: no rule maps it
_SCHEDULES = re.compile(r"^\[shops\.schedules\]\n(?:[^\[\n].*\n|\n)*", re.MULTILINE)
OFF = {"orders": "off", "fulfillment": "off", "cancellations": "off"}


def _keys(values: Mapping[str, object]) -> str:
    return "".join(f"{key} = {json.dumps(value)}\n" for key, value in values.items())


@dataclass(frozen=True)
class StoreSetup:
    """A benchmark config for store `kind` (its demo config, changed as the docstring says)."""

    kind: str
    tiktok_rate: float = 50.0
    schedules: dict[str, str] = field(default_factory=lambda: dict(OFF))
    daemon: dict[str, object] = field(default_factory=dict)  # e.g. webhook_debounce
    store: dict[str, object] = field(default_factory=dict)  # the kind's own keys

    def config(self, directory: Path, ports: dict[str, int]) -> str:
        text = (CONFIGS / f"demo-{self.kind}.toml").read_text()
        store = {**KINDS[self.kind].store, **self.store}
        replacements = {
            "port = 8787": f"port = {ports['http']}",
            "127.0.0.1:8788": f"127.0.0.1:{ports['shopify']}",
            "127.0.0.1:8789": f"127.0.0.1:{ports['tiktok']}",
            'path = "state/demo/ledger.sqlite3"': f'path = "{directory}/ledger.sqlite3"',
            "[daemon]\n": f"[daemon]\n{_keys(self.daemon)}",
            "[shops.store]\n": f"[shops.store]\n{_keys(store)}",
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
    """`Harness` with any kind's store simulator (and a neutral catalog) in the child;
    `filler` more single-SKU products in a category no rule maps (`UNLISTED`)."""

    simulator_script = "store_sim.py"

    def __init__(
        self,
        setup: StoreSetup,
        *,
        products: int = 0,
        variants: int = 1,
        listed: bool = False,
        filler: int = 0,
    ) -> None:
        super().__init__(setup, products=products, variants=variants, listed=listed)
        self.kind = KINDS[setup.kind]
        self.filler = filler

    def _simulator_args(self) -> list[str]:
        return [*super()._simulator_args(), "--filler", str(self.filler)]

    async def store_control(self, method: str, path: str, body: Any = None) -> Any:
        """The kit's neutral store API (``/_sim/store/PATH``)."""
        return await self._control(method, f"{self.shopify_url}/_sim/store/{path}", body, {})

    async def store_webhooks(self, *, on: bool) -> None:
        """Point the store's webhooks at the daemon, or nowhere (kinds that send them)."""
        if self.kind.webhooks is None:
            return
        method, path = self.kind.webhooks
        url = f"http://127.0.0.1:{self.ports['http']}/webhooks/{self.kind.kind}/{SHOP}"
        await self.shopify_control(method, path, {"url": url if on else None})

    async def store_window(self, quota: int, seconds: int) -> None:
        """The simulator's request window (a new window starts), for kinds that have one."""
        if self.kind.window is not None:
            body = {"quota": quota, "window_ms": seconds * 1000}
            await self.shopify_control("PUT", self.kind.window.control, body)
