"""What TikTok Shop allows in each market: currency, price range, title length, SKU count.

Sources (DOMAIN.md section 11.1 names the public pages):

- currency per market, title lengths, SKUs per product, package units: Create Product reference,
  Dec 2025;
- price ranges: Update Price reference, Jan 2025 ("UK local 0.01-5,600 GBP, UK cross-border
  0.01-134.5 GBP, US 0.01-7,600 USD"); the Dec 2025 reference moved the table to a "Product
  Pricing" page, whose figures are not used here.

Where no source gives a bound (EU and JP maxima), the bound is None: we only check what we know
and TikTok's own check stays the last word. Add a market by adding a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType


class SellerType(StrEnum):
    LOCAL = "LOCAL"
    CROSS_BORDER = "CROSS_BORDER"


@dataclass(frozen=True)
class PriceRange:
    minimum: Decimal
    maximum: Decimal | None  # None: no published upper bound


@dataclass(frozen=True)
class MarketFacts:
    code: str  # as in the configuration: "UK", "US", "DE", ...
    currency: str  # ISO 4217
    currency_decimals: int  # digits after the point a price may carry
    title_min: int
    title_max: int
    max_skus: int
    prices: MappingProxyType[SellerType, PriceRange]

    def price_range(self, seller_type: SellerType) -> PriceRange | None:
        return self.prices.get(seller_type)


def _prices(
    local: PriceRange, cross_border: PriceRange | None = None
) -> MappingProxyType[SellerType, PriceRange]:
    table = {SellerType.LOCAL: local}
    if cross_border is not None:
        table[SellerType.CROSS_BORDER] = cross_border
    return MappingProxyType(table)


_CENT = Decimal("0.01")
_EURO_RANGE = PriceRange(_CENT, None)  # [I] minimum is the smallest coin; no maximum published


def _eu(code: str) -> MarketFacts:
    return MarketFacts(code, "EUR", 2, 1, 255, 300, _prices(_EURO_RANGE))


MARKETS: MappingProxyType[str, MarketFacts] = MappingProxyType(
    {
        "UK": MarketFacts(
            "UK",
            "GBP",
            2,
            1,
            255,
            300,
            _prices(PriceRange(_CENT, Decimal(5600)), PriceRange(_CENT, Decimal("134.5"))),
        ),
        "US": MarketFacts("US", "USD", 2, 1, 255, 300, _prices(PriceRange(_CENT, Decimal(7600)))),
        "DE": _eu("DE"),
        "FR": _eu("FR"),
        "IT": _eu("IT"),
        "ES": _eu("ES"),
        "IE": _eu("IE"),
        "JP": MarketFacts("JP", "JPY", 0, 1, 255, 300, _prices(PriceRange(Decimal(1), None))),
    }
)

#: TikTok names the United Kingdom "GB" (shop region); the configuration says "UK".
_ALIASES = MappingProxyType({"GB": "UK"})


def market_facts(market: str) -> MarketFacts:
    """The facts for a market code (case-insensitive; "GB" is the UK). ValueError if unknown."""
    code = market.strip().upper()
    code = _ALIASES.get(code, code)
    try:
        return MARKETS[code]
    except KeyError:
        known = ", ".join(sorted(MARKETS))
        raise ValueError(f"unknown TikTok Shop market {market!r}; known: {known}") from None
