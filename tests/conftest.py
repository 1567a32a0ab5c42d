from __future__ import annotations

import random
import socket
import textwrap
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import stamina

from daemon.ledger import Ledger
from daemon.settings import load_settings
from daemon.simulate import RunningSimulators, start_simulators
from tests.support.stores import fixtures_of


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.moment = start or datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **kwargs: float) -> None:
        self.moment += timedelta(**kwargs)


@pytest.fixture(autouse=True)
def _no_retry_waits() -> None:
    stamina.set_testing(True, attempts=3)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def ledger(tmp_path: Path) -> AsyncIterator[Ledger]:
    opened = await Ledger.open(tmp_path / "ledger.sqlite3")
    try:
        yield opened
    finally:
        await opened.close()


MINIMAL_SHOP = """
[[shops]]
name = "uk"

[shops.store]
kind = "shopify"
shop_domain = "demo-uk.myshopify.com"
access_token = "shpat_0123456789abcdef"

[shops.tiktok]
app_key = "app-key-1"
app_secret = "tiktok-app-secret-xyz"
"""


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[[str], Path]:
    """Write a TOML config (dedented) into tmp_path and return its path."""

    def write(text: str, name: str = "ttsync.toml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


_PORTS = random.Random()  # spreads test ports; not for security


def free_port() -> int:
    """A port free now, below Linux's ephemeral range (32768-60999): outgoing connections
    take their local ports from that range, so one could grab a port picked there before
    the server that was meant to listen on it binds it."""
    for _ in range(200):
        port = _PORTS.randrange(20_000, 32_000)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port between 20000 and 32000")


WAREHOUSE_ID = "7000000000000000001"


def simulated_shop(
    store_port: int,
    tiktok_port: int,
    name: str = "uk",
    kind: str = "shopify",
    store_extra: str = "",
) -> str:
    """A shop section pointing at simulators on the given loopback ports; its store is of
    `kind` (its ``[shops.store]`` table from `tests/support/stores/<kind>.py`, plus
    `store_extra` lines).

    Notebooks have no category rule: they stay Unmapped.
    """
    store = fixtures_of(kind).store_section(name, store_port) + textwrap.dedent(store_extra)
    return f"""
[[shops]]
name = "{name}"
{store}
[shops.tiktok]
app_key = "app-key-1"
app_secret = "tiktok-app-secret-xyz"
auth_code = "sim-auth-code-{name}"
api_base_url = "http://127.0.0.1:{tiktok_port}"
auth_base_url = "http://127.0.0.1:{tiktok_port}"

[[shops.rules.locations]]
locations = ["Main warehouse"]
warehouse = "{WAREHOUSE_ID}"

[shops.catalog]
# Simulators on one machine share its clock: a short overlap keeps fast test cycles cheap.
overlap = "5s"
identifier_exempt_categories = ["600025"]
fallback_package = {{ weight_kg = 0.5, length_cm = 20, width_cm = 15, height_cm = 10 }}
{CATEGORY_RULES}
"""


# The Shopify simulator's generated product types, onto the TikTok simulator's leaf categories.
CATEGORY_RULES = "".join(
    f"""
[[shops.catalog.categories]]
match_by = "product_type"
value = "{kind}"
category_id = "{category}"
"""
    for kind, category in (
        ("Shirt", "601226"),
        ("Scarf", "601226"),
        ("Mug", "600024"),
        ("Bottle", "600024"),
        ("Lamp", "600025"),
        ("Candle", "600025"),
        ("Poster", "600025"),
    )
)


@pytest.fixture
def simulated_config(write_config, tmp_path: Path) -> Path:
    """A config whose shop talks to simulators on free ports (start them with `simulators`)."""
    return write_config(
        f"""
        [daemon]
        drain_timeout = "5s"
        log_format = "json"
        [http]
        port = {free_port()}
        [ledger]
        path = "{tmp_path}/ledger.sqlite3"
        checkpoint_interval = "1s"
        """
        + textwrap.indent(simulated_shop(free_port(), free_port()), "        ")
    )


@pytest.fixture
async def simulators(simulated_config: Path) -> AsyncIterator[RunningSimulators]:
    """The simulators `simulated_config` names, running in this process."""
    running = await start_simulators(load_settings(simulated_config), str(simulated_config))
    try:
        yield running
    finally:
        await running.stop()
