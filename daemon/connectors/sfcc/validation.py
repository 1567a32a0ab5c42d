"""Checking a feed file before anything from it is applied: complete, well-formed, in the
right namespace, valid against the public Salesforce schema; streamed, so a file of any size
is checked in flat memory. Entities are not resolved and nothing is fetched from the network."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path

from lxml import etree


class Feed(StrEnum):
    CATALOG = "catalog"
    PRICEBOOK = "pricebook"
    INVENTORY = "inventory"
    ORDER_STATUS = "order status"
    ORDER = "order"


@dataclass(frozen=True)
class Format:
    namespace: str
    root: str
    schema: str


FORMATS = {
    Feed.CATALOG: Format(
        "http://www.demandware.com/xml/impex/catalog/2006-10-31", "catalog", "catalog.xsd"
    ),
    Feed.PRICEBOOK: Format(
        "http://www.demandware.com/xml/impex/pricebook/2006-10-31", "pricebooks", "pricebook.xsd"
    ),
    Feed.INVENTORY: Format(
        "http://www.demandware.com/xml/impex/inventory/2007-05-31", "inventory", "inventory.xsd"
    ),
    Feed.ORDER_STATUS: Format(
        "urn:demandware.com:oms:shipping_order_status_feed:99.9",
        "shipping_order_status_feed",
        "shippingorderupdatefeed.xsd",
    ),
    Feed.ORDER: Format(
        "http://www.demandware.com/xml/impex/order/2006-10-31", "orders", "order.xsd"
    ),
}


class FeedRefused(Exception):  # noqa: N818 it names the outcome
    """The file is refused whole; the message gives the line and the reason."""


@cache
def schema(feed: Feed) -> etree.XMLSchema:
    """The vendored XSD of `feed` (imports resolve beside it, never over the network)."""
    folder = resources.files("daemon.connectors.sfcc").joinpath("xsd")
    with resources.as_file(folder.joinpath(FORMATS[feed].schema)) as path:
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        return etree.XMLSchema(etree.parse(str(path), parser))


def tag(feed: Feed, name: str) -> str:
    return f"{{{FORMATS[feed].namespace}}}{name}"


def check(path: Path, feed: Feed) -> None:
    """Raise `FeedRefused` unless the file at `path` is a whole, valid `feed` file."""
    progress = _Progress()
    try:
        with path.open("rb") as source:
            events = etree.iterparse(
                source,
                events=("start", "end"),
                schema=schema(feed),
                resolve_entities=False,
                no_network=True,
                huge_tree=True,
                remove_comments=True,
            )
            for event, element in events:
                progress.step(event, element, feed)
    except etree.XMLSyntaxError as exc:
        # Schema errors carry no line of their own: the last element begun is where it is.
        raise FeedRefused(f"line {exc.lineno or progress.line}: {_reason(exc)}") from None
    except OSError as exc:
        raise FeedRefused(f"unreadable: {exc.strerror or exc}") from None
    if progress.depth != 0 or not progress.started:
        raise FeedRefused("the file ends before its root element is closed")


class _Progress:
    """Where a streamed check is: how deep, on which line; finished children of the root are
    dropped as they end, so memory stays flat."""

    def __init__(self) -> None:
        self.depth = 0
        self.line = 1
        self.started = False

    def step(self, event: str, element: etree._Element, feed: Feed) -> None:
        if event == "start":
            self.line = element.sourceline or self.line
            if self.depth == 0:
                _check_root(element, feed)
                self.started = True
            self.depth += 1
            return
        self.depth -= 1
        if self.depth == 1:
            element.clear(keep_tail=False)
            parent = element.getparent()
            if parent is not None:
                del parent[:]


def required(element: etree._Element, name: str) -> str:
    """An attribute the schema requires (so a checked file has it)."""
    return element.get(name) or ""


def _check_root(element: etree._Element, feed: Feed) -> None:
    wanted = FORMATS[feed]
    if element.getroottree().docinfo.internalDTD is not None:
        raise FeedRefused(f"line {element.sourceline}: a feed file may not declare a DTD")
    if element.tag != tag(feed, wanted.root):
        raise FeedRefused(
            f"line {element.sourceline}: the root element is {element.tag!s}, "
            f"not {wanted.root} in {wanted.namespace}"
        )


def _reason(exc: etree.XMLSyntaxError) -> str:
    message = str(exc.msg or exc)
    if "Premature end of data" in message or "EndTag" in message or "end of" in message:
        return f"the file is incomplete (no closing root element): {message}"
    return message


def elements(
    path: Path, feed: Feed, wanted: Sequence[str], others: Sequence[str] = ()
) -> Iterator[etree._Element]:
    """The `wanted` elements of a checked file, in order, each dropped once the caller moves
    on; `others` (the root's other big children) are dropped unread, so memory stays flat."""
    wanted_tags = {tag(feed, name) for name in wanted}
    with path.open("rb") as source:
        events = etree.iterparse(
            source,
            events=("end",),
            tag=[tag(feed, name) for name in (*wanted, *others)],
            resolve_entities=False,
            no_network=True,
            huge_tree=True,
            remove_comments=True,
        )
        for _, element in events:
            if element.tag in wanted_tags:
                yield element
            element.clear(keep_tail=False)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
