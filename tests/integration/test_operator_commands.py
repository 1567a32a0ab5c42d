"""`ttsync status`, `products`, `orders [ID]`, `failures`, `retry` and `resync`, read from a
ledger the daemon filled against the simulators; `--shop` and `--json` on each."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from daemon.cli import _parser, main
from daemon.commands import COMMANDS
from daemon.commands.common import UnknownShopError
from daemon.ledger import resync
from daemon.settings import load_settings
from tests.conftest import MINIMAL_SHOP
from tests.support.operator import Scene, populate
from tests.support.world import World, open_world


@pytest.fixture
async def world(simulated_config: Path) -> AsyncIterator[World]:
    async with open_world(simulated_config) as opened:
        yield opened


async def ttsync(config: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """A command as `ttsync` runs it, in this process (the daemon's loop is already running);
    its output, once it exited 0."""
    capsys.readouterr()
    args = _parser().parse_args([*argv, "--config", str(config)])
    code = await COMMANDS[args.command].run(args, load_settings(config))
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


async def test_every_view_shows_the_same_facts(world: World, simulated_config: Path, capsys):
    scene: Scene = await populate(world)
    await check_status(simulated_config, capsys)
    await check_products(simulated_config, capsys, scene)
    await check_orders(simulated_config, capsys, scene)
    await check_levers(world, simulated_config, capsys, scene)
    with pytest.raises(UnknownShopError, match="no shop named 'de'"):
        await ttsync(simulated_config, capsys, "status", "--shop", "de")


async def check_status(simulated_config: Path, capsys) -> None:
    text = await ttsync(simulated_config, capsys, "status")
    assert "Shop uk (shopify)" in text
    assert "state:          syncing" in text
    assert "authorisation:  expires 20" in text
    assert "active 1, failed_to_sync 1, unmapped 1" in text
    assert "blocked 1, imported 1" in text
    assert "retry queue:    1 waiting, 0 parked" in text
    assert "last import:    never" not in text
    assert "orders         last run ok; last success 20" in text

    text = await ttsync(simulated_config, capsys, "status", "--json", "--shop", "uk")
    (shop,) = json.loads(text)["shops"]
    assert shop["halted"] is False
    assert shop["products"] == {"active": 1, "failed_to_sync": 1, "unmapped": 1}
    assert shop["orders"] == {"blocked": 1, "imported": 1}
    assert shop["retry_queue"] == {"waiting": 1, "parked": 0}
    assert shop["jobs"]["catalog"]["last_outcome"] == "ok"
    assert shop["authorization_expires_at"] is not None
    assert shop["last_order_import_at"] is not None


async def check_products(simulated_config: Path, capsys, scene: Scene) -> None:
    text = await ttsync(simulated_config, capsys, "products", "--status", "failed_to_sync")
    assert scene.failed in text
    assert "NOCODE-1" in text
    assert "barcode" in text  # the field-level reason
    assert scene.active not in text

    text = await ttsync(simulated_config, capsys, "products", "--search", "note-1", "--json")
    (unmapped,) = json.loads(text)["products"]
    assert (unmapped["product_id"], unmapped["status"]) == (scene.unmapped, "unmapped")
    assert unmapped["seller_skus"] == ["NOTE-1"]
    assert "no category rule matches" in unmapped["reason"]

    text = await ttsync(simulated_config, capsys, "products", "--json")
    listed = json.loads(text)["products"]
    assert [p["status"] for p in listed][:2] == ["failed_to_sync", "unmapped"]  # problems first
    (active,) = [p for p in listed if p["status"] == "active"]
    assert active["tiktok_product_id"]
    assert active["seller_skus"] == ["GOOD-1"]


async def check_orders(simulated_config: Path, capsys, scene: Scene) -> None:
    text = await ttsync(simulated_config, capsys, "orders", "--shop", "uk")
    assert f"{scene.imported_order}  imported" in text
    assert f"-> store order {scene.store_order}" in text
    assert f"{scene.blocked_order}  blocked" in text

    text = await ttsync(simulated_config, capsys, "orders", scene.store_order)
    assert f"TikTok order {scene.imported_order} (shop uk)" in text
    assert f"store order:   {scene.store_order}" in text
    assert "x TikTok SKU" in text
    assert "(seller SKU GOOD-1)" in text
    assert "orders         ok" in text  # the import, from the job's per-order result

    text = await ttsync(simulated_config, capsys, "orders", scene.blocked_order, "--json")
    history = json.loads(text)
    assert history["phase"] == "blocked"
    assert "is not linked" in history["reason"]
    assert [entry["job"] for entry in history["retry_queue"]] == ["orders"]
    assert history["history"][0]["outcome"] == "failed"


async def check_levers(world: World, simulated_config: Path, capsys, scene: Scene) -> None:
    text = await ttsync(simulated_config, capsys, "failures", "--shop", "uk")
    assert f"order:{scene.blocked_order}" in text
    text = await ttsync(simulated_config, capsys, "retry", "--all", "--shop", "uk")
    assert "Re-queued 1 record(s)" in text

    text = await ttsync(simulated_config, capsys, "resync", scene.failed, "999999")
    assert "1 product(s)" not in text
    assert "2 product(s) will be re-read" in text
    assert "not in the ledger yet (the run looks for them in the store): 999999" in text
    async with world.daemon.ledger.read() as tx:
        assert set(await resync.pending(tx, "uk")) == {scene.failed, "999999"}
    text = await ttsync(simulated_config, capsys, "products", "--search", scene.failed)
    assert "[resync asked]" in text


def test_a_read_only_command_never_creates_a_ledger(write_config, tmp_path: Path, capsys):
    ledger = tmp_path / "nowhere" / "ledger.sqlite3"
    config = write_config(f'[ledger]\npath = "{ledger}"\n' + MINIMAL_SHOP)
    for command in (["status"], ["products"], ["orders"], ["failures"], ["resync", "--all"]):
        assert main([*command, "--config", str(config)]) == 70
        assert f"{ledger} does not exist: check [ledger] path" in capsys.readouterr().err
    assert not ledger.parent.exists()
    for command in (["status"], ["run", "--once"]):
        assert main([*command, "--shop", "de", "--config", str(config)]) == 64
        assert "no shop named 'de' in the configuration (shops: uk)" in capsys.readouterr().err
    assert not ledger.parent.exists()


def test_a_short_admin_token_is_a_config_error(write_config, capsys):
    config = write_config('[http]\nadmin_token = "short"\n' + MINIMAL_SHOP)
    assert main(["check-config", str(config)]) == 78
    assert "http.admin_token: must be at least 16 characters" in capsys.readouterr().err
