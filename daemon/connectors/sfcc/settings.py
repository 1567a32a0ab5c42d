"""The ``[shops.store]`` table of Salesforce B2C Commerce feeds on WebDAV (``kind = "sfcc"``).

The storefront's jobs export catalog, inventory and price-book XML into folders under
``Impex/src/`` on the instance's WebDAV server; the daemon reads them from there and writes
orders (and order status updates) back as order XML for the storefront's import job.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from daemon.config_types import Duration, Secret, Section
from daemon.connectors.store_kind import StoreSettings
from daemon.domain.models import LengthUnit, WeightUnit

_FOLDER = r"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$"
# A custom attribute's `attribute-id` (the catalog XSD's NonEmptyString.256).
AttributeId = Annotated[str, Field(min_length=1, max_length=256)]


class AttributeMap(Section):
    """``[shops.store.attributes]``: the custom attributes (by ``attribute-id``) that give
    product fields the catalog has no element for, or that win over the element when given.
    A value is taken in the shop's locale, else ``x-default``; an attribute a product lacks
    leaves the field empty (or to the element)."""

    vendor: AttributeId | None = None  # else <brand>
    product_type: AttributeId | None = None  # else <classification-category>
    description: AttributeId | None = None  # else long-, else short-description
    tags: AttributeId | None = None  # each value one tag (category rules match_by = "tag")
    collections: AttributeId | None = None  # each value one collection
    barcode: AttributeId | None = None  # the variant's own; else its <ean>, else <upc>
    weight: AttributeId | None = "weight"  # the variant's, else its master's
    weight_unit: WeightUnit = WeightUnit.KILOGRAM
    # The package: all three or none; the master's (a TikTok product has one package).
    length: AttributeId | None = None
    width: AttributeId | None = None
    height: AttributeId | None = None
    dimension_unit: LengthUnit = LengthUnit.CENTIMETER

    @model_validator(mode="after")
    def _whole_package(self) -> Self:
        named = [self.length, self.width, self.height]
        if any(named) and not all(named):
            raise ValueError("length, width and height are named together, or none of them")
        return self


class SfccSettings(StoreSettings):
    kind: Literal["sfcc"] = "sfcc"
    # The instance (https://abcd-001.dx.commercecloud.salesforce.com): WebDAV is under
    # {base_url}/on/demandware.servlet/webdav/Sites/
    base_url: str = Field(pattern=r"^https?://[^\s/]+(/[^\s]*)?$")
    # A Business Manager user and its WebDAV access key (Basic authentication).
    username: str = Field(min_length=1)
    access_key: Secret
    site_id: str = Field(default="RefArch", min_length=1, max_length=32)
    # The shop's locale: names and descriptions in it, else in x-default.
    locale: str = "x-default"
    currency: str = Field(default="GBP", pattern=r"^[A-Z]{3}$")
    # Price books: the list price, and an optional sale book whose price wins when present.
    list_pricebook: str = Field(min_length=1)
    sale_pricebook: str | None = None
    # Folders (under Sites/) the storefront's export jobs drop files in, read in this order.
    catalog_folder: str = Field(default="Impex/src/tiktok/catalog", pattern=_FOLDER)
    pricebook_folder: str = Field(default="Impex/src/tiktok/pricebooks", pattern=_FOLDER)
    inventory_folder: str = Field(default="Impex/src/tiktok/inventory", pattern=_FOLDER)
    order_status_folder: str = Field(default="Impex/src/tiktok/order-status", pattern=_FOLDER)
    # Where TikTok orders are written for the storefront's order import job.
    orders_folder: str = Field(default="Impex/src/tiktok/orders", pattern=_FOLDER)
    # After a file is applied: left where it is, or moved under this folder.
    archive_folder: str | None = Field(default=None, pattern=_FOLDER)
    # A file is ready when its size and time are unchanged across two listings this far
    # apart, or at once when a marker file (its name plus this suffix) is beside it.
    settle: Duration = timedelta(seconds=2)
    ready_marker: str | None = ".done"
    # Images: the view type sent to TikTok, and where the catalog's image paths live.
    image_view_type: str = "large"
    image_base_url: str | None = None
    # Custom attributes mapped onto product fields (brand, type, tags, weight, package...).
    attributes: AttributeMap = AttributeMap()
    # Files larger than this are refused (streamed to a temporary file, never held in memory).
    max_file_mb: int = Field(default=1024, gt=0)
    # Shared secret of the alert endpoint POST /feeds/sfcc/<shop> ("a file is ready").
    alert_secret: Secret | None = None
    # Order XML: the order number is this prefix and the TikTok order id.
    order_prefix: str = Field(default="TT", pattern=r"^[A-Za-z0-9_-]{0,10}$")

    @property
    def davroot(self) -> str:
        return self.base_url.rstrip("/") + "/on/demandware.servlet/webdav/Sites/"

    @property
    def folders(self) -> tuple[str, ...]:
        return (
            self.catalog_folder,
            self.pricebook_folder,
            self.inventory_folder,
            self.order_status_folder,
        )
