"""Content that admins write in four languages: English is the source, the rest fall back to it.

A translated field ``title`` is stored as ``title`` (English) beside ``title_fr``, ``title_es``
and ``title_ar``; questionnaire fields keep the English in ``label_en``. ``InLanguage`` gives
the value in the active language, and ``missing_translations`` tells editors what is left.
"""

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

TRANSLATION_LANGUAGES = {"fr": _("French"), "es": _("Spanish"), "ar": _("Arabic")}


def active_language() -> str:
    return (get_language() or "en").split("-")[0]


def english_value(obj, field: str) -> str:
    english = f"{field}_en"
    return getattr(obj, english if hasattr(obj, english) else field) or ""


class EnglishFallback(str):
    """English text given on a page in another language because the translation is missing:
    templates mark it lang="en" (the |marked_english filter) so screen readers pronounce it."""


def is_english_fallback(text) -> bool:
    return isinstance(text, EnglishFallback) and bool(text)


def marked_english(text):
    """`text` as element content: English standing in for a missing translation is wrapped in
    <span lang="en" dir="ltr"> (WCAG 3.1.2), anything else is returned as it is. The one helper
    behind the |marked_english and |fallback_lang template filters."""
    from django.db.models import Model
    from django.utils.html import format_html

    if isinstance(text, Model):  # a society or subgroup shows its name in the language
        text = str(text)
    if is_english_fallback(text):
        return format_html('<span lang="en" dir="ltr">{}</span>', text)
    return text


def fallback_lang(text) -> str:
    """The attribute that marks an element whose whole content is `text` (an <option>, a
    description block with dir="auto"): ` lang="en"` for an English fallback, else nothing."""
    from django.utils.safestring import mark_safe

    return mark_safe(' lang="en"') if is_english_fallback(text) else ""


def in_language(obj, field: str, language: str | None = None) -> str:
    """The field in `language` (default: the active one), in English when it has none."""
    language = language or active_language()
    if language in TRANSLATION_LANGUAGES:
        value = getattr(obj, f"{field}_{language}", "")
        if value:
            return value
        return EnglishFallback(english_value(obj, field))
    return english_value(obj, field)


class InLanguage:
    """A read-only attribute giving a translated field in the active language."""

    def __init__(self, field: str):
        self.field = field

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return in_language(obj, self.field)


def missing_translations(obj, fields, language: str | None = None) -> list[str]:
    """Fields with English text but nothing in `language` (all three languages when None)."""
    languages = [language] if language else list(TRANSLATION_LANGUAGES)
    missing = []
    for field in fields:
        if not english_value(obj, field):
            continue
        for code in languages:
            if code in TRANSLATION_LANGUAGES and not getattr(obj, f"{field}_{code}", ""):
                missing.append(field if language else f"{field} ({code})")
    return missing


def translation_columns(*fields: str) -> tuple[str, ...]:
    """Spreadsheet columns of the translations of `fields`: title_fr, title_es, title_ar, ..."""
    return tuple(f"{field}_{code}" for field in fields for code in TRANSLATION_LANGUAGES)


def fill_empty_translations(obj, values: dict[str, str], reason: str) -> list[str]:
    """Set the translation columns in `values` that are empty on `obj`, keep the filled ones,
    and save only those (with `reason` in the history). Returns the columns written."""
    empty = [column for column, text in values.items() if text and not getattr(obj, column)]
    for column in empty:
        setattr(obj, column, values[column])
    if empty:
        obj._change_reason = reason
        obj.save(update_fields=empty)
    return empty
