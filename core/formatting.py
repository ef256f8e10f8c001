"""Numbers and percentages for people to read, in the active language.

The one place where user-facing figures get their decimal separator and percent sign: pages,
report PDFs and chart labels all go through these two functions, or through the ``number`` and
``percent`` template filters (``roadmap_tags``) built on them::

    format_number(74.5)           en "74.5"    fr, es, ar "74,5"
    format_number(3, 2)           en "3.00"    fr, es, ar "3,00"
    format_percent(74)            en "74%"     fr "74\u00a0%"  es "74\u00a0%"  ar "74%"
    format_percent(74.46, None)   en "74.5%"   fr "74,5\u00a0%"

The decimal separator comes from Django's locale formats (``django/conf/locale/<lang>/
formats.py``), which keep Western digits in every language, Arabic included. Thousands are
grouped only if ``USE_THOUSAND_SEPARATOR`` is on (it is off, so "1000" reads as every other
number Django renders). The percent sign and its spacing are the translation of the msgid
``"%(value)s%%"``: French puts a narrow no-break space (U+202F) before the sign, Spanish a
no-break space (U+00A0), Arabic none (with Western digits Arabic text writes "74,5%"; the
Arabic percent sign U+066A goes with Arabic-Indic digits, which Django does not use).

Machine-facing values stay out of this module on purpose: XLSX and CSV cells keep real numbers;
SVG geometry, HTML attributes (``value=``, widths) and form inputs keep plain dot decimals
(``|unlocalize`` or ``|stringformat`` in templates, Python format specs in code).
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from django.core.signals import setting_changed
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext

__all__ = ["format_number", "format_percent"]


def _to_decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        number = value
    else:
        try:
            # str() first: Decimal(0.1) would carry the float's binary noise.
            number = Decimal(str(value))
        except (InvalidOperation, ValueError):
            return None
    return number if number.is_finite() else None


def format_number(value, decimal_places: int | None = None) -> str:
    """``value`` with the active language's decimal separator.

    ``decimal_places``:

    * ``None`` (the default): whole numbers without decimals, others with one ("74", "74.5");
      a value that rounds to a whole number drops its decimal ("74.96" gives "75").
    * ``n >= 0``: exactly n decimals ("74.50" for 2).
    * ``-n``: n decimals, or none when the rounded value is whole (like ``floatformat:-n``).

    Rounds half up. None, "" and values that are not numbers give "—".
    """
    # A page writes the same few counts and shares hundreds of times: each is formatted once
    # per language (the cache is emptied when a test changes a setting).
    try:
        return _cached_number(value, decimal_places, get_language())
    except TypeError:  # a value that cannot be a key (unhashable): format it directly
        return _format_number(value, decimal_places)


def _format_number(value, decimal_places: int | None) -> str:
    number = _to_decimal(value)
    if number is None:
        return "—"
    places = -1 if decimal_places is None else int(decimal_places)
    number = number.quantize(Decimal(1).scaleb(-abs(places)), rounding=ROUND_HALF_UP)
    if places < 0 and number == number.to_integral_value():
        places = 0
        number = number.quantize(Decimal(1))
    else:
        places = abs(places)
    if number == 0:
        number = abs(number)  # no "-0"
    return number_format(number, places, use_l10n=True)


def format_percent(value, decimal_places: int | None = 0) -> str:
    """``value`` (already in percent: 74.5 for 74.5 %) as a percentage in the active language.

    ``decimal_places`` as for ``format_number``: 0 by default ("74%"), None for one decimal when
    the value is not whole ("74.5%"). None and "" give "—".
    """
    try:
        return _cached_percent(value, decimal_places, get_language())
    except TypeError:
        return _format_percent(value, decimal_places)


def _format_percent(value, decimal_places: int | None) -> str:
    if _to_decimal(value) is None:
        return "—"
    # Translators: a percentage; %(value)s is the number, e.g. "74" or "74,5". French: narrow
    # no-break space before the sign; Spanish: no-break space.
    return gettext("%(value)s%%") % {"value": format_number(value, decimal_places)}


# Keyed by value (typed: 1, 1.0, Decimal(1) and True apart), places and language.
@lru_cache(maxsize=4096, typed=True)
def _cached_number(value, decimal_places, language) -> str:
    return _format_number(value, decimal_places)


@lru_cache(maxsize=4096, typed=True)
def _cached_percent(value, decimal_places, language) -> str:
    return _format_percent(value, decimal_places)


def _clear(**kwargs) -> None:
    _cached_number.cache_clear()
    _cached_percent.cache_clear()


setting_changed.connect(_clear, dispatch_uid="core-formatting-cache")
