"""The operator's commands beyond `run`: each in its own module, registered in `COMMANDS`."""

from __future__ import annotations

from daemon.commands import failures, orders, products, resync, status
from daemon.commands.common import Command

COMMANDS: dict[str, Command] = {
    command.NAME: command.COMMAND for command in (status, products, orders, failures, resync)
} | {failures.RETRY_NAME: failures.RETRY}

__all__ = ["COMMANDS", "Command"]
