"""`start_store`: the Shopify simulator started from the kit's neutral `StoreSeed`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from simulators.kit import StoreSeed
from simulators.kit.store import STORE_PREFIX
from simulators.shopify.app import ShopifySimulator
from simulators.shopify.config import ShopifySimulatorConfig

#: Options every seed must carry: how the daemon will reach and trust this shop.
REQUIRED_OPTIONS = ("shop_domain", "access_token", "api_version", "webhook_secret")
#: Config fields the seed itself sets; an option may not set them again.
SEEDED_FIELDS = frozenset({"shop_name", "currency", "locations", "webhook_url"})

#: Options that start a simulator for tests and demos (`StoreSeed.options`).
SAMPLE_OPTIONS: Mapping[str, Any] = {
    "shop_domain": "sim-shop.myshopify.com",
    "access_token": "shpat_simulator_token",
    "api_version": "2026-10",
    "webhook_secret": "sim-webhook-secret",
}


@dataclass(frozen=True)
class RunningShopify:
    """A started Shopify simulator (`RunningStore`); `simulator` for white-box use."""

    simulator: ShopifySimulator
    base_url: str

    @property
    def control_url(self) -> str:
        return self.base_url + STORE_PREFIX

    async def stop(self) -> None:
        await self.simulator.stop()


def _plain(value: Any, like: Any) -> bool:
    """Whether `value` is a plain value of the kind of `like` (a number for a float)."""
    if isinstance(like, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(like, bool)
    if isinstance(like, float):
        return isinstance(value, int | float)
    return isinstance(value, type(like))


def _checked(name: str, value: Any, default: Any) -> Any:
    """`value` as the config field wants it, judged by the field's default."""
    if isinstance(default, tuple):
        if not isinstance(value, list | tuple) or not all(
            _plain(item, default[0]) for item in value
        ):
            raise ValueError(f"option {name!r} must be a list like {list(default)!r}")
        return tuple(value)
    if not _plain(value, default):
        message = f"option {name!r} must be a {type(default).__name__}, got {value!r}"
        raise ValueError(message)
    return value


def config_from_seed(seed: StoreSeed) -> ShopifySimulatorConfig:
    """The simulator's configuration for `seed`; an unknown, missing or ill-typed option is a
    ValueError naming it."""
    known = {field.name for field in fields(ShopifySimulatorConfig)} - SEEDED_FIELDS
    for name in seed.options:
        if name not in known:
            raise ValueError(f"unknown Shopify option {name!r}")
    for name in REQUIRED_OPTIONS:
        if name not in seed.options:
            raise ValueError(f"missing Shopify option {name!r}")
    defaults = ShopifySimulatorConfig()
    options = {
        name: _checked(name, value, getattr(defaults, name)) for name, value in seed.options.items()
    }
    return ShopifySimulatorConfig(
        **options,
        shop_name=seed.name,
        currency=seed.currency,
        locations=seed.locations or defaults.locations,
        webhook_url=seed.webhook_url,
    )


async def start_store(seed: StoreSeed, host: str, port: int) -> RunningShopify:
    """Start a Shopify simulator on `host`:`port` (0 picks a free port) from a neutral seed."""
    simulator = ShopifySimulator(config_from_seed(seed))
    base_url = await simulator.start(host, port)
    return RunningShopify(simulator, base_url)
