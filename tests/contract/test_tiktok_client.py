"""TikTokClient against the simulator: auth, signing, transport rules, errors, rate limiting."""

from __future__ import annotations

import asyncio
from bisect import bisect_left
from datetime import UTC, datetime

import pytest
import stamina
from structlog.testing import capture_logs
from tiktok_support import APP_SECRET, DAY, FAST_RETRY, World, open_world, png

from daemon.connectors.ratelimit import RatePolicy
from daemon.connectors.tiktok import (
    OrderSearchFilter,
    TikTokAuthError,
    TikTokFatalError,
    TikTokRetriableError,
)
from daemon.errors import AuthError, ConfigError, FatalError, RetriableError


@pytest.fixture
async def world(tmp_path):
    async with open_world(tmp_path) as opened:
        yield opened


async def operations(world: World, **filters: str) -> list[tuple[str, int, int]]:
    return [(c["operation"], c["status"], c["code"]) for c in await world.control.calls(**filters)]


# --- auth ------------------------------------------------------------------------------------


async def test_first_connection_exchanges_the_auth_code_and_records_the_shop(world):
    client = world.client()
    assert await client.authorization() is None

    status = await client.connect()

    tokens = await world.stored_tokens()
    assert tokens is not None
    assert tokens.access_expires_at >= world.control.now() + 7 * DAY - 5
    assert tokens.refresh_expires_at > tokens.access_expires_at
    assert "seller.order.info" in tokens.scopes
    assert status.authorization_expires_at == datetime.fromtimestamp(tokens.refresh_expires_at, UTC)
    assert status.access_expires_at == datetime.fromtimestamp(tokens.access_expires_at, UTC)
    shop = await world.stored_shop()
    assert shop is not None
    assert shop.tiktok_shop_id == world.shop["shop_id"]
    assert shop.tiktok_cipher == world.shop["cipher"]
    assert await operations(world) == [
        ("token_get", 200, 0),
        ("get_authorized_shops", 200, 0),
    ]


async def test_a_restarted_client_uses_the_ledger_not_the_auth_code(world):
    await world.client().connect()
    await world.control.clear_calls()

    restarted = world.client(auth_code=None)
    warehouses = await restarted.logistics.warehouses()

    assert {w.id for w in warehouses} == set(world.warehouse_ids)
    assert await operations(world) == [("get_warehouses", 200, 0)]


async def test_without_tokens_or_auth_code_the_error_says_what_to_do(world):
    client = world.client(auth_code=None)
    with pytest.raises(AuthError, match="auth_code"):
        await client.connect()
    assert await world.control.calls() == []


async def test_a_used_auth_code_is_an_auth_error(world):
    await world.client().connect()
    async with world.ledger.transaction() as tx:
        await tx.execute("DELETE FROM tiktok_tokens")
    again = world.client()  # same, already used, auth code: the ledger knows, it is not sent
    with pytest.raises(TikTokAuthError, match="auth_code was already used") as caught:
        await again.connect()
    assert "ttsync authorize --shop uk" in str(caught.value)

    async with world.ledger.transaction() as tx:
        await tx.execute("DELETE FROM used_auth_codes")
    forgetful = world.client()  # a ledger that does not know the code: TikTok refuses it
    with pytest.raises(TikTokAuthError, match="re-authorise") as caught:
        await forgetful.connect()
    assert caught.value.code == 36004004
    assert world.auth_code not in str(caught.value)


async def test_several_authorised_shops_need_shop_id(world):
    second = await world.control.seed_shop(name="Second Shop")
    world.auth_code = await world.control.auth_code(world.shop["shop_id"], second["shop_id"])

    with pytest.raises(ConfigError, match="set shop_id") as caught:
        await world.client().connect()
    assert world.shop["shop_id"] in str(caught.value)
    assert second["shop_id"] in str(caught.value)

    chosen = world.client(shop_id=second["shop_id"])
    assert await chosen.shop_cipher() == second["cipher"]
    stored = await world.stored_shop()
    assert stored is not None
    assert stored.tiktok_shop_id == second["shop_id"]


async def test_token_is_refreshed_ahead_of_expiry(world):
    client = world.client()
    await client.connect()
    before = await world.stored_tokens()
    assert before is not None

    await world.control.advance(5 * DAY)  # two days left: outside the one-day margin
    await world.control.clear_calls()
    await client.logistics.warehouses()
    assert await operations(world) == [("get_warehouses", 200, 0)]

    await world.control.advance(1.5 * DAY)  # half a day left: inside the margin
    await world.control.clear_calls()
    await client.logistics.warehouses()
    assert await operations(world) == [("token_refresh", 200, 0), ("get_warehouses", 200, 0)]
    after = await world.stored_tokens()
    assert after is not None
    assert after.access_token != before.access_token
    assert after.access_expires_at > before.access_expires_at
    assert after.refresh_expires_at == before.refresh_expires_at


