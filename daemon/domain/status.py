"""Statuses a product, an order and a run can be in (DOMAIN.md sections 1, 6 and 10)."""

from __future__ import annotations

from enum import StrEnum


class ProductStatus(StrEnum):
    UNMAPPED = "unmapped"
    NOT_SYNCED = "not_synced"
    FAILED_TO_SYNC = "failed_to_sync"
    WAITING_FOR_QUOTA = "waiting_for_quota"  # TikTok's listing quota is used up: not a failure
    UNDER_REVIEW = "under_review"
    FAILED_REVIEW = "failed_review"
    ACTIVE = "active"
    UNLISTED = "unlisted"
    NOT_FOR_SALE = "not_for_sale"  # draft, archived or unpublished in the store: never published
    DELETED = "deleted"


class OrderPhase(StrEnum):
    """Where the import of one TikTok order stands; each step is committed before the next."""

    SEEN = "seen"  # known, not importable yet (UNPAID, ON_HOLD)
    BLOCKED = "blocked"  # importable but a cause (unlinked SKU, deleted product) stops it
    CREATING = "creating"  # about to create in the store: look there before creating again
    CREATED = "created"  # exists in the store; the external reference is not yet on TikTok
    IMPORTED = "imported"  # store order id recorded on both sides
    SKIPPED = "skipped"  # cancelled before import: never created


class RunOutcome(StrEnum):
    RUNNING = "running"
    OK = "ok"
    FAILED = "failed"
    CANCELLED = "cancelled"
    SKIPPED = "skipped"  # not run: the shop is halted (the reason says why)
    INTERRUPTED = "interrupted"  # the process died while the run was going


class EntityOutcome(StrEnum):
    OK = "ok"
    FAILED = "failed"
    SKIPPED = "skipped"
