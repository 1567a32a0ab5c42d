"""Validation of a product write payload (create, edit, partial edit, listing check).

Each rule reports the platform's code and message with the offending field path, e.g.
``12052570 product price exceed limit (field: skus[0].price.amount)``.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

from simulators.tiktok.context import parse_money
from simulators.tiktok.model import JsonObject, Product, ProductStatus, Shop
from simulators.tiktok.state import SimState

MAX_TITLE = 255
MAX_DESCRIPTION = 10_000
MAX_SELLER_SKU = 50
MAX_EXTERNAL_ID = 999
MAX_SALES_ATTRIBUTES = 3
MAX_ATTRIBUTE_VALUE = 50
MAX_IDEMPOTENCY_KEY = 128
MAX_WEIGHT_DECIMALS = 3
MAX_PRICE_DECIMALS = 2
ALLOWED_TAGS = frozenset({"p", "img", "ul", "ol", "li", "br", "strong", "b", "i", "em", "u"})
IMG_REQUIRED = frozenset({"src", "width", "height"})
SAVE_MODES = frozenset({"LISTING", "AS_DRAFT"})
IDENTIFIER_LENGTHS: dict[str, frozenset[int]] = {
    "GTIN": frozenset({14}),
    "EAN": frozenset({8, 13, 14}),
    "UPC": frozenset({12}),
    "ISBN": frozenset({10, 13}),
    "JAN": frozenset({8, 13}),
}
_REPEATED = re.compile(r"(.)\1{9,}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Problem:
    code: int
    message: str
    field: str

    def text(self) -> str:
        return f"{self.message} (field: {self.field})" if self.field else self.message


class _Checker:
    def __init__(self, state: SimState, shop: Shop, existing: Product | None) -> None:
        self.state = state
        self.shop = shop
        self.existing = existing
        self.problems: list[Problem] = []

    def add(self, code: int, message: str, field: str) -> None:
        self.problems.append(Problem(code, message, field))


def check_product(
    state: SimState, shop: Shop, payload: JsonObject, existing: Product | None = None
) -> list[Problem]:
    """Every problem with `payload` as a full product (create or edit); [] when it is valid."""
    checker = _Checker(state, shop, existing)
    _check_title(checker, payload.get("title"))
    _check_description(checker, payload.get("description"))
    _check_category(checker, payload.get("category_id"))
    _check_brand(checker, payload.get("brand_id"))
    _check_main_images(checker, payload.get("main_images"))
    _check_weight(checker, payload.get("package_weight"))
    _check_dimensions(checker, payload.get("package_dimensions"))
    _check_top_level_extras(checker, payload)
    _check_skus(checker, payload.get("skus"))
    return checker.problems


def _check_title(c: _Checker, title: Any) -> None:
    if not isinstance(title, str) or not title.strip():
        c.add(12052261, "product name is empty", "title")
    elif len(title) > MAX_TITLE:
        c.add(12052051, "The product name exceed max limit characters", "title")
    elif _REPEATED.search(title) or _CONTROL.search(title):
        c.add(12052931, "The title must follow the formatting rules.", "title")


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bad_tags: list[str] = []
        self.images_missing_attributes = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.bad_tags.append(tag)
        elif tag == "img" and not {name for name, _ in attrs} >= IMG_REQUIRED:
            self.images_missing_attributes += 1


def _check_description(c: _Checker, description: Any) -> None:
    if not isinstance(description, str) or not description.strip():
        c.add(12052015, "The product description is required", "description")
        return
    if len(description) > MAX_DESCRIPTION:
        c.add(12052013, "The product description cannot exceed maximum characters", "description")
    collector = _TagCollector()
    collector.feed(description)
    collector.close()
    if collector.bad_tags:
        c.add(12052345, "The product description html tag not support.", "description")
    if collector.images_missing_attributes:
        c.add(
            12052348, "The product description html tag required attribute is miss.", "description"
        )


def _check_category(c: _Checker, category_id: Any) -> None:
    if not isinstance(category_id, str) or not category_id:
        c.add(12052002, "Incorrect category format", "category_id")
        return
    category = c.state.catalog.categories.get(category_id)
    if category is None:
        c.add(12052023, "Category does not exist", "category_id")
    elif not category.is_leaf:
        c.add(12052024, "Category is not final category", "category_id")


def _check_brand(c: _Checker, brand_id: Any) -> None:
    if brand_id is None or brand_id == "":
        return
    if not isinstance(brand_id, str) or brand_id not in c.state.catalog.brands:
        c.add(12052026, "Brand does not exist", "brand_id")


def _check_main_images(c: _Checker, images: Any) -> None:
    if not isinstance(images, list) or not images:
        c.add(12052028, "Main product image is required", "main_images")
        return
    if len(images) > c.state.config.max_main_images:
        c.add(12052306, "main product images count exceed limit", "main_images")
    minimum = c.state.config.min_image_side
    for index, image in enumerate(images):
        uri = image.get("uri") if isinstance(image, dict) else None
        known = c.state.images.get(uri) if isinstance(uri, str) else None
        if known is None:
            c.add(12052722, "The image URI does not exist in TikTok Shop.", f"main_images[{index}]")
        elif min(known.width, known.height) < minimum:
            message = f"Width and length of main image must be at least {minimum}, check uri {uri}"
            c.add(12052301, message, f"main_images[{index}]")


def _decimal_places(amount: Decimal) -> int:
    exponent = amount.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _check_weight(c: _Checker, weight: Any) -> None:
    if not isinstance(weight, dict):
        c.add(12052006, "Incorrect parcel weight format", "package_weight")
        return
    unit = weight.get("unit")
    if unit == "POUND":
        message = (
            "Product weight or dimensions unit does not support the imperial units on "
            "non-US local products."
        )
        c.add(12019061, message, "package_weight.unit")
    elif unit == "GRAM":
        message = "The package unit is not supported in the current region."
        c.add(12052916, message, "package_weight.unit")
    elif unit != "KILOGRAM":
        c.add(12052006, "Incorrect parcel weight format", "package_weight.unit")
    value = parse_money(weight.get("value"))
    if value is None or value < 0 or _decimal_places(value) > MAX_WEIGHT_DECIMALS:
        c.add(12052006, "Incorrect parcel weight format", "package_weight.value")
    elif value == 0:
        c.add(12052181, "The package weight of the product can not be zero.", "package_weight")


_DIMENSION_CODES = {"length": 12052005, "width": 12052004, "height": 12052003}


def _check_dimensions(c: _Checker, dimensions: Any) -> None:
    if dimensions is None:
        return
    if not isinstance(dimensions, dict):
        c.add(12019012, "product package size is invalid", "package_dimensions")
        return
    unit = dimensions.get("unit")
    if unit == "INCH":
        message = (
            "Product weight or dimensions unit does not support the imperial units on "
            "non-US local products."
        )
        c.add(12019061, message, "package_dimensions.unit")
    elif unit != "CENTIMETER":
        message = "The package unit is not supported in the current region."
        c.add(12052916, message, "package_dimensions.unit")
    for name, code in _DIMENSION_CODES.items():
        raw = dimensions.get(name)
        if not isinstance(raw, str) or not raw.isdigit() or int(raw) <= 0:
            c.add(code, f"Incorrect parcel {name} format", f"package_dimensions.{name}")


def _check_top_level_extras(c: _Checker, payload: JsonObject) -> None:
    external = payload.get("external_product_id")
    if external is not None and (not isinstance(external, str) or len(external) > MAX_EXTERNAL_ID):
        c.add(12052369, "external_id length check fail", "external_product_id")
    save_mode = payload.get("save_mode")
    if save_mode is not None and save_mode not in SAVE_MODES:
        c.add(36009004, "invalid param error", "save_mode")
    key = payload.get("idempotency_key")
    if key is not None and (not isinstance(key, str) or len(key) > MAX_IDEMPOTENCY_KEY):
        c.add(36009004, "invalid param error", "idempotency_key")


def _check_skus(c: _Checker, skus: Any) -> None:
    if not isinstance(skus, list) or not skus:
        message = "The SKU list is empty. Either omit the list entirely, or provide all details."
        c.add(12052902, message, "skus")
        return
    maximum = c.state.config.max_skus_per_product
    if len(skus) > maximum:
        c.add(12052050, f"A single product cannot have more than {maximum} different SKUs", "skus")
    combos: set[tuple[tuple[str, str], ...]] = set()
    identifiers: set[str] = set()
    attribute_names: set[tuple[str, ...]] = set()
    for index, sku in enumerate(skus):
        path = f"skus[{index}]"
        if not isinstance(sku, dict):
            c.add(12052571, "Missing price for SKU(s)", path)
            continue
        _check_sku_identity(c, sku, path)
        _check_price(c, sku.get("price"), f"{path}.price")
        _check_inventory(c, sku.get("inventory"), f"{path}.inventory")
        combo = _check_sales_attributes(c, sku.get("sales_attributes"), path, len(skus))
        if combo is not None:
            if combo in combos:
                c.add(12052560, "The SKU contains duplicate sales attribute.", path)
            combos.add(combo)
            attribute_names.add(tuple(name for name, _ in combo))
        code = _check_identifier(c, sku.get("identifier_code"), f"{path}.identifier_code")
        if code is not None:
            if code in identifiers:
                message = "Identifier code already entered, cannot enter the same code twice"
                c.add(12052592, message, f"{path}.identifier_code")
            identifiers.add(code)
    if len(attribute_names) > 1:
        c.add(12052550, "SKU property must contain all properties", "skus")


def _check_sku_identity(c: _Checker, sku: JsonObject, path: str) -> None:
    seller_sku = sku.get("seller_sku")
    if seller_sku is not None and (
        not isinstance(seller_sku, str) or len(seller_sku) > MAX_SELLER_SKU
    ):
        message = "The seller SKU text length cannot exceed max limit characters"
        c.add(12052054, message, f"{path}.seller_sku")
    external = sku.get("external_sku_id")
    if external is not None and (not isinstance(external, str) or len(external) > MAX_EXTERNAL_ID):
        c.add(12052369, "external_id length check fail", f"{path}.external_sku_id")
    sku_id = sku.get("id")
    if sku_id is None:
        return
    if c.existing is None or sku_id not in c.existing.skus:
        c.add(12052557, "The SKU ID does not belong to the product.", f"{path}.id")
        return
    before = c.existing.skus[sku_id].identifier_code
    changed = before is not None and sku.get("identifier_code") != before
    if changed and c.existing.status is not ProductStatus.DRAFT:
        message = "The identifier code cannot be changed once be submitted"
        c.add(12052593, message, f"{path}.identifier_code")


def check_price_value(c_state: SimState, shop: Shop, price: Any, path: str) -> list[Problem]:
    """Price rules shared by product writes and Update Price."""
    if not isinstance(price, dict) or price.get("amount") is None:
        return [Problem(12052571, "Missing price for SKU(s)", path)]
    amount = parse_money(price.get("amount"))
    if amount is None or _decimal_places(amount) > MAX_PRICE_DECIMALS:
        return [Problem(12052012, "Incorrect price format", f"{path}.amount")]
    currency = price.get("currency")
    if currency != shop.currency:
        message = "The provided currency is not available for this shop/region."
        return [Problem(12052084, message, f"{path}.currency")]
    allowed = c_state.config.price_range(shop.currency)
    if amount <= 0 or (allowed is not None and amount < allowed.minimum):
        return [Problem(12052073, "The product price is invalid", f"{path}.amount")]
    if allowed is not None and amount > allowed.maximum:
        return [Problem(12052570, "product price exceed limit", f"{path}.amount")]
    return []


def _check_price(c: _Checker, price: Any, path: str) -> None:
    c.problems.extend(check_price_value(c.state, c.shop, price, path))


def quantity_in_range(state: SimState, quantity: Any) -> bool:
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        return False
    return state.config.min_quantity <= quantity <= state.config.max_quantity


def fill_sole_warehouse(payload: JsonObject, warehouses: Collection[str]) -> JsonObject:
    """The docs make ``warehouse_id`` optional for a seller with one warehouse: an inventory
    entry without it is that warehouse's."""
    if len(warehouses) != 1:
        return payload
    (only,) = warehouses
    for sku in payload.get("skus") or []:
        for entry in (sku.get("inventory") or []) if isinstance(sku, dict) else []:
            if isinstance(entry, dict) and "warehouse_id" not in entry:
                entry["warehouse_id"] = only
    return payload


