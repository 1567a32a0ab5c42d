"""Helpers for driving the TikTok Shop simulator over real loopback HTTP.

`SignedApi` is a deliberately tiny client: it signs with `sign_request` and sends exactly the
bytes it signed, so the tests exercise the simulator and not the daemon's own client.
"""

from __future__ import annotations

import json
import struct
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp

from daemon.connectors.tiktok.signing import sign_request

APP_KEY = "test-app-key"
APP_SECRET = "test-app-secret"


def compact(payload: Any) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()


def png(width: int, height: int) -> bytes:
    """A PNG header the simulator can measure (pixel data is not needed)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr + crc


@dataclass
class Reply:
    status: int
    body: dict[str, Any]

    @property
    def code(self) -> int:
        return int(self.body["code"])

    @property
    def data(self) -> Any:
        return self.body["data"]

    @property
    def message(self) -> str:
        return str(self.body["message"])


class SignedApi:
    def __init__(self, session: aiohttp.ClientSession, base_url: str) -> None:
        self.session = session
        self.base_url = base_url
        self.token: str | None = None
        self.cipher: str | None = None
        self.clock_offset = 0.0
        self.shop: dict[str, Any] = {}

    def now(self) -> int:
        return int(time.time() + self.clock_offset)

    async def call(
        self,
        method: str,
        path: str,
        *,
        query: dict[str, str] | None = None,
        payload: Any = None,
        body: bytes | None = None,
        send_body: bytes | None = None,
        shop: bool = True,
        token: str | bool | None = True,
        timestamp: int | None = None,
        mutate_sign: Callable[[str], str] | None = None,
        content_type: str | None = "application/json",
    ) -> Reply:
        params = {"app_key": APP_KEY, "timestamp": str(timestamp or self.now()), **(query or {})}
        if shop and self.cipher is not None:
            params["shop_cipher"] = self.cipher
        signed = body if body is not None else (compact(payload) if payload is not None else b"")
        sign = sign_request(APP_SECRET, path, params, signed)
        params["sign"] = mutate_sign(sign) if mutate_sign else sign
        headers = {}
        if content_type is not None:
            headers["Content-Type"] = content_type
        access = self.token if token is True else (token or None)
        if access:
            headers["x-tts-access-token"] = access
        data = send_body if send_body is not None else signed
        async with self.session.request(
            method, self.base_url + path, params=params, data=data or None, headers=headers
        ) as response:
            return Reply(response.status, await response.json())

    async def upload(self, image: bytes, use_case: str = "MAIN_IMAGE") -> Reply:
        path = "/product/202309/images/upload"
        params = {"app_key": APP_KEY, "timestamp": str(self.now())}
        params["sign"] = sign_request(APP_SECRET, path, params, b"")
        form = aiohttp.FormData()
        form.add_field("data", image, filename="image.png", content_type="image/png")
        form.add_field("use_case", use_case)
        headers = {"x-tts-access-token": self.token or ""}
        async with self.session.post(
            self.base_url + path, params=params, data=form, headers=headers
        ) as response:
            return Reply(response.status, await response.json())

    async def control(self, method: str, path: str, payload: Any = None) -> Any:
        async with self.session.request(
            method, self.base_url + path, json=payload if payload is not None else {}
        ) as response:
            body = await response.json()
            assert response.status == 200, body
            return body

    async def advance(self, seconds: float) -> None:
        clock = await self.control("POST", "/_sim/clock/advance", {"seconds": seconds})
        self.clock_offset = clock["offset"]

    async def authorize(self, shop_id: str) -> dict[str, Any]:
        code = await self.control("POST", "/_sim/auth_codes", {"shop_ids": [shop_id]})
        query = {
            "app_key": APP_KEY,
            "app_secret": APP_SECRET,
            "auth_code": code["auth_code"],
            "grant_type": "authorized_code",
        }
        async with self.session.get(self.base_url + "/api/v2/token/get", params=query) as response:
            grant = await response.json()
        assert grant["code"] == 0, grant
        self.token = grant["data"]["access_token"]
        shops = await self.call("GET", "/authorization/202309/shops", shop=False)
        assert shops.code == 0, shops.body
        self.cipher = shops.data["shops"][0]["cipher"]
        return grant["data"]


def product_payload(
    image_uri: str,
    warehouse_ids: list[str],
    *,
    title: str = "Stoneware Coffee Mug 350ml",
    seller_sku: str = "MUG-1",
    price: str = "12.50",
    quantity: int = 10,
) -> dict[str, Any]:
    return {
        "title": title,
        "description": "<p>A sturdy mug.</p><ul><li>350ml</li></ul>",
        "category_id": "600024",
        "main_images": [{"uri": image_uri}],
        "package_weight": {"value": "0.4", "unit": "KILOGRAM"},
        "package_dimensions": {"length": "12", "width": "10", "height": "10", "unit": "CENTIMETER"},
        "skus": [
            {
                "seller_sku": seller_sku,
                "price": {"amount": price, "currency": "GBP"},
                "inventory": [{"warehouse_id": w, "quantity": quantity} for w in warehouse_ids],
            }
        ],
    }


async def create_product(api: SignedApi, **overrides: Any) -> Reply:
    upload = await api.upload(png(800, 800))
    assert upload.code == 0, upload.body
    warehouses = [w["id"] for w in api.shop["warehouses"]]
    payload = product_payload(upload.data["uri"], warehouses, **overrides)
    return await api.call("POST", "/product/202309/products", payload=payload)
