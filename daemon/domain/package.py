"""Package weight and dimensions for TikTok (DOMAIN.md sections 2 and 11.1).

TikTok wants ``package_weight`` (KILOGRAM, at most 3 decimals, positive) and, in most markets,
``package_dimensions`` (CENTIMETER, positive whole numbers). Kilograms and centimetres are
accepted in every market, so we always send metric (weight and dimensions must share a system).

- Weight: the heaviest variant's weight (the listing's package must fit every variant),
  converted to kg and rounded up to the gram so it is never under-declared.
- Dimensions: the product's, converted to cm and rounded up to a whole centimetre.
- Missing, zero, absurd (10,000 t and up) or unreadable values fall back to the configured
  per-category default, and the result says a default was used so the merchant can be told.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Context, Decimal

from daemon.domain.models import Dimensions, LengthUnit, Weight, WeightUnit

_KILOGRAMS_PER = {
    WeightUnit.KILOGRAM: Decimal(1),
    WeightUnit.GRAM: Decimal("0.001"),
    WeightUnit.POUND: Decimal("0.45359237"),
    WeightUnit.OUNCE: Decimal("0.028349523125"),
}
_CENTIMETRES_PER = {LengthUnit.CENTIMETER: Decimal(1), LengthUnit.INCH: Decimal("2.54")}
_GRAM = Decimal("0.001")
_IMPLAUSIBLE_KG_DIGITS = 7  # 10,000,000 kg and up is a typing slip, not a parcel


@dataclass(frozen=True)
class PackageDefaults:
    """Configured fallbacks for products whose store data lacks weight or dimensions."""

    weight: Weight | None = None
    dimensions: Dimensions | None = None


@dataclass(frozen=True)
class Package:
    weight: Weight | None  # in KILOGRAM, 3 decimals at most; None: none known
    dimensions: Dimensions | None  # in CENTIMETER, whole numbers; None: none known
    weight_is_default: bool = False
    dimensions_are_default: bool = False


def _positive(value: Decimal) -> bool:
    return value.is_finite() and value > 0


def weight_in_kilograms(weight: Weight) -> Weight | None:
    """The weight in kg rounded up to the gram, or None when it is not a positive number."""
    if not _positive(weight.value):
        return None
    kilograms = weight.value * _KILOGRAMS_PER[weight.unit]
    if kilograms.adjusted() >= _IMPLAUSIBLE_KG_DIGITS:
        return None
    exact = Context(prec=28 + _IMPLAUSIBLE_KG_DIGITS)  # quantize never runs out of digits
    return Weight(kilograms.quantize(_GRAM, ROUND_CEILING, exact), WeightUnit.KILOGRAM)


def dimensions_in_centimetres(dimensions: Dimensions) -> Dimensions | None:
    """Each side in whole cm rounded up, or None when a side is not a positive number."""
    sides = (dimensions.length, dimensions.width, dimensions.height)
    if not all(_positive(side) for side in sides):
        return None
    factor = _CENTIMETRES_PER[dimensions.unit]
    length, width, height = ((side * factor).to_integral_value(ROUND_CEILING) for side in sides)
    return Dimensions(length, width, height, LengthUnit.CENTIMETER)


def heaviest(weights: Iterable[Weight | None]) -> Weight | None:
    """The largest usable weight, in kg."""
    converted = (weight_in_kilograms(weight) for weight in weights if weight is not None)
    usable = [weight for weight in converted if weight is not None]
    return max(usable, key=lambda weight: weight.value, default=None)


def resolve_package(
    weights: Iterable[Weight | None],
    dimensions: Dimensions | None,
    defaults: PackageDefaults | None,
) -> Package:
    """The package to declare: store values first, configured defaults second."""
    weight = heaviest(weights)
    weight_is_default = False
    if weight is None and defaults is not None and defaults.weight is not None:
        weight = weight_in_kilograms(defaults.weight)
        weight_is_default = weight is not None
    sides = dimensions_in_centimetres(dimensions) if dimensions is not None else None
    sides_are_default = False
    if sides is None and defaults is not None and defaults.dimensions is not None:
        sides = dimensions_in_centimetres(defaults.dimensions)
        sides_are_default = sides is not None
    return Package(weight, sides, weight_is_default, sides_are_default)


def describe_weight(weight: Weight) -> str:
    return f"{weight.value.normalize():f} {weight.unit.value}"


def describe_dimensions(dimensions: Dimensions) -> str:
    sides = (dimensions.length, dimensions.width, dimensions.height)
    return " x ".join(f"{side.normalize():f}" for side in sides) + f" {dimensions.unit.value}"