async def test_a_failed_early_refresh_keeps_the_still_valid_token(world):
    await world.client().connect()
    await world.control.advance(6.5 * DAY)
    await world.control.clear_calls()
    unreachable_auth_host = world.client(auth_base_url="http://127.0.0.1:9")

    with capture_logs() as logs:
        assert len(await unreachable_auth_host.logistics.warehouses()) == 2

    assert await operations(world) == [("get_warehouses", 200, 0)]
    assert [entry["event"] for entry in logs].count("tiktok_token_refresh_postponed") == 1

    await world.control.advance(DAY)  # now the token has expired: no way around the refresh
    with pytest.raises(RetriableError, match="cannot connect"):
        await unreachable_auth_host.logistics.warehouses()


async def test_expired_token_is_refreshed_once_and_the_call_repeated(world):
    client = world.client()
    await client.connect()
    await world.control.request("POST", "/_sim/tokens/expire", {})
    await world.control.clear_calls()

    warehouses = await client.logistics.warehouses()

    assert len(warehouses) == 2
    assert await operations(world) == [
        ("get_warehouses", 401, 105002),
        ("token_refresh", 200, 0),
        ("get_warehouses", 200, 0),
    ]


async def test_revoked_authorisation_is_an_auth_error_without_secrets(world):
    client = world.client()
    await client.connect()
    tokens = await world.stored_tokens()
    assert tokens is not None
    await world.control.request("POST", "/_sim/tokens/revoke", {"shop_id": world.shop["shop_id"]})
    await world.control.clear_calls()

    with pytest.raises(TikTokAuthError) as caught:
        await client.logistics.warehouses()
    with pytest.raises(TikTokAuthError) as refused:
        await client.refresh_token()

    for error in (caught.value, refused.value):
        text = str(error)
        assert tokens.access_token not in text
        assert tokens.refresh_token not in text
        assert APP_SECRET not in text
    assert "re-authorise" in str(refused.value)
    assert await operations(world) == [
        ("get_warehouses", 401, 36009004),  # not repeated
        ("token_refresh", 200, 36004005),
    ]


# --- signing and transport -------------------------------------------------------------------


async def test_token_travels_in_the_header_and_shop_cipher_only_where_taken(world):
    client = world.client()
    await client.connect()
    await client.products.upload_image(png(), filename="a.png", content_type="image/png")
    await client.logistics.warehouses()

    calls = await world.control.calls()
    assert [c["operation"] for c in calls] == [
        "token_get",
        "get_authorized_shops",
        "upload_product_image",
        "get_warehouses",
    ]
    open_api = calls[1:]
    assert all(c["status"] == 200 for c in open_api)
    assert all("access_token" not in c["query"] for c in open_api)
    assert all(set(c["query"]) >= {"app_key", "timestamp", "sign"} for c in open_api)
    cipher = world.shop["cipher"]
    assert [c["shop_cipher"] for c in open_api] == [None, None, cipher]


async def test_wrong_app_secret_is_fatal_and_not_repeated(world):
    await world.client().connect()
    wrong = world.client(app_secret="not-the-app-secret")
    await world.control.clear_calls()

    with pytest.raises(TikTokFatalError, match="signature") as caught:
        await wrong.logistics.warehouses()

    assert caught.value.code == 106001
    assert "not-the-app-secret" not in str(caught.value)
    assert await operations(world) == [("get_warehouses", 401, 106001)]


async def test_timestamps_come_from_the_injected_clock(world):
    await world.client().connect()
    await world.control.advance(3 * DAY)  # the simulator's clock and the client's move together
    await world.control.clear_calls()
    assert len(await world.client().logistics.warehouses()) == 2

    stale = world.client(clock_skew=-600)
    with pytest.raises(FatalError, match="clock"):
        await stale.logistics.warehouses()
    calls = await world.control.calls(operation="get_warehouses")
    assert [c["code"] for c in calls] == [0, 36009004]


# --- retries ---------------------------------------------------------------------------------


async def test_503_is_retried(world):
    client = world.client()
    await client.connect()
    await world.control.fault(operation="get_warehouses", p_503=1.0, count=2)
    await world.control.clear_calls()

    assert len(await client.logistics.warehouses()) == 2
    assert await operations(world) == [
        ("get_warehouses", 503, 36009003),
        ("get_warehouses", 503, 36009003),
        ("get_warehouses", 200, 0),
    ]


