"""Admin GraphQL (2026-10) node shapes the connector reads, and their translation to domain
types. Pure: no I/O. IDs arrive as GIDs (``gid://shopify/Product/7``); the daemon keeps the
numeric part, the same id REST used, so ledgers written before the move still match.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from daemon.connectors.shopify.mapping import MoneyText, blank_to_none, utc, validation_summary
from daemon.domain.models import (
    BadRecord,
    Image,
    Location,
    Money,
    Product,
    ProductState,
    StockLevel,
    Variant,
    Weight,
    WeightUnit,
)

_DEFAULT_OPTION = ("Title", "Default Title")
_UNITS = {
    "GRAMS": WeightUnit.GRAM,
    "KILOGRAMS": WeightUnit.KILOGRAM,
    "OUNCES": WeightUnit.OUNCE,
    "POUNDS": WeightUnit.POUND,
}


def numeric_id(gid: str) -> str:
    """``gid://shopify/Product/7`` → ``7`` (the query of an InventoryLevel GID dropped)."""
    return gid.rsplit("/", 1)[-1].split("?", 1)[0]


def product_gid(product_id: str) -> str:
    return f"gid://shopify/Product/{product_id}"


def item_gid(item_id: str) -> str:
    return f"gid://shopify/InventoryItem/{item_id}"


