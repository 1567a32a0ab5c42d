"""Every Open API endpoint the client calls: method, versioned path and transport rules.

`shop_scoped` endpoints carry ``shop_cipher``; the others must not (a stray cipher is rejected
with 36009004 "Unexpected identifier"). `idempotent` endpoints may be repeated after a failure
that may have taken effect (5xx, timeout); the rest are repeated only after a throttle or a 503,
which the platform did not act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Formatter
from urllib.parse import quote


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    shop_scoped: bool = True
    idempotent: bool = True
    multipart: bool = False

    @property
    def scope(self) -> str:
        """The access scope a grant needs for this endpoint (else code 105005)."""
        return SCOPES[self.name]

    def render(self, **params: str) -> str:
        """The concrete path, with each ``{param}`` percent-encoded as one segment."""
        names = {field for _, field, _, _ in Formatter().parse(self.path) if field}
        if names != set(params):
            raise ValueError(f"{self.name} needs path parameters {sorted(names)}")
        for value in params.values():
            if not value:
                raise ValueError(f"{self.name}: path parameters must not be empty")
        return self.path.format(**{key: quote(value, safe="") for key, value in params.items()})


def _get(name: str, path: str, *, shop_scoped: bool = True) -> Endpoint:
    return Endpoint(name, "GET", path, shop_scoped=shop_scoped)


def _post(name: str, path: str, *, idempotent: bool = True) -> Endpoint:
    return Endpoint(name, "POST", path, idempotent=idempotent)


AUTHORIZED_SHOPS = _get("authorization.shops", "/authorization/202309/shops", shop_scoped=False)

WAREHOUSES = _get("logistics.warehouses", "/logistics/202309/warehouses")
DELIVERY_OPTIONS = _get(
    "logistics.delivery_options", "/logistics/202309/warehouses/{warehouse_id}/delivery_options"
)
SHIPPING_PROVIDERS = _get(
    "logistics.shipping_providers",
    "/logistics/202309/delivery_options/{delivery_option_id}/shipping_providers",
)

# Create is repeated safely only because the client always sends an idempotency_key.
CREATE_PRODUCT = _post("product.create", "/product/202309/products")
EDIT_PRODUCT = Endpoint("product.edit", "PUT", "/product/202509/products/{product_id}")
PARTIAL_EDIT_PRODUCT = _post(
    "product.partial_edit", "/product/202509/products/{product_id}/partial_edit"
)
GET_PRODUCT = _get("product.get", "/product/202309/products/{product_id}")
SEARCH_PRODUCTS = _post("product.search", "/product/202502/products/search")
LISTING_CHECK = _post("product.listing_check", "/product/202309/products/listing_check")
ACTIVATE_PRODUCTS = _post("product.activate", "/product/202309/products/activate")
DEACTIVATE_PRODUCTS = _post("product.deactivate", "/product/202309/products/deactivate")
UPDATE_INVENTORY = _post(
    "product.update_inventory", "/product/202309/products/{product_id}/inventory/update"
)
UPDATE_PRICE = _post("product.update_price", "/product/202309/products/{product_id}/prices/update")
UPLOAD_IMAGE = Endpoint(
    "product.upload_image",
    "POST",
    "/product/202309/images/upload",
    shop_scoped=False,
    idempotent=False,
    multipart=True,
)

SEARCH_ORDERS = _post("order.search", "/order/202309/orders/search")
ORDER_DETAIL = _get("order.detail", "/order/202507/orders")
ADD_EXTERNAL_ORDERS = _post("order.external_add", "/order/202406/orders/external_orders")
GET_EXTERNAL_ORDERS = _get("order.external_get", "/order/202406/orders/{order_id}/external_orders")
SEARCH_EXTERNAL_ORDERS = _post(
    "order.external_search", "/order/202406/orders/external_order_search"
)

MARK_SHIPPED = _post(
    "fulfillment.mark_shipped", "/fulfillment/202309/orders/{order_id}/packages", idempotent=False
)
UPDATE_SHIPPING_INFO = _post(
    "fulfillment.update_shipping_info", "/fulfillment/202309/orders/{order_id}/shipping_info/update"
)

SEARCH_CANCELLATIONS = _post("cancellation.search", "/return_refund/202309/cancellations/search")
CANCEL_ORDER = _post("cancellation.cancel", "/return_refund/202309/cancellations", idempotent=False)
SEARCH_RETURNS = _post("return.search", "/return_refund/202309/returns/search")

GET_WEBHOOKS = _get("event.webhooks_get", "/event/202309/webhooks")
UPDATE_WEBHOOK = Endpoint("event.webhook_update", "PUT", "/event/202309/webhooks")
DELETE_WEBHOOK = Endpoint("event.webhook_delete", "DELETE", "/event/202309/webhooks")

ALL_ENDPOINTS: tuple[Endpoint, ...] = (
    AUTHORIZED_SHOPS,
    WAREHOUSES,
    DELIVERY_OPTIONS,
    SHIPPING_PROVIDERS,
    CREATE_PRODUCT,
    EDIT_PRODUCT,
    PARTIAL_EDIT_PRODUCT,
    GET_PRODUCT,
    SEARCH_PRODUCTS,
    LISTING_CHECK,
    ACTIVATE_PRODUCTS,
    DEACTIVATE_PRODUCTS,
    UPDATE_INVENTORY,
    UPDATE_PRICE,
    UPLOAD_IMAGE,
    SEARCH_ORDERS,
    ORDER_DETAIL,
    ADD_EXTERNAL_ORDERS,
    GET_EXTERNAL_ORDERS,
    SEARCH_EXTERNAL_ORDERS,
    MARK_SHIPPED,
    UPDATE_SHIPPING_INFO,
    SEARCH_CANCELLATIONS,
    CANCEL_ORDER,
    SEARCH_RETURNS,
    GET_WEBHOOKS,
    UPDATE_WEBHOOK,
    DELETE_WEBHOOK,
)

# The access scope each endpoint needs (DOMAIN.md section 11.2); a grant without it gets 105005.
SCOPES: dict[str, str] = {
    "authorization.shops": "seller.authorization.info",
    **dict.fromkeys(
        ["logistics.warehouses", "logistics.delivery_options", "logistics.shipping_providers"],
        "seller.fulfillment.basic",
    ),
    **dict.fromkeys(
        ["product.get", "product.search", "product.listing_check"], "seller.product.basic"
    ),
    **dict.fromkeys(
        ["product.create", "product.edit", "product.partial_edit", "product.activate"],
        "seller.product.write",
    ),
    **dict.fromkeys(
        ["product.deactivate", "product.update_inventory", "product.update_price"],
        "seller.product.write",
    ),
    "product.upload_image": "seller.product.write",
    **dict.fromkeys(
        ["order.search", "order.detail", "order.external_add", "order.external_get"],
        "seller.order.info",
    ),
    "order.external_search": "seller.order.info",
    **dict.fromkeys(
        ["fulfillment.mark_shipped", "fulfillment.update_shipping_info"],
        "seller.fulfillment.package.write",
    ),
    **dict.fromkeys(
        ["cancellation.search", "cancellation.cancel", "return.search"],
        "seller.return_refund.basic",
    ),
    **dict.fromkeys(
        ["event.webhooks_get", "event.webhook_update", "event.webhook_delete"], "seller.shop.info"
    ),
}

# Auth host (unsigned GETs with credentials in the query).
AUTH_GET_PATH = "/api/v2/token/get"
AUTH_REFRESH_PATH = "/api/v2/token/refresh"
