"""What shapes the Salesforce B2C Commerce feeds simulator."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: Where the instance serves WebDAV (``Sites/`` holds ``Impex/``, ``Catalogs/``...).
DAV_ROOT = "/on/demandware.servlet/webdav/Sites"


@dataclass(frozen=True, slots=True)
class SfccSimulatorConfig:
    """`username` and `access_key` are the Business Manager user and its WebDAV access key
    (Basic authentication). The merchant's export jobs write their feeds into the folders
    below (with a marker file beside each when `markers`), and the storefront's order import
    job reads order files from `orders_folder`. `root` is the server's disk (a temporary
    folder when None). With `alert_url`, each export is followed by the feed alert."""

    username: str = "ttsync@example.com"
    access_key: str = "sfcc_webdav_access_key"
    site_id: str = "RefArch"
    catalog_id: str = "storefront-catalog"
    list_pricebook: str = "gbp-list-prices"
    store_name: str = "Simulated SFCC Instance"
    currency: str = "GBP"
    locations: tuple[str, ...] = ("inventory_m",)
    catalog_folder: str = "Impex/src/tiktok/catalog"
    pricebook_folder: str = "Impex/src/tiktok/pricebooks"
    inventory_folder: str = "Impex/src/tiktok/inventory"
    order_status_folder: str = "Impex/src/tiktok/order-status"
    orders_folder: str = "Impex/src/tiktok/orders"
    order_prefix: str = "TT"
    markers: bool = True
    marker_suffix: str = ".done"
    image_path: str = "/images"
    root: Path | None = None
    # Where the export jobs send the feed alert after each file (the daemon's
    # /feeds/sfcc/<shop> or /webhooks/sfcc/<shop>), with this shared secret.
    alert_url: str | None = None
    alert_secret: str | None = None
