"""A store fulfilment as a marketplace shipment: which carrier (provider) and which units
(DOMAIN.md section 7). Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from daemon.domain.carriers import CarrierBook, match_provider
from daemon.domain.orders import MarketplaceLine, ShippingProvider


@dataclass(frozen=True)
class ProviderChoice:
    provider: ShippingProvider
    fallback: bool  # the store's carrier was unknown or not offered: the default was used
    note: str | None  # what is recorded against the order when it fell back


def choose_provider(
    carrier_name: str | None,
    providers: Sequence[ShippingProvider],
    book: CarrierBook,
    default: str,
) -> ProviderChoice | str:
    """The provider to send, or why none fits (a reason naming what is offered)."""
    offered = {provider.id: provider.name for provider in providers}
    by_id = {provider.id: provider for provider in providers}
    choice = book.resolve(carrier_name, default)
    found = match_provider(choice.carrier, offered)
    if found is not None:
        return ProviderChoice(by_id[found], choice.fallback, choice.note)
    fallback = book.resolve(default, default).carrier
    found = match_provider(fallback, offered)
    if found is not None:
        note = (
            f"carrier {choice.carrier!r} is not offered by the order's delivery option; sent "
            f"as {fallback} (the default)"
        )
        return ProviderChoice(by_id[found], fallback=True, note=note)
    names = ", ".join(sorted(offered.values())) or "none"
    return (
        f"neither {choice.carrier!r} nor the default {fallback!r} is offered by the order's "
        f"delivery option (it offers: {names}); map the carrier in carriers.toml"
    )


def units_to_ship(
    open_lines: Sequence[MarketplaceLine],
    variant_of_sku: Mapping[str, str],
    fulfilled: Sequence[tuple[str | None, int]],
) -> tuple[str, ...]:
    """The marketplace units a store fulfilment of (variant, quantity) pairs covers.

    Empty (meaning every open unit) when the fulfilment names no lines, or names one that
    cannot be matched to an open unit of its SKU.
    """
    remaining = list(open_lines)
    chosen: list[str] = []
    for variant_id, quantity in fulfilled:
        for _ in range(quantity):
            unit = next(
                (line for line in remaining if variant_of_sku.get(line.sku_id) == variant_id),
                None,
            )
            if unit is None or variant_id is None:
                return ()
            remaining.remove(unit)
            chosen.append(unit.id)
    return tuple(chosen)
