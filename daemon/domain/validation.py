"""Can this store product be published on TikTok, and if not, what must the merchant fix?

Checks (DOMAIN.md section 2 and 5; limits in `daemon.domain.markets`): title length, description
(cleaned, not empty), 1 to 9 usable images, variant count, seller SKUs (present, at most 50
characters, no spaces, unique in the product), sales attributes (at most 3, names at most 20
characters, values at most 50, every variant valued and distinct), identifier codes (valid, unique,
required unless the category is exempt), prices (currency and range), weight (required) and
dimensions (required unless the market makes them optional), with configured defaults.

Bad store data never raises: each finding is a `FieldProblem` naming the field, the SKU and the
limit. The result also carries what the catalog job needs to publish: the cleaned description,
the image plan, the package, and each variant's identifier code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from daemon.domain.categories import CategoryRef
from daemon.domain.description import CleanDescription, plain_text, sanitise_description
from daemon.domain.identifiers import IdentifierCode, InvalidIdentifier, classify_barcode
from daemon.domain.images import ImagePlan, plan_images
from daemon.domain.markets import MarketFacts, SellerType
from daemon.domain.models import Product, Variant
from daemon.domain.package import (
    Package,
    PackageDefaults,
    describe_dimensions,
    describe_weight,
    resolve_package,
)
from daemon.domain.pricing import price_problems
from daemon.domain.problems import FieldProblem, ProductField, sku_label

MAX_SALES_ATTRIBUTES = 3
MAX_ATTRIBUTE_NAME = 20
MAX_ATTRIBUTE_VALUE = 50
MAX_SELLER_SKU = 50


@dataclass(frozen=True)
class ValidationConfig:
    market: MarketFacts
    seller_type: SellerType = SellerType.LOCAL
    identifier_exempt_categories: frozenset[str] = frozenset()
    book_categories: frozenset[str] = frozenset()
    package_defaults: Mapping[str, PackageDefaults] = field(
        default_factory=lambda: MappingProxyType({})
    )  # by TikTok category id
    fallback_package: PackageDefaults | None = None  # for categories without their own
    require_dimensions: bool = True
    require_seller_sku: bool = True

    def defaults_for(self, category_id: str) -> PackageDefaults | None:
        return self.package_defaults.get(category_id, self.fallback_package)


@dataclass(frozen=True)
class Validation:
    problems: tuple[FieldProblem, ...]
    notes: tuple[str, ...]
    description: CleanDescription
    images: ImagePlan
    package: Package
    identifiers: Mapping[str, IdentifierCode]  # variant id → code, for variants that have one
    sales_attributes: tuple[str, ...]  # option names sent as sales attributes, in order

    @property
    def ok(self) -> bool:
        return not self.problems

    def reason(self) -> str:
        """All problems in one line, for the product's status."""
        return "; ".join(str(problem) for problem in self.problems)


def validate_product(
    product: Product, category: CategoryRef, config: ValidationConfig
) -> Validation:
    """Every reason TikTok would refuse `product` in `category`, plus what to publish."""
    problems: list[FieldProblem] = []
    notes: list[str] = []
    problems.extend(title_problems(product.title, config.market))
    description = sanitise_description(product.description_html)
    notes.extend(f"description: {note}" for note in description.notes)
    if not plain_text(description.html) and not description.image_urls:
        problems.append(
            FieldProblem(
                ProductField.DESCRIPTION,
                "the description is empty; TikTok requires one (text or images)",
            )
        )
    images = plan_images(product.images)
    problems.extend(images.problems)
    notes.extend(f"images: {note}" for note in images.notes)
    variants = product.variants
    problems.extend(variant_count_problems(variants, config.market))
    problems.extend(seller_sku_problems(variants, required=config.require_seller_sku))
    attributes, attribute_problems = sales_attributes(product)
    problems.extend(attribute_problems)
    identifiers, identifier_problems = identifier_codes(variants, category, config)
    problems.extend(identifier_problems)
    problems.extend(price_problems(variants, config.market, config.seller_type))
    package = resolve_package(
        (variant.weight for variant in variants),
        product.dimensions,
        config.defaults_for(category.id),
    )
    problems.extend(package_problems(package, category, config))
    notes.extend(package_notes(package, category))
    return Validation(
        tuple(problems),
        tuple(notes),
        description,
        images,
        package,
        MappingProxyType(identifiers),
        attributes,
    )


