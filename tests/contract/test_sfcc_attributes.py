"""SFCC custom attributes mapped by config onto product fields the catalog has no element for:
per locale, multi-valued, merged by deltas, a bad value failing its product alone, and a bad
key in the attribute table refused with the key named."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest

from daemon import cli
from daemon.domain.models import BadRecord, Dimensions, LengthUnit, Product, Weight, WeightUnit
from tests.support.sfcc import CATALOG, PRICES, Feeds, catalog, connected, prices, running

ATTRIBUTES = {
    "vendor": "brandName",
    "product_type": "tiktokType",
    "description": "tiktokCopy",
    "tags": "tiktokTags",
    "collections": "ranges",
    "barcode": "gtin",
    "weight": "weightG",
    "weight_unit": "g",
    "length": "lengthCm",
    "width": "widthCm",
    "height": "heightCm",
}


def custom(*attributes: str) -> str:
    return f"<custom-attributes>{''.join(attributes)}</custom-attributes>"


def attribute(attribute_id: str, *values: str, lang: str | None = None) -> str:
    locale = "" if lang is None else f' xml:lang="{lang}"'
    inner = values[0] if len(values) == 1 else "".join(f"<value>{v}</value>" for v in values)
    return f'<custom-attribute attribute-id="{attribute_id}"{locale}>{inner}</custom-attribute>'


def product(pid: str, *parts: str, name: str | None = None) -> str:
    title = "" if name is None else f'<display-name xml:lang="x-default">{name}</display-name>'
    return f'<product product-id="{pid}">{title}{"".join(parts)}</product>'


TEE = product(
    "tee",
    "<brand>Native brand</brand>",
    custom(
        attribute("brandName", "Acme"),
        attribute("brandName", "Acme UK", lang="en-GB"),
        attribute("tiktokType", "T-shirt"),
        attribute("tiktokCopy", "<![CDATA[<p>Plain</p>]]>"),
        attribute("tiktokCopy", "<![CDATA[<p>Schlicht</p>]]>", lang="de-DE"),
        attribute("tiktokTags", "summer", "cotton"),
        attribute("ranges", "Basics"),
        attribute("weightG", "200"),
        attribute("lengthCm", "30"),
        attribute("widthCm", "20"),
        attribute("heightCm", "2.5"),
    ),
    "<variations><attributes>"
    '<variation-attribute attribute-id="size" variation-attribute-id="size">'
    '<display-name xml:lang="x-default">Size</display-name></variation-attribute>'
    '</attributes><variants><variant product-id="tee-s"/><variant product-id="tee-m"/>'
    "</variants></variations>",
    name="Tee",
)
TEE_S = product(
    "tee-s",
    "<ean>5000000000017</ean>",
    custom(attribute("size", "S"), attribute("gtin", "4006381333931"), attribute("weightG", "180")),
)
TEE_M = product("tee-m", "<ean>5000000000024</ean>", custom(attribute("size", "M")))
PLAIN = product("mug", "<brand>Potter</brand>", name="Mug")
HEAVY = product("anvil", custom(attribute("weightG", "heavy")), name="Anvil")


@pytest.fixture
async def feeds() -> AsyncIterator[Feeds]:
    async with (
        running() as (simulator, control, scratch),
        connected(simulator, scratch, locale="en-GB", attributes=ATTRIBUTES) as sides,
    ):
        feeds = Feeds(sides, control)
        amounts = {"tee-s": "10", "tee-m": "10", "mug": "5", "anvil": "50"}
        await feeds.drop(PRICES, "a_list.xml", prices("gbp-list-prices", "GBP", **amounts))
        await feeds.drop(CATALOG, "a_catalog.xml", catalog(TEE, TEE_S, TEE_M, PLAIN, HEAVY))
        yield feeds


async def test_mapped_custom_attributes_fill_the_product_fields(feeds: Feeds) -> None:
    items = await feeds.products()
    tee = items["tee"]
    assert isinstance(tee, Product)
    assert (tee.vendor, tee.product_type, tee.description_html) == (
        "Acme UK",  # the shop's locale over x-default, and over <brand>
        "T-shirt",
        "<p>Plain</p>",  # no en-GB value: x-default
    )
    assert (tee.tags, tee.collections) == (frozenset({"summer", "cotton"}), frozenset({"Basics"}))
    assert tee.dimensions == Dimensions(
        Decimal(30), Decimal(20), Decimal("2.5"), LengthUnit.CENTIMETER
    )
    small, medium = tee.variants
    assert small.options == (("Size", "S"),)  # variation attributes still read
    assert (small.barcode, small.weight) == ("4006381333931", Weight(Decimal(180), WeightUnit.GRAM))
    # No attribute of its own: its <ean>, and its master's weight.
    assert (medium.barcode, medium.weight) == (
        "5000000000024",
        Weight(Decimal(200), WeightUnit.GRAM),
    )
    # A product without the attributes: the elements, else empty.
    mug = items["mug"]
    assert isinstance(mug, Product)
    assert (mug.vendor, mug.product_type, mug.tags, mug.dimensions) == (
        "Potter",
        None,
        frozenset(),
        None,
    )
    assert mug.variants[0].weight is None
    # A value the field cannot take fails that product alone, with the field and attribute.
    anvil = items["anvil"]
    assert isinstance(anvil, BadRecord)
    assert anvil.reason == "weight: custom attribute 'weightG' is 'heavy', not a number of g"


async def test_a_delta_merges_custom_attributes_one_by_one(feeds: Feeds) -> None:
    delta = product(
        "tee",
        custom(
            attribute("tiktokType", "Tee"),
            attribute("tiktokTags", ""),  # emptied
            attribute("brandName", "Acme", "Other", lang="en-GB"),
        ),
    )
    fixed = product("anvil", custom(attribute("weightG", "12000")))
    await feeds.drop(CATALOG, "b_delta.xml", catalog(delta, fixed))
    items = await feeds.products()
    tee = items["tee"]
    assert isinstance(tee, BadRecord)
    assert tee.reason == "vendor: custom attribute 'brandName' has 2 values; the field takes one"
    anvil = items["anvil"]
    assert isinstance(anvil, Product)
    assert anvil.variants[0].weight == Weight(Decimal(12000), WeightUnit.GRAM)
    await feeds.drop(
        CATALOG,
        "c_delta.xml",
        catalog(product("tee", custom(attribute("brandName", "Acme", lang="en-GB")))),
    )
    tee = (await feeds.products())["tee"]
    assert isinstance(tee, Product)
    assert (tee.vendor, tee.product_type, tee.tags) == ("Acme", "Tee", frozenset())
    assert tee.collections == frozenset({"Basics"})  # not in the deltas: kept


EXAMPLE = Path(__file__).parents[2] / "config" / "example-sfcc.toml"


@pytest.mark.parametrize(
    ("table", "named"),
    [
        ('colour = "c_colour"', "attributes.colour"),
        ('length = "l"\nwidth = "w"', "length, width and height"),
        ('dimension_unit = "mm"', "attributes.dimension_unit"),
    ],
)
def test_a_bad_attribute_table_exits_78_naming_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], table: str, named: str
) -> None:
    text = EXAMPLE.read_text()
    assert "[shops.store.attributes]\n" in text
    config = tmp_path / "ttsync.toml"
    config.write_text(
        text.replace("[shops.store.attributes]\n", f"[shops.store.attributes]\n{table}\n")
    )
    assert cli.main(["check-config", str(EXAMPLE)]) == 0
    capsys.readouterr()
    assert cli.main(["check-config", str(config)]) == 78
    out = capsys.readouterr()
    assert named in out.out + out.err
    assert str(config) in out.out + out.err
