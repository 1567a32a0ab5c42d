"""`start_store`: the SFCC feeds simulator started from the kit's neutral `StoreSeed`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from simulators.kit import StoreSeed
from simulators.kit.store import STORE_PREFIX
from simulators.sfcc.app import SfccSimulator
from simulators.sfcc.config import SfccSimulatorConfig

REQUIRED_OPTIONS = ("username", "access_key")
#: Config fields the seed itself sets (or the disk); an option may not set them again.
SEEDED_FIELDS = frozenset({"store_name", "currency", "locations", "root", "alert_url"})

SAMPLE_OPTIONS: Mapping[str, Any] = {
    "username": "ttsync@example.com",
    "access_key": "sfcc_simulator_access_key",
    "list_pricebook": "gbp-list-prices",
}


@dataclass(frozen=True)
class RunningSfcc:
    simulator: SfccSimulator
    base_url: str

    @property
    def control_url(self) -> str:
        return self.base_url + STORE_PREFIX

    async def stop(self) -> None:
        await self.simulator.stop()


def config_from_seed(seed: StoreSeed) -> SfccSimulatorConfig:
    """The configuration for `seed`; an unknown, missing or ill-typed option is a ValueError."""
    defaults = SfccSimulatorConfig()
    known = {field.name for field in fields(SfccSimulatorConfig)} - SEEDED_FIELDS
    for name in seed.options:
        if name not in known:
            raise ValueError(f"unknown SFCC option {name!r}")
    for name in REQUIRED_OPTIONS:
        if name not in seed.options:
            raise ValueError(f"missing SFCC option {name!r}")
    options: dict[str, Any] = {}
    for name, value in seed.options.items():
        default = getattr(defaults, name)
        # An option whose default is None (the alert secret) takes a string or None.
        wanted = str if default is None else type(default)
        ok = isinstance(value, wanted) or (default is None and value is None)
        if not ok:
            raise ValueError(f"option {name!r} must be a {wanted.__name__}, got {value!r}")
        options[name] = value
    return SfccSimulatorConfig(
        **options,
        store_name=seed.name,
        currency=seed.currency,
        locations=seed.locations or defaults.locations,
        alert_url=seed.webhook_url,
    )


async def start_store(seed: StoreSeed, host: str, port: int) -> RunningSfcc:
    """Start the simulator on `host`:`port` (0 picks a free port) from a seed."""
    simulator = SfccSimulator(config_from_seed(seed))
    base_url = await simulator.start(host, port)
    return RunningSfcc(simulator, base_url)