def title_problems(title: str, market: MarketFacts) -> list[FieldProblem]:
    length = len(title.strip())
    if market.title_min <= length <= market.title_max:
        return []
    return [
        FieldProblem(
            ProductField.TITLE,
            f"the title has {length} characters; TikTok {market.code} takes "
            f"{market.title_min} to {market.title_max}",
        )
    ]


def variant_count_problems(
    variants: tuple[Variant, ...], market: MarketFacts
) -> list[FieldProblem]:
    if not variants:
        return [FieldProblem(ProductField.VARIANTS, "the product has no variants")]
    if len(variants) > market.max_skus:
        return [
            FieldProblem(
                ProductField.VARIANTS,
                f"the product has {len(variants)} variants; TikTok {market.code} takes at most "
                f"{market.max_skus} per product",
            )
        ]
    return []


def seller_sku_problems(
    variants: Iterable[Variant], *, required: bool = True
) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    skus: list[str] = []
    for variant in variants:
        sku = (variant.sku or "").strip()
        if not sku:
            if required:
                problems.append(
                    FieldProblem(
                        ProductField.SELLER_SKU,
                        f"{sku_label(variant)}: set a SKU in the store; TikTok orders and "
                        "links are matched to store variants by SKU",
                    )
                )
            continue
        skus.append(sku)
        if len(sku) > MAX_SELLER_SKU:
            problems.append(
                FieldProblem(
                    ProductField.SELLER_SKU,
                    f"SKU {sku} has {len(sku)} characters; TikTok takes at most {MAX_SELLER_SKU}",
                    sku,
                )
            )
        if any(character.isspace() for character in sku):
            problems.append(
                FieldProblem(
                    ProductField.SELLER_SKU,
                    f"SKU {sku!r} contains spaces; TikTok refuses them",
                    sku,
                )
            )
    for sku, count in sorted(Counter(skus).items()):
        if count > 1:
            problems.append(
                FieldProblem(
                    ProductField.SELLER_SKU,
                    f"SKU {sku} is used by {count} variants; make it unique",
                    sku,
                )
            )
    return problems


def _option_names(product: Product) -> tuple[str, ...]:
    if product.option_names:
        return tuple(name.strip() for name in product.option_names)
    first = product.variants[0].options if product.variants else ()
    return tuple(name.strip() for name, _ in first)


def sales_attributes(product: Product) -> tuple[tuple[str, ...], list[FieldProblem]]:
    """The option names sent as TikTok sales attributes, and what stops them.

    A single-variant product sends none (TikTok allows omitting them for one SKU, and it drops
    the placeholder option some stores give a product without options).
    """
    variants = product.variants
    if len(variants) <= 1:
        return (), []
    names = _option_names(product)
    problems: list[FieldProblem] = []
    if not names:
        problems.append(
            FieldProblem(
                ProductField.OPTIONS,
                f"the product has {len(variants)} variants but no options to tell them apart",
            )
        )
        return (), problems
    if len(names) > MAX_SALES_ATTRIBUTES:
        problems.append(
            FieldProblem(
                ProductField.OPTIONS,
                f"the product has {len(names)} options ({', '.join(names)}); TikTok takes at most "
                f"{MAX_SALES_ATTRIBUTES}",
            )
        )
    problems.extend(
        FieldProblem(
            ProductField.OPTIONS,
            f"option name {name!r} has {len(name)} characters; TikTok takes at most "
            f"{MAX_ATTRIBUTE_NAME}",
        )
        for name in names
        if len(name) > MAX_ATTRIBUTE_NAME
    )
    combinations: Counter[tuple[str, ...]] = Counter()
    for variant in variants:
        values = {name.strip(): value.strip() for name, value in variant.options}
        combination = tuple(values.get(name, "") for name in names)
        combinations[combination] += 1
        problems.extend(_variant_option_problems(variant, names, values))
    problems.extend(
        FieldProblem(
            ProductField.OPTIONS,
            f"{count} variants share the options {' / '.join(combination)}; each needs its own",
        )
        for combination, count in sorted(combinations.items())
        if count > 1 and all(combination)
    )
    return names, problems


