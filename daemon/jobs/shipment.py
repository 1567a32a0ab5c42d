"""One store fulfilment to TikTok as a shipment with tracking, at most once.

``sending`` (with the attempt counted) is committed before Mark Package As Shipped; a later
attempt first checks whether TikTok already holds a package with this tracking number, so a
crash between TikTok's answer and our commit never ships twice. Nothing is sent for an order
still on hold, cancelled, or shipped by TikTok's own logistics; an unknown carrier goes as the
default (Royal Mail in the UK) and the fallback is recorded on the order's shipment.
"""

from __future__ import annotations

from dataclasses import dataclass

from daemon.connectors.base import OrderChannel
from daemon.domain.carriers import CarrierBook
from daemon.domain.orders import (
    MarketplaceOrder,
    OrderState,
    Shipment,
    ShippedBy,
    ShippingProvider,
    StoreFulfillment,
)
from daemon.domain.shipping import ProviderChoice, choose_provider, units_to_ship
from daemon.errors import AuthError, SyncError
from daemon.jobs.failures import FailureQueue
from daemon.jobs.runner import RunContext
from daemon.ledger import Ledger, aftersales
from daemon.ledger import order_flow as flow
from daemon.ledger.aftersales import ShipmentRow

ENTITY = "fulfillment"
_ON_HOLD = frozenset({OrderState.UNPAID, OrderState.ON_HOLD})


class ProviderCache:
    """Shipping providers per delivery option, asked for once per run."""

    def __init__(self, channel: OrderChannel) -> None:
        self._channel = channel
        self._known: dict[str, list[ShippingProvider]] = {}

    async def providers(self, delivery_option_id: str) -> list[ShippingProvider]:
        if delivery_option_id not in self._known:
            found = await self._channel.shipping_providers(delivery_option_id)
            self._known[delivery_option_id] = found
        return self._known[delivery_option_id]


