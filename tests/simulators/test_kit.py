"""The simulator kit over real HTTP, on a toy platform built from nothing but the kit:
the clock, faults (errors, 429, hangs, slow answers, lost answers, counts, seeds), the call
log, JSON errors of the control API, and webhooks (retry schedule, redelivery, same id)."""

from __future__ import annotations

import asyncio
import json
import time

import aiohttp
import pytest
from kit_toy import Running, receiver, running_toy, signature

from simulators.kit import Chance, Fault, FaultInjector, FaultKind, FaultRule, SimClock


@pytest.fixture
async def sim():
    async with running_toy() as opened:
        yield opened


async def create(sim: Running) -> tuple[int, dict | None]:
    async with sim.session.post(f"{sim.base_url}/api/orders") as response:
        body = await response.json() if response.content_type == "application/json" else None
        return response.status, body


# --- the clock ------------------------------------------------------------------------------


async def test_the_clock_advances_and_is_set_but_never_goes_back(sim: Running) -> None:
    start = await sim.ok("GET", "clock")
    assert start["offset_seconds"] == 0
    moved = await sim.ok("POST", "clock/advance", {"seconds": 3600})
    assert moved["offset_seconds"] == 3600
    assert sim.toy.clock.now() - time.time() == pytest.approx(3600, abs=5)
    target = sim.toy.clock.now() + 86_400
    await sim.ok("POST", "clock", {"now": target})
    assert sim.toy.clock.now() == pytest.approx(target, abs=5)
    status, answer = await sim.control("POST", "clock", {"now": target - 7 * 86_400})
    assert (status, answer) == (
        400,
        {"error": "the simulator clock only moves forward", "field": None},
    )
    status, answer = await sim.control("POST", "clock/advance", {"seconds": -5})
    assert status == 400
    assert answer["field"] == "seconds"
    assert sim.toy.clock.now() == pytest.approx(target, abs=5)


def test_the_clock_runs_on_real_time_plus_its_offset() -> None:
    wall = [1_000.0]
    clock = SimClock(10.0, wall=lambda: wall[0])
    assert clock.now() == 1_010.0
    wall[0] += 5.5
    assert (clock.now(), clock.now_int()) == (1_015.5, 1_015)
    assert clock.moment().isoformat() == "1970-01-01T00:16:55+00:00"
    with pytest.raises(ValueError, match="forward"):
        clock.set(1_000.0)


# --- control errors -------------------------------------------------------------------------


async def test_bad_control_input_answers_json_never_500(sim: Running) -> None:
    async with sim.session.post(
        f"{sim.base_url}/_sim/clock/advance", data=b"{not json"
    ) as response:
        assert response.status == 400
        assert (await response.json())["error"] == "the body is not valid JSON"
    for body in ([1, 2], {"seconds": "soon"}, {"seconds": 1, "extra": True}):
        status, answer = await sim.control("POST", "clock/advance", body)
        assert status == 400, body
        assert set(answer) == {"error", "field"}
    status, answer = await sim.control("GET", "calls?status=teapot")
    assert (status, answer["field"]) == (400, "status")
    status, answer = await sim.control("GET", "no/such/route")
    assert status == 404
    assert "Not Found" in answer["error"]
    status, answer = await sim.control("PATCH", "clock")
    assert status == 405
    status, answer = await sim.control("POST", "faults", {"rules": [{"chances": []}]})
    assert (status, answer["field"]) == (400, "rules[0].chances")


# --- faults ---------------------------------------------------------------------------------


async def test_queued_errors_hit_the_next_calls_then_stop(sim: Running) -> None:
    queue = [{"endpoint": "orders.create", "kind": "error", "status": 503, "times": 2}]
    answer = await sim.ok("POST", "faults", {"queue": queue})
    assert answer["queue"][0]["times"] == 2
    assert [(await create(sim))[0] for _ in range(3)] == [503, 503, 201]
    assert sim.toy.orders == [1]  # the refused calls were not served
    assert (await sim.ok("GET", "faults"))["injected"] == 2


async def test_a_429_carries_retry_after(sim: Running) -> None:
    queue = [{"kind": "error", "status": 429, "retry_after": 2.5}]
    await sim.ok("POST", "faults", {"queue": queue})
    async with sim.session.post(f"{sim.base_url}/api/orders") as response:
        assert response.status == 429
        assert response.headers["Retry-After"] == "2.5"


async def test_a_timeout_holds_the_call_and_does_not_serve_it(sim: Running) -> None:
    await sim.ok("POST", "faults", {"queue": [{"kind": "timeout", "seconds": 0.4}]})
    started = time.monotonic()
    status, _ = await create(sim)
    assert status == 504
    assert time.monotonic() - started >= 0.4
    assert sim.toy.orders == []


