"""The catalog rules' fingerprint: a start that finds the rules changed since the ledger last
applied them (categories, package defaults, identifier exemptions...) makes the catalog job's
next pass a full one, so a new rule reaches every product without waiting for a reconcile."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

import structlog

from daemon.jobs.catalog import PRODUCTS_BOOKMARK
from daemon.jobs.passes import request_full
from daemon.ledger import Ledger, resync
from daemon.settings import ShopSection

log = structlog.get_logger("ttsync.runtime")

# The settings that decide what a product becomes on TikTok (not how often or how fast).
_RULES = {
    "categories",
    "identifier_exempt_categories",
    "book_categories",
    "package_defaults",
    "fallback_package",
    "require_seller_sku",
    "require_dimensions",
}


def rules_fingerprint(shop: ShopSection) -> str:
    rules = shop.catalog.model_dump(mode="json", include=_RULES)
    rules["market"] = shop.tiktok.market
    text = json.dumps(rules, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


async def note_rule_changes(
    ledger: Ledger, shops: list[ShopSection], now: datetime, *, dry_run: bool
) -> frozenset[str]:
    """The shops whose catalog rules changed since the ledger last saw them.

    A real start records the new fingerprint and asks for a full pass in the same transaction;
    a dry run changes nothing (its caller previews a full pass instead).
    """
    changed: set[str] = set()
    async with ledger.transaction() as tx:
        for shop in shops:
            fingerprint = rules_fingerprint(shop)
            before = await resync.rules_fingerprint(tx, shop.name)
            if before == fingerprint:
                continue
            if before is not None:
                changed.add(shop.name)
                log.info("catalog_rules_changed", shop=shop.name, action="full catalog pass")
            if not dry_run:
                await resync.set_rules_fingerprint(tx, shop.name, fingerprint, now)
                if before is not None:
                    await request_full(tx, shop.name, PRODUCTS_BOOKMARK)
    return frozenset(changed)