@dataclass(frozen=True)
class ShipmentSender:
    ledger: Ledger
    channel: OrderChannel
    failures: FailureQueue
    carriers: CarrierBook
    default_carrier: str

    async def send(
        self,
        ctx: RunContext,
        fulfilment: StoreFulfillment,
        row: ShipmentRow,
        order: MarketplaceOrder,
        cache: ProviderCache,
    ) -> None:
        try:
            await self._send(ctx, fulfilment, row, order, cache)
        except AuthError:
            raise
        except SyncError as exc:
            await self.fail(ctx, row, f"TikTok did not take the shipment: {exc}")

    async def _send(
        self,
        ctx: RunContext,
        fulfilment: StoreFulfillment,
        row: ShipmentRow,
        order: MarketplaceOrder,
        cache: ProviderCache,
    ) -> None:
        number = fulfilment.tracking_number or ""
        stop = _stop(order, number)
        if stop is not None:
            final, reason, field = stop
            if final:
                await self._settle(ctx, row, reason)
            else:
                await self.fail(ctx, row, reason, field=field)
            return
        if _holds(order, number):  # an earlier attempt got through before the crash
            await self._sent(ctx, row, fulfilment, None, None, adopted=True)
            return
        choice = await self._provider(ctx, row, fulfilment, order, cache)
        if choice is None:
            return
        async with self.ledger.read() as tx:
            skus = sorted({line.sku_id for line in order.open_lines})
            links = await flow.sku_links(tx, ctx.shop_id, skus)
        variants = {link.tiktok_sku_id: link.store_variant_id or "" for link in links}
        fulfilled = [(line.variant_id, line.quantity) for line in fulfilment.lines]
        units = units_to_ship(order.open_lines, variants, fulfilled)
        async with self.ledger.transaction() as tx:
            await aftersales.begin_sending(tx, ctx.shop_id, fulfilment.id, ctx.now())
        package = await self.channel.ship(order.id, Shipment(number, choice.provider.id, units))
        await self._sent(ctx, row, fulfilment, choice, package, adopted=False)

    async def _provider(
        self,
        ctx: RunContext,
        row: ShipmentRow,
        fulfilment: StoreFulfillment,
        order: MarketplaceOrder,
        cache: ProviderCache,
    ) -> ProviderChoice | None:
        """TikTok's shipping provider for the store's carrier; None (failure recorded) if none."""
        choice = choose_provider(
            fulfilment.tracking_company,
            await cache.providers(order.delivery_option_id or ""),
            self.carriers,
            self.default_carrier,
        )
        if isinstance(choice, str):
            await self.fail(ctx, row, choice, field="tracking_company")
            return None
        return choice

    async def retrack(
        self,
        ctx: RunContext,
        fulfilment: StoreFulfillment,
        row: ShipmentRow,
        order: MarketplaceOrder,
        cache: ProviderCache,
    ) -> None:
        """The store changed the tracking of a shipment already sent: correct it on TikTok."""
        number = fulfilment.tracking_number
        if not number or number == row.tracking_number:
            return
        choice = await self._provider(ctx, row, fulfilment, order, cache)
        if choice is None:
            return
        try:
            await self.channel.update_tracking(order.id, Shipment(number, choice.provider.id))
        except AuthError:
            raise
        except SyncError as exc:
            await self.fail(ctx, row, f"TikTok did not take the new tracking number: {exc}")
            return
        await self._sent(ctx, row, fulfilment, choice, None, adopted=False)
        ctx.counts["tracking_updated"] += 1

    async def _sent(
        self,
        ctx: RunContext,
        row: ShipmentRow,
        fulfilment: StoreFulfillment,
        choice: ProviderChoice | None,
        package: str | None,
        *,
        adopted: bool,
    ) -> None:
        async with self.ledger.transaction() as tx:
            await aftersales.finish_shipment(
                tx,
                shop_id=ctx.shop_id,
                store_fulfillment_id=fulfilment.id,
                status="sent",
                reason=choice.note if choice else row.reason,
                now=ctx.now(),
                carrier=fulfilment.tracking_company or "",
                tracking_number=fulfilment.tracking_number,
                provider=choice.provider.name if choice else None,
                provider_id=choice.provider.id if choice else None,
                fallback=choice.fallback if choice else None,
                package_id=package,
            )
            await self.failures.succeeded(tx, ctx, ENTITY, fulfilment.id)
        ctx.ok(ENTITY, fulfilment.id)
        ctx.counts["shipments_sent"] += 1
        if adopted:
            ctx.counts["shipments_adopted"] += 1
        if choice is not None and choice.fallback:
            ctx.counts["carrier_fallbacks"] += 1
            ctx.log.warning(
                "carrier_fallback",
                order=row.tiktok_order_id,
                store_carrier=fulfilment.tracking_company,
                sent_as=choice.provider.name,
                note=choice.note,
            )

    async def _settle(self, ctx: RunContext, row: ShipmentRow, reason: str) -> None:
        """Nothing will ever be sent for this fulfilment; say why."""
        async with self.ledger.transaction() as tx:
            await aftersales.finish_shipment(
                tx,
                shop_id=ctx.shop_id,
                store_fulfillment_id=row.store_fulfillment_id,
                status="not_sent",
                reason=reason,
                now=ctx.now(),
            )
            await self.failures.succeeded(tx, ctx, ENTITY, row.store_fulfillment_id)
        ctx.skipped(ENTITY, row.store_fulfillment_id, reason)

    async def fail(
        self, ctx: RunContext, row: ShipmentRow, reason: str, *, field: str | None = None
    ) -> None:
        async with self.ledger.transaction() as tx:
            await aftersales.finish_shipment(
                tx,
                shop_id=ctx.shop_id,
                store_fulfillment_id=row.store_fulfillment_id,
                status="failed",
                reason=reason,
                now=ctx.now(),
            )
            await self.failures.failed(
                tx, ctx, ENTITY, row.store_fulfillment_id, reason, field_name=field
            )


def _stop(order: MarketplaceOrder, tracking_number: str) -> tuple[bool, str, str | None] | None:
    """Why nothing is sent now: (for good?, reason, field), or None to go ahead."""
    if order.shipped_by is ShippedBy.PLATFORM:
        return True, "shipped by TikTok's own logistics; nothing to send", None
    if order.state is OrderState.CANCELLED:
        return True, "the order was cancelled on TikTok; nothing sent", None
    if order.state in _ON_HOLD:
        return False, "the order is still on hold on TikTok; sent once the hold ends", None
    if not tracking_number:
        return False, "the store fulfilment has no tracking number", "tracking_number"
    if not order.open_lines and not _holds(order, tracking_number):
        return True, f"already shipped on TikTok with other tracking ({order.state.value})", None
    return None


def _holds(order: MarketplaceOrder, tracking_number: str) -> bool:
    """True when TikTok already has a package with this tracking number for the order."""
    return any(line.package_id and line.tracking_number == tracking_number for line in order.lines)
