"""`start_store`: the commercetools simulator started from the kit's neutral `StoreSeed`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from simulators.commercetools.app import CommercetoolsSimulator
from simulators.commercetools.config import CommercetoolsSimulatorConfig
from simulators.kit import StoreSeed
from simulators.kit.store import STORE_PREFIX

#: Options every seed must carry: the project and the API client the daemon uses.
REQUIRED_OPTIONS = ("project_key", "client_id", "client_secret")
_OPTIONAL: dict[str, type] = {
    "country": str,
    "token_lifetime_seconds": int,
    "messages_enabled": bool,
}

#: Options that start a simulator for tests and demos (`StoreSeed.options`).
SAMPLE_OPTIONS: Mapping[str, Any] = {
    "project_key": "sim-project",
    "client_id": "sim-client",
    "client_secret": "sim-client-secret-0123456789",
}


@dataclass(frozen=True)
class RunningCommercetools:
    """A started simulator (`RunningStore`); `simulator` for white-box use."""

    simulator: CommercetoolsSimulator
    base_url: str

    @property
    def control_url(self) -> str:
        return self.base_url + STORE_PREFIX

    async def stop(self) -> None:
        await self.simulator.stop()


def config_from_seed(seed: StoreSeed) -> CommercetoolsSimulatorConfig:
    """The simulator's configuration for `seed`; an unknown, missing or ill-typed option is a
    ValueError naming it."""
    for name in REQUIRED_OPTIONS:
        if name not in seed.options:
            raise ValueError(f"missing commercetools option {name!r}")
    extra: dict[str, Any] = {}
    country: str | None = None
    for name, value in seed.options.items():
        wanted = str if name in REQUIRED_OPTIONS else _OPTIONAL.get(name)
        if wanted is None:
            raise ValueError(f"unknown commercetools option {name!r}")
        if not isinstance(value, wanted) or (wanted is int and isinstance(value, bool)):
            raise ValueError(f"option {name!r} must be a {wanted.__name__}, got {value!r}")
        if name == "country":
            country = str(value)
        else:
            extra[name] = value
    defaults = CommercetoolsSimulatorConfig()
    return CommercetoolsSimulatorConfig(
        **extra,
        project_name=seed.name,
        currencies=(seed.currency,),
        countries=(country,) if country else defaults.countries,
        locations=seed.locations or defaults.locations,
    )


async def start_store(seed: StoreSeed, host: str, port: int) -> RunningCommercetools:
    """Start the simulator on `host`:`port` (0 picks a free port) from a neutral seed."""
    simulator = CommercetoolsSimulator(config_from_seed(seed))
    base_url = await simulator.start(host, port)
    return RunningCommercetools(simulator, base_url)
