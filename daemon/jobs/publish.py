"""Publishing one store product: validate, host its images, build the listing, send it.

Every refusal is a `SkippableError` naming the field (ours from validation, or the
marketplace's); a temporary failure is a `RetriableError`. Nothing here touches the ledger: the
catalog job records what came of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from daemon.connectors.base import ImageSource, Marketplace
from daemon.domain.categories import CategoryRef
from daemon.domain.content import content_hash
from daemon.domain.description import HostedImage as DescriptionImage
from daemon.domain.description import sanitise_description
from daemon.domain.inventory import InventoryRules, desired_quantities
from daemon.domain.listing import HostedImage, Listing, ListingDraft, build_draft
from daemon.domain.models import Location, Product, StockLevel
from daemon.domain.pricing import desired_prices
from daemon.domain.validation import Validation, ValidationConfig, validate_product
from daemon.errors import SkippableError


@dataclass(frozen=True)
class Prepared:
    """A product ready to send: its draft, and what we changed on the way (notes)."""

    draft: ListingDraft
    notes: tuple[str, ...]
    content_hash: str


class InvalidProductError(SkippableError):
    """Our own validation found problems; `validation` says which, field by field."""

    def __init__(self, validation: Validation) -> None:
        first = validation.problems[0]
        super().__init__(validation.reason(), field=str(first.field))
        self.validation = validation


@dataclass(frozen=True)
class Publisher:
    marketplace: Marketplace
    images: ImageSource
    validation: ValidationConfig
    inventory: InventoryRules

    async def prepare(
        self,
        product: Product,
        category: CategoryRef,
        locations: Sequence[Location],
        levels: Sequence[StockLevel],
    ) -> Prepared:
        """Validate and build the listing (hosting its images).

        Raises `InvalidProductError` when our validation fails. The stock it is created with
        comes from the ledger's last reading of the store (`levels`), not from a store call per
        product: TikTok takes stock updates only once the listing is Active, and the inventory
        job then sends the current quantities.
        """
        checked = validate_product(product, category, self.validation)
        if not checked.ok:
            raise InvalidProductError(checked)
        main = [await self._host(image.url) for image in checked.images.images]
        hosted: dict[str, DescriptionImage] = {}
        for url in checked.description.image_urls:
            image = await self._host(url, for_description=True)
            if image.width and image.height:
                hosted[url] = DescriptionImage(image.url, image.width, image.height)
        description = sanitise_description(product.description_html, hosted=hosted)
        stock = desired_quantities(product, levels, locations, self.inventory)
        prices = desired_prices(product.variants, self.validation.market)
        digest = content_hash(product, category.id)
        draft = build_draft(
            product,
            checked,
            category_id=category.id,
            description=description.html,
            image_uris=tuple(image.uri for image in main),
            prices=prices,
            stock=stock,
            content_hash=digest,
        )
        return Prepared(draft, checked.notes, digest)

    async def _host(self, url: str, *, for_description: bool = False) -> HostedImage:
        """Download, convert if needed, and upload one image."""
        image = await self.images.fetch(url)
        hosted = await self.marketplace.upload_image(
            image.content, image.content_type, for_description=for_description
        )
        return replace(
            hosted, width=hosted.width or image.width, height=hosted.height or image.height
        )

    async def check(self, prepared: Prepared) -> list[str]:
        """The marketplace's own objections to the draft (its listing check)."""
        return await self.marketplace.check(prepared.draft)

    async def publish(self, prepared: Prepared) -> Listing:
        return await self.marketplace.publish(prepared.draft)

    async def republish(self, product_id: str, prepared: Prepared) -> Listing:
        return await self.marketplace.republish(product_id, prepared.draft)
