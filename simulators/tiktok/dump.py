"""The full state as JSON, for ``GET /_sim/state``."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from simulators.kit import WebhookSender
from simulators.tiktok.cancellations import cancellation_json
from simulators.tiktok.dialect import TikTokDialect
from simulators.tiktok.model import JsonObject
from simulators.tiktok.order_view import order_json
from simulators.tiktok.product_view import product_detail
from simulators.tiktok.returns import return_json
from simulators.tiktok.seeding import shop_json
from simulators.tiktok.state import SimState

REDACTED = "***"


def _config(state: SimState) -> JsonObject:
    config: dict[str, Any] = asdict(state.config)
    config["app_secret"] = REDACTED
    return config


def dump_state(state: SimState, webhooks: WebhookSender) -> JsonObject:
    return {
        "clock": {"now": state.clock.now(), "offset": state.clock.offset},
        "config": _config(state),
        "review_rules": asdict(state.review_rules),
        "default_webhook_url": state.default_webhook_url,
        "shops": [shop_json(state, shop) for shop in state.shops.values()],
        "grants": [
            {
                "access_token": grant.access_token,
                "refresh_token": grant.refresh_token,
                "access_expires_at": grant.access_expires_at,
                "refresh_expires_at": grant.refresh_expires_at,
                "shop_ids": list(grant.shop_ids),
                "revoked": grant.revoked,
            }
            for grant in state.grants_by_access.values()
        ],
        "images": [asdict(image) for image in state.images.values()],
        "products": [product_detail(state, product) for product in state.products.values()],
        "orders": [
            {**order_json(state, order), "unmasked_recipient_address": order.address}
            for order in state.orders.values()
        ],
        "packages": [asdict(package) for package in state.packages.values()],
        "cancellations": [cancellation_json(state, c) for c in state.cancellations.values()],
        "returns": [return_json(state, r) for r in state.returns.values()],
        "subscriptions": {
            shop_id: [asdict(s) for s in subscriptions.values()]
            for shop_id, subscriptions in state.subscriptions.items()
        },
        "pending_events": [
            {"at": when, "kind": due.kind.value, "ref": due.ref}
            for when, due in state.timeline.pending()
        ],
        "faults": TikTokDialect().faults(state.faults)["faults"],
        "rate_limits": state.limiter.rates(),
        "calls_recorded": len(state.calls),
        "deliveries_recorded": len(webhooks.attempts),
    }
