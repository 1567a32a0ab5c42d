"""Reading the catalog: products with their configurable children, the attributes and
categories they name, in as few searches as the store allows.

A full pass pages through every product; a pass since a time pages through the products
updated since then. A changed child (a simple product not visible on its own) stands for its
configurable parent, which is read again with all its children; the parent of each child is
known from the configurable products' links, read at most once per `reference_ttl`.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from datetime import datetime

import structlog

from daemon.connectors.magento.mapping import (
    CONFIGURABLE,
    SIMPLE,
    CatalogContext,
    parse_product,
    product_or_bad,
)
from daemon.connectors.magento.models import (
    AttributeWire,
    CategoryWire,
    ProductWire,
    magento_time,
)
from daemon.connectors.magento.rest import Rest, parse_body
from daemon.connectors.magento.settings import MagentoSettings
from daemon.domain.models import BadRecord, Product

log = structlog.get_logger(__name__)

_ID_BATCH = 200  # ids per "in" filter: a URL well under the usual 8 KB limit


def _batches(values: Sequence[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


class CatalogReader:
    def __init__(
        self,
        rest: Rest,
        settings: MagentoSettings,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._rest = rest
        self._settings = settings
        self._clock = clock
        self._ttl = settings.reference_ttl.total_seconds()
        self._attributes: dict[int, AttributeWire] = {}
        self._categories: tuple[float, dict[int, str]] | None = None
        self._parents: tuple[float, dict[int, int]] | None = None

    async def _category_names(self) -> dict[int, str]:
        now = self._clock()
        if self._categories is not None and now - self._categories[0] < self._ttl:
            return self._categories[1]
        names: dict[int, str] = {}
        async for items, _ in self._rest.search(
            ["categories", "list"], [], endpoint="categories.list"
        ):
            for raw in items:
                category = parse_body(CategoryWire, raw, "categories.list")
                names[category.id] = category.name
        self._categories = (now, names)
        return names

    async def _attributes_for(self, products: Iterable[ProductWire]) -> None:
        wanted = sorted(
            {
                option.attribute_id
                for product in products
                for option in product.extension_attributes.configurable_product_options
            }
            - set(self._attributes)
        )
        for batch in _batches(wanted, _ID_BATCH):
            ids = ",".join(str(i) for i in batch)
            async for items, _ in self._rest.search(
                ["products", "attributes"],
                [[("attribute_id", ids, "in")]],
                endpoint="attributes.list",
            ):
                for raw in items:
                    attribute = parse_body(AttributeWire, raw, "attributes.list")
                    self._attributes[attribute.attribute_id] = attribute

    async def context(
        self, products: Iterable[ProductWire], currency: str, media_url: str, weight_unit: str
    ) -> CatalogContext:
        await self._attributes_for(products)
        return CatalogContext(
            currency=currency,
            media_url=media_url,
            weight_unit=weight_unit,
            attributes=self._attributes,
            categories=await self._category_names(),
            barcode_attribute=self._settings.barcode_attribute,
        )

    async def parents(self) -> dict[int, int]:
        """Child id -> configurable parent id, read at most once per `reference_ttl`."""
        now = self._clock()
        if self._parents is not None and now - self._parents[0] < self._ttl:
            return self._parents[1]
        found: dict[int, int] = {}
        async for items, _ in self._rest.search(
            ["products"],
            [[("type_id", CONFIGURABLE, "eq")]],
            endpoint="products.configurables",
            sort="entity_id",
        ):
            for raw in items:
                parent = parse_product(raw)
                if isinstance(parent, ProductWire):
                    for child in parent.extension_attributes.configurable_product_links:
                        found[child] = parent.id
        self._parents = (now, found)
        return found

    async def by_ids(self, ids: Sequence[int], endpoint: str) -> list[ProductWire | BadRecord]:
        found: list[ProductWire | BadRecord] = []
        for batch in _batches(sorted(set(ids)), _ID_BATCH):
            filters = [[("entity_id", ",".join(str(i) for i in batch), "in")]]
            async for items, _ in self._rest.search(
                ["products"], filters, endpoint=endpoint, sort="entity_id"
            ):
                found.extend(parse_product(raw) for raw in items)
        return found

    async def pages(
        self, updated_since: datetime | None
    ) -> AsyncIterator[list[ProductWire | BadRecord]]:
        groups = (
            [] if updated_since is None else [[("updated_at", magento_time(updated_since), "gteq")]]
        )
        async for items, _ in self._rest.search(
            ["products"], groups, endpoint="products.list", sort="entity_id"
        ):
            yield [parse_product(raw) for raw in items]


def _number(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def _sort_page(
    page: Sequence[ProductWire | BadRecord], parents: dict[int, int], known: dict[int, ProductWire]
) -> tuple[list[BadRecord], list[int]]:
    """The unreadable records, and the ids of the products the page stands for (a child
    stands for its parent), in order."""
    bad: list[BadRecord] = []
    wanted: dict[int, None] = {}
    for item in page:
        item_id = item.id if isinstance(item, ProductWire) else _number(item.id)
        if item_id is not None and item_id in parents:
            wanted[parents[item_id]] = None
        elif isinstance(item, BadRecord):
            bad.append(item)
        elif item.type_id in {SIMPLE, CONFIGURABLE}:
            known[item.id] = item
            wanted[item.id] = None
        else:
            log.debug("magento_product_type_skipped", product_id=item.id, type_id=item.type_id)
        if isinstance(item, ProductWire):
            known[item.id] = item
    return bad, list(wanted)


async def _read_missing(
    reader: CatalogReader, ids: Sequence[int], known: dict[int, ProductWire], endpoint: str
) -> dict[int, str]:
    """Read the products of `ids` not yet known; the reasons of those that cannot be read."""
    unreadable: dict[int, str] = {}
    for fetched in await reader.by_ids([i for i in ids if i not in known], endpoint):
        if isinstance(fetched, ProductWire):
            known[fetched.id] = fetched
        elif fetched.id.isdigit():
            unreadable[int(fetched.id)] = fetched.reason
    return unreadable


async def assemble(
    reader: CatalogReader,
    page: Sequence[ProductWire | BadRecord],
    parents: dict[int, int],
    seen: set[int],
    known: dict[int, ProductWire],
) -> tuple[list[BadRecord], list[ProductWire], dict[int, list[ProductWire]]]:
    """One page sorted out: the unreadable records, the products to yield (configurables
    with their children, read when the page lacks them), never one already `seen`."""
    bad, wanted = _sort_page(page, parents, known)
    wanted = [pid for pid in wanted if pid not in seen]
    lost = await _read_missing(reader, wanted, known, "products.parents")
    bad.extend(BadRecord("product", str(pid), lost[pid]) for pid in wanted if pid in lost)
    seen.update(lost)
    products = [known[pid] for pid in wanted if pid in known]
    links = [c for p in products for c in p.extension_attributes.configurable_product_links]
    unreadable = await _read_missing(reader, links, known, "products.children")
    ready: list[ProductWire] = []
    kids: dict[int, list[ProductWire]] = {}
    for product in products:
        seen.add(product.id)
        children = product.extension_attributes.configurable_product_links
        broken = [c for c in children if c in unreadable]
        if broken:
            reason = f"child {broken[0]}: {unreadable[broken[0]]}"
            bad.append(BadRecord("product", str(product.id), reason))
            continue
        ready.append(product)
        kids[product.id] = [known[c] for c in children if c in known]
    return bad, ready, kids


def forget_done(known: dict[int, ProductWire], parents: dict[int, int], seen: set[int]) -> None:
    """Keep only the children read before their parent (a later page yields them with it):
    a full pass then holds about one page of products, not the whole catalog."""
    for product_id in list(known):
        parent = parents.get(product_id)
        if parent is None or parent in seen:
            del known[product_id]


def yield_products(
    ready: Sequence[ProductWire], kids: dict[int, list[ProductWire]], ctx: CatalogContext
) -> list[Product | BadRecord]:
    return [product_or_bad(p, kids.get(p.id, []), ctx) for p in ready]
