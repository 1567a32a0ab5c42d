"""Access scopes: each Open API operation needs one; a grant without it gets code 105005.

A seller grants an app the scopes (Partner Center "API scopes") the app asked for; the token
exchange reports them as ``granted_scopes``. The grouping follows the scope names the platform
reports for a seller (``seller.product.basic`` to read products, ``seller.product.write`` to
change them, and so on).
"""

from __future__ import annotations

from collections.abc import Iterable

AUTHORIZATION = "seller.authorization.info"
SHOP = "seller.shop.info"
PRODUCT_READ = "seller.product.basic"
PRODUCT_WRITE = "seller.product.write"
ORDER_READ = "seller.order.info"
FULFILLMENT_READ = "seller.fulfillment.basic"
FULFILLMENT_WRITE = "seller.fulfillment.package.write"
DELIVERY_WRITE = "seller.delivery.status.write"
RETURNS = "seller.return_refund.basic"

ALL_SCOPES: tuple[str, ...] = (
    AUTHORIZATION,
    SHOP,
    PRODUCT_READ,
    PRODUCT_WRITE,
    ORDER_READ,
    FULFILLMENT_READ,
    FULFILLMENT_WRITE,
    DELIVERY_WRITE,
    RETURNS,
)


def _each(scope: str, operations: Iterable[str]) -> dict[str, str]:
    return dict.fromkeys(operations, scope)


REQUIRED_SCOPE: dict[str, str] = {
    **_each(AUTHORIZATION, ["get_authorized_shops"]),
    **_each(SHOP, ["get_active_shops", "get_shop_webhooks", "update_shop_webhook"]),
    **_each(SHOP, ["delete_shop_webhook"]),
    **_each(
        PRODUCT_READ,
        ["get_product", "search_products", "search_inventory", "check_listing"],
    ),
    **_each(PRODUCT_READ, ["get_categories", "get_brands"]),
    **_each(
        PRODUCT_WRITE,
        ["create_product", "edit_product", "partial_edit_product", "upload_product_image"],
    ),
    **_each(PRODUCT_WRITE, ["activate_products", "deactivate_products", "delete_products"]),
    **_each(PRODUCT_WRITE, ["recover_products", "update_inventory", "update_price"]),
    **_each(ORDER_READ, ["search_orders", "get_order_detail", "get_external_order_references"]),
    **_each(ORDER_READ, ["add_external_order_references", "search_external_order_references"]),
    **_each(FULFILLMENT_READ, ["get_warehouses", "get_delivery_options"]),
    **_each(FULFILLMENT_READ, ["get_shipping_providers", "get_package_detail"]),
    **_each(FULFILLMENT_WRITE, ["mark_package_shipped", "update_shipping_info"]),
    **_each(FULFILLMENT_WRITE, ["update_package_shipping_info"]),
    **_each(RETURNS, ["search_cancellations", "search_returns", "cancel_order"]),
    **_each(RETURNS, ["approve_cancellation", "reject_cancellation"]),
}
