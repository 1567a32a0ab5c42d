"""The status page at `/`, in a real headless Chromium: it renders the daemon's facts (and no
secret), its actions work once signed in with `[http] admin_token`, and every POST is refused
without the token, without a session or without the form's CSRF token."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest

from daemon.ledger import runs
from tests.support.browser import Browser, chromium
from tests.support.operator import Scene, populate
from tests.support.world import World, open_world

pytestmark = [
    pytest.mark.timeout(1500),  # the first test may install Chromium (apt)
    pytest.mark.xdist_group("browser"),  # one browser for the module, on one worker
]

ADMIN_TOKEN = "s3cret-admin-token-9"

FORGE = """
const form = document.createElement("form");
form.method = "post";
form.action = arguments[0];
for (const [name, value] of Object.entries(arguments[1])) {
  const input = document.createElement("input");
  input.type = "hidden"; input.name = name; input.value = value;
  form.appendChild(input);
}
document.body.appendChild(form);
form.submit();
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


@pytest.fixture
def admin_config(simulated_config: Path) -> Path:
    text = simulated_config.read_text().replace(
        "[http]\n", f'[http]\nadmin_token = "{ADMIN_TOKEN}"\n'
    )
    simulated_config.write_text(text)
    return simulated_config


@pytest.fixture
async def admin_world(admin_config: Path) -> AsyncIterator[World]:
    async with open_world(admin_config) as opened:
        yield opened


@pytest.fixture
async def plain_world(simulated_config: Path) -> AsyncIterator[World]:
    async with open_world(simulated_config) as opened:
        yield opened


async def submit_forged(browser: Browser, path: str, fields: dict[str, str]) -> str:
    """POST a form the page did not offer, from the page's own origin; the answer's text."""
    await browser.submit_script(FORGE, path, fields)
    return await browser.text("#error")


async def ran_after(world: World, job: str, moment: datetime, entity: str | None = None) -> bool:
    """Whether `job` ran (and, with `entity`, looked at it) after `moment`; waits up to 5 s."""
    for _ in range(100):
        async with world.daemon.ledger.read() as tx:
            for run in await runs.recent_runs(tx, "uk", job, limit=5):
                if run.started_at > moment and (
                    entity is None
                    or entity in {r.entity_id for r in await runs.run_results(tx, run.run_id)}
                ):
                    return True
        await asyncio.sleep(0.05)
    return False


async def test_the_page_shows_everything_and_acts_with_the_token(
    admin_world: World, browser: Browser, tmp_path: Path
) -> None:
    world = admin_world
    scene: Scene = await populate(world)
    await browser.forget_cookies()
    await browser.get(world.daemon.server.url + "/")
    await check_facts(browser, world, scene, tmp_path)
    await check_refusals(browser, world.daemon.server.url)
    await check_actions(browser, world, scene)
    await browser.screenshot(tmp_path / "status-page-signed-in.png")


