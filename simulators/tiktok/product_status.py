"""Batch status changes: activate, deactivate, delete, recover (at most 20 ids per call).

Per-product failures come back inside a success envelope as ``data.errors`` entries with code
12052990 and the specific reason in ``detail.extra_errors``.
"""

from __future__ import annotations

from collections.abc import Callable

from simulators.tiktok.context import RequestContext, str_list
from simulators.tiktok.errors import business_error
from simulators.tiktok.model import JsonObject, Product, ProductStatus
from simulators.tiktok.review import notify_product_status, submit_for_review
from simulators.tiktok.state import SimState

MAX_IDS = 20
CHECK_FAILED = 12052990
NOT_IN_SHOP = 12052048
WRONG_STATUS = 12052901
WRONG_STATUS_MESSAGE = (
    "The product in its current status is not available for this operation. "
    "Change the product status and try again."
)

Change = Callable[[SimState, Product], None]


def _item_error(product_id: str, code: int, message: str) -> JsonObject:
    return {
        "code": CHECK_FAILED,
        "message": "The check failed.",
        "detail": {"product_id": product_id, "extra_errors": [{"code": code, "message": message}]},
    }


def _batch(ctx: RequestContext, allowed: frozenset[ProductStatus], change: Change) -> JsonObject:
    product_ids = str_list(ctx.json(), "product_ids")
    if not product_ids:
        raise business_error(12052910, "Invalid input parameters. Refer to the API documentation.")
    if len(product_ids) > MAX_IDS:
        raise business_error(12019120, "The number of provided product IDs exceeds the limit.")
    errors: list[JsonObject] = []
    for product_id in product_ids:
        product = ctx.state.shop_product(ctx.shop.shop_id, product_id)
        if product is None:
            message = (
                "You cannot edit the specified product(s) as it isn't listed in your account or "
                "shop."
            )
            errors.append(_item_error(product_id, NOT_IN_SHOP, message))
        elif product.status not in allowed:
            errors.append(_item_error(product_id, WRONG_STATUS, WRONG_STATUS_MESSAGE))
        else:
            change(ctx.state, product)
    return {"errors": errors} if errors else {}


def _deactivate(state: SimState, product: Product) -> None:
    state.set_product_status(product, ProductStatus.SELLER_DEACTIVATED)
    notify_product_status(state, product)


def _delete(state: SimState, product: Product) -> None:
    state.set_product_status(product, ProductStatus.DELETED)


def _recover(state: SimState, product: Product) -> None:
    state.set_product_status(product, ProductStatus.SELLER_DEACTIVATED)


def activate_products(ctx: RequestContext) -> JsonObject:
    """Relisting sends the product through review again."""
    allowed = frozenset({ProductStatus.SELLER_DEACTIVATED})
    return _batch(ctx, allowed, submit_for_review)


def deactivate_products(ctx: RequestContext) -> JsonObject:
    return _batch(ctx, frozenset({ProductStatus.ACTIVATE}), _deactivate)


def delete_products(ctx: RequestContext) -> JsonObject:
    allowed = frozenset(ProductStatus) - {ProductStatus.DELETED, ProductStatus.FREEZE}
    return _batch(ctx, allowed, _delete)


def recover_products(ctx: RequestContext) -> JsonObject:
    return _batch(ctx, frozenset({ProductStatus.DELETED}), _recover)


def force_status(state: SimState, product: Product, status: ProductStatus, reason: str) -> None:
    """Platform-side change (control endpoint): e.g. PLATFORM_DEACTIVATED or FREEZE."""
    if status is ProductStatus.FAILED:
        product.audit_failed_reasons = [
            {"position": "product", "reasons": [reason], "suggestions": [], "listing_platform": ""}
        ]
    state.set_product_status(product, status)
    notify_product_status(state, product)
