"""A shop with something of everything an operator looks at: an active product, one failed
with a field-level reason, one unmapped, an imported order and a blocked one (in the retry
queue)."""

from __future__ import annotations

from dataclasses import dataclass

from daemon.domain import RunOutcome
from tests.support.orders import list_on_tiktok, place, publish
from tests.support.world import World, item, variant


@dataclass(frozen=True)
class Scene:
    active: str  # store product ids
    failed: str
    unmapped: str
    imported_order: str  # TikTok order ids
    blocked_order: str
    store_order: str  # the store order the imported one became


async def populate(world: World) -> Scene:
    assert await world.run("connect") is RunOutcome.OK
    skus = await publish(world, "GOOD-1")
    failed, unmapped = await world.load(
        item("Mug without code", variant("NOCODE-1", barcode=None)),
        item("Notebook", variant("NOTE-1"), product_type="Notebook"),
    )
    assert await world.run("catalog") is RunOutcome.OK
    late = await list_on_tiktok(world, "LATE-1")  # on TikTok, not in the store
    blocked = await place(world, {late: 1}, force=True)
    imported = await place(world, {skus["GOOD-1"]: 1})
    assert await world.run("orders") is RunOutcome.OK
    async with world.daemon.ledger.read() as tx:
        active = await tx.fetchone("SELECT store_product_id FROM products WHERE status='active'")
        store = await tx.fetchone(
            "SELECT store_order_id FROM orders WHERE tiktok_order_id = ?", (imported["id"],)
        )
    assert active is not None
    assert store is not None
    assert store[0] is not None
    return Scene(
        active=str(active[0]),
        failed=str(failed["id"]),
        unmapped=str(unmapped["id"]),
        imported_order=str(imported["id"]),
        blocked_order=str(blocked["id"]),
        store_order=str(store[0]),
    )
