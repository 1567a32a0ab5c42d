"""A store's image CDN: ``GET /cdn/<any path>_<W>x<H>.<ext>`` answers a generated image.

A store simulator mounts it with `add_routes` and renders product image sources that start
with ``/cdn/`` as absolute URLs of itself (`absolute`), so a client downloads and converts them
as it would from the store's CDN. The format follows the extension: jpg/jpeg, png, webp, gif,
bmp, tiff, and svg.
"""

from __future__ import annotations

import hashlib
import io
import re
from functools import lru_cache

from aiohttp import web
from PIL import Image

CDN_PREFIX = "/cdn/"
DEFAULT_SIDE = 800
MAX_SIDE = 5000
_SIZE = re.compile(r"_(\d{1,5})x(\d{1,5})$")
_FORMATS = {
    "jpg": ("JPEG", "image/jpeg"),
    "jpeg": ("JPEG", "image/jpeg"),
    "png": ("PNG", "image/png"),
    "webp": ("WEBP", "image/webp"),
    "gif": ("GIF", "image/gif"),
    "bmp": ("BMP", "image/bmp"),
    "tiff": ("TIFF", "image/tiff"),
}


def absolute(src: str, base_url: str | None) -> str:
    """A ``/cdn/...`` source made absolute against the running simulator."""
    if src.startswith(CDN_PREFIX) and base_url:
        return base_url.rstrip("/") + src
    return src


@lru_cache(maxsize=256)
def render(path: str) -> tuple[bytes, str] | None:
    """The image bytes and content type for a CDN path, or None when it names no image."""
    stem, _, extension = path.rpartition(".")
    extension = extension.lower()
    match = _SIZE.search(stem)
    width, height = (int(match[1]), int(match[2])) if match else (DEFAULT_SIDE, DEFAULT_SIDE)
    if not (1 <= width <= MAX_SIDE and 1 <= height <= MAX_SIDE):
        return None
    colour = tuple(hashlib.sha256(path.encode()).digest()[:3])
    if extension == "svg":
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}">'
            f'<rect width="100%" height="100%" fill="rgb{colour}"/></svg>'
        )
        return svg.encode(), "image/svg+xml"
    if extension not in _FORMATS:
        return None
    pillow_format, content_type = _FORMATS[extension]
    image = Image.new("RGB", (width, height), colour)
    buffer = io.BytesIO()
    image.save(buffer, format=pillow_format)
    return buffer.getvalue(), content_type


async def serve(request: web.Request) -> web.Response:
    found = render(request.match_info["path"])
    if found is None:
        return web.Response(status=404, text="no such image")
    body, content_type = found
    return web.Response(body=body, content_type=content_type)


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get(CDN_PREFIX + "{path:.+}", serve, name="cdn")
