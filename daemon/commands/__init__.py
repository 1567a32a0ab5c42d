"""The operator's commands beyond `run`: each in its own module; those in `COMMANDS` register
themselves, the others (authorize, backup, check-config) are wired in cli.py."""

from __future__ import annotations

from daemon.commands import failures, orders, products, resync, status
from daemon.commands.common import Command

COMMANDS: dict[str, Command] = {
    command.NAME: command.COMMAND for command in (status, products, orders, failures, resync)
} | {failures.RETRY_NAME: failures.RETRY}

__all__ = ["COMMANDS", "Command"]
