"""Numbers as people type them: read by the conventions of their language, never misread.

``parse_number(text, language)`` is the one reader for every number a person types (survey
answers, indicator values, percents); ``format_number_for_input(value, language)`` writes a
stored value back so that the person sees what was kept and, if the form is sent again,
``parse_number`` reads exactly the same value.

How a string is read (decided here, tested in ``tests/test_numbers.py``):

* Digits: Western 0-9, Arabic-Indic ٠-٩ and Persian ۰-۹ are all digits, in every language.
* Some separators mean one thing everywhere: spaces (plain, no-break U+00A0, narrow no-break
  U+202F, thin U+2009, figure U+2007), apostrophes (``12'500``, Swiss) and the Arabic thousands
  separator ``٬`` group thousands; the Arabic decimal separator ``٫`` is a decimal point.
* "." and "," depend on the convention. There are two: point-decimal (``12,500.5``) and
  comma-decimal (``12.500,5``). Each language has its own: English point-decimal; Spanish
  comma-decimal; French and Arabic write the decimal with a comma (as ``core.formatting``
  does) and group with spaces only, so a "." there belongs to neither the one nor the other.
* A grouping separator is followed by groups of exactly three digits, and the first group has
  one to three digits and does not start with 0. At most one decimal separator, after every
  grouping separator, with at least one digit after it.
* The language's own reading wins when it only groups: Spanish "12.500" is 12500 and English
  "12,500" is 12500, even though the other convention reads them as 12.5.
* The language's own reading is refused when it has a decimal part and the other convention
  reads the same text, validly, as thousands: Spanish "12,500", English "12.500", French
  "12,500". This is the one case where both readings are written every day by the people of
  a worldwide Movement (English is the default language here, and Latin America, Indonesia
  and the Gulf each write the other convention). The message says how to write each:
  "Write 12500 or 12.500 for 12500, or 12,5 for a number between 12 and 13."
* When the own reading fails, the other conventions are tried: a string they all read the
  same way is accepted (English "12,5" is 12.5, Spanish "1,234.5" is 1234.5, French "12.5"
  is 12.5); one they read differently is refused the same way (French "12.500").
* ``integer=True`` keeps only readings that are whole numbers, so Spanish "12,500" in a
  "how many people" question is 12500 (nobody counts twelve and a half people), but "12,000"
  is still refused (12 or 12000).

A decimal part of exactly three digits with no grouping ("12,125") is therefore ambiguous, so
``format_number_for_input`` groups thousands with no-break spaces (unambiguous in every
convention) and writes such a value with a fourth decimal ("12,1250"): rare, but read back
the same.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.formats import get_format
from django.utils.translation import gettext

__all__ = ["format_number_for_input", "parse_number"]

MAX_LENGTH = 60  # longer than any number a person types; keeps the reader cheap

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
# Bidirectional marks that Arabic keyboards and copy-paste leave around numbers.
_MARKS = dict.fromkeys(
    map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)
_SPACES = re.compile(r"[ \u00a0\u202f\u2009\u2007]")
_APOSTROPHES = re.compile(r"['\u2019]")
_SHAPE = re.compile(r"([+\-\u2212]?)([0-9., '\u066b\u066c]+)")
NBSP = "\u00a0"


@dataclass(frozen=True)
class _Convention:
    decimal: str  # characters read as the decimal point
    group: str  # characters read as thousands separators (beside spaces, ' and ٬)


_POINT = _Convention(decimal=".\u066b", group=",")
_COMMA = _Convention(decimal=",\u066b", group=".")
_COMMA_SPACES = _Convention(decimal=",\u066b", group="")
_ALWAYS_GROUP = " '\u066c"
_OWN = {"en": _POINT, "es": _COMMA, "fr": _COMMA_SPACES, "ar": _COMMA_SPACES}


@dataclass(frozen=True)
class _Reading:
    value: Decimal
    has_fraction: bool  # the text had a decimal separator


def _own_convention(language: str) -> _Convention:
    code = (language or "en").split("-")[0].lower()
    if code in _OWN:
        return _OWN[code]
    # Another language: Django's locale formats say which separator is its decimal point.
    return _POINT if get_format("DECIMAL_SEPARATOR", code) == "." else _COMMA_SPACES


def _read(body: str, convention: _Convention, sign: str) -> _Reading | None:
    """``body`` read by ``convention``, or None if that convention cannot write it."""
    points = [i for i, char in enumerate(body) if char in convention.decimal]
    if len(points) > 1:
        return None
    whole, fraction = (body[: points[0]], body[points[0] + 1 :]) if points else (body, "")
    if points and not re.fullmatch(r"[0-9]+", fraction):
        return None
    separators = set(re.sub(r"[0-9]", "", whole))
    if len(separators) > 1 or not separators <= set(convention.group + _ALWAYS_GROUP):
        return None
    if separators:
        groups = whole.split(separators.pop())
        if not re.fullmatch(r"[1-9][0-9]{0,2}", groups[0]):
            return None
        if not all(re.fullmatch(r"[0-9]{3}", group) for group in groups[1:]):
            return None
    digits = re.sub(r"[^0-9]", "", whole) or "0"
    if not whole and not fraction:
        return None
    text = f"{sign}{digits}.{fraction}" if fraction else f"{sign}{digits}"
    return _Reading(Decimal(text), has_fraction=bool(points))


def _examples(language: str) -> dict[str, str]:
    grouping = {"en": ",", "es": "."}.get(language, NBSP)
    point = "." if _own_convention(language) is _POINT else ","
    return {"whole": "12500", "grouped": f"12{grouping}500", "decimal": f"12{point}5"}


def _invalid(text: str, language: str, integer: bool) -> ValidationError:
    with translation.override(language):
        if integer:
            message = gettext(
                "“%(text)s” is not a whole number. Write it like %(whole)s or %(grouped)s "
                "for twelve thousand five hundred."
            )
        else:
            message = gettext(
                "“%(text)s” is not a number. Write it like %(whole)s or %(grouped)s for "
                "twelve thousand five hundred, %(decimal)s for twelve and a half."
            )
        return ValidationError(message % {"text": text, **_examples(language)}, code="invalid")


def _ambiguous(text: str, language: str, readings: list[_Reading]) -> ValidationError:
    big = next(r.value for r in readings if not r.has_fraction)
    small = next(r.value for r in readings if r.has_fraction)
    grouping = {"en": ",", "es": "."}.get(language, NBSP)
    params = {
        "text": text,
        "whole": f"{big:f}",
        "grouped": f"{big:,f}".replace(",", grouping),
        "small": format_number_for_input(small, language),
    }
    with translation.override(language):
        if small == small.to_integral_value():
            message = gettext(
                "“%(text)s” can be read two ways. Write %(whole)s or %(grouped)s for "
                "%(whole)s, or %(small)s for %(small)s."
            )
        else:
            params["low"] = f"{small.to_integral_value(rounding='ROUND_FLOOR'):f}"
            params["high"] = f"{small.to_integral_value(rounding='ROUND_CEILING'):f}"
            message = gettext(
                "“%(text)s” can be read two ways. Write %(whole)s or %(grouped)s for "
                "%(whole)s, or %(small)s for a number between %(low)s and %(high)s."
            )
        return ValidationError(message % params, code="ambiguous")


def parse_number(text: str, language: str, *, integer: bool = False) -> Decimal:
    """The number ``text`` means, written the way people of ``language`` write numbers.

    Raises ``ValidationError`` (code "required", "invalid" or "ambiguous") with a message, in
    ``language``, that says how to write the number. With ``integer``, only whole numbers are
    accepted and the result has no decimal places.
    """
    language = (language or "en").split("-")[0].lower()
    raw = str(text or "")
    cleaned = _APOSTROPHES.sub("'", _SPACES.sub(" ", raw.translate(_MARKS).translate(_DIGITS)))
    cleaned = cleaned.strip()
    if not cleaned:
        with translation.override(language):
            raise ValidationError(gettext("Enter a number."), code="required")
    shape = _SHAPE.fullmatch(cleaned) if len(cleaned) <= MAX_LENGTH else None
    if shape is None:
        raise _invalid(raw.strip(), language, integer)
    sign = "-" if shape.group(1) in ("-", "\u2212") else ""
    body = shape.group(2)
    own_convention = _own_convention(language)
    own = _read(body, own_convention, sign)
    others = [
        reading
        for convention in (_POINT, _COMMA)
        if convention is not own_convention and (reading := _read(body, convention, sign))
    ]
    if integer:
        whole = [
            r for r in [own, *others] if r is not None and r.value == r.value.to_integral_value()
        ]
        if not whole:
            raise _invalid(raw.strip(), language, integer)
        own = own if own in whole else None
        others = [r for r in others if r in whole]
    if own is not None:
        conflicting = [r for r in others if r.value != own.value]
        if conflicting and own.has_fraction:
            raise _ambiguous(raw.strip(), language, [own, *conflicting])
        value = own.value
    else:
        if not others:
            raise _invalid(raw.strip(), language, integer)
        if len({r.value for r in others}) > 1:
            raise _ambiguous(raw.strip(), language, others)
        value = others[0].value
    if integer:
        # Not quantize(): it fails past 28 digits; the caller's bounds refuse such a number.
        value = value.to_integral_value()
    return value


def format_number_for_input(value, language: str) -> str:
    """``value`` with all its decimals, as ``parse_number`` reads it back in ``language``.

    Thousands grouped with no-break spaces (read the same way in every convention), the
    language's decimal separator, trailing zeros dropped, and a decimal part of exactly three
    digits after a short whole part padded to four ("12,1250"), which no convention reads as
    thousands. "" for None.
    """
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    fraction = fraction.rstrip("0")
    if len(fraction) == 3 and len(whole) <= 3 and whole != "0":
        fraction += "0"
    grouped = f"{int(whole):,}".replace(",", NBSP)
    point = "." if _own_convention(language) is _POINT else ","
    return f"{sign}{grouped}{point}{fraction}" if fraction else f"{sign}{grouped}"
