"""The rules the code cites live in the repository, in docs/DOMAIN.md.

- No text in the daemon, the simulators or the benchmarks points outside the repository: no
  ``shared/`` path, no research notes (by name or as "research 3.5"), no seed document
  ("seed 002").
- Every "DOMAIN.md section N" cited in code (the tests included), or "section N" on a line that
  names DOMAIN.md, is a numbered heading of docs/DOMAIN.md.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = ROOT / "docs" / "DOMAIN.md"
SCANNED = ("daemon", "simulators", "bench")  # must not point outside the repository
CITING = (*SCANNED, "tests")  # whose DOMAIN.md citations must resolve
SUFFIXES = frozenset({".py", ".sql"})

RESEARCH_FILES = (
    "tiktok-shop-api.md",
    "source-store-apis.md",
    "peers-and-anchors.md",
    "next-sources.md",
    "aesthetics-anchors.md",
)
OUTSIDE = (
    re.compile(r"\bshared/"),  # shared/research/..., ../shared/design/...
    re.compile(r"\bresearch\b", re.IGNORECASE),  # "research notes section 4.1", "research §1.3"
    re.compile(r"\bseeds?\s+\d{3}\b|\bseeds/", re.IGNORECASE),  # "seed 002", seeds/
    re.compile("|".join(re.escape(name) for name in RESEARCH_FILES)),
)

_NUMBER = r"\d+(?:\.\d+)*"
_NUMBERS = rf"{_NUMBER}(?:\s*(?:,|and|&)\s*{_NUMBER})*"
_AFTER_NAME = re.compile(rf"DOMAIN\.md,?\s+(?:sections?\s+|§\s*)?({_NUMBERS})")
_SECTION = re.compile(rf"\bsections?\s+({_NUMBERS})|§\s*({_NUMBERS})", re.IGNORECASE)
_HEADING = re.compile(rf"^#{{1,6}}\s+({_NUMBER})\.?\s")


def _files(*folders: str) -> list[Path]:
    found: list[Path] = []
    for folder in folders:
        found.extend(
            path
            for path in sorted((ROOT / folder).rglob("*"))
            if path.suffix in SUFFIXES and path.is_file() and ".venv" not in path.parts
        )
    return found


def _lines(path: Path) -> list[tuple[int, str]]:
    text = path.read_text(encoding="utf-8")
    return list(enumerate(text.splitlines(), start=1))


def outside_references(line: str) -> list[str]:
    """What in `line` points outside the repository."""
    return [match.group(0) for pattern in OUTSIDE for match in pattern.finditer(line)]


def cited_sections(line: str) -> set[str]:
    """The DOMAIN.md section numbers a line cites (none unless it names DOMAIN.md)."""
    if "DOMAIN.md" not in line:
        return set()
    cited: set[str] = set()
    for match in [*_AFTER_NAME.finditer(line), *_SECTION.finditer(line)]:
        numbers = next(group for group in match.groups() if group)
        cited.update(re.findall(_NUMBER, numbers))
    return cited


def domain_headings(text: str) -> set[str]:
    """The numbers of the numbered headings of a Markdown text ("## 6. Orders" → "6")."""
    return {match.group(1) for line in text.splitlines() if (match := _HEADING.match(line))}


@pytest.mark.parametrize(
    "line",
    [
        "Sources (see ``shared/research/tiktok-shop-api.md`` sections 3.3 and 4.3):",
        "Drawn from the documents in `../shared/seeds/`.",
        '"""TikTok Shop failures (research notes section 4.1)."""',
        "# Shapes after the product mock of shopify-api-js (research §1.3)",
        "#: The UK designated carriers (seed 002), named as TikTok lists them",
        "as described in `source-store-apis.md`",
    ],
)
def test_the_check_sees_references_outside_the_repository(line: str) -> None:
    assert outside_references(line)


@pytest.mark.parametrize(
    "line",
    [
        '"""Carrier names (DOMAIN.md sections 7 and 11.7)."""',
        "# seeded by the simulators; shared by every shop",
        "a random seed of 42, a shared connection",
    ],
)
def test_the_check_lets_repository_text_through(line: str) -> None:
    assert not outside_references(line)


@pytest.mark.parametrize(
    ("line", "sections"),
    [
        ('"""Statuses (DOMAIN.md sections 1, 6 and 10)."""', {"1", "6", "10"}),
        ('"""Prices (DOMAIN.md 3 and 5)."""', {"3", "5"}),
        ('"""Images (DOMAIN.md 2, the merchant\'s order)."""', {"2"}),
        ('"""Checks (DOMAIN.md section 2 and 5; limits elsewhere)."""', {"2", "5"}),
        ("# Codes the client acts on (DOMAIN.md section 11.8).", {"11.8"}),
        ('``tiktok_status`` is replaced (DOMAIN.md section 6, "status follows")."""', {"6"}),
        ("-- 0005: returns (DOMAIN.md section 8): recorded", {"8"}),
        ("a store in another currency stops the shop (section 3).", set()),
    ],
)
def test_citations_are_read_as_section_numbers(line: str, sections: set[str]) -> None:
    assert cited_sections(line) == sections


def test_nothing_points_outside_the_repository() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {', '.join(found)}"
        for path in _files(*SCANNED)
        for number, line in _lines(path)
        if (found := outside_references(line))
    ]
    assert not offenders, "cite docs/DOMAIN.md instead of:\n" + "\n".join(offenders)


def test_every_cited_domain_section_exists() -> None:
    assert DOMAIN.is_file(), "docs/DOMAIN.md holds the domain rules the code cites"
    headings = domain_headings(DOMAIN.read_text(encoding="utf-8"))
    citations = [
        (path, number, section)
        for path in _files(*CITING)
        if path.name != Path(__file__).name
        for number, line in _lines(path)
        for section in sorted(cited_sections(line))
    ]
    assert len(citations) > 20, "the walk found (almost) no citations: is the pattern broken?"
    missing = [
        f"{path.relative_to(ROOT)}:{number}: DOMAIN.md section {section}"
        for path, number, section in citations
        if section not in headings
    ]
    assert not missing, "no such heading in docs/DOMAIN.md:\n" + "\n".join(missing)
