from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daemon.domain.identifiers import (
    IdentifierCode,
    IdentifierType,
    InvalidIdentifier,
    classify_barcode,
    gs1_check_digit,
    has_valid_check_digit,
    isbn10_to_isbn13,
)

FULL_WIDTH_EAN = "".join(chr(0xFF10 + int(digit)) for digit in "4006381333931")


@pytest.mark.parametrize(
    ("raw", "code", "kind"),
    [
        ("96385074", "96385074", IdentifierType.EAN),  # EAN-8, GS1 example
        ("73513537", "73513537", IdentifierType.EAN),
        ("036000291452", "036000291452", IdentifierType.UPC),  # UPC-A
        ("4006381333931", "4006381333931", IdentifierType.EAN),  # EAN-13
        ("5901234123457", "5901234123457", IdentifierType.EAN),
        ("00012345678905", "00012345678905", IdentifierType.GTIN),  # GTIN-14
        ("10012345000017", "10012345000017", IdentifierType.GTIN),
        (" 4006381 333931 ", "4006381333931", IdentifierType.EAN),  # spaces as printed
        ("978-0-306-40615-7", "9780306406157", IdentifierType.EAN),  # a book code outside books
    ],
)
def test_valid_codes_are_classified_by_length(raw, code, kind) -> None:
    assert classify_barcode(raw) == IdentifierCode(code, kind)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("9780306406157", "9780306406157"),
        ("9791234567896", "9791234567896"),
        ("0-306-40615-2", "9780306406157"),  # ISBN-10 rewritten as ISBN-13
        ("080442957X", "9780804429573"),  # ISBN-10 with check character X
        ("080442957x", "9780804429573"),
    ],
)
def test_in_a_book_category_book_codes_are_isbn(raw, code) -> None:
    assert classify_barcode(raw, book_category=True) == IdentifierCode(code, IdentifierType.ISBN)


def test_in_a_book_category_other_codes_keep_their_type() -> None:
    assert classify_barcode("4006381333931", book_category=True) == IdentifierCode(
        "4006381333931", IdentifierType.EAN
    )


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("4006381333932", "4006381333932 has a wrong check digit: the last digit should be 1"),
        ("036000291453", "036000291453 has a wrong check digit: the last digit should be 2"),
        ("9780306406158", "9780306406158 has a wrong check digit: the last digit should be 7"),
        (
            "12345",
            "12345 has 5 digits; TikTok takes 8 (EAN), 12 (UPC), 13 (EAN) or 14 (GTIN) digits",
        ),
        (
            "0306406152",
            (
                "0306406152 has 10 digits; TikTok takes 8 (EAN), 12 (UPC), 13 (EAN) or 14 (GTIN) "
                "digits (an ISBN-10 is accepted only in a book category)"
            ),
        ),
        (
            "ABC-12345678",
            (
                "ABC12345678 contains characters other than digits; "
                "TikTok takes 8 (EAN), 12 (UPC), 13 (EAN) or 14 (GTIN) digits"
            ),
        ),
        ("0000000000000", "0000000000000 is all zeros, a placeholder rather than a code"),
        (FULL_WIDTH_EAN, None),  # full-width digits are not ASCII digits
    ],
)
def test_invalid_codes_say_why(raw, reason) -> None:
    found = classify_barcode(raw)
    assert isinstance(found, InvalidIdentifier)
    assert found.code == raw
    if reason is not None:
        assert found.reason == reason


def test_a_bad_isbn10_in_a_book_category() -> None:
    assert classify_barcode("0306406153", book_category=True) == InvalidIdentifier(
        "0306406153", "0306406153 is not a valid ISBN-10"
    )
    assert isbn10_to_isbn13("03064061X2") is None


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_no_code_is_none(raw) -> None:
    assert classify_barcode(raw) is None


def test_check_digit_helpers() -> None:
    assert gs1_check_digit("400638133393") == 1
    assert has_valid_check_digit("96385074")
    assert not has_valid_check_digit("7")
    assert not has_valid_check_digit("96385O74")


@given(st.sampled_from([7, 11, 12, 13]), st.data())
def test_appending_the_check_digit_always_makes_a_valid_code(data_length, data) -> None:
    digits = data.draw(st.text("0123456789", min_size=data_length, max_size=data_length))
    code = digits + str(gs1_check_digit(digits))
    found = classify_barcode(code)
    if code.strip("0"):
        assert isinstance(found, IdentifierCode)
        assert found.code == code
        wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
        assert isinstance(classify_barcode(wrong), InvalidIdentifier)


@given(st.text(max_size=30), st.booleans())
def test_classification_never_raises(raw, book) -> None:
    classify_barcode(raw, book_category=book)
