"""The simulated audit: PENDING products become ACTIVATE or FAILED after a delay."""

from __future__ import annotations

from simulators.tiktok.config import ReviewRules
from simulators.tiktok.model import JsonObject, Product, ProductStatus
from simulators.tiktok.state import SimState
from simulators.tiktok.timeline import Due, DueKind

WEBHOOK_PRODUCT_STATUS = 5
AUDIT_PASSED = "PRODUCT_STATUS_CHANGED"
AUDIT_FAILED = "PRODUCT_AUDIT_FAILURE"
LISTING_PLATFORM = "TIKTOK_SHOP"


def submit_for_review(state: SimState, product: Product) -> None:
    """Move `product` to PENDING and schedule its verdict; a newer submission supersedes."""
    product.review_version += 1
    product.audit_failed_reasons = []
    state.set_product_status(product, ProductStatus.PENDING)
    due = Due(DueKind.REVIEW, product.product_id, product.review_version)
    state.schedule(state.clock.now() + state.config.review_seconds, due)


def audit_reasons(rules: ReviewRules, product: Product) -> list[JsonObject]:
    """Why `rules` fail `product` (empty when it passes)."""
    reasons: list[JsonObject] = []
    title = product.title
    description = str(product.content.get("description", ""))
    for word in rules.banned_words:
        needle = word.lower()
        if needle and needle in title.lower():
            reasons.append(_reason("title", f'The title contains the restricted word "{word}".'))
        if needle and needle in description.lower():
            message = f'The description contains the restricted word "{word}".'
            reasons.append(_reason("description", message))
    if len(title) < rules.min_title_length:
        message = f"The title must be at least {rules.min_title_length} characters long."
        reasons.append(_reason("title", message))
    if rules.fail_all:
        reasons.append(_reason("product", rules.fail_all_reason))
    return reasons


def _reason(position: str, reason: str) -> JsonObject:
    return {
        "position": position,
        "reasons": [reason],
        "suggestions": ["Edit the listing to follow TikTok Shop's policies and resubmit it."],
        "listing_platform": LISTING_PLATFORM,
    }


def complete_review(state: SimState, product_id: str, version: int) -> None:
    """Give the verdict for one submission, unless the product moved on since."""
    product = state.products.get(product_id)
    if product is None or product.status is not ProductStatus.PENDING:
        return
    if product.review_version != version:
        return
    reasons = audit_reasons(state.review_rules, product)
    product.audit_failed_reasons = reasons
    status = ProductStatus.FAILED if reasons else ProductStatus.ACTIVATE
    state.set_product_status(product, status)
    notify_product_status(state, product)


def notify_product_status(state: SimState, product: Product) -> None:
    """Webhook type 5. The documented sample sends ``product_id`` as a JSON number."""
    failed = product.status is ProductStatus.FAILED
    data: dict[str, object] = {
        "product_id": int(product.product_id),
        "status": AUDIT_FAILED if failed else AUDIT_PASSED,
        "suspended_reason": _suspended_reason(product) if failed else "",
        "update_time": product.update_time,
    }
    state.notify(product.shop_id, WEBHOOK_PRODUCT_STATUS, data)


def _suspended_reason(product: Product) -> str:
    texts = [str(text) for reason in product.audit_failed_reasons for text in reason["reasons"]]
    return "; ".join(texts)
