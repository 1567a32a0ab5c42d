"""Prices per SKU in the shop currency, and the checks TikTok would apply (DOMAIN.md 3 and 5).

A price TikTok would reject is a field-level problem, never an exception. Store prices are not
converted between currencies: a store in another currency stops the whole shop (section 3).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Context, Decimal

from daemon.domain.markets import MarketFacts, SellerType
from daemon.domain.models import Money, Variant
from daemon.domain.problems import FieldProblem, ProductField, sku_label

_IMPLAUSIBLE_PRICE_DIGITS = 15  # 10**15 in any currency is a typing slip, not a price
_SELLER_WORDS = {SellerType.LOCAL: "local sellers", SellerType.CROSS_BORDER: "cross-border sellers"}


def currency_mismatch(store_currency: str, shop_currency: str) -> str | None:
    """The reason sync must stop when the store and the TikTok shop use different currencies."""
    store = store_currency.strip().upper()
    shop = shop_currency.strip().upper()
    if store == shop:
        return None
    return (
        f"the store's currency is {store or '(none)'} but the TikTok shop's is "
        f"{shop or '(none)'}; nothing is pushed until both use the same currency"
    )


def _decimal_places(amount: Decimal) -> int:
    """Significant digits after the point: 10.50 has 1, 10.000 has 0 (exact, any size)."""
    _, digits, exponent = amount.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:
        return 0
    places = -exponent
    for digit in reversed(digits):
        if digit != 0 or places == 0:
            break
        places -= 1
    return places


def _at_precision(amount: Decimal, decimals: int) -> Decimal:
    """`amount` with exactly `decimals` places, without context rounding at any plausible size."""
    exact = Context(prec=_IMPLAUSIBLE_PRICE_DIGITS + decimals + 28)
    return amount.quantize(Decimal(1).scaleb(-decimals), context=exact)


def _shown(amount: Decimal) -> str:
    return f"{amount:,}"


def price_problem(
    variant: Variant, market: MarketFacts, seller_type: SellerType = SellerType.LOCAL
) -> FieldProblem | None:
    """Why TikTok would refuse this variant's price in this market, or None."""
    price = variant.price
    label = sku_label(variant)
    if price.currency != market.currency:
        return FieldProblem(
            ProductField.PRICE,
            f"{label} is priced in {price.currency}; the {market.code} shop sells in "
            f"{market.currency}",
            variant.sku,
        )
    amount = price.amount
    if not amount.is_finite() or amount.adjusted() >= _IMPLAUSIBLE_PRICE_DIGITS:
        return FieldProblem(ProductField.PRICE, f"{label} has no usable price", variant.sku)
    if _decimal_places(amount) > market.currency_decimals:
        return FieldProblem(
            ProductField.PRICE,
            f"{label} costs {amount} {price.currency}; {price.currency} prices on TikTok take "
            f"at most {market.currency_decimals} decimal places",
            variant.sku,
        )
    bounds = market.price_range(seller_type)
    if bounds is None:
        return None
    too_high = bounds.maximum is not None and amount > bounds.maximum
    if amount < bounds.minimum or too_high:
        limit = (
            f"{_shown(bounds.minimum)} to {_shown(bounds.maximum)}"
            if bounds.maximum is not None
            else f"at least {_shown(bounds.minimum)}"
        )
        return FieldProblem(
            ProductField.PRICE,
            f"{label} costs {_shown(amount)} {price.currency}; TikTok accepts {limit} "
            f"{market.currency} for {market.code} {_SELLER_WORDS[seller_type]}",
            variant.sku,
        )
    return None


def price_problems(
    variants: Iterable[Variant],
    market: MarketFacts,
    seller_type: SellerType = SellerType.LOCAL,
) -> tuple[FieldProblem, ...]:
    found = (price_problem(variant, market, seller_type) for variant in variants)
    return tuple(problem for problem in found if problem is not None)


def shop_price(variant: Variant, market: MarketFacts) -> Money:
    """The variant's price at the currency's precision (10 → 10.00 GBP)."""
    amount = _at_precision(variant.price.amount, market.currency_decimals)
    return Money(amount, variant.price.currency)


def desired_prices(
    variants: Iterable[Variant],
    market: MarketFacts,
    seller_type: SellerType = SellerType.LOCAL,
) -> dict[str, Money]:
    """Variant id → the price to publish, for every variant whose price TikTok would accept.

    Variants with a price problem are left out; `price_problems` says why.
    """
    return {
        variant.id: shop_price(variant, market)
        for variant in variants
        if price_problem(variant, market, seller_type) is None
    }