def _check_inventory(c: _Checker, inventory: Any, path: str) -> None:
    if not isinstance(inventory, list) or not inventory:
        c.add(12019022, "SKU must contain a valid warehouse.", path)
        return
    seen: set[str] = set()
    for index, entry in enumerate(inventory):
        where = f"{path}[{index}]"
        warehouse_id = entry.get("warehouse_id") if isinstance(entry, dict) else None
        if not isinstance(warehouse_id, str) or warehouse_id not in c.shop.warehouses:
            message = f"The warehouse ' {warehouse_id} ' does not belong to this shop/seller."
            c.add(12052530, message, f"{where}.warehouse_id")
            continue
        if warehouse_id in seen:
            c.add(12052555, "The warehouse id is duplicate", f"{where}.warehouse_id")
        seen.add(warehouse_id)
        if not quantity_in_range(c.state, entry.get("quantity")):
            message = "The SKU inventory quantity for the warehouse must be within allowed limits."
            c.add(12052055, message, f"{where}.quantity")


def _check_sales_attributes(
    c: _Checker, attributes: Any, path: str, sku_count: int
) -> tuple[tuple[str, str], ...] | None:
    if attributes is None or attributes == []:
        if sku_count > 1:
            c.add(12052550, "SKU property must contain all properties", f"{path}.sales_attributes")
        return None
    if not isinstance(attributes, list):
        c.add(12019019, "sale property is invalid", f"{path}.sales_attributes")
        return None
    if len(attributes) > MAX_SALES_ATTRIBUTES:
        c.add(12052525, "The attribute max num cannot exceed 3.", f"{path}.sales_attributes")
    combo = [
        pair
        for index, attribute in enumerate(attributes)
        if (pair := _check_attribute(c, attribute, f"{path}.sales_attributes[{index}]"))
    ]
    return tuple(sorted(combo))


