"""Carrier names to TikTok shipping providers (DOMAIN.md section 7)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daemon.domain.carriers import (
    UK_CARRIERS,
    CarrierBook,
    CarrierEntry,
    carrier_entries,
    match_provider,
    normalise,
)
from daemon.domain.orders import MarketplaceLine, ShippingProvider
from daemon.domain.shipping import ProviderChoice, choose_provider, units_to_ship
from daemon.errors import ConfigError
from daemon.runtime.order_jobs import load_carriers
from tests.domain_builders import gbp

DESIGNATED = (
    "Royal Mail",
    "Evri",
    "DPD",
    "Yodel",
    "Amazon Logistics",
    "Parcel2Go",
    "Parcelforce",
    "UK Mail",
    "UPS UK",
    "DHL UK",
    "FedEx UK",
)
PROVIDERS = [
    ShippingProvider(str(7208502187360519982 + i), name)
    for i, name in enumerate(
        (
            "Royal Mail",
            "Royal Mail Tracked 24",
            "Royal Mail Tracked 48",
            "Evri",
            "DPD",
            "Yodel",
            "Amazon Logistics",
            "Parcel2Go",
            "Parcelforce",
            "UK Mail",
            "UPS UK",
            "DHL UK",
            "FedEx UK",
        )
    )
]


def test_the_eleven_uk_designated_carriers_are_built_in() -> None:
    names = {entry.name for entry in UK_CARRIERS}
    assert set(DESIGNATED) <= names
    assert names - set(DESIGNATED) == {"Royal Mail Tracked 24", "Royal Mail Tracked 48"}


@pytest.mark.parametrize(
    ("given", "carrier"),
    [
        ("Hermes", "Evri"),
        ("myHermes", "Evri"),
        ("EVRI", "Evri"),
        ("royal-mail", "Royal Mail"),
        ("RoyalMail", "Royal Mail"),
        ("Royal Mail Tracked 24", "Royal Mail Tracked 24"),
        ("RM48", "Royal Mail Tracked 48"),
        ("DPD Local", "DPD"),
        ("Amazon", "Amazon Logistics"),
        ("Parcel Force", "Parcelforce"),
        ("UPS", "UPS UK"),
        ("DHL Express", "DHL UK"),
        ("Federal Express", "FedEx UK"),
        (" yodel ", "Yodel"),
    ],
)
def test_names_and_aliases_resolve_to_their_carrier(given: str, carrier: str) -> None:
    choice = CarrierBook.uk().resolve(given, "Royal Mail")
    assert (choice.carrier, choice.fallback, choice.note) == (carrier, False, None)


@pytest.mark.parametrize("given", [None, "", "Bob's Van Co", "Pigeon Post"])
def test_unknown_or_missing_carriers_fall_back_to_the_default_and_say_so(
    given: str | None,
) -> None:
    choice = CarrierBook.uk().resolve(given, "Royal Mail")
    assert (choice.carrier, choice.fallback) == ("Royal Mail", True)
    assert choice.note is not None
    assert "sent as Royal Mail (the default)" in choice.note


def test_the_default_is_configurable() -> None:
    assert CarrierBook.uk().resolve("Pigeon Post", "evri").carrier == "Evri"


def test_user_entries_add_aliases_and_win_over_built_in_ones() -> None:
    book = CarrierBook.uk([CarrierEntry("DPD", ("Speedy",)), CarrierEntry("Yodel", ("Amazon",))])
    assert book.lookup("speedy") == "DPD"
    assert book.lookup("Amazon") == "Yodel"
    assert book.lookup("Hermes") == "Evri"


@given(st.text(max_size=30))
def test_normalising_ignores_case_spaces_and_punctuation(text: str) -> None:
    noisy = f"  {text.upper()} -_. "
    assert normalise(noisy) == normalise(text)


def test_carrier_file_entries_are_checked() -> None:
    entries = carrier_entries(
        {"carriers": [{"name": "DPD", "aliases": ["Speedy"]}, {"name": "Local Co"}]}, "c.toml"
    )
    assert entries == [CarrierEntry("DPD", ("Speedy",)), CarrierEntry("Local Co", ())]
    with pytest.raises(ValueError, match=r"carriers\[0\].name") as problem:
        carrier_entries({"carriers": [{"aliases": ["x"]}], "extra": 1}, "c.toml")
    assert "unknown key 'extra'" in str(problem.value)


def test_the_carrier_file_is_read_at_start_up(tmp_path: Path) -> None:
    good = tmp_path / "carriers.toml"
    good.write_text('[[carriers]]\nname = "DPD"\naliases = ["Speedy"]\n', encoding="utf-8")
    assert load_carriers(good).lookup("speedy") == "DPD"
    assert load_carriers(None).lookup("hermes") == "Evri"
    bad = tmp_path / "bad.toml"
    bad.write_text("[[carriers]]\nname = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="carriers"):
        load_carriers(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        load_carriers(tmp_path / "missing.toml")


def test_the_shipped_example_carrier_file_is_valid() -> None:
    example = Path(__file__).parents[2] / "config" / "carriers.toml"
    book = load_carriers(example)
    assert book.lookup("Hermes") == "Evri"


def test_providers_are_matched_by_normalised_name() -> None:
    offered = {p.id: p.name for p in PROVIDERS}
    assert match_provider("royal mail", offered) == "7208502187360519982"
    assert match_provider("Pigeon Post", offered) is None


def test_choose_provider_falls_back_when_the_carrier_is_not_offered() -> None:
    book = CarrierBook.uk()
    evri = choose_provider("Hermes", PROVIDERS, book, "Royal Mail")
    assert isinstance(evri, ProviderChoice)
    assert (evri.provider.name, evri.fallback) == ("Evri", False)
    only_royal_mail = [p for p in PROVIDERS if p.name == "Royal Mail"]
    fallback = choose_provider("Hermes", only_royal_mail, book, "Royal Mail")
    assert isinstance(fallback, ProviderChoice)
    assert (fallback.provider.name, fallback.fallback) == ("Royal Mail", True)
    assert fallback.note is not None
    assert "not offered" in fallback.note
    problem = choose_provider("Hermes", [], book, "Royal Mail")
    assert isinstance(problem, str)
    assert "offers: none" in problem


def unit(line_id: str, sku: str, **extra: object) -> MarketplaceLine:
    return MarketplaceLine(
        id=line_id,
        sku_id=sku,
        seller_sku=None,
        title="t",
        price=gbp("5.00"),
        seller_discount=gbp("0"),
        platform_discount=gbp("0"),
        **extra,  # type: ignore[arg-type]
    )


def test_a_fulfilment_ships_the_units_of_its_variants() -> None:
    lines = [unit("1", "a"), unit("2", "a"), unit("3", "b")]
    variants = {"a": "va", "b": "vb"}
    assert units_to_ship(lines, variants, [("va", 1), ("vb", 1)]) == ("1", "3")
    assert units_to_ship(lines, variants, [("va", 2)]) == ("1", "2")
    # Unmatched (or no lines named): every open unit goes.
    assert units_to_ship(lines, variants, [("vz", 1)]) == ()
    assert units_to_ship(lines, variants, [("va", 3)]) == ()
    assert units_to_ship(lines, variants, []) == ()
