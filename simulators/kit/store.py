"""The neutral store control API: one way to drive any store simulator, whatever its kind.

Every store simulator (not TikTok) implements `StoreControl` and mounts it with
`add_store_routes` under ``/_sim/store/``; the demo and store-neutral tests then seed
catalogs, move stock and prices, and act as the merchant on orders without knowing the kind.
Ids are strings, money is a decimal string (``"9.50"``), JSON in and out. Errors answer
``{"error": message, "field": field-or-null}``: 400 for a malformed body (naming the field),
404 for an unknown id, 409 for an action the platform refuses.

Each store package also exports ``async def start_store(seed: StoreSeed, host, port) ->
RunningStore``: the neutral way to start it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Protocol

from aiohttp import web
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

from simulators.kit.jsonio import ControlError, bad_request, read_model, reply

STORE_PREFIX = "/_sim/store"
MAX_GENERATED_PRODUCTS = 100_000


def _decimal_text(value: object) -> Decimal:
    """Money and weights travel as decimal strings, so no float rounding creeps in."""
    if not isinstance(value, str):
        raise ValueError('must be a decimal string such as "9.50"')  # noqa: TRY004 pydantic wants ValueError
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a decimal number") from None
    if not number.is_finite() or number < 0:
        raise ValueError("must be a finite number, zero or more")
    return number


DecimalText = Annotated[
    Decimal, BeforeValidator(_decimal_text), PlainSerializer(str, return_type=str)
]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StockSpec(_Spec):
    """Units available at one location (a location id from ``GET /_sim/store/locations``)."""

    location: str
    available: int


class VariantSpec(_Spec):
    sku: str = Field(min_length=1)
    price: DecimalText
    barcode: str | None = None
    weight_kg: DecimalText | None = None
    options: dict[str, str] = Field(default_factory=dict)  # option name -> value, in order
    tracked: bool = True
    backorders: bool = False  # keeps selling when out of stock
    stock: list[StockSpec] = Field(default_factory=list)


class ProductSpec(_Spec):
    title: str = Field(min_length=1)
    category: str | None = None  # the store's product type or category name
    description_html: str = ""
    published: bool = True
    images: list[str] = Field(default_factory=list)  # URLs, or CDN paths ("/cdn/...")
    variants: list[VariantSpec] = Field(min_length=1)


class StockLevel(_Spec):
    sku: str = Field(min_length=1)
    location: str
    available: int


class PriceChange(_Spec):
    sku: str = Field(min_length=1)
    price: DecimalText


@dataclass(frozen=True, slots=True)
class Location:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class CreatedVariant:
    """`stock_key` is the store's own stock handle (Shopify: the inventory item id)."""

    id: str
    sku: str
    stock_key: str


@dataclass(frozen=True, slots=True)
class CreatedProduct:
    id: str
    title: str
    variants: tuple[CreatedVariant, ...]


@dataclass(frozen=True, slots=True)
class OrderLine:
    sku: str | None
    quantity: int


@dataclass(frozen=True, slots=True)
class Shipment:
    carrier: str | None
    tracking_number: str | None


@dataclass(frozen=True, slots=True)
class StoreOrder:
    """`reference` is the TikTok order id the order carries, however the store keeps it."""

    id: str
    name: str
    reference: str | None
    cancelled: bool
    lines: tuple[OrderLine, ...]
    shipments: tuple[Shipment, ...]


class StoreControl(Protocol):
    """What a store simulator does for the neutral API. Raise `ControlError` (404 unknown id,
    409 refused) for what cannot be done; changes behave as the platform's own (timestamps,
    webhooks). Stock and prices name variants by SKU: every variant with that SKU changes."""

    async def locations(self) -> Sequence[Location]: ...

    async def create_products(self, specs: Sequence[ProductSpec]) -> Sequence[CreatedProduct]: ...

    async def generate(
        self, products: int, variants: int, seed: int
    ) -> Sequence[CreatedProduct]: ...

    async def set_stock(self, levels: Sequence[StockLevel]) -> Sequence[StockLevel]: ...

    async def set_prices(self, prices: Sequence[PriceChange]) -> Sequence[PriceChange]: ...

    async def set_published(self, product_id: str, published: bool) -> None: ...  # noqa: FBT001 the neutral API's shape

    async def delete_product(self, product_id: str) -> None: ...

    async def orders(self) -> Sequence[StoreOrder]: ...

    async def ship_order(self, order_id: str, carrier: str, tracking_number: str) -> StoreOrder: ...

    async def cancel_order(self, order_id: str) -> StoreOrder: ...


