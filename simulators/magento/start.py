"""`start_store`: the Magento simulator started from the kit's neutral `StoreSeed`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from simulators.kit import StoreSeed
from simulators.kit.store import STORE_PREFIX
from simulators.magento.app import MagentoSimulator
from simulators.magento.config import MagentoSimulatorConfig

#: Options every seed must carry: how the daemon reaches and authenticates to the store.
REQUIRED_OPTIONS = ("store_code", "access_token")
_OPTIONAL = {"integration_as_bearer": bool, "input_limit_enabled": bool, "max_page_size": int}

#: Options that start a simulator for tests and demos (`StoreSeed.options`).
SAMPLE_OPTIONS: Mapping[str, Any] = {
    "store_code": "default",
    "access_token": "magento_simulator_token",
}


@dataclass(frozen=True)
class RunningMagento:
    """A started Magento simulator (`RunningStore`); `simulator` for white-box use."""

    simulator: MagentoSimulator
    base_url: str

    @property
    def control_url(self) -> str:
        return self.base_url + STORE_PREFIX

    async def stop(self) -> None:
        await self.simulator.stop()


def config_from_seed(seed: StoreSeed) -> MagentoSimulatorConfig:
    """The simulator's configuration for `seed`; an unknown, missing or ill-typed option is a
    ValueError naming it."""
    for name in REQUIRED_OPTIONS:
        if name not in seed.options:
            raise ValueError(f"missing Magento option {name!r}")
    extra: dict[str, Any] = {}
    for name, value in seed.options.items():
        wanted = str if name in REQUIRED_OPTIONS else _OPTIONAL.get(name)
        if wanted is None:
            raise ValueError(f"unknown Magento option {name!r}")
        if not isinstance(value, wanted) or (wanted is int and isinstance(value, bool)):
            raise ValueError(f"option {name!r} must be a {wanted.__name__}, got {value!r}")
        extra[name] = value
    defaults = MagentoSimulatorConfig()
    return MagentoSimulatorConfig(
        **extra,
        store_name=seed.name,
        currency=seed.currency,
        locations=seed.locations or defaults.locations,
    )


async def start_store(seed: StoreSeed, host: str, port: int) -> RunningMagento:
    """Start a Magento simulator on `host`:`port` (0 picks a free port) from a neutral seed."""
    simulator = MagentoSimulator(config_from_seed(seed))
    base_url = await simulator.start(host, port)
    return RunningMagento(simulator, base_url)