async def test_a_slow_call_is_served_even_when_the_client_gave_up(sim: Running) -> None:
    await sim.ok("POST", "faults", {"queue": [{"kind": "slow", "seconds": 0.5}]})
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.1):
            await create(sim)
    await asyncio.sleep(0.7)
    assert sim.toy.orders == [1]


async def test_a_dropped_answer_was_committed(sim: Running) -> None:
    """Lost answer: the order exists, but the client only sees the connection go."""
    await sim.ok("POST", "faults", {"queue": [{"endpoint": "orders.create", "kind": "drop"}]})
    with pytest.raises(aiohttp.ClientConnectionError):
        await create(sim)
    assert sim.toy.orders == [1]
    assert (await create(sim))[0] == 201
    (dropped, served) = (await sim.ok("GET", "calls?endpoint=orders.create"))["calls"]
    assert (dropped["fault"], served["fault"]) == ("drop", None)


async def test_a_counted_rule_applies_to_the_next_calls_only(sim: Running) -> None:
    rule = {
        "endpoint": "orders.create",
        "count": 2,
        "chances": [{"kind": "error", "status": 500, "probability": 1}],
    }
    answer = await sim.ok("PUT", "faults", rule)
    assert answer["rules"][0]["remaining"] == 2
    assert [(await create(sim))[0] for _ in range(3)] == [500, 500, 201]
    assert (await sim.ok("GET", "faults"))["rules"] == []


async def test_random_faults_repeat_with_the_seed_and_exact_rules_win(sim: Running) -> None:
    plan = {
        "seed": 7,
        "rules": [
            {"endpoint": "*", "chances": [{"kind": "error", "status": 502, "probability": 1}]},
            {
                "endpoint": "orders.create",
                "chances": [{"kind": "error", "status": 500, "probability": 0.5}],
            },
        ],
    }

    async def pattern() -> list[int]:
        await sim.ok("POST", "faults", plan)
        return [(await create(sim))[0] for _ in range(16)]

    first = await pattern()
    assert set(first) == {201, 500}  # the exact rule, not the "*" rule's 502
    assert await pattern() == first
    async with sim.session.get(f"{sim.base_url}/api/orders") as response:
        assert response.status == 502  # "*" still covers the other endpoints
    await sim.ok("DELETE", "faults?endpoint=orders.create")
    assert (await create(sim))[0] == 502
    await sim.ok("DELETE", "faults")
    assert (await create(sim))[0] == 201


def test_a_rule_never_promises_more_than_certainty() -> None:
    certain = Fault(FaultKind.ERROR, status=500)
    with pytest.raises(ValueError, match="more than 1"):
        FaultRule("x", (Chance(certain, 0.7), Chance(certain, 0.4)))
    with pytest.raises(ValueError, match="status"):
        Fault(FaultKind.ERROR, status=200)
    injector = FaultInjector(seed=1)
    injector.set_rule(FaultRule("x", (Chance(certain, 0.0),), count=1))
    assert injector.decide("x") is None
    assert injector.active() == []  # a counted rule goes once its calls are used up


# --- the call log ---------------------------------------------------------------------------


async def test_the_call_log_records_and_filters(sim: Running) -> None:
    await create(sim)
    async with sim.session.get(f"{sim.base_url}/api/orders", params={"page": "2"}):
        pass
    await sim.ok("POST", "faults", {"queue": [{"kind": "error", "status": 503}]})
    await create(sim)
    everything = (await sim.ok("GET", "calls"))["calls"]
    assert [(c["method"], c["endpoint"], c["status"]) for c in everything] == [
        ("POST", "orders.create", 201),
        ("GET", "orders.list", 200),
        ("POST", "orders.create", 503),
    ]
    assert everything[1]["query"] == {"page": "2"}
    assert everything[0]["shop"] == "toy"  # the platform's extra fields
    assert [c["seq"] for c in (await sim.ok("GET", "calls?status=503"))["calls"]] == [3]
    assert len((await sim.ok("GET", "calls?method=post"))["calls"]) == 2
    assert len((await sim.ok("GET", f"calls?after={everything[0]['seq']}"))["calls"]) == 2
    assert [c["seq"] for c in (await sim.ok("GET", "calls?limit=1"))["calls"]] == [3]
    assert len((await sim.ok("GET", "calls?path_prefix=/api/ord"))["calls"]) == 3
    await sim.ok("DELETE", "calls")
    assert (await sim.ok("GET", "calls"))["total"] == 0