@dataclass(frozen=True)
class StoreSeed:
    """What any store simulator starts from. `options` are the kind's own settings as plain
    values (Shopify: ``shop_domain``, ``access_token``, ``api_version``, ``webhook_secret``)."""

    name: str
    currency: str
    locations: tuple[str, ...]
    webhook_url: str | None
    options: Mapping[str, Any]


class RunningStore(Protocol):
    """A started store simulator: its base URL and the neutral control API's URL."""

    @property
    def base_url(self) -> str: ...

    @property
    def control_url(self) -> str: ...  # base_url + "/_sim/store"

    async def stop(self) -> None: ...


class ProductsIn(_Spec):
    products: list[ProductSpec]


class GenerateIn(_Spec):
    products: int = Field(ge=0, le=MAX_GENERATED_PRODUCTS)
    variants: int = Field(default=1, ge=1)
    seed: int = 1


class StockIn(_Spec):
    levels: list[StockLevel]


class PricesIn(_Spec):
    prices: list[PriceChange]


class PublishedIn(_Spec):
    published: bool


class ShipIn(_Spec):
    carrier: str = Field(min_length=1)
    tracking_number: str = Field(min_length=1)


class CancelIn(_Spec):
    pass


def _product_json(product: CreatedProduct) -> dict[str, Any]:
    return asdict(product)


def _order_json(order: StoreOrder) -> dict[str, Any]:
    return asdict(order)


StoreHandler = Callable[[web.Request, StoreControl], Awaitable[Any]]


def add_store_routes(router: web.UrlDispatcher, control: StoreControl) -> None:
    """Mount the neutral API for `control` under ``/_sim/store/``."""
    routes: list[tuple[str, str, StoreHandler]] = [
        ("GET", "/locations", _locations),
        ("POST", "/products", _create_products),
        ("POST", "/generate", _generate),
        ("POST", "/stock", _set_stock),
        ("POST", "/prices", _set_prices),
        ("POST", "/products/{product_id}/published", _set_published),
        ("DELETE", "/products/{product_id}", _delete_product),
        ("GET", "/orders", _orders),
        ("POST", "/orders/{order_id}/ship", _ship),
        ("POST", "/orders/{order_id}/cancel", _cancel),
    ]
    for method, path, handler in routes:
        router.add_route(method, STORE_PREFIX + path, _bound(handler, control))


def _bound(handler: StoreHandler, control: StoreControl) -> Callable[..., Awaitable[web.Response]]:
    async def answer(request: web.Request) -> web.Response:
        try:
            return reply(await handler(request, control))
        except ControlError as error:
            return reply(error.as_json(), error.status)
        except ValueError as error:
            return reply(bad_request(str(error)).as_json(), 400)

    return answer


async def _locations(_: web.Request, control: StoreControl) -> Any:
    return {"locations": [asdict(location) for location in await control.locations()]}


async def _create_products(request: web.Request, control: StoreControl) -> Any:
    given = await read_model(request, ProductsIn)
    created = await control.create_products(given.products)
    return {"products": [_product_json(product) for product in created]}


async def _generate(request: web.Request, control: StoreControl) -> Any:
    given = await read_model(request, GenerateIn)
    created = await control.generate(given.products, given.variants, given.seed)
    return {"products": [_product_json(product) for product in created]}


async def _set_stock(request: web.Request, control: StoreControl) -> Any:
    levels = await control.set_stock((await read_model(request, StockIn)).levels)
    return {"levels": [level.model_dump() for level in levels]}


async def _set_prices(request: web.Request, control: StoreControl) -> Any:
    prices = await control.set_prices((await read_model(request, PricesIn)).prices)
    return {"prices": [price.model_dump() for price in prices]}


async def _set_published(request: web.Request, control: StoreControl) -> Any:
    product_id = request.match_info["product_id"]
    published = (await read_model(request, PublishedIn)).published
    await control.set_published(product_id, published)
    return {"id": product_id, "published": published}


async def _delete_product(request: web.Request, control: StoreControl) -> Any:
    product_id = request.match_info["product_id"]
    await control.delete_product(product_id)
    return {"deleted": product_id}


async def _orders(_: web.Request, control: StoreControl) -> Any:
    return {"orders": [_order_json(order) for order in await control.orders()]}


async def _ship(request: web.Request, control: StoreControl) -> Any:
    given = await read_model(request, ShipIn)
    order = await control.ship_order(
        request.match_info["order_id"], given.carrier, given.tracking_number
    )
    return {"order": _order_json(order)}


async def _cancel(request: web.Request, control: StoreControl) -> Any:
    await read_model(request, CancelIn)
    return {"order": _order_json(await control.cancel_order(request.match_info["order_id"]))}
