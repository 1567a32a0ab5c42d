from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daemon.domain.content import CONTENT_VERSION, content_hash, publishable_content
from daemon.domain.models import (
    Dimensions,
    Image,
    LengthUnit,
    Product,
    ProductState,
    Weight,
    WeightUnit,
)
from tests.domain_builders import gbp, make_product, make_variant

CATEGORY = "601226"


def base() -> Product:
    return make_product(
        option_names=("Colour",),
        variants=(
            make_variant("v1", sku="MUG-RED", options=(("Colour", "Red"),), barcode="96385074"),
            make_variant("v2", sku="MUG-BLUE", options=(("Colour", "Blue"),), barcode="73513537"),
        ),
        images=(
            Image("https://cdn.example.com/a.jpg", 1, 1000, 1000),
            Image("https://cdn.example.com/b.jpg", 2, 1000, 1000),
        ),
        tags=frozenset({"new"}),
        collections=frozenset({"Summer"}),
    )


BASE_HASH = content_hash(base(), CATEGORY)


def with_variant(index: int, **changes: Any) -> Product:
    product = base()
    variants = list(product.variants)
    variants[index] = dataclasses.replace(variants[index], **changes)
    return dataclasses.replace(product, variants=tuple(variants))


def test_the_hash_is_a_stable_hex_digest_with_a_version() -> None:
    assert content_hash(base(), CATEGORY) == BASE_HASH
    assert len(BASE_HASH) == 64
    assert int(BASE_HASH, 16) >= 0
    assert publishable_content(base(), CATEGORY)["version"] == CONTENT_VERSION


@pytest.mark.parametrize(
    "changed",
    [
        pytest.param(dataclasses.replace(base(), title="Enamel camping mug XL"), id="title"),
        pytest.param(
            dataclasses.replace(base(), description_html="<p>A sturdy mug.</p>"), id="description"
        ),
        pytest.param(
            dataclasses.replace(
                base(),
                images=(
                    Image("https://cdn.example.com/a.jpg", 2, 1000, 1000),
                    Image("https://cdn.example.com/b.jpg", 1, 1000, 1000),
                ),
            ),
            id="image order",
        ),
        pytest.param(
            dataclasses.replace(
                base(), images=(Image("https://cdn.example.com/a.jpg?v=2", 1, 1000, 1000),)
            ),
            id="image replaced",
        ),
        pytest.param(dataclasses.replace(base(), option_names=("Color",)), id="option name"),
        pytest.param(with_variant(0, options=(("Colour", "Crimson"),)), id="option value"),
        pytest.param(with_variant(0, sku="MUG-R"), id="sku"),
        pytest.param(with_variant(1, barcode="036000291452"), id="barcode"),
        pytest.param(
            with_variant(0, weight=Weight(Decimal("0.5"), WeightUnit.KILOGRAM)), id="weight"
        ),
        pytest.param(
            dataclasses.replace(
                base(), dimensions=Dimensions(Decimal(1), Decimal(2), Decimal(3), LengthUnit.INCH)
            ),
            id="dimensions",
        ),
        pytest.param(
            dataclasses.replace(base(), variants=base().variants[:1]), id="variant removed"
        ),
    ],
)
def test_sensitive_to_what_is_published(changed) -> None:
    assert content_hash(changed, CATEGORY) != BASE_HASH


def test_sensitive_to_the_category() -> None:
    assert content_hash(base(), "700100") != BASE_HASH


@pytest.mark.parametrize(
    "same",
    [
        pytest.param(
            dataclasses.replace(base(), variants=tuple(reversed(base().variants))),
            id="variant order",
        ),
        pytest.param(
            dataclasses.replace(base(), tags=frozenset({"sale"}), collections=frozenset()),
            id="tags and collections",
        ),
        pytest.param(
            dataclasses.replace(
                base(),
                state=ProductState.DRAFT,
                updated_at=datetime(2030, 1, 1, tzinfo=UTC),
                vendor="Other",
                product_type="Cup",
            ),
            id="store metadata",
        ),
        pytest.param(with_variant(0, price=gbp("99.00")), id="price"),
        pytest.param(with_variant(0, tracked=False, continue_selling=True), id="stock policy"),
        pytest.param(
            dataclasses.replace(
                base(),
                description_html="\n<p>A  sturdy mug for the trail.</p>\n<!-- note -->",
            ),
            id="html that cleans the same",
        ),
        pytest.param(dataclasses.replace(base(), title="  Enamel camping mug "), id="title spaces"),
        pytest.param(
            with_variant(0, weight=Weight(Decimal("0.400"), WeightUnit.KILOGRAM)),
            id="number spelling",
        ),
        pytest.param(with_variant(0, barcode="9638 5074"), id="barcode spacing"),
        pytest.param(
            dataclasses.replace(base(), images=(*base().images, base().images[0])),
            id="repeated image",
        ),
    ],
)
def test_insensitive_to_what_does_not_matter(same) -> None:
    assert content_hash(same, CATEGORY) == BASE_HASH


@given(st.permutations(range(4)))
def test_any_variant_order_gives_the_same_hash(order) -> None:
    variants = tuple(make_variant(f"v{n}", options=(("N", str(n)),)) for n in range(4))
    product = make_product(option_names=("N",), variants=variants)
    shuffled = dataclasses.replace(product, variants=tuple(variants[i] for i in order))
    assert content_hash(shuffled, CATEGORY) == content_hash(product, CATEGORY)


@given(st.text(max_size=60), st.text(max_size=60))
def test_different_titles_differ(first, second) -> None:
    a = content_hash(dataclasses.replace(base(), title=first), CATEGORY)
    b = content_hash(dataclasses.replace(base(), title=second), CATEGORY)
    assert (a == b) == (first.strip() == second.strip())
