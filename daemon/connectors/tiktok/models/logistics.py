"""Warehouses, delivery options, shipping providers and seller shipping (DOMAIN.md 11.7)."""

from __future__ import annotations

from pydantic import Field

from daemon.connectors.tiktok.models.common import RequestModel, WireModel


class WarehouseAddress(WireModel):
    region_code: str = ""
    postal_code: str = ""
    city: str = ""
    full_address: str = ""
    contact_person: str = ""


class Warehouse(WireModel):
    id: str
    name: str = ""
    is_default: bool = False
    effect_status: str = ""
    type: str = ""
    sub_type: str = ""
    address: WarehouseAddress | None = None


class WarehousesData(WireModel):
    warehouses: list[Warehouse] = Field(default_factory=list)


class DeliveryOption(WireModel):
    id: str
    name: str = ""
    type: str = ""
    description: str = ""


class DeliveryOptionsData(WireModel):
    delivery_options: list[DeliveryOption] = Field(default_factory=list)


class ShippingProvider(WireModel):
    id: str
    name: str


class ShippingProvidersData(WireModel):
    shipping_providers: list[ShippingProvider] = Field(default_factory=list)


class MarkShippedInput(RequestModel):
    """Mark Package As Shipped: leave `order_line_item_ids` out to ship the whole order."""

    tracking_number: str = Field(min_length=1)
    shipping_provider_id: str = Field(min_length=1)
    order_line_item_ids: list[str] | None = None


class ShippingInfoInput(RequestModel):
    tracking_number: str = Field(min_length=1)
    shipping_provider_id: str = Field(min_length=1)


class ShipWarning(WireModel):
    message: str = ""


class MarkShippedResult(WireModel):
    order_id: str
    package_id: str
    order_line_item_ids: list[str] = Field(default_factory=list)
    warning: ShipWarning | None = None