async def test_platform_timeouts_are_retried_for_idempotent_calls(world):
    client = world.client()
    await client.connect()
    await world.control.fault(operation="get_warehouses", p_timeout=1.0, timeout_seconds=0, count=1)
    await world.control.clear_calls()

    assert len(await client.logistics.warehouses()) == 2
    assert await operations(world) == [
        ("get_warehouses", 504, 36009007),
        ("get_warehouses", 200, 0),
    ]


async def test_retries_are_bounded(world):
    client = world.client()
    await client.connect()
    await world.control.fault(operation="get_warehouses", p_500=1.0)
    await world.control.clear_calls()

    with pytest.raises(TikTokRetriableError) as caught:
        await client.logistics.warehouses()
    assert caught.value.code == 36009003
    assert len(await world.control.calls()) == 3  # stamina's test mode: three attempts


async def test_a_client_side_timeout_is_retriable_and_retried(world):
    client = world.client(request_timeout="100ms")
    await client.connect()
    await world.control.fault(operation="get_warehouses", p_slow=1.0, slow_seconds=0.3, count=1)

    assert len(await client.logistics.warehouses()) == 2

    await world.control.fault(operation="get_warehouses", p_slow=1.0, slow_seconds=0.3)
    with pytest.raises(RetriableError, match="did not answer in time"):
        await client.logistics.warehouses()


async def test_throttled_calls_are_retried_and_the_limiter_slows_down(world):
    # Real (tiny) backoff here: the simulator's token bucket refills in real time.
    with stamina.set_testing(False):
        client = world.client(retry=FAST_RETRY)
        await client.connect()
        await world.control.rate_limit(20.0, "get_warehouses")
        await world.control.clear_calls()

        results = await asyncio.gather(*(client.logistics.warehouses() for _ in range(30)))

    assert all(len(result) == 2 for result in results)
    calls = await world.control.calls(operation="get_warehouses")
    throttled = [c for c in calls if c["status"] == 429]
    assert throttled
    assert all(c["code"] == 36009002 for c in throttled)
    assert sum(1 for c in calls if c["code"] == 0) == 30
    assert client.limiter.rate("logistics.warehouses") < 1000.0


async def test_a_burst_of_500_stays_within_the_limit(world):
    limit = 250.0
    client = world.client(rate_policy=RatePolicy(limit=limit))
    await client.connect()
    await world.control.rate_limit(limit)
    await world.control.clear_calls()

    await asyncio.gather(*(client.logistics.warehouses() for _ in range(500)))

    calls = await world.control.calls(operation="get_warehouses")
    assert len(calls) == 500
    assert [c for c in calls if c["status"] == 429] == []
    moments = sorted(c["at"] for c in calls)
    busiest = max(bisect_left(moments, at + 1.0) - index for index, at in enumerate(moments))
    assert busiest <= limit


async def test_without_the_limiter_the_same_burst_is_throttled(world):
    client = world.client(rate_policy=RatePolicy(limit=100_000.0))
    await client.connect()
    await world.control.rate_limit(50.0)
    await world.control.clear_calls()

    outcomes = await asyncio.gather(
        *(client.logistics.warehouses() for _ in range(200)), return_exceptions=True
    )

    assert any(isinstance(outcome, TikTokRetriableError) for outcome in outcomes)
    assert any(c["status"] == 429 for c in await world.control.calls())


async def test_secrets_never_reach_logs_or_errors(world):
    client = world.client()
    with capture_logs() as logs:
        await client.connect()
        await world.control.advance(6.5 * DAY)
        await world.control.fault(operation="get_warehouses", p_503=1.0, count=1)
        await client.logistics.warehouses()
        await world.control.request("POST", "/_sim/tokens/revoke", {})
        with pytest.raises(AuthError) as caught:
            await client.logistics.warehouses()
    tokens = await world.stored_tokens()
    assert tokens is not None
    secrets = [APP_SECRET, world.auth_code, tokens.access_token, tokens.refresh_token]
    text = repr(logs) + str(caught.value) + repr(caught.value)
    assert any(entry["event"] == "tiktok_token_refreshed" for entry in logs)
    for secret in secrets:
        assert secret not in text


async def test_a_malformed_request_is_fatal_and_not_repeated(world):
    client = world.client()
    await client.connect()
    await world.control.clear_calls()

    with pytest.raises(TikTokFatalError, match="client bug") as caught:
        await client.orders.search_page(OrderSearchFilter(), page_size=500)

    assert caught.value.code == 36009004
    assert await operations(world) == [("search_orders", 400, 36009004)]
