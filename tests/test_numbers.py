"""Numbers are read the way people of each language type them, and never as another magnitude."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from core.formatting import format_number
from core.numbers import format_number_for_input, parse_number

LANGUAGES = ["en", "fr", "es", "ar"]
NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    "language, text, expected",
    [
        ("es", "12.500", "12500"),
        ("es", "12,5", "12.5"),
        ("es", "1.234.567,25", "1234567.25"),
        ("es", "12 500", "12500"),
        ("es", "12.5", "12.5"),  # a point with one digit cannot group thousands
        ("es", "1,234.5", "1234.5"),  # only the point-decimal convention reads it
        ("fr", "12 500", "12500"),
        ("fr", f"12{NBSP}500", "12500"),
        ("fr", f"12{NNBSP}500", "12500"),
        ("fr", "12,5", "12.5"),
        ("fr", f"1{NNBSP}234{NNBSP}567,5", "1234567.5"),
        ("fr", "12.5", "12.5"),
        ("en", "12,500", "12500"),
        ("en", "12.5", "12.5"),
        ("en", "1,234,567.89", "1234567.89"),
        ("en", "12 500", "12500"),
        ("en", "0.500", "0.5"),  # "0,500" is no way to write five hundred
        ("en", "12,5", "12.5"),
        ("en", "12'500", "12500"),
        ("ar", "١٢٫٥", "12.5"),
        ("ar", "١٢٬٥٠٠", "12500"),
        ("ar", "۱۲۵۰۰", "12500"),  # Persian digits
        ("ar", "\u200f١٢٥\u200f", "125"),  # right-to-left marks from copy-paste
        ("ar", "12,5", "12.5"),
        ("ar", "12.5", "12.5"),
        ("fr", "-3,5", "-3.5"),
        ("en", "\u22123.5", "-3.5"),
        ("en", "+7", "7"),
        ("en", ".5", "0.5"),
        ("en", "  42 ", "42"),
    ],
)
def test_reads_numbers_as_the_language_writes_them(language, text, expected):
    assert parse_number(text, language) == Decimal(expected)


@pytest.mark.parametrize(
    "language, text, message",
    [
        (
            "es",
            "12,500",
            "“12,500” can be read two ways. Write 12500 or 12.500 for 12500, or 12,5 for a "
            "number between 12 and 13.",
        ),
        (
            "en",
            "12.500",
            "“12.500” can be read two ways. Write 12500 or 12,500 for 12500, or 12.5 for a "
            "number between 12 and 13.",
        ),
        (
            "fr",
            "12.500",
            f"“12.500” can be read two ways. Write 12500 or 12{NBSP}500 for 12500, or 12,5 for "
            "a number between 12 and 13.",
        ),
        (
            "fr",
            "12,500",
            f"“12,500” can be read two ways. Write 12500 or 12{NBSP}500 for 12500, or 12,5 for "
            "a number between 12 and 13.",
        ),
        (
            "es",
            "12,000",
            "“12,000” can be read two ways. Write 12000 or 12.000 for 12000, or 12 for 12.",
        ),
        (
            "es",
            "33,333",
            "“33,333” can be read two ways. Write 33333 or 33.333 for 33333, or 33,3330 for a "
            "number between 33 and 34.",
        ),
    ],
)
def test_input_read_two_ways_is_refused_with_how_to_write_it(
    language, text, message, english_messages
):
    with pytest.raises(ValidationError) as error:
        parse_number(text, language)
    assert error.value.code == "ambiguous"
    assert error.value.messages == [message]


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "1e5",
        "NaN",
        "Infinity",
        "12,",
        "1,2,3",
        "12 5",
        "1.234,567.8",
        "0x10",
        "12-",
        "١٢a",
        "1" * 61,
    ],
)
@pytest.mark.parametrize("language", LANGUAGES)
def test_not_a_number_is_refused(text, language):
    with pytest.raises(ValidationError) as error:
        parse_number(text, language)
    assert error.value.code == "invalid"
    assert "12500" in error.value.messages[0]


@pytest.mark.parametrize("text", ["", "   ", None])
def test_empty_is_refused(text):
    with pytest.raises(ValidationError) as error:
        parse_number(text, "en")
    assert error.value.code == "required"


@pytest.mark.parametrize(
    "language, text, expected",
    [
        ("es", "12.500", 12500),
        ("es", "12,500", 12500),  # nobody counts twelve and a half people
        ("en", "12.500", 12500),
        ("fr", "12 500", 12500),
        ("fr", "12,0", 12),
        ("ar", "١٢٬٥٠٠", 12500),
    ],
)
def test_whole_numbers(language, text, expected):
    value = parse_number(text, language, integer=True)
    assert value == expected
    assert value.as_tuple().exponent == 0


@pytest.mark.parametrize("language, text", [("es", "12,5"), ("en", "2.25"), ("fr", "0,5")])
def test_whole_number_refuses_a_fraction(language, text, english_messages):
    with pytest.raises(ValidationError, match="is not a whole number"):
        parse_number(text, language, integer=True)


def test_whole_number_still_refuses_two_whole_readings():
    with pytest.raises(ValidationError) as error:
        parse_number("12,000", "es", integer=True)
    assert error.value.code == "ambiguous"


@pytest.fixture
def english_messages(monkeypatch):
    """The messages in English, whatever language the number is read in: these tests check the
    wording and its examples (the next test checks that a message comes in the reader's language)."""
    import contextlib

    import core.numbers

    with translation.override("en"):
        # core.numbers switches to the number's language for its message: keep English.
        monkeypatch.setattr(
            core.numbers.translation, "override", lambda _lang: contextlib.nullcontext()
        )
        yield


def test_the_message_is_in_the_language_the_number_is_read_in():
    with pytest.raises(ValidationError) as error:
        parse_number("12,500", "es")
    assert error.value.messages[0].startswith("“12,500” puede leerse de dos maneras")


numbers = st.decimals(
    min_value=Decimal("-1e12"),
    max_value=Decimal("1e12"),
    allow_nan=False,
    allow_infinity=False,
    places=4,
)


@settings(max_examples=300, deadline=None)
@given(
    value=numbers, language=st.sampled_from(LANGUAGES), places=st.sampled_from([None, 0, 1, 2, 4])
)
def test_what_the_pages_show_reads_back_as_the_same_number(value, language, places):
    with translation.override(language):
        shown = format_number(value, places)
        kept = Decimal(shown.replace(",", ".")) if language != "en" else Decimal(shown)
    assert parse_number(shown, language) == kept


@settings(max_examples=300, deadline=None)
@given(value=numbers, language=st.sampled_from(LANGUAGES))
def test_three_decimals_from_the_pages_read_back_the_same_or_are_refused(value, language):
    with translation.override(language):
        shown = format_number(value, 3)
    expected = value.quantize(Decimal("0.001"), rounding="ROUND_HALF_UP")
    try:
        assert parse_number(shown, language) == expected
    except ValidationError as error:
        assert error.code == "ambiguous"


@settings(max_examples=500, deadline=None)
@given(value=numbers, language=st.sampled_from(LANGUAGES))
def test_the_echo_always_reads_back_as_the_stored_value(value, language):
    assert parse_number(format_number_for_input(value, language), language) == value


@pytest.mark.parametrize(
    "value, language, shown",
    [
        (Decimal("12500"), "es", f"12{NBSP}500"),
        (Decimal("12.50"), "es", "12,5"),
        (Decimal("1234567.5"), "en", f"1{NBSP}234{NBSP}567.5"),
        (Decimal("12.125"), "fr", "12,1250"),
        (Decimal("0.125"), "fr", "0,125"),
        (Decimal("-3"), "ar", "-3"),
        (None, "en", ""),
    ],
)
def test_echo_format(value, language, shown):
    assert format_number_for_input(value, language) == shown