def _check_attribute(c: _Checker, attribute: Any, where: str) -> tuple[str, str] | None:
    if not isinstance(attribute, dict):
        c.add(12019019, "sale property is invalid", where)
        return None
    name = attribute.get("name") or attribute.get("id")
    value = attribute.get("value_name") or attribute.get("value_id")
    if not isinstance(name, str) or not name:
        c.add(12052241, "attribute name or attribute id is empty.", where)
        return None
    if not isinstance(value, str) or not value:
        c.add(12052248, "The sales attribute value name or attribute value id is empty.", where)
        return None
    if len(value) > MAX_ATTRIBUTE_VALUE:
        message = f"The sales attribute value name characters cannot exceed {MAX_ATTRIBUTE_VALUE}"
        c.add(12052249, message, where)
    image = attribute.get("sku_img")
    uri = image.get("uri") if isinstance(image, dict) else None
    if image is not None and (not isinstance(uri, str) or uri not in c.state.images):
        c.add(12052520, "product sale property image uri illegal", f"{where}.sku_img")
    return (name, value)


def _check_identifier(c: _Checker, identifier: Any, path: str) -> str | None:
    if identifier is None:
        return None
    if not isinstance(identifier, dict):
        c.add(12052600, "The identifier code type must be selected", path)
        return None
    code_type = identifier.get("type")
    code = identifier.get("code")
    lengths = IDENTIFIER_LENGTHS.get(code_type) if isinstance(code_type, str) else None
    if lengths is None:
        c.add(12052600, "The identifier code type must be selected", f"{path}.type")
        return None
    if not isinstance(code, str) or len(code) not in lengths:
        c.add(12052591, "Invalid number of digits of identifier code", f"{path}.code")
        return None
    body, last = code[:-1], code[-1]
    if not body.isdigit() or not (last.isdigit() or (code_type == "ISBN" and last == "X")):
        if "X" in code:
            c.add(12052598, "Only the last digit supports input X", f"{path}.code")
        else:
            c.add(12052591, "Invalid number of digits of identifier code", f"{path}.code")
        return None
    return f"{code_type}:{code}"
