"""Store images on their way to TikTok: download, and convert to JPEG what TikTok won't take.

TikTok takes JPG, JPEG and PNG as they are (DOMAIN.md section 2); anything else Pillow can read
(WebP, GIF, BMP, TIFF, ...) becomes a JPEG. What cannot be read fails that one product, with the
image's URL in the reason.
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass
from datetime import timedelta

import aiohttp
from PIL import Image, UnidentifiedImageError

from daemon.connectors.http import classify_status, create_session
from daemon.errors import RetriableError, SkippableError
from daemon.metrics import Metrics

MAX_IMAGE_BYTES = 20 * 1024 * 1024
# A decompression bomb is refused rather than decoded (Pillow's check, at a firm limit).
Image.MAX_IMAGE_PIXELS = 40_000_000
_KEPT = {"JPEG": "image/jpeg", "PNG": "image/png"}


@dataclass(frozen=True)
class ImageFile:
    content: bytes
    content_type: str  # image/jpeg or image/png
    width: int
    height: int
    converted_from: str | None = None  # the original format, when converted

    @property
    def filename(self) -> str:
        return "image.png" if self.content_type == "image/png" else "image.jpg"


def prepare(content: bytes, source: str) -> ImageFile:
    """Keep JPEG and PNG as they are; convert any other readable image to JPEG."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            kind = image.format or "unknown"
            width, height = image.size
            if kind in _KEPT:
                return ImageFile(content, _KEPT[kind], width, height)
            image.seek(0)  # the first frame of an animation
            rgb = image.convert("RGB")
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError) as exc:
        raise SkippableError(f"image {source} cannot be read: {exc}", field="images") from None
    buffer = io.BytesIO()
    rgb.save(buffer, format="JPEG", quality=90)
    return ImageFile(buffer.getvalue(), "image/jpeg", width, height, converted_from=kind)


class ImageFetcher:
    """Downloads store images over one instrumented session."""

    def __init__(self, metrics: Metrics, *, timeout: timedelta = timedelta(seconds=30)) -> None:
        self._session = create_session("images", metrics, timeout=timeout)

    async def fetch(self, url: str) -> ImageFile:
        """The image at `url`, ready for TikTok (converted off the event loop if needed)."""
        try:
            async with self._session.get(url, trace_request_ctx={"endpoint": "image"}) as reply:
                if reply.status != 200:  # noqa: PLR2004 HTTP OK
                    error = classify_status("image host", reply.status, url, reply.headers)
                    if isinstance(error, RetriableError):
                        raise error
                    raise SkippableError(
                        f"image {url} answered HTTP {reply.status}", field="images"
                    )
                content = await reply.content.read(MAX_IMAGE_BYTES + 1)
        except (aiohttp.ClientConnectionError, TimeoutError) as exc:
            raise RetriableError(f"image {url} could not be downloaded: {exc}") from None
        except aiohttp.InvalidURL:
            raise SkippableError(f"image URL {url!r} is not valid", field="images") from None
        if len(content) > MAX_IMAGE_BYTES:
            raise SkippableError(f"image {url} is larger than 20 MB", field="images")
        return await asyncio.to_thread(prepare, content, url)

    async def close(self) -> None:
        await self._session.close()
