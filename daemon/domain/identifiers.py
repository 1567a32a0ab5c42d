"""Product identifier codes (DOMAIN.md sections 2 and 11.3).

TikTok takes GTIN (14 digits), EAN (8, 13 or 14), UPC (12) and ISBN (13, book categories only),
and the check digit must be right. A barcode is classified by its length:

- 8 digits: EAN (EAN-8); 12: UPC (UPC-A); 13: EAN (EAN-13); 14: GTIN (GTIN-14).
- In a book category, a 13-digit code starting 978 or 979 is an ISBN. Outside one, the same code
  is an EAN ("Bookland" EAN-13 is a valid EAN).
- In a book category, a 10-character ISBN-10 is checked (mod 11) and rewritten as its ISBN-13.

Every code uses the GS1 mod-10 check digit (ISBN-13 included): from the rightmost data digit
leftwards, weights 3, 1, 3, 1, ...; the check digit brings the sum to a multiple of 10.
Spaces and hyphens are ignored. Codes of all zeros are placeholders and are refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class IdentifierType(StrEnum):
    GTIN = "GTIN"
    EAN = "EAN"
    UPC = "UPC"
    ISBN = "ISBN"


@dataclass(frozen=True)
class IdentifierCode:
    code: str  # digits only
    type: IdentifierType


@dataclass(frozen=True)
class InvalidIdentifier:
    code: str  # as the store holds it
    reason: str


_TYPE_BY_LENGTH = {
    8: IdentifierType.EAN,
    12: IdentifierType.UPC,
    13: IdentifierType.EAN,
    14: IdentifierType.GTIN,
}
_BOOKLAND_PREFIXES = ("978", "979")
_ISBN10_LENGTH = 10
_ISBN13_LENGTH = 13
_ISBN10_MODULUS = 11
_SHORTEST_CODE = 2  # one data digit and the check digit
_ACCEPTED = "8 (EAN), 12 (UPC), 13 (EAN) or 14 (GTIN) digits"


def normalise_barcode(raw: str) -> str:
    """The code without spaces or hyphens (as printed under a barcode, "978-0-306-40615-7")."""
    return "".join(raw.split()).replace("-", "")


def gs1_check_digit(data: str) -> int:
    """The GS1 mod-10 check digit for `data` (the digits before the check digit)."""
    total = sum(int(digit) * (3 if index % 2 == 0 else 1) for index, digit in enumerate(data[::-1]))
    return (10 - total % 10) % 10


def has_valid_check_digit(code: str) -> bool:
    """True when the last digit of an all-digit `code` is its GS1 check digit."""
    if not (code.isascii() and code.isdigit()) or len(code) < _SHORTEST_CODE:
        return False
    return gs1_check_digit(code[:-1]) == int(code[-1])


def isbn10_to_isbn13(isbn10: str) -> str | None:
    """The ISBN-13 of a valid ISBN-10 ("0306406152" → "9780306406157"), or None if invalid."""
    if len(isbn10) != _ISBN10_LENGTH or not (isbn10[:9].isascii() and isbn10[:9].isdigit()):
        return None
    last = isbn10[-1].upper()
    if not (last == "X" or (last.isascii() and last.isdigit())):
        return None
    values = [int(digit) for digit in isbn10[:9]] + [10 if last == "X" else int(last)]
    weighted = sum(value * weight for value, weight in zip(values, range(10, 0, -1), strict=True))
    if weighted % _ISBN10_MODULUS:
        return None
    data = "978" + isbn10[:9]
    return data + str(gs1_check_digit(data))


def _digits_problem(code: str) -> str | None:
    """Why an all-digit candidate is not a code TikTok takes, or None."""
    if not (code.isascii() and code.isdigit()):
        return f"{code} contains characters other than digits; TikTok takes {_ACCEPTED}"
    if len(code) not in _TYPE_BY_LENGTH:
        hint = " (an ISBN-10 is accepted only in a book category)"
        hint = hint if len(code) == _ISBN10_LENGTH else ""
        return f"{code} has {len(code)} digits; TikTok takes {_ACCEPTED}{hint}"
    if not code.strip("0"):
        return f"{code} is all zeros, a placeholder rather than a code"
    if not has_valid_check_digit(code):
        expected = gs1_check_digit(code[:-1])
        return f"{code} has a wrong check digit: the last digit should be {expected}"
    return None


def classify_barcode(
    raw: str | None, *, book_category: bool = False
) -> IdentifierCode | InvalidIdentifier | None:
    """What TikTok would call this barcode, why it would refuse it, or None when it is empty."""
    if raw is None or not raw.strip():
        return None
    code = normalise_barcode(raw)
    if book_category and len(code) == _ISBN10_LENGTH:
        isbn13 = isbn10_to_isbn13(code)
        if isbn13 is None:
            return InvalidIdentifier(raw, f"{code} is not a valid ISBN-10")
        return IdentifierCode(isbn13, IdentifierType.ISBN)
    problem = _digits_problem(code)
    if problem is not None:
        return InvalidIdentifier(raw, problem)
    if book_category and len(code) == _ISBN13_LENGTH and code.startswith(_BOOKLAND_PREFIXES):
        return IdentifierCode(code, IdentifierType.ISBN)
    return IdentifierCode(code, _TYPE_BY_LENGTH[len(code)])
