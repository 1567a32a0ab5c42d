from __future__ import annotations

from decimal import Decimal
from types import MappingProxyType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from daemon.domain.categories import CategoryRef
from daemon.domain.identifiers import IdentifierCode, IdentifierType
from daemon.domain.markets import SellerType, market_facts
from daemon.domain.models import (
    Dimensions,
    Image,
    LengthUnit,
    Money,
    Product,
    ProductState,
    Variant,
    Weight,
    WeightUnit,
)
from daemon.domain.package import PackageDefaults
from daemon.domain.problems import FieldProblem
from daemon.domain.validation import (
    ValidationConfig,
    duplicate_seller_skus,
    validate_product,
)
from tests.domain_builders import VALID_EAN, gbp, make_product, make_variant

MUGS = CategoryRef("601226", "Mugs")
BOOKS = CategoryRef("601001", "Books")
CONFIG = ValidationConfig(market=market_facts("UK"), book_categories=frozenset({BOOKS.id}))


def problems_of(product: Product, config: ValidationConfig = CONFIG, category=MUGS) -> list[str]:
    return [str(problem) for problem in validate_product(product, category, config).problems]


def sized(*pairs: tuple[str, str], sku: str, barcode: str | None = None) -> Variant:
    return make_variant(sku.lower(), sku=sku, options=pairs, barcode=barcode)


def test_a_good_product_is_ok_and_carries_what_to_publish() -> None:
    result = validate_product(make_product(), MUGS, CONFIG)
    assert result.ok
    assert result.problems == ()
    assert result.notes == ()
    assert result.description.html == "<p>A sturdy mug for the trail.</p>"
    assert [image.url for image in result.images.images] == ["https://cdn.example.com/mug.jpg"]
    assert result.package.weight == Weight(Decimal("0.400"), WeightUnit.KILOGRAM)
    assert result.identifiers == {"v1": IdentifierCode(VALID_EAN, IdentifierType.EAN)}
    assert result.sales_attributes == ()
    assert result.reason() == ""


def test_missing_code_names_the_sku_and_the_category() -> None:
    product = make_product(variants=(make_variant(sku="MUG-RED", barcode=None),))
    result = validate_product(product, MUGS, CONFIG)
    assert not result.ok
    assert result.problems == (
        FieldProblem(
            "barcode",
            "SKU MUG-RED has no GTIN/EAN/UPC and category 601226 (Mugs) is not exempt",
            "MUG-RED",
        ),
    )
    assert str(result.problems[0]) == (
        "barcode: SKU MUG-RED has no GTIN/EAN/UPC and category 601226 (Mugs) is not exempt"
    )


def test_every_sku_without_a_code_is_listed() -> None:
    product = make_product(
        option_names=("Colour",),
        variants=(
            sized(("Colour", "Red"), sku="MUG-RED"),
            sized(("Colour", "Blue"), sku="MUG-BLUE", barcode="5901234123457"),
            sized(("Colour", "Green"), sku="MUG-GREEN"),
        ),
    )
    assert [p.sku for p in validate_product(product, MUGS, CONFIG).problems] == [
        "MUG-RED",
        "MUG-GREEN",
    ]


def test_an_exempt_category_syncs_without_codes() -> None:
    config = ValidationConfig(market_facts("UK"), identifier_exempt_categories=frozenset({MUGS.id}))
    product = make_product(variants=(make_variant(barcode=None),))
    assert problems_of(product, config) == []


def test_invalid_and_repeated_codes() -> None:
    product = make_product(
        option_names=("Size",),
        variants=(
            sized(("Size", "S"), sku="S", barcode="4006381333932"),
            sized(("Size", "M"), sku="M", barcode=VALID_EAN),
            sized(("Size", "L"), sku="L", barcode=VALID_EAN),
        ),
    )
    assert problems_of(product) == [
        "barcode: SKU S: 4006381333932 has a wrong check digit: the last digit should be 1",
        (
            f"barcode: barcode {VALID_EAN} is used by 2 variants; TikTok needs a different one "
            "for each"
        ),
    ]


def test_books_take_isbn() -> None:
    product = make_product(variants=(make_variant(barcode="0-306-40615-2"),))
    result = validate_product(product, BOOKS, CONFIG)
    assert result.ok
    assert result.identifiers["v1"] == IdentifierCode("9780306406157", IdentifierType.ISBN)
    missing = validate_product(make_product(variants=(make_variant(barcode=None),)), BOOKS, CONFIG)
    assert "has no ISBN/GTIN/EAN/UPC and category 601001 (Books)" in missing.reason()


