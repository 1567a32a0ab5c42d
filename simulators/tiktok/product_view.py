"""Products as the API returns them (read shape: ``price.sale_price``, never ``amount``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from simulators.tiktok.catalog import category_json
from simulators.tiktok.context import money
from simulators.tiktok.model import JsonObject, Product, ProductStatus, Sku
from simulators.tiktok.state import SimState

UK_VAT = Decimal("1.2")
AUDIT_STATUS: dict[ProductStatus, str] = {
    ProductStatus.DRAFT: "NONE",
    ProductStatus.PENDING: "AUDITING",
    ProductStatus.FAILED: "FAILED",
}


def image_url(uri: str) -> str:
    return f"https://p16-oec-eu.ibyteimg.com/{uri}~tplv-o3syd03w52-origin-jpeg.jpeg"


def sku_price(sku: Sku) -> JsonObject:
    return {
        "currency": sku.currency,
        "sale_price": money(sku.price),
        "tax_exclusive_price": money(sku.price / UK_VAT),
    }


def sku_inventory(sku: Sku) -> list[JsonObject]:
    return [{"warehouse_id": w, "quantity": q} for w, q in sku.inventory.items()]


def sku_json(sku: Sku) -> JsonObject:
    """One SKU of Get Product; optional objects (``identifier_code``) are absent, never null."""
    found: JsonObject = {
        "id": sku.sku_id,
        "seller_sku": sku.seller_sku,
        "external_sku_id": sku.external_sku_id,
        "inventory": sku_inventory(sku),
        "price": sku_price(sku),
        "sales_attributes": sku.sales_attributes,
    }
    if sku.identifier_code is not None:
        found["identifier_code"] = sku.identifier_code
    return found


def _main_images(state: SimState, product: Product) -> list[JsonObject]:
    images: list[JsonObject] = []
    for entry in product.content.get("main_images", []):
        uri = str(entry.get("uri", "")) if isinstance(entry, dict) else ""
        known = state.images.get(uri)
        images.append(
            {
                "uri": uri,
                "urls": [image_url(uri)],
                "thumb_urls": [image_url(uri)],
                "width": known.width if known else 0,
                "height": known.height if known else 0,
            }
        )
    return images


def _brand(state: SimState, product: Product) -> JsonObject | None:
    brand_id = product.content.get("brand_id")
    brand = state.catalog.brands.get(brand_id) if isinstance(brand_id, str) else None
    return {"id": brand.brand_id, "name": brand.name} if brand else None


def audit_json(product: Product) -> JsonObject:
    return {"status": AUDIT_STATUS.get(product.status, "APPROVED")}


def product_detail(state: SimState, product: Product) -> JsonObject:
    """Get Product's ``data``."""
    content = product.content
    category_id = str(content.get("category_id", ""))
    detail: dict[str, Any] = {
        "id": product.product_id,
        "status": product.status.value,
        "title": content.get("title", ""),
        "description": content.get("description", ""),
        "category_chains": [category_json(c) for c in state.catalog.chain(category_id)],
        "main_images": _main_images(state, product),
        "product_attributes": content.get("product_attributes", []),
        "external_product_id": content.get("external_product_id", ""),
        "is_cod_allowed": bool(content.get("is_cod_allowed", False)),
        "create_time": product.create_time,
        "update_time": product.update_time,
        "audit_failed_reasons": product.audit_failed_reasons,
        "audit": audit_json(product),
        "skus": [sku_json(sku) for sku in product.skus.values()],
    }
    optional = {
        "brand": _brand(state, product),
        "package_weight": content.get("package_weight"),
        "package_dimensions": content.get("package_dimensions"),
    }
    detail.update({key: value for key, value in optional.items() if value is not None})
    return detail


def product_summary(product: Product) -> JsonObject:
    """One entry of Search Products."""
    return {
        "id": product.product_id,
        "title": product.title,
        "status": product.status.value,
        "create_time": product.create_time,
        "update_time": product.update_time,
        "sales_regions": ["GB"],
        "audit": audit_json(product),
        "skus": [
            {
                "id": sku.sku_id,
                "seller_sku": sku.seller_sku,
                "inventory": sku_inventory(sku),
                "price": sku_price(sku),
            }
            for sku in product.skus.values()
        ],
    }


def write_payload(product: Product) -> JsonObject:
    """The product in write shape, the base a partial edit overlays."""
    payload: JsonObject = dict(product.content)
    payload["skus"] = [
        {
            "id": sku.sku_id,
            "seller_sku": sku.seller_sku,
            "external_sku_id": sku.external_sku_id,
            "price": {"amount": str(sku.price), "currency": sku.currency},
            "inventory": sku_inventory(sku),
            "sales_attributes": [
                {k: v for k, v in attribute.items() if k in {"name", "value_name", "sku_img"}}
                for attribute in sku.sales_attributes
            ],
            **({} if sku.identifier_code is None else {"identifier_code": sku.identifier_code}),
        }
        for sku in product.skus.values()
    ]
    return payload
