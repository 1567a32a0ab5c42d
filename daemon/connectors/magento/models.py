"""Wire schemas of Magento 2.4's REST answers, as documented; numbers → Decimal, times
(``YYYY-MM-DD HH:MM:SS``, UTC) → aware datetimes.

Every model ignores fields it does not name and is frozen. These types never leave the
connector: `mapping` and `order_mapping` turn them into domain types.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def _decimal(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError("must be a number")  # noqa: TRY004 pydantic turns only ValueError into a validation error
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValueError("not a decimal number") from None
    if not number.is_finite():
        raise ValueError("must be finite")
    return number


def _time(value: object) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if not isinstance(value, str):
        raise ValueError("must be a time as YYYY-MM-DD HH:MM:SS")  # noqa: TRY004 as above
    try:
        return datetime.strptime(value, TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise ValueError("must be a time as YYYY-MM-DD HH:MM:SS") from None


Number = Annotated[Decimal, BeforeValidator(_decimal)]
Time = Annotated[datetime, BeforeValidator(_time)]


def magento_time(moment: datetime) -> str:
    """A filter value: UTC, whole seconds."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime(TIME_FORMAT)


class Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class SearchPage(Wire):
    items: list[Any] = Field(default_factory=list)
    total_count: int


class StoreConfigWire(Wire):
    id: int
    code: str
    base_currency_code: str
    weight_unit: str = "kgs"
    base_url: str = ""
    base_media_url: str = ""


class StockItemWire(Wire):
    manage_stock: bool = True
    backorders: int = 0


class ConfigurableOptionWire(Wire):
    attribute_id: int
    label: str
    position: int = 0


class ProductExtensionWire(Wire):
    stock_item: StockItemWire | None = None
    configurable_product_options: list[ConfigurableOptionWire] = Field(default_factory=list)
    configurable_product_links: list[int] = Field(default_factory=list)


class MediaWire(Wire):
    file: str
    position: int = 0
    disabled: bool = False
    media_type: str = "image"


class CustomAttributeWire(Wire):
    attribute_code: str
    value: Any = None


class ProductWire(Wire):
    id: int
    sku: str
    name: str = ""
    price: Number | None = None
    status: int
    visibility: int
    type_id: str
    updated_at: Time
    weight: Number | None = None
    extension_attributes: ProductExtensionWire = Field(default_factory=ProductExtensionWire)
    media_gallery_entries: list[MediaWire] | None = None
    custom_attributes: list[CustomAttributeWire] = Field(default_factory=list)

    def attribute(self, code: str) -> Any:
        return next((a.value for a in self.custom_attributes if a.attribute_code == code), None)


class AttributeOptionWire(Wire):
    label: str
    value: str


class AttributeWire(Wire):
    attribute_id: int
    attribute_code: str
    default_frontend_label: str | None = None
    options: list[AttributeOptionWire] = Field(default_factory=list)


class CategoryWire(Wire):
    id: int
    name: str


class SourceWire(Wire):
    source_code: str
    name: str
    enabled: bool


class SourceItemWire(Wire):
    sku: str
    source_code: str
    quantity: Number
    status: int


class HistoryWire(Wire):
    comment: str | None = None
    status: str | None = None
    created_at: Time


class OrderItemWire(Wire):
    item_id: int
    sku: str
    name: str = ""
    product_id: int | None = None
    parent_item_id: int | None = None
    qty_ordered: Number
    qty_shipped: Number = Decimal(0)
    qty_canceled: Number = Decimal(0)
    price: Number = Decimal(0)


class OrderWire(Wire):
    entity_id: int
    increment_id: str
    ext_order_id: str | None = None
    state: str
    status: str | None = None
    order_currency_code: str
    grand_total: Number
    total_paid: Number | None = None
    created_at: Time
    updated_at: Time
    items: list[OrderItemWire]
    status_histories: list[HistoryWire] = Field(default_factory=list)


class TrackWire(Wire):
    track_number: str | None = None
    title: str | None = None
    carrier_code: str | None = None


class ShipmentItemWire(Wire):
    order_item_id: int
    sku: str | None = None
    product_id: int | None = None
    qty: Number


class ShipmentWire(Wire):
    entity_id: int
    order_id: int
    created_at: Time
    updated_at: Time | None = None
    items: list[ShipmentItemWire] = Field(default_factory=list)
    tracks: list[TrackWire] = Field(default_factory=list)


class InvoiceWire(Wire):
    entity_id: int
    order_id: int
