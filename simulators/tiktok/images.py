"""Upload Product Image: multipart ``data`` (JPG or PNG) plus ``use_case``; returns a URI."""

from __future__ import annotations

import hashlib
import struct

from simulators.tiktok.context import RequestContext
from simulators.tiktok.errors import business_error
from simulators.tiktok.model import Image, JsonObject
from simulators.tiktok.product_view import image_url

USE_CASES = frozenset(
    {
        "MAIN_IMAGE",
        "ATTRIBUTE_IMAGE",
        "DESCRIPTION_IMAGE",
        "CERTIFICATION_IMAGE",
        "SIZE_CHART_IMAGE",
    }
)
SIZED_USE_CASES = frozenset({"MAIN_IMAGE", "ATTRIBUTE_IMAGE"})
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
_PNG_HEADER_END = 24
_JPEG_SOF = frozenset(
    {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
)
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD9)})
_MARKER = 0xFF


def image_size(data: bytes) -> tuple[str, int, int] | None:
    """(format, width, height) of a PNG or JPEG, read from its header; None otherwise."""
    if data.startswith(PNG_SIGNATURE) and len(data) >= _PNG_HEADER_END:
        width, height = struct.unpack(">II", data[16:24])
        return "PNG", int(width), int(height)
    if data.startswith(JPEG_SIGNATURE):
        return _jpeg_size(data)
    return None


def _jpeg_size(data: bytes) -> tuple[str, int, int] | None:
    index = 2
    while index + 9 < len(data):
        if data[index] != _MARKER:
            index += 1
            continue
        marker = data[index + 1]
        if marker == _MARKER or marker in _JPEG_STANDALONE:
            index += 1 if marker == _MARKER else 2
            continue
        if marker in _JPEG_SOF:
            height, width = struct.unpack(">HH", data[index + 5 : index + 9])
            return "JPEG", int(width), int(height)
        (length,) = struct.unpack(">H", data[index + 2 : index + 4])
        index += 2 + int(length)
    return None


def upload_image(ctx: RequestContext) -> JsonObject:
    config = ctx.state.config
    part = ctx.form.get("data")
    if part is None or not part.data:
        raise business_error(
            12038002, "Invalid upload file. Please ensure you are passing the correct file data."
        )
    use_case_part = ctx.form.get("use_case")
    use_case = use_case_part.data.decode(errors="replace") if use_case_part else "MAIN_IMAGE"
    if use_case not in USE_CASES:
        raise business_error(11050001, "invalid param")
    if len(part.data) > config.max_image_bytes:
        raise business_error(12038005, "The file size exceeds the maximum allowed size.")
    size = image_size(part.data)
    if size is None:
        raise business_error(
            12038015,
            "Failed to process the image. The format or content is not supported. "
            "Supported formats: JPG, JPEG, PNG",
        )
    image_format, width, height = size
    low, high = config.min_image_side, config.max_image_side
    if use_case in SIZED_USE_CASES and not (
        low <= min(width, height) and max(width, height) <= high
    ):
        raise business_error(
            12038014,
            "The image dimensions exceed the allowed limits. Allowed dimensions (width x height "
            f"in pixels): {low} x {low} to {high} x {high}",
        )
    digest = hashlib.sha256(part.data).hexdigest()[:24]
    uri = f"tos-maliva-i-o3syd03w52-eu/{digest}{ctx.state.ids.image.next()}"
    image = Image(uri, image_url(uri), width, height, use_case, image_format)
    ctx.state.images[uri] = image
    return {"uri": uri, "url": image.url, "width": width, "height": height, "use_case": use_case}
