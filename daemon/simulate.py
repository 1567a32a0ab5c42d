"""`ttsync simulate --config FILE`: the platform simulators on the ports a config names.

Each shop's `tiktok.api_base_url` gets a TikTok Shop simulator seeded with that shop (its region
and currency from `tiktok.market`, one warehouse per warehouse named in `rules.locations`) and,
when the config carries `tiktok.auth_code`, that code issued for it. Each shop's store gets the
simulator its kind names in the registry, where the kind says (its ``base_url``), with the
credentials the config holds, the market's currency and one location per location named in
`rules.locations`. A daemon started on the same file then connects as it would to the real
platforms. Nothing here names a store: the registry and the simulators' shared kit do.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from daemon.connectors.registry import store_kind
from daemon.domain.markets import market_facts
from daemon.errors import ConfigError
from daemon.settings import Settings, ShopSection
from simulators.kit.store import RunningStore, StoreSeed
from simulators.tiktok import SimulatorConfig, TikTokSimulator
from simulators.tiktok.auth import issue_auth_code
from simulators.tiktok.seeding import SeedShop, SeedWarehouse, seed_shop


@dataclass
class RunningSimulators:
    """The simulators started for a config, by base URL."""

    tiktok: dict[str, TikTokSimulator] = field(default_factory=dict)
    stores: dict[str, RunningStore] = field(default_factory=dict)  # by shop name
    auth_codes: dict[str, str] = field(default_factory=dict)  # shop name -> code to use

    async def stop(self) -> None:
        for simulator in self.tiktok.values():
            await simulator.stop()
        for store in self.stores.values():
            await store.stop()


def _host_port(url: str, key: str, source: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname or parts.port is None:
        raise ConfigError(source, [f"{key}: a simulator needs http://HOST:PORT, got {url!r}"])
    return parts.hostname, parts.port


def _tiktok_groups(settings: Settings, source: str) -> dict[str, list[ShopSection]]:
    groups: dict[str, list[ShopSection]] = {}
    for index, shop in enumerate(settings.shops):
        key = f"shops[{index}].tiktok"
        if shop.tiktok.auth_base_url.rstrip("/") != shop.tiktok.api_base_url.rstrip("/"):
            raise ConfigError(
                source, [f"{key}.auth_base_url: the simulator serves both hosts on one address"]
            )
        _host_port(shop.tiktok.api_base_url, f"{key}.api_base_url", source)
        group = groups.setdefault(shop.tiktok.api_base_url.rstrip("/"), [])
        if group and group[0].tiktok.app_key != shop.tiktok.app_key:
            raise ConfigError(source, [f"{key}.app_key: shops sharing a simulator share an app"])
        group.append(shop)
    return groups


async def start_simulators(settings: Settings, source: str) -> RunningSimulators:
    running = RunningSimulators()
    try:
        for base_url, shops in _tiktok_groups(settings, source).items():
            host, port = _host_port(base_url, "tiktok.api_base_url", source)
            first = shops[0].tiktok
            simulator = TikTokSimulator(
                SimulatorConfig(
                    app_key=first.app_key,
                    app_secret=first.app_secret.get_secret_value(),
                    # Request timestamps are checked against real time, as TikTok does, even
                    # after the simulator's clock was moved on to end holds and reviews.
                    timestamp_reference="real",
                    webhook_url=f"http://{settings.http.host}:{settings.http.port}"
                    f"/webhooks/tiktok/{shops[0].name}",
                )
            )
            await simulator.start(host, port)
            running.tiktok[base_url] = simulator
            for shop in shops:
                running.auth_codes[shop.name] = _seed_tiktok(simulator, shop)
        for index, shop in enumerate(settings.shops):
            running.stores[shop.name] = await _start_store(settings, index, source)
    except BaseException:
        await running.stop()
        raise
    return running


async def _start_store(settings: Settings, index: int, source: str) -> RunningStore:
    shop = settings.shops[index]
    kind = store_kind(shop.store.kind)
    plan = kind.simulation(shop.store)
    key = f"shops[{index}].store.base_url"
    if plan.base_url is None:
        raise ConfigError(source, [f"{key}: needed to tell where the simulator listens"])
    host, port = _host_port(plan.base_url, key, source)
    names = [name for rule in shop.rules.locations for name in rule.locations if name != "*"]
    seed = StoreSeed(
        name=f"{shop.name} (simulated)",
        currency=market_facts(shop.tiktok.market).currency,
        locations=tuple(dict.fromkeys(names)) or ("Main warehouse",),
        webhook_url=f"http://{settings.http.host}:{settings.http.port}"
        f"/webhooks/{kind.name}/{shop.name}",
        options=plan.options,
    )
    simulator = importlib.import_module(kind.simulator)
    try:
        running: RunningStore = await simulator.start_store(seed, host, port)
    except ValueError as exc:
        raise ConfigError(source, [f"shops[{index}].store: {exc}"]) from None
    return running


def _seed_tiktok(simulator: TikTokSimulator, shop: ShopSection) -> str:
    facts = market_facts(shop.tiktok.market)
    warehouse_ids = list(dict.fromkeys(rule.warehouse for rule in shop.rules.locations))
    warehouses = [
        SeedWarehouse(warehouse_id=warehouse_id, name=f"Warehouse {warehouse_id}")
        for warehouse_id in warehouse_ids
    ] or [SeedWarehouse()]
    region = "GB" if facts.code == "UK" else facts.code
    seeded = seed_shop(
        simulator.state,
        SeedShop(
            shop_id=shop.tiktok.shop_id,
            name=f"{shop.name} (simulated)",
            region=region,
            currency=facts.currency,
            warehouses=warehouses,
        ),
    )
    wanted = shop.tiktok.auth_code.get_secret_value() if shop.tiktok.auth_code else None
    return issue_auth_code(simulator.state, (seeded.shop_id,), wanted).code


async def simulate(settings: Settings, source: str, stop: asyncio.Event) -> None:
    """Run the simulators until `stop` is set, saying where they listen."""
    running = await start_simulators(settings, source)
    try:
        for url in running.tiktok:
            sys.stdout.write(f"TikTok Shop simulator on {url}\n")
        for shop in settings.shops:
            title = store_kind(shop.store.kind).title
            url = running.stores[shop.name].base_url
            sys.stdout.write(f"{title} simulator for {shop.name} on {url}\n")
        for shop in settings.shops:
            if shop.tiktok.auth_code is None:
                code = running.auth_codes[shop.name]
                sys.stdout.write(f"shop {shop.name}: set tiktok.auth_code = {code!r}\n")
        sys.stdout.flush()
        await stop.wait()
    finally:
        await running.stop()
