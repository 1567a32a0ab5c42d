"""Image downloads are bounded in time and size, and every failure says what went wrong."""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from PIL import Image

from daemon.connectors.images import ImageFetcher, ImageLimits
from daemon.errors import RetriableError, SkippableError
from daemon.metrics import Metrics
from daemon.runtime.server import HttpServer
from tests.conftest import free_port

DONE = web.AppKey("done", asyncio.Event)
LIMITS = ImageLimits(connect=1.0, read=0.3, total=0.8, max_bytes=50_000)


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return buffer.getvalue()


async def hang(request: web.Request) -> web.StreamResponse:
    reply = web.StreamResponse(headers={"Content-Type": "image/png", "Content-Length": "1000"})
    await reply.prepare(request)
    await request.app[DONE].wait()
    return reply


async def drip(request: web.Request) -> web.StreamResponse:
    """Never silent for long, never done: only the total limit stops it."""
    reply = web.StreamResponse(headers={"Content-Type": "image/png"})
    await reply.prepare(request)
    while not request.app[DONE].is_set():
        await reply.write(b"\0")
        await asyncio.sleep(0.1)
    return reply


async def endless(request: web.Request) -> web.StreamResponse:
    """A chunked body that says nothing of its size and keeps coming."""
    reply = web.StreamResponse(headers={"Content-Type": "image/png"})
    await reply.prepare(request)
    for _ in range(100):
        await reply.write(b"\0" * 10_000)
    return reply


BODIES = {
    "/ok.png": png(),
    "/big.png": b"\0" * 60_000,
    "/garbage.png": b"<html>not found</html>",
    "/truncated.png": png()[:40],
}


async def plain(request: web.Request) -> web.Response:
    body = BODIES.get(request.path)
    if body is None:
        return web.Response(status=404)
    return web.Response(body=body, content_type="image/png")


@pytest.fixture
async def host() -> AsyncIterator[str]:
    app = web.Application()
    app[DONE] = asyncio.Event()
    for path in (*BODIES, "/gone.png"):
        app.router.add_get(path, plain)
    app.router.add_get("/hang.png", hang)
    app.router.add_get("/drip.png", drip)
    app.router.add_get("/endless.png", endless)
    server = HttpServer(app, "127.0.0.1", 0)
    yield await server.start()
    app[DONE].set()
    await server.stop()


@pytest.fixture
async def fetcher() -> AsyncIterator[ImageFetcher]:
    images = ImageFetcher(Metrics(), LIMITS)
    yield images
    await images.close()


async def test_a_good_image_arrives(host: str, fetcher: ImageFetcher) -> None:
    image = await fetcher.fetch(f"{host}/ok.png")
    assert (image.content_type, image.width) == ("image/png", 8)


@pytest.mark.parametrize(
    ("path", "error", "reason"),
    [
        ("/hang.png", RetriableError, r"could not be downloaded: Timeout on reading data"),
        ("/drip.png", RetriableError, r"could not be downloaded: no whole answer within 0.8 s"),
        ("/big.png", SkippableError, r"is larger than 50000 bytes$"),
        ("/endless.png", SkippableError, r"is larger than 50000 bytes$"),
        ("/garbage.png", SkippableError, r"cannot be read: not in a picture format Pillow knows$"),
        ("/truncated.png", SkippableError, r"cannot be read: \w+"),
        ("/gone.png", SkippableError, r"answered HTTP 404$"),
    ],
)
async def test_each_failure_is_bounded_and_says_why(
    host: str, fetcher: ImageFetcher, path: str, error: type[Exception], reason: str
) -> None:
    started = asyncio.get_running_loop().time()
    with pytest.raises(error) as raised:
        await fetcher.fetch(f"{host}{path}")
    assert asyncio.get_running_loop().time() - started < LIMITS.total + 0.5
    message = str(raised.value)
    assert message.startswith(f"image {host}{path} ")
    assert re.search(reason, message), message
    assert "object at 0x" not in message


async def test_a_host_that_refuses_the_connection_is_named(fetcher: ImageFetcher) -> None:
    url = f"http://127.0.0.1:{free_port()}/x.png"
    with pytest.raises(RetriableError, match=r"could not be downloaded: Cannot connect to host"):
        await fetcher.fetch(url)