def _variant_option_problems(
    variant: Variant, names: tuple[str, ...], values: Mapping[str, str]
) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    for name in names:
        value = values.get(name, "")
        if not value:
            problems.append(
                FieldProblem(
                    ProductField.OPTIONS,
                    f"{sku_label(variant)} has no value for option {name!r}",
                    variant.sku,
                )
            )
        elif len(value) > MAX_ATTRIBUTE_VALUE:
            problems.append(
                FieldProblem(
                    ProductField.OPTIONS,
                    f"{sku_label(variant)}: option value {value[:20]!r}... has {len(value)} "
                    f"characters; TikTok takes at most {MAX_ATTRIBUTE_VALUE}",
                    variant.sku,
                )
            )
    return problems


def identifier_codes(
    variants: Iterable[Variant], category: CategoryRef, config: ValidationConfig
) -> tuple[dict[str, IdentifierCode], list[FieldProblem]]:
    """Each variant's identifier code, and the SKUs whose code is missing or wrong."""
    book = category.id in config.book_categories
    exempt = category.id in config.identifier_exempt_categories
    kinds = "ISBN/GTIN/EAN/UPC" if book else "GTIN/EAN/UPC"
    codes: dict[str, IdentifierCode] = {}
    problems: list[FieldProblem] = []
    for variant in variants:
        found = classify_barcode(variant.barcode, book_category=book)
        if isinstance(found, IdentifierCode):
            codes[variant.id] = found
        elif isinstance(found, InvalidIdentifier):
            problems.append(
                FieldProblem(
                    ProductField.BARCODE, f"{sku_label(variant)}: {found.reason}", variant.sku
                )
            )
        elif not exempt:
            problems.append(
                FieldProblem(
                    ProductField.BARCODE,
                    f"{sku_label(variant)} has no {kinds} and category {category} is not exempt",
                    variant.sku,
                )
            )
    repeated = Counter(code.code for code in codes.values())
    problems.extend(
        FieldProblem(
            ProductField.BARCODE,
            f"barcode {code} is used by {count} variants; TikTok needs a different one for each",
        )
        for code, count in sorted(repeated.items())
        if count > 1
    )
    return codes, problems


def package_problems(
    package: Package, category: CategoryRef, config: ValidationConfig
) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if package.weight is None:
        problems.append(
            FieldProblem(
                ProductField.WEIGHT,
                "no variant has a weight above zero and no default weight is configured for "
                f"category {category}; TikTok requires the package weight",
            )
        )
    if package.dimensions is None and config.require_dimensions:
        problems.append(
            FieldProblem(
                ProductField.DIMENSIONS,
                "the product has no length, width and height and no default is configured for "
                f"category {category}; TikTok {config.market.code} requires package dimensions",
            )
        )
    return problems


def package_notes(package: Package, category: CategoryRef) -> list[str]:
    notes: list[str] = []
    if package.weight_is_default and package.weight is not None:
        notes.append(
            f"weight: used the default {describe_weight(package.weight)} for category {category}"
        )
    if package.dimensions_are_default and package.dimensions is not None:
        notes.append(
            f"dimensions: used the default {describe_dimensions(package.dimensions)} "
            f"for category {category}"
        )
    return notes


def duplicate_seller_skus(products: Iterable[Product]) -> dict[str, tuple[str, ...]]:
    """SKUs used by more than one product in the catalog → the ids of those products.

    TikTok links and orders by seller SKU, so a SKU shared across products is ambiguous.
    """
    owners: dict[str, list[str]] = {}
    for product in products:
        for sku in {(variant.sku or "").strip() for variant in product.variants} - {""}:
            owners.setdefault(sku, []).append(product.id)
    return {sku: tuple(ids) for sku, ids in sorted(owners.items()) if len(ids) > 1}
