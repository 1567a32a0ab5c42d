"""The status page at `/`: shops, jobs, products by status, failed and blocked records with
their reasons, recent orders and the retry queue, rendered on the server (jinja2, autoescaped,
no external assets, refreshing itself).

Actions (retry a record, resync a product) are POST forms, enabled only when `[http]
admin_token` is set and the operator signed in with it. Every POST carries a CSRF token: a
random nonce in a SameSite=Strict cookie, and its HMAC under a per-process key in a hidden
field (a signed double submit); a POST from another origin is refused as well. Signing in sets
a session cookie signed with the same key, so a restart signs everyone out. No secret is ever
rendered; without an admin token every POST is refused with 403.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

import jinja2
from aiohttp import web
from pydantic import SecretStr
from yarl import URL

from daemon.errors import LedgerError
from daemon.jobs import Clock
from daemon.ledger import Ledger
from daemon.runtime.levers import ask_resync, requeue_entry
from daemon.runtime.overview import page_data, when
from daemon.settings import Settings

CSRF_COOKIE = "ttsync_csrf"
SESSION_COOKIE = "ttsync_session"
SESSION_LIFETIME = timedelta(hours=12)
REFRESH_SECONDS = 30
# Asks a job to run soon for some entities: (shop, job, entity ids) -> accepted.
Nudge = Callable[[str, str, Iterable[str]], bool]

_NOTICES = {
    "signed-in": "Signed in: actions are enabled.",
    "signed-out": "Signed out.",
    "retried": "The record is due now; its job picks it up at its next run.",
    "resynced": "The product will be re-read and re-decided at the next catalog run.",
}

_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("daemon.runtime", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass
class StatusPage:
    ledger: Ledger
    shops: Sequence[tuple[str, str]]  # (name, store kind) as configured
    admin_token: SecretStr | None
    clock: Clock
    nudge: Nudge | None = None  # set once the triggers exist; None: the schedule picks it up
    key: bytes = field(default_factory=lambda: secrets.token_bytes(32))

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/", self.index)
        app.router.add_post("/login", self.login)
        app.router.add_post("/logout", self.logout)
        app.router.add_post("/actions/retry", self.retry)
        app.router.add_post("/actions/resync", self.resync)

    # Pages

    async def index(self, request: web.Request) -> web.Response:
        nonce = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
        try:
            data = await page_data(self.ledger, self.shops)
        except (LedgerError, sqlite3.Error) as exc:
            return self._render("error.html", {"message": f"The ledger cannot be read: {exc}"}, 503)
        now = self.clock()
        response = self._render(
            "status.html",
            {
                "data": data,
                "now": now,
                "when": lambda moment: when(moment, now),
                "refresh": REFRESH_SECONDS,
                "actions": self.admin_token is not None,
                "signed_in": self._signed_in(request),
                "csrf": self._sign(f"csrf:{nonce}"),
                "notice": _NOTICES.get(request.query.get("notice", "")),
            },
        )
        if request.cookies.get(CSRF_COOKIE) != nonce:
            _cookie(response, CSRF_COOKIE, nonce)
        return response

    async def login(self, request: web.Request) -> web.StreamResponse:
        form = await self._checked(request, signed_in=False)
        assert self.admin_token is not None  # `_checked` refuses otherwise
        given = str(form.get("token", "")).encode()
        if not hmac.compare_digest(given, self.admin_token.get_secret_value().encode()):
            return self._refuse("That is not the admin token.")
        issued = str(int(time.time()))
        back = _back("signed-in")
        _cookie(back, SESSION_COOKIE, f"{issued}.{self._sign(f'session:{issued}')}")
        raise back

    async def logout(self, request: web.Request) -> web.StreamResponse:
        await self._checked(request, signed_in=False)
        back = _back("signed-out")
        back.del_cookie(SESSION_COOKIE, path="/")
        raise back

    async def retry(self, request: web.Request) -> web.StreamResponse:
        form = await self._checked(request)
        entry_id = str(form.get("entry", ""))
        if not entry_id.isdigit():
            return self._refuse("No retry-queue entry given.", 400)
        try:
            entry = await requeue_entry(self.ledger, int(entry_id))
        except (LedgerError, sqlite3.Error) as exc:
            return self._refuse(f"The ledger cannot be written: {exc}", 503)
        if entry is None:
            return self._refuse(f"There is no retry-queue entry {entry_id}.", 404)
        if self.nudge is not None:
            self.nudge(entry.shop_id, entry.job, ())
        raise _back("retried")

    async def resync(self, request: web.Request) -> web.StreamResponse:
        form = await self._checked(request)
        shop, product = str(form.get("shop", "")), str(form.get("product", "")).strip()
        if shop not in {name for name, _ in self.shops} or not product:
            return self._refuse("Name a configured shop and a product id.", 400)
        try:
            await ask_resync(self.ledger, shop, [product], every=False)
        except (LedgerError, sqlite3.Error) as exc:
            return self._refuse(f"The ledger cannot be written: {exc}", 503)
        if self.nudge is not None:
            self.nudge(shop, "catalog", (product,))
        raise _back("resynced")

    # Checks

    async def _checked(self, request: web.Request, *, signed_in: bool = True) -> dict[str, str]:
        """The form of an allowed POST; raises 403 for anything else."""
        if self.admin_token is None:
            raise self._forbidden("The status page is read-only: set [http] admin_token.")
        origin = request.headers.get("Origin")
        if origin is not None and origin != "null" and URL(origin).host != request.url.host:
            raise self._forbidden("A request from another site was refused.")
        form = {key: str(value) for key, value in (await request.post()).items()}
        nonce = request.cookies.get(CSRF_COOKIE, "")
        expected = self._sign(f"csrf:{nonce}")
        if not nonce or not hmac.compare_digest(form.get("csrf", ""), expected):
            raise self._forbidden("The form has expired; reload the page and try again.")
        if signed_in and not self._signed_in(request):
            raise self._forbidden("Sign in with the admin token first.")
        return form

    def _signed_in(self, request: web.Request) -> bool:
        if self.admin_token is None:
            return False
        issued, _, signature = request.cookies.get(SESSION_COOKIE, "").partition(".")
        if not issued.isdigit() or not hmac.compare_digest(
            signature, self._sign(f"session:{issued}")
        ):
            return False
        return time.time() - int(issued) < SESSION_LIFETIME.total_seconds()

    def _sign(self, text: str) -> str:
        return hmac.new(self.key, text.encode(), hashlib.sha256).hexdigest()

    def _forbidden(self, message: str) -> web.HTTPForbidden:
        page = _TEMPLATES.get_template("error.html").render(message=message)
        return web.HTTPForbidden(text=page, content_type="text/html", headers=_HEADERS)

    def _refuse(self, message: str, status: int = 403) -> web.Response:
        return self._render("error.html", {"message": message}, status)

    def _render(self, name: str, context: dict[str, object], status: int = 200) -> web.Response:
        text = _TEMPLATES.get_template(name).render(**context)
        return web.Response(text=text, status=status, content_type="text/html", headers=_HEADERS)


_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _cookie(response: web.StreamResponse, name: str, value: str) -> None:
    response.set_cookie(name, value, path="/", httponly=True, samesite="Strict")


def _back(notice: str) -> web.HTTPSeeOther:
    return web.HTTPSeeOther(f"/?notice={notice}", headers={"Cache-Control": "no-store"})


def status_page(settings: Settings, ledger: Ledger, clock: Clock) -> StatusPage:
    return StatusPage(
        ledger,
        [(shop.name, shop.store.kind) for shop in settings.shops],
        settings.http.admin_token,
        clock,
    )
