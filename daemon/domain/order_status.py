"""Mirroring marketplace statuses onto store orders, and cancel reasons across the two sides
(DOMAIN.md sections 6 and 8).

The store order carries its TikTok status twice: a tag (``TikTok: In transit``, easy to filter
on in the store's admin) and the note attribute ``tiktok_status``. Both are replaced, never
added to, when the status moves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from daemon.domain.orders import CancelReason, OrderState

STATUS_TAG_PREFIX = "TikTok: "
_STATUS_ATTRIBUTE = "tiktok_status"

#: The UK seller cancel reasons (DOMAIN.md section 11.5) a store cancel reason maps to.
_UK_CANCEL_REASONS = {
    CancelReason.INVENTORY.value: "seller_cancel_reason_out_of_stock_uk",
}
_OUT_OF_STOCK = "out_of_stock"


def status_tag(state: OrderState) -> str:
    """``TikTok: Awaiting shipment``: the status as a store tag (under Shopify's 40 chars)."""
    return STATUS_TAG_PREFIX + state.value.replace("_", " ").capitalize()


def relabel(
    tags: Iterable[str], attributes: Sequence[tuple[str, str]], state: OrderState
) -> tuple[list[str], list[tuple[str, str]]]:
    """The order's tags and note attributes with the status ones replaced by `state`'s."""
    kept_tags = [tag for tag in tags if not tag.startswith(STATUS_TAG_PREFIX)]
    kept = [(name, value) for name, value in attributes if name != _STATUS_ATTRIBUTE]
    return sorted({*kept_tags, status_tag(state)}), [*kept, (_STATUS_ATTRIBUTE, state.value)]


def store_cancel_reason(cancelled_by: str | None, reason: str | None) -> CancelReason:
    """Why the store order is cancelled, from who cancelled on TikTok and their reason."""
    if reason and _OUT_OF_STOCK in reason.lower().replace(" ", "_"):
        return CancelReason.INVENTORY
    if (cancelled_by or "").upper() == "BUYER":
        return CancelReason.CUSTOMER
    return CancelReason.OTHER


def tiktok_cancel_reason(store_reason: str | None, market: str, default: str) -> str:
    """The TikTok cancel reason code for a cancellation made in the store; `default` (the
    configured ``orders.cancel_reason``) when the store's reason has no TikTok counterpart."""
    if market.upper() == "UK" and store_reason in _UK_CANCEL_REASONS:
        return _UK_CANCEL_REASONS[store_reason]
    return default
