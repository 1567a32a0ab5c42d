"""Store images on their way to TikTok: download, and convert to JPEG what TikTok won't take.

TikTok takes JPG, JPEG and PNG as they are (DOMAIN.md section 2); anything else Pillow can read
(WebP, GIF, BMP, TIFF, ...) becomes a JPEG. What cannot be read fails that one product, with the
image's URL in the reason.

Every download is bounded (`ImageLimits`): time to connect, silence between two reads, time in
all, and bytes. A host that hangs costs one product one retry, not the run its whole time, and
every failure says in words what went wrong.
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
_CHUNK = 64 * 1024
# A decompression bomb is refused rather than decoded (Pillow's check, at a firm limit).
Image.MAX_IMAGE_PIXELS = 40_000_000
_KEPT = {"JPEG": "image/jpeg", "PNG": "image/png"}


@dataclass(frozen=True)
class ImageLimits:
    """Bounds on one image download, in seconds and bytes."""

    connect: float = 10.0
    read: float = 10.0  # the longest silence between two reads
    total: float = 30.0
    max_bytes: int = MAX_IMAGE_BYTES

    @property
    def timeout(self) -> aiohttp.ClientTimeout:
        return aiohttp.ClientTimeout(
            total=self.total, sock_connect=self.connect, sock_read=self.read
        )


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
    except UnidentifiedImageError:
        reason = f"image {source} cannot be read: not in a picture format Pillow knows"
        raise SkippableError(reason, field="images") from None
    except (Image.DecompressionBombError, OSError) as exc:
        reason = f"image {source} cannot be read: {_describe(exc)}"
        raise SkippableError(reason, field="images") from None
    buffer = io.BytesIO()
    rgb.save(buffer, format="JPEG", quality=90)
    return ImageFile(buffer.getvalue(), "image/jpeg", width, height, converted_from=kind)


class ImageFetcher:
    """Downloads store images over one instrumented session."""

    def __init__(self, metrics: Metrics, limits: ImageLimits | None = None) -> None:
        self._limits = limits or ImageLimits()
        total = timedelta(seconds=self._limits.total)
        self._session = create_session("images", metrics, timeout=total)

    async def fetch(self, url: str) -> ImageFile:
        """The image at `url`, ready for TikTok (converted off the event loop if needed)."""
        limits = self._limits
        try:
            async with self._session.get(
                url, timeout=limits.timeout, trace_request_ctx={"endpoint": "image"}
            ) as reply:
                if reply.status != 200:  # noqa: PLR2004 HTTP OK
                    error = classify_status("image host", reply.status, url, reply.headers)
                    if isinstance(error, RetriableError):
                        raise error
                    raise SkippableError(
                        f"image {url} answered HTTP {reply.status}", field="images"
                    )
                content = await _capped(reply, url, limits.max_bytes)
        except TimeoutError as exc:  # aiohttp's connect and read timeouts say which; total not
            reason = str(exc) or f"no whole answer within {limits.total:g} s"
            raise RetriableError(f"image {url} could not be downloaded: {reason}") from None
        except aiohttp.ClientConnectionError as exc:
            reason = f"image {url} could not be downloaded: {_describe(exc)}"
            raise RetriableError(reason) from None
        except aiohttp.InvalidURL:
            raise SkippableError(f"image URL {url!r} is not valid", field="images") from None
        return await asyncio.to_thread(prepare, content, url)

    async def close(self) -> None:
        await self._session.close()


async def _capped(reply: aiohttp.ClientResponse, url: str, max_bytes: int) -> bytes:
    """The whole body, refused as soon as it is known to pass `max_bytes`."""
    megabytes = max_bytes / (1024 * 1024)
    limit = f"{megabytes:g} MB" if megabytes >= 1 else f"{max_bytes} bytes"
    too_big = f"image {url} is larger than {limit}"
    if reply.content_length is not None and reply.content_length > max_bytes:
        raise SkippableError(too_big, field="images")
    content = bytearray()
    async for chunk in reply.content.iter_chunked(_CHUNK):
        content += chunk
        if len(content) > max_bytes:
            raise SkippableError(too_big, field="images")
    return bytes(content)


def _describe(error: BaseException) -> str:
    """An error in words, never empty."""
    return str(error) or type(error).__name__
