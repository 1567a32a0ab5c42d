"""`start_store`: the BigCommerce simulator started from the kit's neutral `StoreSeed`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from simulators.bigcommerce.app import BigCommerceSimulator
from simulators.bigcommerce.config import BigCommerceSimulatorConfig
from simulators.kit import StoreSeed
from simulators.kit.store import STORE_PREFIX

#: Options every seed must carry: how the daemon will reach and trust this store.
REQUIRED_OPTIONS = ("store_hash", "access_token", "client_secret")
#: Config fields the seed itself sets; an option may not set them again.
SEEDED_FIELDS = frozenset({"store_name", "currency", "locations", "webhook_url"})

#: Options that start a simulator for tests and demos (`StoreSeed.options`).
SAMPLE_OPTIONS: Mapping[str, Any] = {
    "store_hash": "simstore1",
    "access_token": "bc_simulator_token",
    "client_secret": "bc_simulator_client_secret",
}


@dataclass(frozen=True)
class RunningBigCommerce:
    """A started BigCommerce simulator (`RunningStore`); `simulator` for white-box use."""

    simulator: BigCommerceSimulator
    base_url: str

    @property
    def control_url(self) -> str:
        return self.base_url + STORE_PREFIX

    async def stop(self) -> None:
        await self.simulator.stop()


def _checked(name: str, value: Any, default: Any) -> Any:
    if isinstance(default, tuple):
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"option {name!r} must be a list of strings")
        return tuple(value)
    if isinstance(default, bool) or isinstance(value, bool):
        ok = isinstance(value, bool) and isinstance(default, bool)
    elif isinstance(default, float):
        ok = isinstance(value, int | float)
    elif default is None:
        ok = value is None or isinstance(value, str)
    else:
        ok = isinstance(value, type(default))
    if not ok:
        raise ValueError(f"option {name!r} must be a {type(default).__name__}, got {value!r}")
    return value


def config_from_seed(seed: StoreSeed) -> BigCommerceSimulatorConfig:
    """The configuration for `seed`; an unknown, missing or ill-typed option is a ValueError."""
    known = {field.name for field in fields(BigCommerceSimulatorConfig)} - SEEDED_FIELDS
    for name in seed.options:
        if name not in known:
            raise ValueError(f"unknown BigCommerce option {name!r}")
    for name in REQUIRED_OPTIONS:
        if name not in seed.options:
            raise ValueError(f"missing BigCommerce option {name!r}")
    defaults = BigCommerceSimulatorConfig()
    options = {
        name: _checked(name, value, getattr(defaults, name)) for name, value in seed.options.items()
    }
    return BigCommerceSimulatorConfig(
        **options,
        store_name=seed.name,
        currency=seed.currency,
        locations=seed.locations or defaults.locations,
        webhook_url=seed.webhook_url,
    )


async def start_store(seed: StoreSeed, host: str, port: int) -> RunningBigCommerce:
    """Start a BigCommerce simulator on `host`:`port` (0 picks a free port) from a seed."""
    simulator = BigCommerceSimulator(config_from_seed(seed))
    base_url = await simulator.start(host, port)
    return RunningBigCommerce(simulator, base_url)
