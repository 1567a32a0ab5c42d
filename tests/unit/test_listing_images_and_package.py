from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daemon.domain.images import image_format, needs_conversion, plan_images
from daemon.domain.models import Dimensions, Image, LengthUnit, Weight, WeightUnit
from daemon.domain.package import (
    PackageDefaults,
    dimensions_in_centimetres,
    resolve_package,
    weight_in_kilograms,
)


def image(name: str, position: int = 1, width: int | None = 1000, height: int | None = 1000):
    return Image(f"https://cdn.example.com/files/{name}", position, width, height)


@pytest.mark.parametrize(
    ("url", "fmt", "convert"),
    [
        ("https://cdn.shopify.com/s/files/mug.JPG?v=17", "jpg", False),
        ("https://cdn.shopify.com/s/files/mug.jpeg", "jpeg", False),
        ("https://cdn.shopify.com/s/files/mug.png#x", "png", False),
        ("https://cdn.shopify.com/s/files/mug.webp?v=1", "webp", True),
        ("https://cdn.shopify.com/s/files/mug.gif", "gif", True),
        ("https://cdn.shopify.com/s/files/logo.svg", "svg", True),
        ("https://img.example.com/render?id=5", "", True),
        ("https://img.example.com/.hidden", "", True),
    ],
)
def test_formats(url, fmt, convert) -> None:
    assert image_format(url) == fmt
    assert needs_conversion(Image(url)) is convert


def test_plan_keeps_store_order_and_lists_conversions() -> None:
    plan = plan_images([image("b.webp", 2), image("a.jpg", 1), image("c.gif", 3)])
    assert [i.url.rsplit("/", 1)[-1] for i in plan.images] == ["a.jpg", "b.webp", "c.gif"]
    assert [i.url.rsplit("/", 1)[-1] for i in plan.to_convert] == ["b.webp", "c.gif"]
    assert plan.notes == ("2 image(s) in gif, webp format are converted to JPEG",)
    assert plan.problems == ()


def test_at_most_nine_images_are_used() -> None:
    plan = plan_images([image(f"{n}.jpg", n) for n in range(1, 13)])
    assert len(plan.images) == 9
    assert plan.notes == ("only the first 9 of 12 images are used",)


def test_images_out_of_bounds_are_left_out_with_a_note() -> None:
    plan = plan_images(
        [image("small.jpg", 1, 250, 900), image("ok.jpg", 2), image("huge.jpg", 3, 5000, 3000)]
    )
    assert [i.url.rsplit("/", 1)[-1] for i in plan.images] == ["ok.jpg"]
    assert plan.notes[0] == (
        "image 1 (https://cdn.example.com/files/small.jpg) is 250x900 px; TikTok needs 300 to "
        "4,000 px a side; it was left out"
    )
    assert plan.problems == ()


def test_unknown_sizes_are_trusted_and_duplicates_dropped() -> None:
    plan = plan_images([image("a.jpg", 1, None, None), image("a.jpg", 2)])
    assert len(plan.images) == 1


def test_no_image_or_no_usable_image_is_a_problem() -> None:
    assert [str(p) for p in plan_images([]).problems] == [
        "images: the product has no image; TikTok needs 1 to 9"
    ]
    assert [str(p) for p in plan_images([image("tiny.png", 1, 10, 10)]).problems] == [
        "images: none of the 1 images is usable: TikTok needs 300 to 4,000 px a side"
    ]


@pytest.mark.parametrize(
    ("value", "unit", "kilograms"),
    [
        ("1.2", WeightUnit.KILOGRAM, "1.200"),
        ("1.2345", WeightUnit.KILOGRAM, "1.235"),  # rounded up to the gram
        ("250", WeightUnit.GRAM, "0.250"),
        ("0.4", WeightUnit.GRAM, "0.001"),  # never rounds to nothing
        ("1", WeightUnit.POUND, "0.454"),
        ("8", WeightUnit.OUNCE, "0.227"),
    ],
)
def test_weights_are_sent_in_kilograms(value, unit, kilograms) -> None:
    weight = weight_in_kilograms(Weight(Decimal(value), unit))
    assert weight == Weight(Decimal(kilograms), WeightUnit.KILOGRAM)
    assert weight is not None
    assert str(weight.value) == kilograms


@pytest.mark.parametrize("value", ["0", "-1", "NaN", "Infinity"])
def test_unusable_weights_are_none(value) -> None:
    assert weight_in_kilograms(Weight(Decimal(value), WeightUnit.KILOGRAM)) is None


def test_dimensions_are_whole_centimetres_rounded_up() -> None:
    inches = Dimensions(Decimal(4), Decimal("2.5"), Decimal(10), LengthUnit.INCH)
    assert dimensions_in_centimetres(inches) == Dimensions(
        Decimal(11), Decimal(7), Decimal(26), LengthUnit.CENTIMETER
    )
    flat = Dimensions(Decimal(4), Decimal(0), Decimal(10), LengthUnit.CENTIMETER)
    assert dimensions_in_centimetres(flat) is None


KG = WeightUnit.KILOGRAM
DEFAULTS = PackageDefaults(
    Weight(Decimal("0.5"), KG),
    Dimensions(Decimal(20), Decimal(15), Decimal(10), LengthUnit.CENTIMETER),
)


def test_package_uses_the_heaviest_variant_and_store_dimensions() -> None:
    store_sides = Dimensions(Decimal(10), Decimal(10), Decimal(12), LengthUnit.CENTIMETER)
    weights = [Weight(Decimal(300), WeightUnit.GRAM), None, Weight(Decimal("0.45"), KG)]
    package = resolve_package(weights, store_sides, DEFAULTS)
    assert package.weight == Weight(Decimal("0.450"), KG)
    assert package.dimensions == store_sides
    assert not package.weight_is_default
    assert not package.dimensions_are_default


def test_package_falls_back_to_the_defaults_and_says_so() -> None:
    package = resolve_package([None, Weight(Decimal(0), KG)], None, DEFAULTS)
    assert package.weight == Weight(Decimal("0.500"), KG)
    assert package.dimensions == DEFAULTS.dimensions
    assert package.weight_is_default
    assert package.dimensions_are_default


def test_package_without_data_or_defaults_is_empty() -> None:
    package = resolve_package([], None, None)
    assert package.weight is None
    assert package.dimensions is None


@given(st.decimals(allow_nan=True, allow_infinity=True), st.sampled_from(list(WeightUnit)))
def test_weight_conversion_never_raises_and_never_under_declares(value, unit) -> None:
    weight = weight_in_kilograms(Weight(value, unit))
    if weight is None:
        assert not value.is_finite() or value <= 0 or value * KILOGRAMS_PER[unit] >= 10**7
    else:
        assert weight.value > 0
        assert weight.value.as_tuple().exponent >= -3
        assert weight.value >= value * KILOGRAMS_PER[unit]


KILOGRAMS_PER = {
    WeightUnit.KILOGRAM: Decimal(1),
    WeightUnit.GRAM: Decimal("0.001"),
    WeightUnit.POUND: Decimal("0.45359237"),  # exact, by definition
    WeightUnit.OUNCE: Decimal("0.45359237") / 16,
}
