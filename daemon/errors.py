"""The error tree: the class a caller catches tells it what to do next."""

from __future__ import annotations

from collections.abc import Iterator


class SyncError(Exception):
    """Root of every error the daemon raises on purpose."""


class ConfigError(SyncError):
    """The configuration is invalid; `problems` lists each one with its key path."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


class LedgerError(SyncError):
    """The ledger cannot be opened, migrated or written."""


class RetriableError(SyncError):
    """A temporary failure (429, 5xx, timeout): try again later.

    `retry_after` is the delay the remote side asked for, in seconds, when it gave one.
    """

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class FatalError(SyncError):
    """A failure that repeating will not fix (4xx, contract violation)."""


class AuthError(FatalError):
    """Credentials are missing, expired beyond refresh, revoked or lack a scope."""


class SkippableError(SyncError):
    """One bad record: record it with its reason and carry on with the batch.

    `field` names the offending field when there is one.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _leaves(group: BaseExceptionGroup[BaseException]) -> Iterator[BaseException]:
    for inner in group.exceptions:
        if isinstance(inner, BaseExceptionGroup):
            yield from _leaves(inner)
        else:
            yield inner


def unwrap(error: BaseException) -> BaseException:
    """The error an exception group (a task group's) stands for; any other error is itself.

    A group's first leaf that is not retriable wins (a cancellation, a bug, a fatal answer:
    repeating will not cure it); when every leaf is retriable, the first one. So a retriable
    error stays retriable and the reason shown is the platform's, not the group's.
    """
    if not isinstance(error, BaseExceptionGroup):
        return error
    leaves = list(_leaves(error))
    return next((leaf for leaf in leaves if not isinstance(leaf, RetriableError)), leaves[0])


class QuotaExhaustedError(SyncError):
    """The marketplace refused a new listing because the shop's listing quota is used up: not
    the record's fault; creating waits until the quota resets (`retry_after` seconds, when
    the platform says)."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
