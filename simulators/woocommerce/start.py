"""`start_store`: the WooCommerce simulator started from the kit's neutral `StoreSeed`.

With option ``tls`` it serves HTTPS with a certificate from a fresh `trustme` CA, whose PEM
file `RunningWoo.ca_file` names (clients trust it with ``REQUESTS_CA_BUNDLE`` or an SSL
context); `trustme` is then needed, which only tests install.
"""

from __future__ import annotations

import ssl
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from simulators.kit import StoreSeed
from simulators.kit.store import STORE_PREFIX
from simulators.woocommerce.app import WooSimulator
from simulators.woocommerce.config import WooSimulatorConfig

REQUIRED_OPTIONS = ("consumer_key", "consumer_secret", "webhook_secret")
SEEDED_FIELDS = frozenset({"shop_name", "currency", "locations", "webhook_url"})

SAMPLE_OPTIONS: Mapping[str, Any] = {
    "consumer_key": "ck_simulator_0123456789",
    "consumer_secret": "cs_simulator_abcdef0123",
    "webhook_secret": "sim-webhook-secret",
}


@dataclass(frozen=True)
class RunningWoo:
    """A started WooCommerce simulator (`RunningStore`); `simulator` for white-box use."""

    simulator: WooSimulator
    base_url: str
    ca_file: Path | None = None

    @property
    def control_url(self) -> str:
        return self.base_url + STORE_PREFIX

    async def stop(self) -> None:
        await self.simulator.stop()


def config_from_seed(seed: StoreSeed) -> WooSimulatorConfig:
    """The configuration for `seed`; an unknown, missing or ill-typed option is a ValueError."""
    defaults = WooSimulatorConfig()
    known = {field.name for field in fields(WooSimulatorConfig)} - SEEDED_FIELDS
    for name in seed.options:
        if name not in known:
            raise ValueError(f"unknown WooCommerce option {name!r}")
    for name in REQUIRED_OPTIONS:
        if name not in seed.options:
            raise ValueError(f"missing WooCommerce option {name!r}")
    for name, value in seed.options.items():
        like = getattr(defaults, name)
        if type(value) is not type(like) and not (
            isinstance(like, float) and isinstance(value, int)
        ):
            raise ValueError(f"option {name!r} must be a {type(like).__name__}, got {value!r}")
    return WooSimulatorConfig(
        **dict(seed.options),
        shop_name=seed.name,
        currency=seed.currency,
        locations=seed.locations or defaults.locations,
        webhook_url=seed.webhook_url,
    )


def _tls(folder: Path) -> tuple[ssl.SSLContext, Path]:
    import trustme  # noqa: PLC0415 a test-only dependency, needed only for HTTPS

    authority = trustme.CA()
    certificate = authority.issue_cert("127.0.0.1", "localhost")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(context)
    ca_file = folder / "woocommerce-sim-ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    return context, ca_file


async def start_store(seed: StoreSeed, host: str, port: int) -> RunningWoo:
    """Start a WooCommerce simulator on `host`:`port` (0 picks a free port) from a seed."""
    config = config_from_seed(seed)
    simulator = WooSimulator(config)
    if not config.tls:
        return RunningWoo(simulator, await simulator.start(host, port))
    context, ca_file = _tls(Path(tempfile.mkdtemp(prefix="woo-sim-")))
    return RunningWoo(simulator, await simulator.start(host, port, tls=context), ca_file)