async def check_facts(browser: Browser, world: World, scene: Scene, tmp_path: Path) -> None:
    await browser.screenshot(tmp_path / "status-page.png")
    assert (tmp_path / "status-page.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    shop = await browser.text("#shop-uk")
    assert "Syncing" in shop
    assert "authorisation expires 20" in shop
    assert re.search(r"active 1, failed_to_sync 1, unmapped 1", shop)
    assert "Retry queue: 1 waiting, 0 parked" in shop
    problems = await browser.text("#problems")
    assert "Mug without code" in problems
    assert "NOCODE-1" in problems
    assert "barcode" in problems
    assert "no category rule matches" in problems
    assert "(seller SKU LATE-1) is not linked" in await browser.text("#blocked")
    assert scene.store_order in await browser.text("#orders")
    assert f"order {scene.blocked_order}" in await browser.text("#retry-queue")
    source = await browser.source()
    for secret in world.daemon.settings.secret_values():
        assert secret not in source
    assert '<meta http-equiv="refresh"' in source
    assert await browser.find("form.retry, form.resync") == []  # not signed in: no actions


async def check_refusals(browser: Browser, url: str) -> None:
    (csrf,) = await browser.find("#login input[name=csrf]")
    token = str(await asyncio.to_thread(csrf.get_attribute, "value"))
    refused = await submit_forged(browser, "/actions/retry", {"entry": "1", "csrf": token})
    assert refused == "Sign in with the admin token first."
    await browser.get(url + "/")
    refused = await submit_forged(browser, "/actions/retry", {"entry": "1"})
    assert refused == "The form has expired; reload the page and try again."

    await browser.get(url + "/")
    (field,) = await browser.find("#login input[name=token]")
    await browser.type(field, "not-the-token")
    await browser.submit((await browser.find("#login button"))[0])
    assert await browser.text("#error") == "That is not the admin token."


async def check_actions(browser: Browser, world: World, scene: Scene) -> None:
    await browser.get(world.daemon.server.url + "/")
    (field,) = await browser.find("#login input[name=token]")
    await browser.type(field, ADMIN_TOKEN)
    await browser.submit((await browser.find("#login button"))[0])
    assert await browser.text("#notice") == "Signed in: actions are enabled."
    assert ADMIN_TOKEN not in await browser.source()

    clicked = datetime.now(UTC)
    (retry_button,) = await browser.find("form.retry button")
    await browser.submit(retry_button)
    assert "The record is due now" in await browser.text("#notice")
    assert await ran_after(world, "orders", clicked)  # the page asked for a run at once

    clicked = datetime.now(UTC)
    (resync_button, *_) = await browser.find("form.resync button")
    await browser.submit(resync_button)
    assert "re-read and re-decided" in await browser.text("#notice")
    assert await ran_after(world, "catalog", clicked, scene.failed)


async def test_without_an_admin_token_the_page_is_read_only(
    plain_world: World, browser: Browser
) -> None:
    await populate(plain_world)
    await browser.forget_cookies()
    await browser.get(plain_world.daemon.server.url + "/")
    assert "Read-only: set [http] admin_token" in await browser.text("#read-only")
    assert await browser.find("form") == []
    refused = await submit_forged(browser, "/actions/resync", {"shop": "uk", "product": "1"})
    assert refused == "The status page is read-only: set [http] admin_token."
    async with plain_world.daemon.ledger.read() as tx:
        assert await tx.fetchall("SELECT * FROM resync_requests") == []


async def test_posts_need_the_session_and_the_csrf_token(admin_world: World) -> None:
    url = admin_world.daemon.server.url
    # unsafe: keep cookies for an IP address host (the daemon listens on 127.0.0.1)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        async with session.get(f"{url}/") as page:
            assert page.status == 200
            assert page.headers["Content-Security-Policy"].startswith("default-src 'none'")
            csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', await page.text())
        assert csrf is not None
        form = {"token": ADMIN_TOKEN, "csrf": csrf[1]}
        async with session.post(f"{url}/login", data={"token": ADMIN_TOKEN}) as answer:
            assert answer.status == 403  # no CSRF token
        foreign = {"Origin": "http://evil.example"}
        async with session.post(f"{url}/login", data=form, headers=foreign) as answer:
            assert answer.status == 403
        async with session.post(f"{url}/login", data=form, allow_redirects=False) as answer:
            assert answer.status == 303
        resync = {"shop": "uk", "product": "42", "csrf": "0" * 64}
        async with session.post(f"{url}/actions/resync", data=resync) as answer:
            assert answer.status == 403  # signed in, but the CSRF token is wrong
        async with session.post(
            f"{url}/actions/resync", data={**resync, "csrf": csrf[1]}, allow_redirects=False
        ) as answer:
            assert answer.status == 303
    async with (
        aiohttp.ClientSession() as stranger,  # no cookies: no session, no CSRF nonce
        stranger.post(f"{url}/actions/resync", data=resync) as answer,
    ):
        assert answer.status == 403
