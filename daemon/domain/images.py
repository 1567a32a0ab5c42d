"""Which store images become a TikTok listing's main images (DOMAIN.md section 2).

- 1 to 9 images, in the store's order (by position); the first 9 are used, extras are noted.
- JPG, JPEG and PNG go as they are. WebP, GIF, SVG, any other format, and URLs whose format
  cannot be told from the name are converted to JPEG first (the conversion is I/O, done by the
  caller); the plan lists them.
- 300 to 4,000 px a side, when the store knows the size. An image outside those bounds is left
  out with a note; the product fails only when no usable image remains.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from daemon.domain.models import Image
from daemon.domain.problems import FieldProblem, ProductField

MAX_IMAGES = 9
MIN_SIDE_PX = 300
MAX_SIDE_PX = 4_000
SENT_AS_IS = frozenset({"jpg", "jpeg", "png"})


@dataclass(frozen=True)
class ImagePlan:
    images: tuple[Image, ...]  # to publish, in order
    to_convert: tuple[Image, ...]  # those of `images` to convert to JPEG before upload
    notes: tuple[str, ...]
    problems: tuple[FieldProblem, ...]


def image_format(url: str) -> str:
    """The lower-case file extension of an image URL ("" when there is none)."""
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


def needs_conversion(image: Image) -> bool:
    return image_format(image.url) not in SENT_AS_IS


def size_problem(
    image: Image, *, min_side: int = MIN_SIDE_PX, max_side: int = MAX_SIDE_PX
) -> str | None:
    """Why an image's known size is outside TikTok's bounds, or None (also when unknown)."""
    if image.width is None or image.height is None:
        return None
    if min(image.width, image.height) < min_side or max(image.width, image.height) > max_side:
        return (
            f"is {image.width}x{image.height} px; TikTok needs {min_side:,} to {max_side:,} px "
            "a side"
        )
    return None


def plan_images(images: Iterable[Image], *, max_images: int = MAX_IMAGES) -> ImagePlan:
    """The images to publish, which need converting, and what the merchant should know."""
    ordered = sorted(_unique(images), key=lambda image: image.position)
    notes: list[str] = []
    usable: list[Image] = []
    for number, image in enumerate(ordered, start=1):
        problem = size_problem(image)
        if problem is None:
            usable.append(image)
        else:
            notes.append(f"image {number} ({image.url}) {problem}; it was left out")
    if len(usable) > max_images:
        notes.append(f"only the first {max_images} of {len(usable)} images are used")
        usable = usable[:max_images]
    to_convert = tuple(image for image in usable if needs_conversion(image))
    if to_convert:
        formats = sorted({image_format(image.url) or "unknown" for image in to_convert})
        notes.append(
            f"{len(to_convert)} image(s) in {', '.join(formats)} format are converted to JPEG"
        )
    problems: list[FieldProblem] = []
    if not ordered:
        problems.append(
            FieldProblem(ProductField.IMAGES, "the product has no image; TikTok needs 1 to 9")
        )
    elif not usable:
        problems.append(
            FieldProblem(
                ProductField.IMAGES,
                f"none of the {len(ordered)} images is usable: TikTok needs "
                f"{MIN_SIDE_PX:,} to {MAX_SIDE_PX:,} px a side",
            )
        )
    return ImagePlan(tuple(usable), to_convert, tuple(notes), tuple(problems))


def _unique(images: Iterable[Image]) -> list[Image]:
    seen: set[str] = set()
    unique: list[Image] = []
    for image in images:
        if image.url not in seen:
            seen.add(image.url)
            unique.append(image)
    return unique
