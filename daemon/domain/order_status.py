"""Marketplace statuses as shown on store orders, and cancel reasons across the two sides
(DOMAIN.md sections 6 and 8).

Each store shows the TikTok status on the order its own way (a ``TikTok: In transit`` label,
an attribute, a note...); the shown status is replaced, never added to, when it moves.
"""

from __future__ import annotations

from daemon.domain.orders import CancelReason, OrderState

STATUS_LABEL_PREFIX = "TikTok: "

#: The UK seller cancel reasons (DOMAIN.md section 11.5) a store cancel reason maps to.
_UK_CANCEL_REASONS = {
    CancelReason.INVENTORY: "seller_cancel_reason_out_of_stock_uk",
}
_OUT_OF_STOCK = "out_of_stock"


def status_label(state: OrderState) -> str:
    """``TikTok: Awaiting shipment``: the status as people read it on a store order (40
    characters at most, so it fits short label fields)."""
    return STATUS_LABEL_PREFIX + state.value.replace("_", " ").capitalize()


def store_cancel_reason(cancelled_by: str | None, reason: str | None) -> CancelReason:
    """Why the store order is cancelled, from who cancelled on TikTok and their reason."""
    if reason and _OUT_OF_STOCK in reason.lower().replace(" ", "_"):
        return CancelReason.INVENTORY
    if (cancelled_by or "").upper() == "BUYER":
        return CancelReason.CUSTOMER
    return CancelReason.OTHER


def tiktok_cancel_reason(store_reason: CancelReason | None, market: str, default: str) -> str:
    """The TikTok cancel reason code for a cancellation made in the store; `default` (the
    configured ``orders.cancel_reason``) when the store's reason has no TikTok counterpart."""
    if market.upper() == "UK" and store_reason in _UK_CANCEL_REASONS:
        return _UK_CANCEL_REASONS[store_reason]
    return default
