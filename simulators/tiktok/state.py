"""All simulator state in memory, with the indexes that keep each request O(1) or O(log n)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from simulators.kit import CallLog, FaultInjector, SimClock
from simulators.tiktok.catalog import Catalog
from simulators.tiktok.config import ReviewRules, SimulatorConfig
from simulators.tiktok.ids import IdFactory
from simulators.tiktok.model import (
    AuthCode,
    Cancellation,
    DeliveryOption,
    Grant,
    Image,
    Notification,
    Order,
    Package,
    Product,
    ProductStatus,
    ReturnRequest,
    ShippingProvider,
    Shop,
    Subscription,
)
from simulators.tiktok.rate_limit import RateLimiter
from simulators.tiktok.timeline import Due, Timeline

#: UK designated carriers (DOMAIN.md section 7). TikTok publishes no ids for them, so these
#: are the simulator's own, in TikTok's long numeric format.
UK_CARRIERS: tuple[tuple[str, str], ...] = (
    ("7208502187360519982", "Royal Mail"),
    ("7208502187360519983", "Royal Mail Tracked 24"),
    ("7208502187360519984", "Royal Mail Tracked 48"),
    ("7208502187360519985", "Evri"),
    ("7208502187360519986", "DPD"),
    ("7208502187360519987", "Yodel"),
    ("7208502187360519988", "Amazon Logistics"),
    ("7208502187360519989", "Parcel2Go"),
    ("7208502187360519990", "Parcelforce"),
    ("7208502187360519991", "UK Mail"),
    ("7208502187360519992", "UPS UK"),
    ("7208502187360519993", "DHL UK"),
    ("7208502187360519994", "FedEx UK"),
)


class SimState:
    """The whole simulated platform. Mutated only from the event loop thread."""

    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.clock = SimClock(config.clock_offset_seconds)
        self.ids = IdFactory()
        self.review_rules: ReviewRules = config.review_rules
        self.default_webhook_url: str | None = config.webhook_url
        self.faults = FaultInjector(config.seed)
        self.limiter = RateLimiter(config.rate_limit_per_second)
        self.timeline = Timeline()
        # Shops, credentials, logistics.
        self.shops: dict[str, Shop] = {}
        self.shops_by_cipher: dict[str, Shop] = {}
        self.grants_by_access: dict[str, Grant] = {}
        self.grants_by_refresh: dict[str, Grant] = {}
        self.auth_codes: dict[str, AuthCode] = {}
        self.providers: dict[str, ShippingProvider] = {
            provider_id: ShippingProvider(provider_id, name) for provider_id, name in UK_CARRIERS
        }
        self.delivery_options: dict[str, DeliveryOption] = {}
        # Catalogue.
        self.catalog = Catalog()
        self.images: dict[str, Image] = {}
        self.products: dict[str, Product] = {}
        self.product_ids_by_shop: dict[str, list[int]] = {}
        self.products_by_seller_sku: dict[tuple[str, str], set[str]] = {}
        self.status_counts: dict[str, Counter[str]] = {}
        self.idempotency: dict[tuple[str, str], str] = {}
        self.sku_owner: dict[str, str] = {}
        self.attribute_ids: dict[str, str] = {}
        # Orders and after-sales.
        self.orders: dict[str, Order] = {}
        self.order_ids_by_shop: dict[str, list[str]] = {}
        self.packages: dict[str, Package] = {}
        self.cancellations: dict[str, Cancellation] = {}
        self.cancellation_ids_by_shop: dict[str, list[str]] = {}
        self.cancellation_ids_by_order: dict[str, list[str]] = {}
        self.returns: dict[str, ReturnRequest] = {}
        self.return_ids_by_shop: dict[str, list[str]] = {}
        self.return_ids_by_order: dict[str, list[str]] = {}
        self.external_refs: dict[tuple[str, str, str], str] = {}
        # Webhooks and observability.
        self.subscriptions: dict[str, dict[str, Subscription]] = {}
        self.outbox: list[Notification] = []
        self.calls = CallLog(self.clock, config.max_recorded_calls)

    # --- time -------------------------------------------------------------------------------

    def now(self) -> int:
        return self.clock.now_int()

    def schedule(self, when: float, due: Due) -> None:
        self.timeline.schedule(when, due)

    # --- shops ------------------------------------------------------------------------------

    def add_shop(self, shop: Shop) -> None:
        self.shops[shop.shop_id] = shop
        self.shops_by_cipher[shop.cipher] = shop
        self.product_ids_by_shop.setdefault(shop.shop_id, [])
        self.order_ids_by_shop.setdefault(shop.shop_id, [])
        self.cancellation_ids_by_shop.setdefault(shop.shop_id, [])
        self.return_ids_by_shop.setdefault(shop.shop_id, [])
        self.status_counts.setdefault(shop.shop_id, Counter())
        self.subscriptions.setdefault(shop.shop_id, {})

    # --- products ---------------------------------------------------------------------------

    def add_product(self, product: Product) -> None:
        self.products[product.product_id] = product
        self.product_ids_by_shop[product.shop_id].append(int(product.product_id))
        self.status_counts[product.shop_id][product.status] += 1
        self.index_skus(product)

    def index_skus(self, product: Product) -> None:
        for sku in product.skus.values():
            self.sku_owner[sku.sku_id] = product.product_id
            key = (product.shop_id, sku.seller_sku)
            self.products_by_seller_sku.setdefault(key, set()).add(product.product_id)

    def unindex_skus(self, product: Product) -> None:
        for sku in product.skus.values():
            self.sku_owner.pop(sku.sku_id, None)
            owners = self.products_by_seller_sku.get((product.shop_id, sku.seller_sku))
            if owners is not None:
                owners.discard(product.product_id)

    def set_product_status(self, product: Product, status: ProductStatus) -> None:
        counts = self.status_counts[product.shop_id]
        counts[product.status] -= 1
        counts[status] += 1
        product.status = status
        product.update_time = self.now()

    def shop_product(self, shop_id: str, product_id: str) -> Product | None:
        product = self.products.get(product_id)
        if product is None or product.shop_id != shop_id:
            return None
        return product

    # --- orders -----------------------------------------------------------------------------

    def add_order(self, order: Order) -> None:
        self.orders[order.order_id] = order
        self.order_ids_by_shop[order.shop_id].append(order.order_id)

    def shop_order(self, shop_id: str, order_id: str) -> Order | None:
        order = self.orders.get(order_id)
        if order is None or order.shop_id != shop_id:
            return None
        return order

    def add_cancellation(self, cancellation: Cancellation) -> None:
        self.cancellations[cancellation.cancel_id] = cancellation
        self.cancellation_ids_by_shop[cancellation.shop_id].append(cancellation.cancel_id)
        by_order = self.cancellation_ids_by_order.setdefault(cancellation.order_id, [])
        by_order.append(cancellation.cancel_id)

    def cancellations_of(self, order_id: str) -> list[Cancellation]:
        ids = self.cancellation_ids_by_order.get(order_id, [])
        return [self.cancellations[cancel_id] for cancel_id in ids]

    def add_return(self, request: ReturnRequest) -> None:
        self.returns[request.return_id] = request
        self.return_ids_by_shop[request.shop_id].append(request.return_id)
        self.return_ids_by_order.setdefault(request.order_id, []).append(request.return_id)

    def returns_of(self, order_id: str) -> list[ReturnRequest]:
        return [self.returns[i] for i in self.return_ids_by_order.get(order_id, [])]

    # --- webhooks ---------------------------------------------------------------------------

    def notify(self, shop_id: str, event_type: int, data: dict[str, object]) -> None:
        """Queue an outgoing webhook; it is sent once the current request has been served."""
        notification = Notification(
            notification_id=self.ids.notification.next(),
            shop_id=shop_id,
            event_type=event_type,
            data=dict(data),
            timestamp=self.now(),
        )
        self.outbox.append(notification)

    def set_review_rules(self, rules: ReviewRules) -> None:
        self.review_rules = rules

    def replace_config(self, **changes: object) -> None:
        """Swap the frozen configuration for a copy with `changes` (control endpoint use)."""
        self.config = replace(self.config, **changes)  # type: ignore[arg-type]
