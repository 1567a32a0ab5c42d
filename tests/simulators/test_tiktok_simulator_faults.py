"""TikTok's words for the kit's faults: a lost answer (``p_drop``), replacing every spec at
once, and specs shown back as they were given."""

from __future__ import annotations

import aiohttp
import pytest
from tiktok_sim_support import png, product_payload

PRODUCTS = "/product/202309/products"


async def test_a_dropped_create_is_committed_but_unanswered(api, simulator):
    upload = await api.upload(png(800, 800))
    warehouses = [w["id"] for w in api.shop["warehouses"]]
    payload = product_payload(upload.data["uri"], warehouses)
    spec = {"operation": "create_product", "p_drop": 1.0, "count": 1}
    shown = (await api.control("PUT", "/_sim/faults", spec))["faults"]
    assert shown[0]["p_drop"] == 1.0
    before = len(simulator.state.products)
    with pytest.raises(aiohttp.ClientConnectionError):
        await api.call("POST", PRODUCTS, payload=payload)
    assert len(simulator.state.products) == before + 1
    calls = (await api.control("GET", "/_sim/calls?operation=create_product"))["calls"]
    assert [c["status"] for c in calls] == [200]  # the platform answered; the client never heard


async def test_faults_are_replaced_at_once_and_shown_as_given(api):
    specs = [
        {"operation": "get_warehouses", "p_500": 0.25, "timeout_seconds": 3.0, "count": 4},
        {"operation": "*", "p_slow": 0.5, "slow_seconds": 0.01},
    ]
    answer = await api.control("POST", "/_sim/faults", {"seed": 3, "faults": specs})
    shown = answer["faults"]
    assert [s["operation"] for s in shown] == ["get_warehouses", "*"]
    assert (shown[0]["p_500"], shown[0]["timeout_seconds"], shown[0]["count"]) == (0.25, 3.0, 4)
    assert (shown[1]["p_slow"], shown[1]["slow_seconds"]) == (0.5, 0.01)
    cleared = await api.control("DELETE", "/_sim/faults?operation=get_warehouses", None)
    assert [s["operation"] for s in cleared["faults"]] == ["*"]


async def test_a_bad_fault_spec_is_a_json_400(api, session):
    async with session.put(
        f"{api.base_url}/_sim/faults", json={"operation": "x", "p_500": 2}
    ) as response:
        assert response.status == 400
        assert "p_500" in (await response.json())["error"]
