"""The `ttsync` command: run the daemon, check a config, inspect and re-queue failures."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from daemon import __version__, log
from daemon.commands import COMMANDS
from daemon.commands.authorize import authorize_command
from daemon.commands.backup import backup_command
from daemon.commands.check_config import check_config
from daemon.commands.common import UnknownShopError, only_shop
from daemon.connectors.registry import STORE_KINDS
from daemon.errors import ConfigError, LedgerError
from daemon.resources import data_path
from daemon.runtime.app import serve
from daemon.runtime.supervisor import StopSignal
from daemon.settings import DEFAULT_CONFIG_PATH, Settings, load_settings

EX_OK = 0
EX_FAILED = 1
EX_USAGE = 64
EX_SOFTWARE = 70
EX_CONFIG = 78


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ttsync", description="Keep an e-commerce store and a TikTok Shop in step."
    )
    parser.add_argument("--version", action="version", version=f"ttsync {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def with_config(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--config",
            type=Path,
            default=DEFAULT_CONFIG_PATH,
            help=f"the TOML configuration file (default {DEFAULT_CONFIG_PATH})",
        )

    run = commands.add_parser("run", help="run the daemon")
    with_config(run)
    run.add_argument("--once", action="store_true", help="run every job once, then exit")
    run.add_argument(
        "--dry-run",
        action="store_true",
        help="with --once: validate through TikTok's listing check and print what would "
        "change, changing nothing on TikTok",
    )
    run.add_argument("--shop", metavar="NAME", help="with --once: only this shop's jobs")
    run.add_argument(
        "--full",
        action="store_true",
        help="with --once: read the whole catalog, not only what changed since the last run",
    )

    check = commands.add_parser(
        "check-config", help="check a configuration file and everything `run` loads with it"
    )
    check.add_argument("file", type=Path, nargs="?", help="the file (default: --config)")
    with_config(check)
    check.add_argument(
        "--credentials-dir",
        type=Path,
        default=None,
        help="read credential:NAME references from DIR (systemd sets $CREDENTIALS_DIRECTORY)",
    )

    for command in COMMANDS.values():
        with_config(command.add(commands))

    sims = commands.add_parser(
        "simulate", help="run the platform simulators on the ports a config names"
    )
    with_config(sims)

    show = commands.add_parser("demo", help="run the daemon on the built-in demo and show it")
    show.add_argument(
        "--store",
        choices=sorted(STORE_KINDS),
        default=next(iter(STORE_KINDS)),
        help="which store kind's simulator the story runs against",
    )
    show.add_argument("--config", type=Path, default=None, help=argparse.SUPPRESS)

    authorise = commands.add_parser(
        "authorize", help="exchange a new TikTok auth code for a shop now (re-authorisation)"
    )
    with_config(authorise)
    authorise.add_argument("--shop", required=True, help="the shop's name in the config")
    authorise.add_argument(
        "--code", required=True, help="the auth code from the consent page ('-' reads stdin)"
    )

    copy = commands.add_parser(
        "backup", help="copy the ledger consistently (SQLite online backup), even while running"
    )
    with_config(copy)
    copy.add_argument("file", type=Path, help="where the copy goes")
    copy.add_argument("--force", action="store_true", help="replace FILE if it exists")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if getattr(args, "dry_run", False) and not args.once:
        parser.error("--dry-run goes with --once")
    if getattr(args, "full", False) and not args.once:
        parser.error("--full goes with --once")
    if args.command == "run" and args.shop and not args.once:
        parser.error("--shop goes with --once")
    if args.command == "demo":
        return _run_demo(args.config or data_path("config", f"demo-{args.store}.toml"))
    path: Path = (
        args.config if args.command == "backup" else getattr(args, "file", None) or args.config
    )
    if args.command == "check-config":
        return check_config(path, args.credentials_dir)
    try:
        settings = load_settings(path)
    except ConfigError as exc:
        _print_config_problems(exc)
        return EX_CONFIG
    log.configure(settings.daemon.log_level, settings.daemon.log_format, settings.secret_values())
    return _run_command(args, settings)


def _run_command(args: argparse.Namespace, settings: Settings) -> int:
    """Run a command; the errors an operator can act on become a message and an exit code."""
    code = EX_SOFTWARE
    try:
        code = asyncio.run(_dispatch(args, settings))
    except LedgerError as exc:
        sys.stderr.write(f"ttsync: ledger error: {exc}\n")
    except ConfigError as exc:
        _print_config_problems(exc)
        code = EX_CONFIG
    except OSError as exc:  # e.g. a port already in use
        sys.stderr.write(f"ttsync: {exc.strerror or exc}\n")
    except UnknownShopError as exc:
        sys.stderr.write(f"ttsync: {exc}\n")
        code = EX_USAGE
    except KeyboardInterrupt:
        code = EX_OK
    return code


async def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "run":
        if args.shop:
            settings = only_shop(settings, args.shop)
        return await serve(settings, once=args.once, dry_run=args.dry_run, full=args.full)
    if args.command == "simulate":
        return await _simulate(settings, str(args.config))
    if args.command == "authorize":
        return await authorize_command(settings, args.shop, args.code)
    if args.command == "backup":
        return await backup_command(settings, args.file, force=args.force)
    return await COMMANDS[args.command].run(args, settings)


async def _simulate(settings: Settings, source: str) -> int:
    # Imported here: the daemon itself never loads the simulators (a faster start).
    from daemon.simulate import simulate  # noqa: PLC0415 see above

    stop = StopSignal()
    stop.install()
    try:
        await simulate(settings, source, stop.event)
    finally:
        stop.uninstall()
    return EX_OK


def _run_demo(config: Path) -> int:
    from daemon.demo import demo  # noqa: PLC0415 the daemon itself never loads the simulators

    # The story is the output: the in-process simulators speak up only when something is wrong.
    log.configure("warning", "console")
    try:
        return asyncio.run(demo(config))
    except ConfigError as exc:
        _print_config_problems(exc)
        return EX_CONFIG
    except TimeoutError as exc:
        sys.stderr.write(f"ttsync demo: {exc}\n")
        return EX_FAILED


def _print_config_problems(exc: ConfigError) -> None:
    sys.stderr.write(f"ttsync: invalid configuration in {exc.source}:\n")
    for problem in exc.problems:
        sys.stderr.write(f"  {problem}\n")
