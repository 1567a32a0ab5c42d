"""Store HTML → a description TikTok accepts (DOMAIN.md sections 2 and 11.3).

TikTok's tag set is p, img, ul, ol, li, br, strong, b, i, em, u, without nesting, at most 10,000
characters; an img needs src, width and height and must point at a TikTok-hosted image.

Our reading of "no nesting" and of "ordered lists are flattened":

- The output is a flat run of blocks: ``<p>`` paragraphs, ``<ul>`` bullet lists of ``<li>``
  items, and ``<img>`` images. Blocks never contain blocks; a paragraph or an item holds text,
  ``<br>`` and one level of b/strong/i/em/u (inside nested formatting the outer one wins).
- ``ol`` is in TikTok's tag set, but DOMAIN.md section 2 says ordered lists are flattened. We
  keep the numbers as text: each item becomes a paragraph "1. ...", so the order survives on
  any renderer. ``ol`` is therefore never emitted.
- A list inside a list becomes further items of the outer list; a table becomes one paragraph
  per row with cells joined by " | "; headings become bold paragraphs; links keep their text;
  scripts, styles and embedded media are dropped with their content; any other markup is
  dropped and its text kept. Images met inside a list or table are moved after it.
- Text is unescaped by the parser and re-escaped on output, so entities are never sent raw.
- Over the limit, whole blocks are dropped from the end; the first block that does not fit is
  cut at a word boundary and ends with "…". The limit counts characters of the HTML sent.

Two passes: first without `hosted` (the store's image URLs are listed for upload), then with
`hosted` mapping each store URL to its TikTok image (images without one are left out).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

from daemon.domain.description_layout import (
    Block,
    BulletList,
    Paragraph,
    Picture,
    Run,
    clean_runs,
    fit_blocks,
    has_text,
)

MAX_DESCRIPTION_CHARS = 10_000
MAX_DESCRIPTION_IMAGES = 30

_FORMATS = frozenset({"b", "strong", "i", "em", "u"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_DROPPED_WITH_CONTENT = frozenset(
    {
        "script", "style", "noscript", "template", "iframe", "object", "svg", "math",
        "canvas", "video", "audio", "head", "title", "button", "select", "textarea", "map",
    }
)  # fmt: skip
_BLOCKS = frozenset(
    {
        "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "blockquote",
        "pre", "figure", "figcaption", "address", "hr", "dl", "dt", "dd", "center", "form",
        "fieldset", "legend", "details", "summary", "body", "html",
    }
)  # fmt: skip
_QUIET_INLINE = frozenset(
    {
        "span", "font", "small", "big", "sup", "sub", "mark", "abbr", "cite", "code", "s",
        "strike", "del", "ins", "q", "time", "label", "tt", "kbd", "var", "samp", "bdi", "bdo",
        "wbr", "nobr", "picture", "source", "meta", "link", "base", "col", "colgroup",
        "thead", "tbody", "tfoot",
    }
)  # fmt: skip
_TABLE_CELLS = frozenset({"td", "th", "caption"})
_DIMENSION = re.compile(r"^\s*(\d{1,5})(?:px)?\s*$")


@dataclass(frozen=True)
class HostedImage:
    """An image already uploaded to TikTok, as an ``<img>`` in a description needs it."""

    url: str
    width: int
    height: int


@dataclass(frozen=True)
class CleanDescription:
    html: str
    image_urls: tuple[str, ...]  # the store's image URLs kept, in order, each once
    notes: tuple[str, ...]  # what was changed, for the merchant


@dataclass
class _ListFrame:
    ordered: bool
    counter: int = 0


@dataclass(eq=False)
class _Collector(HTMLParser):
    hosted: Mapping[str, HostedImage] | None
    max_images: int
    blocks: list[Block] = field(default_factory=list)
    notes: dict[str, None] = field(default_factory=dict)
    image_urls: dict[str, None] = field(default_factory=dict)
    _runs: list[Run] = field(default_factory=list)
    _formats: list[str] = field(default_factory=list)
    _skip: int = 0
    _lists: list[_ListFrame] = field(default_factory=list)
    _items: list[tuple[Run, ...]] = field(default_factory=list)
    _item_prefix: str | None = None
    _tables: int = 0
    _row: list[str] = field(default_factory=list)
    _cell: list[str] | None = None
    _deferred: list[Picture] = field(default_factory=list)
    _images_seen: int = 0
    _unsupported: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    # -- events -------------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED_WITH_CONTENT:
            self._skip += 1
        if tag in _DROPPED_WITH_CONTENT or tag == "embed":  # <embed> is void: nothing to skip
            self._note("scripts, styles and embedded media were removed")
        if self._skip or tag == "embed":
            return
        if tag == "img":
            self._image(dict(attrs))
        elif self._tables:
            self._table_start(tag)
        elif tag == "br":
            self._add_run("br", "")
        elif tag in ("ul", "ol"):
            self._list_start(ordered=tag == "ol")
        elif tag == "li":
            self._item_start()
        elif tag == "table":
            self._boundary()
            self._tables = 1
            self._note("a table was flattened to text, one line per row")
        else:
            self._other_start(tag, dict(attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED_WITH_CONTENT:  # <svg/>: nothing inside to drop
            return
        self.handle_starttag(tag, attrs)
        if tag not in ("img", "br"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED_WITH_CONTENT:
            self._skip = max(0, self._skip - 1)
            return
        if self._skip:
            return
        if self._tables:
            self._table_end(tag)
        elif tag in ("ul", "ol"):
            self._list_end()
        elif tag == "li":
            self._item_end()
        elif tag in _FORMATS or tag in _HEADINGS:
            self._pop_format(tag)
            if tag in _HEADINGS:
                self._boundary()
        elif tag in _BLOCKS:
            self._boundary()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._tables:
            if self._cell is None:
                self._cell = []
            self._cell.append(data)
            return
        if self._lists and self._item_prefix is None and data.strip():
            self._item_start(counted=False)
        self._add_run(self._format(), data)

    # -- inline text ---------------------------------------------------------------------------

    def _format(self) -> str:
        if not self._formats:
            return ""
        if len(set(self._formats)) > 1:
            self._note("nested formatting was reduced to the outer style")
        outer = self._formats[0]
        return "strong" if outer in _HEADINGS else outer

    def _add_run(self, kind: str, text: str) -> None:
        self._runs.append((kind, text))

    def _pop_format(self, tag: str) -> None:
        for index in range(len(self._formats) - 1, -1, -1):
            if self._formats[index] == tag:
                del self._formats[index]
                return

    def _other_start(self, tag: str, attrs: dict[str, str | None]) -> None:
        if tag in _FORMATS:
            self._formats.append(tag)
        elif tag in _HEADINGS:
            self._boundary()
            self._formats.append(tag)
            self._note("headings became bold paragraphs")
        elif tag in _BLOCKS:
            self._boundary()
        elif tag == "a":
            if attrs.get("href"):
                self._note("links were removed (their text is kept)")
        elif tag not in _QUIET_INLINE:
            self._unsupported.add(tag)

    def _boundary(self) -> None:
        """A block starts or ends: inside a list item it is only a space."""
        if self._lists:
            if self._item_prefix is not None:
                self._add_run("", " ")
            return
        runs = clean_runs(self._runs)
        self._runs = []
        if has_text(runs):
            self.blocks.append(Paragraph(runs))

    # -- lists ---------------------------------------------------------------------------------

    def _list_start(self, *, ordered: bool) -> None:
        if self._lists:
            self._item_end()
            self._note("a list inside a list was flattened into its parent")
        else:
            self._boundary()
        if ordered:
            self._note("a numbered list became numbered paragraphs")
        self._lists.append(_ListFrame(ordered))

    def _item_start(self, *, counted: bool = True) -> None:
        if not self._lists:
            self._boundary()
            return
        self._item_end()
        frame = self._lists[-1]
        if counted:
            frame.counter += 1
        if frame.ordered and counted:
            self._item_prefix = f"{frame.counter}. "
        else:
            self._item_prefix = "• " if self._lists[0].ordered else ""

    def _item_end(self) -> None:
        if self._item_prefix is None:
            return
        runs = clean_runs(self._runs)
        if has_text(runs):
            self._items.append(clean_runs([("", self._item_prefix), *runs]))
        self._runs = []
        self._item_prefix = None

    def _list_end(self) -> None:
        if not self._lists:
            return
        self._item_end()
        frame = self._lists.pop()
        if self._lists:
            return  # a nested list ended; its items already belong to the outer one
        if frame.ordered:
            self.blocks.extend(Paragraph(item) for item in self._items)
        elif self._items:
            self.blocks.append(BulletList(tuple(self._items)))
        self._items = []
        self._release_deferred()

    # -- tables --------------------------------------------------------------------------------

    def _table_start(self, tag: str) -> None:
        if tag == "table":
            self._tables += 1
        elif tag == "tr":
            self._row_end()
        elif tag in _TABLE_CELLS:
            self._cell_end()
            self._cell = []
        elif self._cell is not None:
            self._cell.append(" ")

    def _table_end(self, tag: str) -> None:
        if tag in _TABLE_CELLS:
            self._cell_end()
        elif tag == "tr":
            self._row_end()
        elif tag == "table":
            self._row_end()
            self._tables -= 1
            if not self._tables:
                self._release_deferred()
        elif self._cell is not None:
            self._cell.append(" ")

    def _cell_end(self) -> None:
        if self._cell is not None:
            text = " ".join("".join(self._cell).split())
            if text:
                self._row.append(text)
        self._cell = None

    def _row_end(self) -> None:
        self._cell_end()
        if not self._row:
            return
        line = " | ".join(self._row)
        self._row = []
        if self._lists:
            if self._item_prefix is None:
                self._item_start(counted=False)
            self._add_run("", f" {line} ")
        else:
            self.blocks.append(Paragraph(clean_runs([("", line)])))

    # -- images --------------------------------------------------------------------------------

    def _image(self, attrs: dict[str, str | None]) -> None:
        src = (attrs.get("src") or "").strip()
        if src.startswith("//"):
            src = "https:" + src
        if not src.startswith(("https://", "http://")):
            self._note("an image without a web address was left out")
            return
        if self._images_seen >= self.max_images:
            self._note(f"only the first {self.max_images} images were kept")
            return
        self._images_seen += 1
        picture = self._picture(src, attrs)
        if picture is None:
            return
        self.image_urls[src] = None
        if self._lists or self._tables:
            self._note("images inside lists or tables were moved after them")
            self._deferred.append(picture)
        else:
            self._boundary()
            self.blocks.append(picture)

    def _picture(self, src: str, attrs: dict[str, str | None]) -> Picture | None:
        if self.hosted is None:
            return Picture(src, _dimension(attrs.get("width")), _dimension(attrs.get("height")))
        hosted = self.hosted.get(src)
        if hosted is None:
            self._note(f"image {src} is not on TikTok and was left out")
            return None
        return Picture(hosted.url, str(hosted.width), str(hosted.height))

    def _release_deferred(self) -> None:
        if not self._lists and not self._tables:
            self.blocks.extend(self._deferred)
            self._deferred = []

    # -- end -----------------------------------------------------------------------------------

    def _note(self, text: str) -> None:
        self.notes[text] = None

    def finish(self) -> None:
        self.close()
        self._row_end()
        self._tables = 0
        while self._lists:
            self._list_end()
        self._boundary()
        self._release_deferred()
        if self._unsupported:
            self._note(f"unsupported markup was removed: {', '.join(sorted(self._unsupported))}")


def _dimension(value: str | None) -> str | None:
    match = _DIMENSION.match(value or "")
    return match[1] if match else None


def sanitise_description(
    raw_html: str,
    *,
    hosted: Mapping[str, HostedImage] | None = None,
    max_chars: int = MAX_DESCRIPTION_CHARS,
    max_images: int = MAX_DESCRIPTION_IMAGES,
) -> CleanDescription:
    """The description to send, the store images it keeps, and what was changed."""
    collector = _Collector(hosted=hosted, max_images=max_images)
    collector.feed(raw_html)
    collector.finish()
    html, cut = fit_blocks(collector.blocks, max_chars)
    notes = dict(collector.notes)
    if cut:
        notes[f"the description was cut to {max_chars:,} characters"] = None
    return CleanDescription(html, tuple(collector.image_urls), tuple(notes))


def plain_text(clean_html: str) -> str:
    """The visible words of a cleaned description (for checks such as "is it empty?")."""
    return " ".join(unescape(re.sub(r"<[^>]*>", " ", clean_html)).split())