# --- webhooks -------------------------------------------------------------------------------


async def test_a_failed_webhook_is_retried_on_the_schedule_with_the_same_id(sim: Running) -> None:
    async with receiver() as hooks:
        hooks.statuses = [500, 503, 500]
        await sim.ok("PUT", "webhook_url", {"url": hooks.url})
        await create(sim)
        await sim.ok("POST", "webhooks/drain", {})
        assert len(hooks.received) == 1
        await sim.ok("POST", "clock/advance", {"seconds": 59})
        await sim.ok("POST", "webhooks/drain", {})
        assert len(hooks.received) == 1  # the first retry is due after 60 s
        await sim.ok("POST", "clock/advance", {"seconds": 1})
        await sim.ok("POST", "webhooks/drain", {})
        assert len(hooks.received) == 2
        await sim.ok("POST", "clock/advance", {"seconds": 599})
        await sim.ok("POST", "webhooks/drain", {})
        assert len(hooks.received) == 2
        await sim.ok("POST", "clock/advance", {"seconds": 1})
        await sim.ok("POST", "webhooks/drain", {})
        assert len(hooks.received) == 3
        await sim.ok("POST", "clock/advance", {"seconds": 86_400})  # no delays left: given up
        await sim.ok("POST", "webhooks/drain", {})
        assert len(hooks.received) == 3
    bodies = {body for _, body in hooks.received}
    assert bodies == {json.dumps({"id": 1}).encode()}
    assert all(
        headers["X-Toy-Hmac"] == signature(body)["X-Toy-Hmac"] for headers, body in hooks.received
    )
    deliveries = (await sim.ok("GET", "webhooks/deliveries"))["deliveries"]
    assert [(d["delivery_id"], d["attempt"], d["status"]) for d in deliveries] == [
        ("delivery-1", 1, 500),
        ("delivery-1", 2, 503),
        ("delivery-1", 3, 500),
    ]
    assert all(d["error"] == f"HTTP {d['status']}" for d in deliveries)


async def test_delivered_webhooks_are_redelivered_per_policy(sim: Running) -> None:
    policy = await sim.ok(
        "PUT", "webhooks/policy", {"redeliver_every": 2, "redeliver_after_seconds": 30}
    )
    assert policy["redeliver_every"] == 2
    async with receiver() as hooks:
        await sim.ok("PUT", "webhook_url", {"url": hooks.url})
        for _ in range(4):
            await create(sim)
        await sim.ok("POST", "webhooks/drain", {})
        assert len(hooks.received) == 4
        scheduled = (await sim.ok("GET", "webhooks/deliveries"))["scheduled"]
        assert [entry["redelivery"] for entry in scheduled] == [True, True]
        await sim.ok("POST", "clock/advance", {"seconds": 30})
        await sim.ok("POST", "webhooks/drain", {})
        assert len(hooks.received) == 6
    ids = [json.loads(body)["id"] for _, body in hooks.received]
    assert sorted(ids[4:]) == [2, 4]  # every second delivery came again, same body
    deliveries = (await sim.ok("GET", "webhooks/deliveries"))["deliveries"]
    again = [(d["delivery_id"], d["attempt"]) for d in deliveries if d["redelivery"]]
    assert sorted(again) == [("delivery-2", 2), ("delivery-4", 2)]


async def test_a_delivery_is_redelivered_on_demand_and_unknown_ids_are_404(sim: Running) -> None:
    async with receiver() as hooks:
        await sim.ok("PUT", "webhook_url", {"url": hooks.url})
        await create(sim)
        attempt = await sim.ok("POST", "webhooks/delivery-1/redeliver")
        assert (attempt["delivery_id"], attempt["attempt"], attempt["redelivery"]) == (
            "delivery-1",
            2,
            True,
        )
        await sim.ok("POST", "webhooks/drain", {})
        assert [body for _, body in hooks.received] == [b'{"id": 1}', b'{"id": 1}']
    status, answer = await sim.control("POST", "webhooks/nope/redeliver")
    assert (status, answer["error"]) == (404, "no delivery 'nope'")
    status, answer = await sim.control("PUT", "webhooks/policy", {"retry_delays_seconds": [-1]})
    assert status == 400


async def test_a_webhook_without_an_address_is_recorded_not_retried(sim: Running) -> None:
    await create(sim)
    await sim.ok("POST", "clock/advance", {"seconds": 86_400})
    deliveries = (await sim.ok("GET", "webhooks/deliveries"))["deliveries"]
    assert [(d["attempt"], d["error"], d["url"]) for d in deliveries] == [
        (1, "no webhook address", None)
    ]
