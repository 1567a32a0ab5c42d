"""Product endpoints: create, edit, partial edit, get, search, listing check."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from simulators.tiktok.context import RequestContext, optional_int, str_list
from simulators.tiktok.errors import LISTING_QUOTA_EXCEEDED, business_error, invalid_param
from simulators.tiktok.model import JsonObject, Product, ProductStatus, Shop, Sku
from simulators.tiktok.pagination import parse_page_size, scan_page
from simulators.tiktok.product_rules import Problem, check_product, fill_sole_warehouse
from simulators.tiktok.product_view import product_detail, product_summary, write_payload
from simulators.tiktok.review import submit_for_review
from simulators.tiktok.state import SimState

CONTENT_KEYS = (
    "title",
    "description",
    "category_id",
    "category_version",
    "brand_id",
    "main_images",
    "package_weight",
    "package_dimensions",
    "product_attributes",
    "certifications",
    "size_chart",
    "video",
    "external_product_id",
    "is_cod_allowed",
    "delivery_option_ids",
    "manufacturer_ids",
    "responsible_person_ids",
    "listing_platforms",
)
#: Sku fields whose change does not send a live product back to review.
STOCK_AND_PRICE = frozenset({"id", "price", "inventory"})
MAX_FILTER_SKUS = 10
MAX_PAGE = 100
NOT_FOUND_CODE = 12052032
ATTRIBUTE_ID_BASE = 7_082_000_000_000_000_000
NOT_EDITABLE = frozenset({ProductStatus.DELETED, ProductStatus.FREEZE})


def _raise_first(problems: list[Problem]) -> None:
    if problems:
        raise business_error(problems[0].code, problems[0].text())


def product_or_error(ctx: RequestContext) -> Product:
    product = ctx.state.shop_product(ctx.shop.shop_id, ctx.params["product_id"])
    if product is None:
        raise business_error(NOT_FOUND_CODE, "The product does not exist")
    return product


def _stable_id(state: SimState, key: str, base: int) -> str:
    known = state.attribute_ids.get(key)
    if known is None:
        known = str(base + len(state.attribute_ids))
        state.attribute_ids[key] = known
    return known


def _attribute(state: SimState, raw: JsonObject) -> JsonObject:
    name = str(raw.get("name") or raw.get("id"))
    value = str(raw.get("value_name") or raw.get("value_id"))
    attribute: JsonObject = {
        "id": _stable_id(state, name, ATTRIBUTE_ID_BASE),
        "name": name,
        "value_id": _stable_id(state, f"{name}\x00{value}", ATTRIBUTE_ID_BASE),
        "value_name": value,
    }
    image = raw.get("sku_img")
    if isinstance(image, dict):
        attribute["sku_img"] = {"uri": image.get("uri")}
    return attribute


def _build_sku(state: SimState, shop: Shop, raw: JsonObject) -> Sku:
    sku_id = raw.get("id")
    price = raw["price"]
    return Sku(
        sku_id=sku_id if isinstance(sku_id, str) else state.ids.sku.next(),
        seller_sku=str(raw.get("seller_sku") or ""),
        external_sku_id=str(raw.get("external_sku_id") or ""),
        price=Decimal(price["amount"]),
        currency=shop.currency,
        inventory={str(e["warehouse_id"]): int(e["quantity"]) for e in raw["inventory"]},
        sales_attributes=[_attribute(state, a) for a in raw.get("sales_attributes") or []],
        identifier_code=raw.get("identifier_code"),
    )


def _apply(state: SimState, shop: Shop, product: Product, payload: JsonObject) -> None:
    """Replace content and SKUs; committed stock of kept SKUs survives."""
    state.unindex_skus(product)
    old = product.skus
    product.content = {key: payload[key] for key in CONTENT_KEYS if key in payload}
    skus = [_build_sku(state, shop, raw) for raw in payload["skus"]]
    for sku in skus:
        if sku.sku_id in old:
            sku.committed = old[sku.sku_id].committed
    product.skus = {sku.sku_id: sku for sku in skus}
    product.update_time = state.now()
    state.index_skus(product)


def _write_response(product: Product) -> JsonObject:
    return {
        "product_id": product.product_id,
        "skus": [
            {
                "id": sku.sku_id,
                "seller_sku": sku.seller_sku,
                "external_sku_id": sku.external_sku_id,
                "sales_attributes": [
                    {"id": a["id"], "value_id": a["value_id"]} for a in sku.sales_attributes
                ],
            }
            for sku in product.skus.values()
        ],
        "warnings": [],
    }


def _publish(state: SimState, product: Product, payload: JsonObject) -> None:
    as_draft = payload.get("save_mode") == "AS_DRAFT"
    if as_draft and product.status in {ProductStatus.DRAFT, ProductStatus.PENDING}:
        state.set_product_status(product, ProductStatus.DRAFT)
    else:
        submit_for_review(state, product)


def create_product(ctx: RequestContext) -> JsonObject:
    state, shop = ctx.state, ctx.shop
    payload = fill_sole_warehouse(ctx.json(), shop.warehouses)
    key = payload.get("idempotency_key")
    if isinstance(key, str) and (shop.shop_id, key) in state.idempotency:
        return _write_response(state.products[state.idempotency[(shop.shop_id, key)]])
    _raise_first(check_product(state, shop, payload))
    now = ctx.now()
    _check_quota(state, shop, now)
    product = Product(
        product_id=state.ids.product.next(),
        shop_id=shop.shop_id,
        status=ProductStatus.DRAFT,
        create_time=now,
        update_time=now,
        content={},
        skus={},
        idempotency_key=key if isinstance(key, str) else None,
    )
    _apply(state, shop, product, payload)
    state.add_product(product)
    if isinstance(key, str):
        state.idempotency[(shop.shop_id, key)] = product.product_id
    _publish(state, product, payload)
    return _write_response(product)


def _check_quota(state: SimState, shop: Shop, now: float) -> None:
    """Refuse a new product once the shop created `listing_quota` in the current window."""
    quota = state.config.listing_quota
    if quota is None:
        return
    since = now - state.config.listing_quota_window_seconds
    created = sum(
        1 for p in state.products.values() if p.shop_id == shop.shop_id and p.create_time > since
    )
    if created >= quota:
        raise business_error(
            LISTING_QUOTA_EXCEEDED,
            "The number of products created has reached the product quantity limit of the "
            "shop; try again after the limit resets.",
        )


def edit_product(ctx: RequestContext) -> JsonObject:
    """Full replace: SKUs without an ``id`` are new, SKUs left out are removed."""
    product = product_or_error(ctx)
    if product.status in NOT_EDITABLE:
        raise _status_error()
    payload = fill_sole_warehouse(ctx.json(), ctx.shop.warehouses)
    _raise_first(check_product(ctx.state, ctx.shop, payload, product))
    _apply(ctx.state, ctx.shop, product, payload)
    _publish(ctx.state, product, payload)
    return _write_response(product)


def _status_error() -> Exception:
    return business_error(
        12052901,
        "The product in its current status is not available for this operation. "
        "Change the product status and try again.",
    )


def partial_edit_product(ctx: RequestContext) -> JsonObject:
    """Overlay the given fields; every SKU given must exist and keep its warehouses."""
    product = product_or_error(ctx)
    if product.status in NOT_EDITABLE:
        raise _status_error()
    payload = fill_sole_warehouse(ctx.json(), ctx.shop.warehouses)
    merged = write_payload(product)
    needs_review = False
    for key, value in payload.items():
        if key in CONTENT_KEYS or key in {"save_mode", "idempotency_key"}:
            merged[key] = value
            needs_review = needs_review or key in CONTENT_KEYS
    if "skus" in payload:
        merged["skus"], sku_review = _merge_skus(product, payload["skus"])
        needs_review = needs_review or sku_review
    _raise_first(check_product(ctx.state, ctx.shop, merged, product))
    _apply(ctx.state, ctx.shop, product, merged)
    if needs_review or product.status is ProductStatus.DRAFT:
        _publish(ctx.state, product, merged)
    return _write_response(product)


def _merge_skus(product: Product, given: Any) -> tuple[list[JsonObject], bool]:
    if not isinstance(given, list) or not given:
        message = "The SKU list is empty. Either omit the list entirely, or provide all details."
        raise business_error(12052902, message)
    base = {raw["id"]: raw for raw in write_payload(product)["skus"]}
    needs_review = False
    for index, raw in enumerate(given):
        sku_id = raw.get("id") if isinstance(raw, dict) else None
        if not isinstance(sku_id, str) or sku_id not in base:
            message = f"The SKU ID does not belong to the product. (field: skus[{index}].id)"
            raise business_error(12052557, message)
        if "inventory" in raw:
            given_warehouses = {e.get("warehouse_id") for e in raw["inventory"] or []}
            if given_warehouses != set(product.skus[sku_id].inventory):
                raise business_error(
                    12052533,
                    "Removal, addition, and change of warehouses are not permitted. Please "
                    "specify the original warehouses for the SKUs.",
                )
        needs_review = needs_review or not set(raw) <= STOCK_AND_PRICE
        base[sku_id] = {**base[sku_id], **raw}
    return list(base.values()), needs_review


def get_product(ctx: RequestContext) -> JsonObject:
    product = ctx.state.shop_product(ctx.shop.shop_id, ctx.params["product_id"])
    if product is None or product.status in NOT_EDITABLE:
        raise business_error(12019150, "The product ID does not exist.")
    return product_detail(ctx.state, product)


def listing_check(ctx: RequestContext) -> JsonObject:
    """Dry run of Create Product: every problem, nothing created."""
    problems = check_product(ctx.state, ctx.shop, ctx.json())
    return {
        "check_result": "FAILED" if problems else "PASS",
        "fail_reasons": [{"code": p.code, "message": p.text()} for p in problems],
        "warnings": [],
    }


@dataclass(frozen=True, slots=True)
class ProductFilter:
    """Search Products body filters (note ``_le``, unlike the order search's ``_lt``)."""

    shop_id: str
    status: str
    seller_skus: tuple[str, ...]
    sku_ids: tuple[str, ...]
    create_time_ge: int | None
    create_time_le: int | None
    update_time_ge: int | None
    update_time_le: int | None

    @property
    def by_status_only(self) -> bool:
        times = (self.create_time_ge, self.create_time_le, self.update_time_ge, self.update_time_le)
        return not self.seller_skus and not self.sku_ids and all(t is None for t in times)

    def accepts(self, product: Product) -> bool:
        if product.shop_id != self.shop_id:
            return False
        if self.status == "ALL" and product.status is ProductStatus.DELETED:
            return False
        if self.status not in {"ALL", product.status}:
            return False
        return _between(product.create_time, self.create_time_ge, self.create_time_le) and (
            _between(product.update_time, self.update_time_ge, self.update_time_le)
        )


def _between(value: int, lower: int | None, upper: int | None) -> bool:
    return (lower is None or value >= lower) and (upper is None or value <= upper)


def _product_filter(shop_id: str, payload: JsonObject) -> ProductFilter:
    status = payload.get("status", "ALL")
    if status != "ALL" and status not in ProductStatus.__members__:
        raise invalid_param("status is not a valid product status")
    seller_skus = str_list(payload, "seller_skus")
    if len(seller_skus) > MAX_FILTER_SKUS:
        message = "The maximum count of “seller_skus” in the search filter is 10."
        raise business_error(12019027, message)
    sku_ids = str_list(payload, "sku_ids")
    if len(sku_ids) > MAX_FILTER_SKUS:
        raise business_error(12019087, "The number of SKU IDs exceeds the limit of 10")
    return ProductFilter(
        shop_id=shop_id,
        status=str(status),
        seller_skus=tuple(seller_skus),
        sku_ids=tuple(sku_ids),
        create_time_ge=optional_int(payload, "create_time_ge"),
        create_time_le=optional_int(payload, "create_time_le"),
        update_time_ge=optional_int(payload, "update_time_ge"),
        update_time_le=optional_int(payload, "update_time_le"),
    )


def search_products(ctx: RequestContext) -> JsonObject:
    """Keyset pages in product-id (creation) order; ``total_count`` is O(1) per status."""
    state, shop_id = ctx.state, ctx.shop.shop_id
    page_size = parse_page_size(ctx.query.get("page_size"), maximum=MAX_PAGE, default=None)
    wanted = _product_filter(shop_id, ctx.json())
    candidates = _candidate_ids(state, shop_id, wanted)

    def lookup(product_id: int) -> Product | None:
        return state.products.get(str(product_id))

    page, token, served = scan_page(
        candidates,
        lookup,
        wanted.accepts,
        page_size=page_size,
        token=ctx.query.get("page_token"),
        kind="products",
        scope=shop_id,
    )
    if served + len(page) > state.config.max_search_results:
        raise business_error(12052180, "The total number of search results can not exceed 10000.")
    if wanted.by_status_only:
        counts = state.status_counts[shop_id]
        deleted = counts[ProductStatus.DELETED]
        total = sum(counts.values()) - deleted if wanted.status == "ALL" else counts[wanted.status]
    else:
        total = sum(1 for pid in candidates if (p := lookup(pid)) and wanted.accepts(p))
    return {
        "products": [product_summary(p) for p in page],
        "next_page_token": token,
        "total_count": total,
    }


def _candidate_ids(state: SimState, shop_id: str, wanted: ProductFilter) -> list[int]:
    if not wanted.seller_skus and not wanted.sku_ids:
        return state.product_ids_by_shop[shop_id]
    by_seller_sku: set[str] = set()
    for seller_sku in wanted.seller_skus:
        by_seller_sku |= state.products_by_seller_sku.get((shop_id, seller_sku), set())
    by_sku_id = {owner for sku_id in wanted.sku_ids if (owner := state.sku_owner.get(sku_id))}
    both = bool(wanted.seller_skus and wanted.sku_ids)
    found = by_seller_sku & by_sku_id if both else by_seller_sku | by_sku_id
    return sorted(int(product_id) for product_id in found)
