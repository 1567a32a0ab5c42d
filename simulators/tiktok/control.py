"""TikTok's own control endpoints: shops, tokens, review rules, settings, rate limits, the
webhook address, the state and the catalog. The clock, faults, the call log and webhook
deliveries are the kit's common routes (in `TikTokDialect`'s words)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from simulators.kit import add_control_routes
from simulators.tiktok.auth import issue_auth_code
from simulators.tiktok.catalog import Brand, Category
from simulators.tiktok.config import ReviewRules
from simulators.tiktok.control_http import body_as, control, not_found
from simulators.tiktok.dump import dump_state
from simulators.tiktok.rate_limit import ALL_OPERATIONS
from simulators.tiktok.seeding import SeedShop, seed_shop, shop_json
from simulators.tiktok.simulation import Simulation

WEBHOOK_DEAUTHORIZATION = 6


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AuthCodeRequest(_Model):
    shop_ids: list[str] = Field(min_length=1)
    code: str | None = Field(default=None, min_length=1)  # default: a fresh random code
    scopes: list[str] | None = None  # what the seller grants; default: every scope


class ScopesRequest(_Model):
    """Set the scopes of every live grant (of one shop): as if the seller re-authorised."""

    scopes: list[str]
    shop_id: str | None = None


class RevokeRequest(_Model):
    access_token: str | None = None
    shop_id: str | None = None
    deauthorize: bool = False


class ExpireRequest(_Model):
    access_token: str | None = None


class RulesRequest(_Model):
    banned_words: list[str] = Field(default_factory=list)
    min_title_length: int = Field(default=0, ge=0)
    fail_all: bool = False
    fail_all_reason: str = ReviewRules().fail_all_reason


class SettingsRequest(_Model):
    on_hold_seconds: float | None = Field(default=None, ge=0)
    review_seconds: float | None = Field(default=None, ge=0)
    max_quantity: int | None = Field(default=None, ge=0)
    min_quantity: int | None = Field(default=None, ge=0)
    max_skus_per_product: int | None = Field(default=None, ge=1)
    buyer_cancel_response_seconds: int | None = Field(default=None, ge=0)
    refund_complete_seconds: int | None = Field(default=None, ge=0)
    shipping_info_update_window_seconds: int | None = Field(default=None, ge=0)
    timestamp_reference: Literal["simulator", "real"] | None = None
    listing_quota: int | None = Field(default=None, ge=0)
    listing_quota_window_seconds: int | None = Field(default=None, ge=1)


class RateLimitRequest(_Model):
    per_second: float
    operation: str = ALL_OPERATIONS


class WebhookUrlRequest(_Model):
    url: str | None


class CategoryEntry(_Model):
    id: str
    name: str
    parent_id: str = "0"
    is_leaf: bool = True


class CategoriesRequest(_Model):
    categories: list[CategoryEntry] = Field(default_factory=list)
    brands: dict[str, str] = Field(default_factory=dict)


@control
async def post_shop(request: web.Request, sim: Simulation) -> Any:
    shop = seed_shop(sim.state, await body_as(request, SeedShop))
    return shop_json(sim.state, shop)


@control
async def get_shops(_request: web.Request, sim: Simulation) -> Any:
    return {"shops": [shop_json(sim.state, shop) for shop in sim.state.shops.values()]}


@control
async def post_auth_code(request: web.Request, sim: Simulation) -> Any:
    body = await body_as(request, AuthCodeRequest)
    for shop_id in body.shop_ids:
        if shop_id not in sim.state.shops:
            raise not_found(f"shop {shop_id}")
    scopes = None if body.scopes is None else tuple(body.scopes)
    code = issue_auth_code(sim.state, tuple(body.shop_ids), body.code, scopes)
    return {"auth_code": code.code, "expires_at": int(code.expires_at)}


@control
async def post_revoke(request: web.Request, sim: Simulation) -> Any:
    """Revoke one token, every token of a shop, or every token."""
    body = await body_as(request, RevokeRequest)
    state = sim.state
    revoked = 0
    for grant in state.grants_by_access.values():
        chosen = (body.access_token is None or grant.access_token == body.access_token) and (
            body.shop_id is None or body.shop_id in grant.shop_ids
        )
        if chosen and not grant.revoked:
            grant.revoked = True
            revoked += 1
    if body.deauthorize and body.shop_id is not None:
        message = "The seller has deauthorized the app."
        state.notify(body.shop_id, WEBHOOK_DEAUTHORIZATION, {"message": message})
    return {"revoked": revoked}


@control
async def put_scopes(request: web.Request, sim: Simulation) -> Any:
    body = await body_as(request, ScopesRequest)
    changed = 0
    for grant in sim.state.grants_by_access.values():
        if body.shop_id is None or body.shop_id in grant.shop_ids:
            grant.scopes = tuple(body.scopes)
            changed += 1
    return {"changed": changed}


@control
async def post_expire(request: web.Request, sim: Simulation) -> Any:
    """Make access tokens expire now (the next call answers 105002)."""
    body = await body_as(request, ExpireRequest)
    expired = 0
    now = sim.state.now()
    for grant in sim.state.grants_by_access.values():
        if body.access_token is None or grant.access_token == body.access_token:
            grant.access_expires_at = min(grant.access_expires_at, now)
            expired += 1
    return {"expired": expired}


@control
async def put_review_rules(request: web.Request, sim: Simulation) -> Any:
    body = await body_as(request, RulesRequest)
    rules = ReviewRules(
        banned_words=tuple(body.banned_words),
        min_title_length=body.min_title_length,
        fail_all=body.fail_all,
        fail_all_reason=body.fail_all_reason,
    )
    sim.state.set_review_rules(rules)
    return asdict(rules)


@control
async def put_settings(request: web.Request, sim: Simulation) -> Any:
    body = await body_as(request, SettingsRequest)
    changes = {k: v for k, v in body.model_dump().items() if v is not None}
    sim.state.replace_config(**changes)
    return {key: getattr(sim.state.config, key) for key in SettingsRequest.model_fields}


@control
async def put_rate_limit(request: web.Request, sim: Simulation) -> Any:
    body = await body_as(request, RateLimitRequest)
    sim.state.limiter.set_rate(body.per_second, body.operation)
    return {"rates": sim.state.limiter.rates()}


@control
async def get_rate_limit(_request: web.Request, sim: Simulation) -> Any:
    return {"rates": sim.state.limiter.rates()}


@control
async def put_webhook_url(request: web.Request, sim: Simulation) -> Any:
    sim.state.default_webhook_url = (await body_as(request, WebhookUrlRequest)).url
    return {"url": sim.state.default_webhook_url}


@control
async def get_state(_request: web.Request, sim: Simulation) -> Any:
    return dump_state(sim.state, sim.webhooks)


@control
async def post_catalog(request: web.Request, sim: Simulation) -> Any:
    body = await body_as(request, CategoriesRequest)
    catalog = sim.state.catalog
    for entry in body.categories:
        catalog.add_category(Category(entry.id, entry.name, entry.parent_id, entry.is_leaf))
    for brand_id, name in body.brands.items():
        catalog.add_brand(Brand(brand_id, name))
    return {"categories": len(catalog.categories), "brands": len(catalog.brands)}


def add_routes(app: web.Application) -> None:
    add_control_routes(
        app.router,
        [
            ("POST", "/_sim/shops", post_shop),
            ("GET", "/_sim/shops", get_shops),
            ("POST", "/_sim/auth_codes", post_auth_code),
            ("POST", "/_sim/tokens/revoke", post_revoke),
            ("POST", "/_sim/tokens/expire", post_expire),
            ("PUT", "/_sim/tokens/scopes", put_scopes),
            ("PUT", "/_sim/review_rules", put_review_rules),
            ("PUT", "/_sim/settings", put_settings),
            ("PUT", "/_sim/rate_limit", put_rate_limit),
            ("GET", "/_sim/rate_limit", get_rate_limit),
            ("PUT", "/_sim/webhook_url", put_webhook_url),
            ("GET", "/_sim/state", get_state),
            ("POST", "/_sim/catalog", post_catalog),
        ],
    )
