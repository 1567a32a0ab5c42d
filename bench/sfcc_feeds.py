"""Generated SFCC feed files for the benchmarks: a catalog of masters with variants (each
variant its own product element), of about the size asked, written straight to disk."""

from __future__ import annotations

from pathlib import Path

CATALOG_NS = "http://www.demandware.com/xml/impex/catalog/2006-10-31"
SIZES = ("XS", "S", "M", "L", "XL", "XXL", "3XL", "4XL")


def _master(n: int, variants: int, description: str) -> str:
    values = "".join(
        f'<variation-attribute-value value="{SIZES[v % len(SIZES)]}{v // len(SIZES) or ""}">'
        f'<display-value xml:lang="x-default">Size {v}</display-value>'
        "</variation-attribute-value>"
        for v in range(variants)
    )
    ids = "".join(f'<variant product-id="M{n}-V{v}"/>' for v in range(variants))
    return (
        f'<product product-id="M{n}">'
        f'<display-name xml:lang="x-default">Shirt {n}</display-name>'
        f'<long-description xml:lang="x-default">{description}</long-description>'
        "<online-flag>true</online-flag>"
        f'<images><image-group view-type="large"><image path="/cdn/bench/m{n}_800x800.jpg"/>'
        "</image-group></images><brand>Bench</brand>"
        '<variations><attributes><variation-attribute attribute-id="size" '
        'variation-attribute-id="size"><display-name xml:lang="x-default">Size</display-name>'
        f"<variation-attribute-values>{values}</variation-attribute-values>"
        f"</variation-attribute></attributes><variants>{ids}</variants></variations>"
        '<classification-category catalog-id="bench">Shirt</classification-category>'
        "</product>\n"
    )


def _variant(n: int, v: int) -> str:
    size = f"{SIZES[v % len(SIZES)]}{v // len(SIZES) or ''}"
    return (
        f'<product product-id="M{n}-V{v}"><ean>{5_000_000_000_000 + n * 10 + v}</ean>'
        f'<display-name xml:lang="x-default">Shirt {n} {size}</display-name>'
        "<online-flag>true</online-flag><custom-attributes>"
        f'<custom-attribute attribute-id="size">{size}</custom-attribute>'
        '<custom-attribute attribute-id="weight">0.3</custom-attribute>'
        "</custom-attributes></product>\n"
    )


def write_catalog(path: Path, masters: int, variants: int, target_bytes: int) -> int:
    """Write the catalog; its size. Descriptions are padded to reach about `target_bytes`."""
    sample = _master(0, variants, "") + "".join(_variant(0, v) for v in range(variants))
    per_master = max(0, target_bytes // masters - len(sample.encode()))
    words = "A soft cotton shirt, cut for every day and washed for comfort. "
    description = (words * (per_master // len(words) + 1))[:per_master]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<catalog xmlns="{CATALOG_NS}" ')
        out.write('catalog-id="bench">\n')
        for n in range(masters):
            out.write(_master(n, variants, description))
            for v in range(variants):
                out.write(_variant(n, v))
        out.write("</catalog>\n")
    return path.stat().st_size