@pytest.mark.parametrize(("title", "length"), [("", 0), ("   ", 0), ("x" * 256, 256)])
def test_title_length(title, length) -> None:
    assert problems_of(make_product(title=title)) == [
        f"title: the title has {length} characters; TikTok UK takes 1 to 255"
    ]


def test_a_255_character_title_is_fine() -> None:
    assert problems_of(make_product(title="x" * 255)) == []


def test_empty_description_is_a_problem_and_flattening_is_noted() -> None:
    assert problems_of(make_product(description_html="<p> </p><script>x</script>")) == [
        "description: the description is empty; TikTok requires one (text or images)"
    ]
    result = validate_product(
        make_product(description_html="<table><tr><td>a</td></tr></table>"), MUGS, CONFIG
    )
    assert result.ok
    assert result.notes == ("description: a table was flattened to text, one line per row",)


def test_images_problems_and_conversions() -> None:
    assert problems_of(make_product(images=())) == [
        "images: the product has no image; TikTok needs 1 to 9"
    ]
    result = validate_product(
        make_product(images=(Image("https://cdn.example.com/mug.webp", 1, 800, 800),)),
        MUGS,
        CONFIG,
    )
    assert result.ok
    assert [image.url for image in result.images.to_convert] == ["https://cdn.example.com/mug.webp"]
    assert result.notes == ("images: 1 image(s) in webp format are converted to JPEG",)


def test_options_become_sales_attributes() -> None:
    product = make_product(
        option_names=("Colour", "Size"),
        variants=(
            sized(("Colour", "Red"), ("Size", "S"), sku="R-S", barcode="96385074"),
            sized(("Colour", "Red"), ("Size", "M"), sku="R-M", barcode="73513537"),
        ),
    )
    result = validate_product(product, MUGS, CONFIG)
    assert result.ok, result.reason()
    assert result.sales_attributes == ("Colour", "Size")


def test_option_problems() -> None:
    names = ("Colour", "Size", "Material", "A very long option name")
    product = make_product(
        option_names=names,
        variants=(
            sized(
                ("Colour", "Red"), ("Size", "S"), ("Material", "Tin"), sku="A", barcode="96385074"
            ),
            sized(
                ("Colour", "Red"), ("Size", "S"), ("Material", "Tin"), sku="B", barcode="73513537"
            ),
        ),
    )
    assert problems_of(product) == [
        (
            "options: the product has 4 options (Colour, Size, Material, A very long option name); "
            "TikTok takes at most 3"
        ),
        "options: option name 'A very long option name' has 23 characters; TikTok takes at most 20",
        "options: SKU A has no value for option 'A very long option name'",
        "options: SKU B has no value for option 'A very long option name'",
    ]


def test_identical_variants_and_long_values_and_no_options() -> None:
    product = make_product(
        option_names=("Colour",),
        variants=(
            sized(("Colour", "Red"), sku="A", barcode="96385074"),
            sized(("Colour", "Red"), sku="B", barcode="73513537"),
            sized(("Colour", "x" * 51), sku="C", barcode="036000291452"),
        ),
    )
    assert problems_of(product) == [
        (
            "options: SKU C: option value 'xxxxxxxxxxxxxxxxxxxx'... has 51 characters; "
            "TikTok takes at most 50"
        ),
        "options: 2 variants share the options Red; each needs its own",
    ]
    bare = make_product(
        variants=(make_variant("a", sku="A", barcode="96385074"), make_variant("b", sku="B"))
    )
    assert problems_of(bare) == [
        "options: the product has 2 variants but no options to tell them apart"
    ]


def test_a_single_default_variant_sends_no_sales_attributes() -> None:
    product = make_product(
        option_names=("Title",), variants=(make_variant(options=(("Title", "Default Title"),)),)
    )
    result = validate_product(product, MUGS, CONFIG)
    assert result.ok
    assert result.sales_attributes == ()


def test_seller_sku_rules() -> None:
    product = make_product(
        option_names=("N",),
        variants=(
            make_variant("1", sku=None, options=(("N", "1"),), barcode="96385074"),
            make_variant("2", sku="HAS SPACE", options=(("N", "2"),), barcode="73513537"),
            make_variant("3", sku="D" * 51, options=(("N", "3"),), barcode="036000291452"),
            make_variant("4", sku="TWIN", options=(("N", "4"),), barcode="5901234123457"),
            make_variant("5", sku="TWIN ", options=(("N", "5"),), barcode="00012345678905"),
        ),
    )
    assert problems_of(product) == [
        (
            "seller_sku: variant 1 (no SKU): set a SKU in the store; TikTok orders and links are "
            "matched to store variants by SKU"
        ),
        "seller_sku: SKU 'HAS SPACE' contains spaces; TikTok refuses them",
        f"seller_sku: SKU {'D' * 51} has 51 characters; TikTok takes at most 50",
        "seller_sku: SKU TWIN is used by 2 variants; make it unique",
    ]
    relaxed = ValidationConfig(market_facts("UK"), require_seller_sku=False)
    assert not any("no SKU" in p for p in problems_of(product, relaxed))


