"""The daemon's HTTP server: /healthz, /readyz, /metrics, the webhook receivers and the status
page at /."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from daemon.errors import LedgerError
from daemon.jobs import DAEMON_WIDE, Clock, HealthBoard, JobSpec
from daemon.ledger import Ledger, shops
from daemon.metrics import Metrics
from daemon.runtime.page import StatusPage
from daemon.runtime.webhooks import WebhookRouter

_SHUTDOWN_SECONDS = 2.0


@dataclass(frozen=True)
class Readiness:
    """Everything /readyz reports on; `failures_before_unready` is the tolerated streak."""

    ledger: Ledger
    health: HealthBoard
    shop_ids: tuple[str, ...]
    specs: tuple[JobSpec, ...]
    failures_before_unready: int
    clock: Clock
    authorization_warnings: Mapping[str, timedelta]  # per shop
    # What each shop's store warned of (shown, not counted against readiness).
    store_notices: Mapping[str, Callable[[], list[str]]] = field(default_factory=dict)

    async def report(self) -> tuple[bool, dict[str, Any]]:
        """(ready, body): ready unless the ledger fails, a shop is halted or a job is failing."""
        body: dict[str, Any] = {
            "ledger": {"ok": True},
            "daemon": {"jobs": {}},
            "shops": {shop_id: {"halted": None, "jobs": {}} for shop_id in self.shop_ids},
        }
        ready = True
        try:
            await self.ledger.ping()
            async with self.ledger.read() as tx:
                for shop_id in self.shop_ids:
                    record = await shops.get_shop(tx, shop_id)
                    body["shops"][shop_id]["halted"] = record.halted_reason if record else None
                    body["shops"][shop_id]["store"] = record.store_kind if record else None
                    ready = ready and not (record and record.halted_reason)
        except (LedgerError, sqlite3.Error) as exc:
            ready = False
            body["ledger"] = {"ok": False, "error": str(exc)}
        if self.ledger.write_error is not None:  # reads work on a full disk; writes do not
            ready = False
            body["ledger"] = {"ok": False, "error": self.ledger.write_error}
        now = self.clock()
        for shop_id in self.shop_ids:
            body["shops"][shop_id]["tiktok"] = self._authorization(shop_id)
            notices = self.store_notices.get(shop_id)
            body["shops"][shop_id]["store_notices"] = notices() if notices else []
            body["shops"][shop_id]["progress"] = {}
        for progress in self.health.progress.active():
            if progress.shop_id in body["shops"]:
                body["shops"][progress.shop_id]["progress"][progress.job] = progress.as_json(now)
        for spec in self.specs:
            owner = body["daemon"] if spec.shop_id == DAEMON_WIDE else body["shops"][spec.shop_id]
            failing, owner["jobs"][spec.name] = self._job(spec)
            ready = ready and not failing
        body["status"] = "ready" if ready else "unready"
        return ready, body

    def _authorization(self, shop_id: str) -> dict[str, Any]:
        shop = self.health.shop(shop_id)
        expires = shop.authorization_expires_at
        return {
            "shop_id": shop.tiktok_shop_id,
            "seller_name": shop.seller_name,
            "authorization_expires_at": _iso(expires),
            "authorization_expiring": expires is not None
            and expires - self.clock() <= self.authorization_warnings[shop_id],
        }

    def _job(self, spec: JobSpec) -> tuple[bool, dict[str, Any]]:
        health = self.health.job(spec.shop_id, spec.name)
        failing = health.consecutive_failures >= self.failures_before_unready
        return failing, {
            "state": "failing" if failing else ("running" if health.running else "ok"),
            "last_success": _iso(health.last_success),
            "last_failure": _iso(health.last_failure),
            "last_error": health.last_error,
            "consecutive_failures": health.consecutive_failures,
        }


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def build_app(
    readiness: Readiness,
    metrics: Metrics,
    webhooks: WebhookRouter | None = None,
    page: StatusPage | None = None,
) -> web.Application:
    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "alive"})

    async def readyz(_: web.Request) -> web.Response:
        ready, body = await readiness.report()
        return web.json_response(body, status=200 if ready else 503)

    async def metrics_endpoint(_: web.Request) -> web.Response:
        metrics.wal_bytes.set(readiness.ledger.wal_bytes())
        return web.Response(
            body=metrics.render(), headers={"Content-Type": "text/plain; version=0.0.4"}
        )

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics_endpoint)
    if webhooks is not None:
        webhooks.add_routes(app)
    if page is not None:
        page.add_routes(app)
    return app


class HttpServer:
    """Runs an aiohttp application on the daemon's loop; the daemon owns the signals."""

    def __init__(self, app: web.Application, host: str, port: int) -> None:
        # At stop, requests in flight get a moment, not aiohttp's default minute: the stop
        # takes at most `drain_timeout` plus a margin.
        self._runner = web.AppRunner(
            app, handle_signals=False, access_log=None, shutdown_timeout=_SHUTDOWN_SECONDS
        )
        self._host = host
        self._port = port
        self.url = ""

    async def start(self) -> str:
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        sockets = self._runner.addresses
        host, port = sockets[0][:2] if sockets else (self._host, self._port)
        self.url = f"http://[{host}]:{port}" if ":" in str(host) else f"http://{host}:{port}"
        return self.url

    async def stop(self) -> None:
        await self._runner.cleanup()
