"""The flat block layout of a TikTok description: building, rendering and fitting to a limit.

A block is a paragraph, a bullet list or an image. Text lives in runs: ``(kind, text)`` where
kind is ``""`` for plain text, a format tag (``"b"``, ``"strong"``, ...) for formatted text, or
``"br"`` for a line break. See `daemon.domain.description` for the rules this layout serves.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape

Run = tuple[str, str]
ELLIPSIS = "…"
_BREAK = "br"
_SPACES = re.compile(r"\s+")
_MAX_BREAKS_IN_A_ROW = 2
_SHORTEST_MID_WORD_CUT = 20  # a text with no space is cut mid-word only past this many chars


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class BulletList:
    items: tuple[tuple[Run, ...], ...]


@dataclass(frozen=True)
class Picture:
    src: str
    width: str | None
    height: str | None


Block = Paragraph | BulletList | Picture


def clean_runs(runs: Iterable[Run]) -> tuple[Run, ...]:
    """Collapse whitespace, trim the ends, merge neighbours of one kind, drop empty runs."""
    out: list[Run] = []
    after_space = True
    for kind, text in runs:
        if kind == _BREAK:
            _trim_end(out, breaks=False)
            if out and out[-_MAX_BREAKS_IN_A_ROW:] != [(_BREAK, "")] * _MAX_BREAKS_IN_A_ROW:
                out.append((_BREAK, ""))
            after_space = True
            continue
        collapsed = _SPACES.sub(" ", text)
        if after_space:
            collapsed = collapsed.lstrip(" ")
        if not collapsed:
            continue
        plain_kind = kind if collapsed.strip() else ""
        if out and out[-1][0] == plain_kind:
            out[-1] = (plain_kind, out[-1][1] + collapsed)
        else:
            out.append((plain_kind, collapsed))
        after_space = collapsed.endswith(" ")
    _trim_end(out, breaks=True)
    return tuple(out)


def _trim_end(out: list[Run], *, breaks: bool) -> None:
    while out:
        kind, text = out[-1]
        if kind == _BREAK:
            if not breaks:
                return
            out.pop()
            continue
        stripped = text.rstrip(" ")
        if stripped:
            out[-1] = (kind, stripped)
            return
        out.pop()


def has_text(runs: Iterable[Run]) -> bool:
    return any(kind != _BREAK and text.strip() for kind, text in runs)


def render_runs(runs: Iterable[Run]) -> str:
    parts: list[str] = []
    for kind, text in runs:
        if kind == _BREAK:
            parts.append("<br>")
        elif kind:
            parts.append(f"<{kind}>{escape(text, quote=False)}</{kind}>")
        else:
            parts.append(escape(text, quote=False))
    return "".join(parts)


def _paragraph(runs: Sequence[Run]) -> str:
    return f"<p>{render_runs(runs)}</p>"


def _bullets(items: Iterable[Sequence[Run]]) -> str:
    return "<ul>" + "".join(f"<li>{render_runs(item)}</li>" for item in items) + "</ul>"


def render(block: Block) -> str:
    if isinstance(block, Paragraph):
        return _paragraph(block.runs)
    if isinstance(block, BulletList):
        return _bullets(block.items)
    attributes = [f'src="{escape(block.src)}"']
    if block.width is not None:
        attributes.append(f'width="{block.width}"')
    if block.height is not None:
        attributes.append(f'height="{block.height}"')
    return f"<img {' '.join(attributes)}>"


def fit_blocks(blocks: Sequence[Block], limit: int) -> tuple[str, bool]:
    """The rendered blocks within `limit` characters, and whether anything was cut."""
    parts: list[str] = []
    used = 0
    for block in blocks:
        html = render(block)
        if used + len(html) <= limit:
            parts.append(html)
            used += len(html)
            continue
        shortened = _shortened(block, limit - used)
        if shortened is not None:
            parts.append(shortened)
        return "".join(parts), True
    return "".join(parts), False


def _shortened(block: Block, budget: int) -> str | None:
    if isinstance(block, Paragraph):
        runs = _longest_fitting(block.runs, _paragraph, budget)
        return None if runs is None else _paragraph(runs)
    if isinstance(block, BulletList):
        return _shortened_list(block.items, budget)
    return None  # an image is kept whole or not at all


def _shortened_list(items: Sequence[tuple[Run, ...]], budget: int) -> str | None:
    kept = 0
    while kept < len(items) and len(_bullets(items[: kept + 1])) <= budget:
        kept += 1
    whole = list(items[:kept])
    if kept < len(items):

        def with_partial(runs: Sequence[Run]) -> str:
            return _bullets([*whole, runs])

        partial = _longest_fitting(items[kept], with_partial, budget)
        if partial is not None:
            whole.append(partial)
    return _bullets(whole) if whole else None


def _longest_fitting(
    runs: Sequence[Run], shape: Callable[[Sequence[Run]], str], budget: int
) -> tuple[Run, ...] | None:
    """The longest cut of `runs` (word boundary, then "…") whose shape fits in `budget`."""
    low, high = 1, _text_length(runs)
    best: tuple[Run, ...] | None = None
    while low <= high:
        middle = (low + high) // 2
        candidate = cut_runs(runs, middle)
        if len(shape(candidate)) <= budget:  # monotone in `middle`, so bisection holds
            best = candidate
            low = middle + 1
        else:
            high = middle - 1
    return best if best is not None and has_text(best) else None


def _text_length(runs: Iterable[Run]) -> int:
    return sum(1 if kind == _BREAK else len(text) for kind, text in runs)


def cut_runs(runs: Sequence[Run], keep: int) -> tuple[Run, ...]:
    """The first `keep` characters of `runs`, backed off to a word boundary, then "…"."""
    flat = "".join("\n" if kind == _BREAK else text for kind, text in runs)
    if keep >= len(flat):
        return tuple(runs)
    end = keep
    if not flat[keep].isspace() and not flat[keep - 1].isspace():
        boundary = max(flat.rfind(" ", 0, keep), flat.rfind("\n", 0, keep))
        if boundary > 0:
            end = boundary
        elif keep < _SHORTEST_MID_WORD_CUT:
            return ()  # a scrap of one word says nothing; leave the block out
    kept: list[Run] = []
    remaining = end
    for kind, text in runs:
        if remaining <= 0:
            break
        if kind == _BREAK:
            kept.append((kind, text))
            remaining -= 1
        else:
            kept.append((kind, text[:remaining]))
            remaining -= len(text)
    return clean_runs([*clean_runs(kept), ("", ELLIPSIS)])