def test_price_problems_are_included() -> None:
    product = make_product(variants=(make_variant(sku="MUG", price=gbp("6000")),))
    assert problems_of(product) == [
        "price: SKU MUG costs 6,000 GBP; TikTok accepts 0.01 to 5,600 GBP for UK local sellers"
    ]
    cross = ValidationConfig(market_facts("UK"), seller_type=SellerType.CROSS_BORDER)
    assert len(problems_of(make_product(variants=(make_variant(price=gbp("200")),)), cross)) == 1


def test_weight_and_dimensions_required_unless_a_default_applies() -> None:
    product = make_product(variants=(make_variant(weight=None),), dimensions=None)
    assert problems_of(product) == [
        (
            "weight: no variant has a weight above zero and no default weight is configured for "
            "category 601226 (Mugs); TikTok requires the package weight"
        ),
        (
            "dimensions: the product has no length, width and height and no default is configured "
            "for category 601226 (Mugs); TikTok UK requires package dimensions"
        ),
    ]
    defaults = PackageDefaults(
        Weight(Decimal(500), WeightUnit.GRAM),
        Dimensions(Decimal(12), Decimal(12), Decimal(14), LengthUnit.CENTIMETER),
    )
    config = ValidationConfig(
        market_facts("UK"), package_defaults=MappingProxyType({MUGS.id: defaults})
    )
    result = validate_product(product, MUGS, config)
    assert result.ok
    assert result.notes == (
        "weight: used the default 0.5 kg for category 601226 (Mugs)",
        "dimensions: used the default 12 x 12 x 14 cm for category 601226 (Mugs)",
    )
    fallback = ValidationConfig(market_facts("UK"), fallback_package=defaults)
    assert validate_product(product, CategoryRef("1"), fallback).ok
    optional = ValidationConfig(market_facts("UK"), require_dimensions=False)
    assert problems_of(make_product(dimensions=None), optional) == []


def test_variant_count_limits() -> None:
    assert "variants: the product has no variants" in problems_of(make_product(variants=()))
    many = tuple(
        make_variant(str(n), sku=f"S{n}", barcode=None, options=(("N", str(n)),))
        for n in range(301)
    )
    exempt = ValidationConfig(market_facts("UK"), identifier_exempt_categories=frozenset({MUGS.id}))
    assert problems_of(make_product(option_names=("N",), variants=many), exempt) == [
        "variants: the product has 301 variants; TikTok UK takes at most 300 per product"
    ]


def test_duplicate_seller_skus_across_the_catalog() -> None:
    a = make_product("a", variants=(make_variant("1", sku="X"), make_variant("2", sku="Y")))
    b = make_product("b", variants=(make_variant("3", sku=" X"),))
    c = make_product("c", variants=(make_variant("4", sku=None),))
    assert duplicate_seller_skus([a, b, c]) == {"X": ("a", "b")}


texts = st.text(max_size=40)
decimals = st.decimals(allow_nan=True, allow_infinity=True)
variants = st.builds(
    Variant,
    id=st.text(min_size=1, max_size=5),
    sku=st.none() | texts,
    barcode=st.none() | st.text("0123456789X -", max_size=15),
    price=st.builds(Money, decimals, st.sampled_from(["GBP", "EUR"])),
    options=st.lists(st.tuples(st.sampled_from(["Size", "Colour", ""]), texts), max_size=4).map(
        tuple
    ),
    weight=st.none() | st.builds(Weight, decimals, st.sampled_from(list(WeightUnit))),
)
products = st.builds(
    Product,
    id=st.just("p"),
    title=texts,
    description_html=st.text(max_size=200),
    state=st.just(ProductState.ACTIVE),
    updated_at=st.datetimes(),
    variants=st.lists(variants, max_size=5).map(tuple),
    images=st.lists(
        st.builds(
            Image, texts, st.integers(), st.none() | st.integers(), st.none() | st.integers()
        ),
        max_size=3,
    ).map(tuple),
    option_names=st.lists(texts, max_size=4).map(tuple),
    dimensions=st.none()
    | st.builds(Dimensions, decimals, decimals, decimals, st.sampled_from(list(LengthUnit))),
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(products)
def test_validation_never_raises_on_bad_store_data(product) -> None:
    result = validate_product(product, MUGS, CONFIG)
    assert result.ok == (not result.problems)
    assert all(problem.reason for problem in result.problems)
