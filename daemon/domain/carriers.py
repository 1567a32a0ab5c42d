"""Carrier names: normalised, matched to a TikTok shipping provider, unknown ones to a default
(DOMAIN.md section 7).

A store writes whatever the merchant typed ("Royal-Mail", "hermes", "DPD Local"); TikTok wants
one of the providers a delivery option offers. `CarrierBook` holds the built-in UK designated
carriers with their common aliases, plus the user's entries (from ``carriers.toml``, parsed by
`carrier_entries`); `resolve` says which carrier a name means, or that it fell back to the
configured default.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise(name: str) -> str:
    """The key a carrier name is matched on: case, spaces and punctuation do not count.

    ``"Royal-Mail "``, ``"royal mail"`` and ``"ROYALMAIL"`` are the same carrier; ``&`` reads
    as ``and``.
    """
    return _NOT_ALNUM.sub("", name.casefold().replace("&", "and"))


@dataclass(frozen=True)
class CarrierEntry:
    """One carrier (named as TikTok's shipping providers name it) and what else it is called."""

    name: str
    aliases: tuple[str, ...] = ()


#: The UK designated carriers (DOMAIN.md section 11.7), named as TikTok lists them, with
#: Royal Mail's Tracked 24 and Tracked 48 services as providers of their own.
UK_CARRIERS: tuple[CarrierEntry, ...] = (
    CarrierEntry("Royal Mail", ("RM", "Royal Mail UK", "Royal Mail Group", "Royal Mail 1st Class")),
    CarrierEntry("Royal Mail Tracked 24", ("RM Tracked 24", "Tracked 24", "RM24", "Royal Mail 24")),
    CarrierEntry("Royal Mail Tracked 48", ("RM Tracked 48", "Tracked 48", "RM48", "Royal Mail 48")),
    CarrierEntry("Evri", ("Hermes", "Hermes UK", "myHermes", "Hermes Parcelnet", "Evri UK")),
    CarrierEntry("DPD", ("DPD UK", "DPD Local", "DPD Group")),
    CarrierEntry("Yodel", ("Yodel Direct", "Yodel UK")),
    CarrierEntry("Amazon Logistics", ("Amazon", "Amazon Shipping", "AMZL", "Amazon UK")),
    CarrierEntry("Parcel2Go", ("Parcel 2 Go", "P2G")),
    CarrierEntry("Parcelforce", ("Parcelforce Worldwide", "Parcel Force")),
    CarrierEntry("UK Mail", ("UKMail",)),
    CarrierEntry("UPS UK", ("UPS", "United Parcel Service")),
    CarrierEntry("DHL UK", ("DHL", "DHL Express", "DHL Express UK", "DHL Parcel UK")),
    CarrierEntry("FedEx UK", ("FedEx", "Federal Express", "FedEx Express")),
)


@dataclass(frozen=True)
class CarrierChoice:
    """What a store carrier name resolved to. `fallback` is True when the name was unknown (or
    missing) and the default carrier was used instead; `given` is the name as the store had it."""

    carrier: str
    fallback: bool
    given: str | None

    @property
    def note(self) -> str | None:
        """The line recorded against the order when a fallback happened."""
        if not self.fallback:
            return None
        shown = repr(self.given) if self.given else "no carrier"
        return f"carrier {shown} is not known; sent as {self.carrier} (the default)"


class CarrierBook:
    """Names and aliases to carriers. Later entries win: user entries override built-in ones."""

    def __init__(self, entries: Iterable[CarrierEntry]) -> None:
        self._by_key: dict[str, str] = {}
        for entry in entries:
            for name in (entry.name, *entry.aliases):
                key = normalise(name)
                if key:
                    self._by_key[key] = entry.name

    @classmethod
    def uk(cls, extra: Iterable[CarrierEntry] = ()) -> CarrierBook:
        return cls((*UK_CARRIERS, *extra))

    def lookup(self, name: str | None) -> str | None:
        """The carrier `name` means, or None when it is unknown."""
        if not name:
            return None
        return self._by_key.get(normalise(name))

    def resolve(self, name: str | None, default: str) -> CarrierChoice:
        """The carrier to send for a store's carrier name; unknown → `default`, flagged."""
        known = self.lookup(name)
        if known is not None:
            return CarrierChoice(known, fallback=False, given=name)
        return CarrierChoice(self.lookup(default) or default, fallback=True, given=name)


def match_provider(carrier: str, providers: Mapping[str, str]) -> str | None:
    """The id of the provider (id → name) that is `carrier`, comparing normalised names."""
    wanted = normalise(carrier)
    return next((pid for pid, name in providers.items() if normalise(name) == wanted), None)


def carrier_entries(data: Mapping[str, Any], source: str) -> list[CarrierEntry]:
    """The ``[[carriers]]`` of a parsed ``carriers.toml``; ValueError naming each problem."""
    raw = data.get("carriers", [])
    unknown = sorted(set(data) - {"carriers"})
    problems = [f"{source}: unknown key {key!r} (only [[carriers]] is read)" for key in unknown]
    if not isinstance(raw, list):
        problems.append(f"{source}: carriers must be an array of tables ([[carriers]])")
        raw = []
    entries = []
    for index, item in enumerate(raw):
        where = f"{source}: carriers[{index}]"
        entry = _entry(item, where, problems)
        if entry is not None:
            entries.append(entry)
    if problems:
        raise ValueError("; ".join(problems))
    return entries


def _entry(item: object, where: str, problems: list[str]) -> CarrierEntry | None:
    if not isinstance(item, dict):
        problems.append(f"{where}: must be a table with name and aliases")
        return None
    name, aliases = item.get("name"), item.get("aliases", [])
    extra = sorted(set(item) - {"name", "aliases"})
    if extra:
        problems.append(f"{where}: unknown key(s) {', '.join(extra)}")
    if not isinstance(name, str) or not normalise(name):
        problems.append(f"{where}.name: must be a carrier name")
        return None
    if not _strings(aliases):
        problems.append(f"{where}.aliases: must be a list of names")
        return None
    return CarrierEntry(name.strip(), tuple(alias.strip() for alias in aliases))


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)
