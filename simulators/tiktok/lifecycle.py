"""Runs whatever has fallen due on the simulator clock (holds, reviews, deadlines)."""

from __future__ import annotations

from simulators.tiktok import cancel_flow
from simulators.tiktok.order_flow import release_hold
from simulators.tiktok.review import complete_review
from simulators.tiktok.state import SimState
from simulators.tiktok.timeline import Due, DueKind


def run_due(state: SimState) -> int:
    """Apply every event due by now, earliest first; returns how many fired."""
    fired = state.timeline.pop_due(state.clock.now())
    for _, due in fired:
        _apply(state, due)
    return len(fired)


def _apply(state: SimState, due: Due) -> None:
    if due.kind is DueKind.RELEASE_HOLD:
        order = state.orders.get(due.ref)
        if order is not None:
            release_hold(state, order)
    elif due.kind is DueKind.REVIEW:
        complete_review(state, due.ref, due.version)
    elif due.kind is DueKind.CANCEL_DEADLINE:
        cancel_flow.on_deadline(state, due.ref)
    elif due.kind is DueKind.REFUND_COMPLETE:
        cancel_flow.complete_refund(state, due.ref)