class Node(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class ImageNode(Node):
    url: str
    width: int | None = None
    height: int | None = None


class MediaNode(Node):
    image: ImageNode | None = None  # other media kinds have none


class WeightNode(Node):
    unit: str
    value: float


class MeasurementNode(Node):
    weight: WeightNode | None = None


class QuantityNode(Node):
    name: str
    quantity: int


class LevelNode(Node):
    location: dict[str, str]
    quantities: list[QuantityNode]
    item: dict[str, Any] | None = None


class ItemNode(Node):
    id: str
    tracked: bool
    measurement: MeasurementNode | None = None


class SelectedOption(Node):
    name: str
    value: str


class VariantNode(Node):
    id: str
    sku: str | None = None
    barcode: str | None = None
    price: MoneyText
    compare_at_price: MoneyText | None = Field(default=None, alias="compareAtPrice")
    position: int
    inventory_policy: Literal["CONTINUE", "DENY"] = Field(alias="inventoryPolicy")
    selected_options: list[SelectedOption] = Field(alias="selectedOptions")
    inventory_item: ItemNode = Field(alias="inventoryItem")
    image_url: str | None = None  # joined from the variant's media by the reader


class OptionNode(Node):
    name: str
    position: int


class ProductNode(Node):
    id: str
    title: str
    description_html: str = Field(alias="descriptionHtml")
    vendor: str = ""
    product_type: str = Field(default="", alias="productType")
    status: Literal["ACTIVE", "ARCHIVED", "DRAFT"]
    tags: list[str]
    updated_at: datetime = Field(alias="updatedAt")
    options: list[OptionNode] = Field(default_factory=list)


def media_url(raw: Mapping[str, Any]) -> str | None:
    """The image URL of a media object (None for a video or a model)."""
    image = raw.get("image")
    return image.get("url") if isinstance(image, Mapping) else None


class ProductParts:
    """A product's raw parts as they arrive (page or JSONL), validated into a `Product`."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw
        self.variants: list[Mapping[str, Any]] = []
        self.images: list[Mapping[str, Any]] = []
        self.variant_images: dict[str, str] = {}  # variant GID → image URL
        # Inventory level objects (each with its ``__parentId``) when the read includes stock.
        self.levels: list[Mapping[str, Any]] | None = None

    def add_level(self, raw: Mapping[str, Any]) -> None:
        if self.levels is None:
            self.levels = []
        self.levels.append(raw)

    @property
    def id(self) -> str:
        value = self.raw.get("id")
        return numeric_id(value) if isinstance(value, str) else "unknown"

    def build(self, currency: str) -> Product | BadRecord:
        try:
            product = ProductNode.model_validate(self.raw)
            variants = [VariantNode.model_validate(v) for v in self.variants]
            images = [ImageNode.model_validate(i["image"]) for i in self.images if i.get("image")]
            stock = None if self.levels is None else _stock(variants, self.levels)
        except ValidationError as exc:
            return BadRecord("product", self.id, validation_summary(exc))
        except ValueError as exc:
            return BadRecord("product", self.id, str(exc))
        try:
            return _product(product, variants, images, self.variant_images, currency, levels=stock)
        except ValueError as exc:
            return BadRecord("product", self.id, str(exc))


def _stock(
    variants: Sequence[VariantNode], raw: Sequence[Mapping[str, Any]]
) -> tuple[StockLevel, ...]:
    """The levels of the tracked variants' inventory items (Shopify counts no stock for an
    untracked one, and `stock_levels` gives none). A level object's ``__parentId`` is its
    variant, the nearest object with a line of its own; its inventory item is accepted too."""
    items: dict[str, ItemNode] = {}
    for variant in variants:
        items[variant.id] = items[variant.inventory_item.id] = variant.inventory_item
    found: list[StockLevel] = []
    for line in raw:
        item = items.get(str(line.get("__parentId")))
        if item is None:
            raise ValueError("a stock level of the bulk result belongs to none of its variants")
        if not item.tracked:
            continue
        location = line.get("location")
        location_id = location.get("id") if isinstance(location, Mapping) else None
        available = next(
            (
                q.get("quantity")
                for q in line.get("quantities") or ()
                if isinstance(q, Mapping) and q.get("name") == "available"
            ),
            None,
        )
        if not isinstance(location_id, str) or not isinstance(available, int):
            reason = "a stock level of the bulk result lacks its location or quantity"
            raise ValueError(reason)  # noqa: TRY004 the product's BadRecord, not a bug
        found.append(StockLevel(numeric_id(item.id), numeric_id(location_id), available))
    return tuple(found)


def _option_names(product: ProductNode, variants: Sequence[VariantNode]) -> tuple[str, ...]:
    names = tuple(o.name for o in sorted(product.options, key=lambda o: o.position))
    if names == (_DEFAULT_OPTION[0],) and all(
        [(o.name, o.value) for o in v.selected_options] == [_DEFAULT_OPTION] for v in variants
    ):
        return ()
    return names


def _weight(item: ItemNode) -> Weight | None:
    weight = item.measurement.weight if item.measurement else None
    if weight is None or weight.value <= 0 or weight.unit not in _UNITS:
        return None
    return Weight(Decimal(str(weight.value)), _UNITS[weight.unit])


def _variant(
    node: VariantNode, names: tuple[str, ...], images: Mapping[str, str], currency: str
) -> Variant:
    chosen = {option.name: option.value for option in node.selected_options}
    return Variant(
        id=numeric_id(node.id),
        sku=blank_to_none(node.sku),
        barcode=blank_to_none(node.barcode),
        price=Money(node.price, currency),
        options=tuple((name, chosen[name]) for name in names if name in chosen),
        stock_key=numeric_id(node.inventory_item.id),
        tracked=node.inventory_item.tracked,
        continue_selling=node.inventory_policy == "CONTINUE",
        weight=_weight(node.inventory_item),
        compare_at_price=(
            None if node.compare_at_price is None else Money(node.compare_at_price, currency)
        ),
        image_url=images.get(node.id),
    )


def _product(
    product: ProductNode,
    variants: list[VariantNode],
    images: list[ImageNode],
    variant_images: Mapping[str, str],
    currency: str,
    *,
    levels: tuple[StockLevel, ...] | None = None,
) -> Product:
    names = _option_names(product, variants)
    ordered = sorted(variants, key=lambda v: v.position)
    return Product(
        id=numeric_id(product.id),
        title=product.title,
        description_html=product.description_html,
        state=ProductState(product.status.lower()),
        updated_at=utc(product.updated_at),
        variants=tuple(_variant(v, names, variant_images, currency) for v in ordered),
        images=tuple(
            Image(url=image.url, position=index, width=image.width, height=image.height)
            for index, image in enumerate(images, start=1)
        ),
        option_names=names,
        vendor=blank_to_none(product.vendor),
        product_type=blank_to_none(product.product_type),
        tags=frozenset(tag.strip() for tag in product.tags if tag.strip()),
        levels=levels,
    )


def location_of(raw: Mapping[str, Any]) -> Location:
    return Location(
        id=numeric_id(str(raw["id"])), name=str(raw["name"]), active=bool(raw["isActive"])
    )


def level_of(item_id: str, raw: Mapping[str, Any]) -> StockLevel | None:
    """One level's ``available`` quantity; None when the answer has none."""
    node = LevelNode.model_validate(raw)
    available = next((q.quantity for q in node.quantities if q.name == "available"), None)
    if available is None:
        return None
    return StockLevel(numeric_id(item_id), numeric_id(node.location["id"]), available)
