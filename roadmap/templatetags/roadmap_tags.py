"""Small display helpers for roadmap templates (no business logic)."""

from django import template

register = template.Library()


@register.simple_tag
def indicator_value(indicator, value) -> str:
    """A value in the indicator's unit, e.g. "74%"."""
    return indicator.format_value(value)


@register.filter
def status_label(status) -> str:
    from roadmap.figures import status_label

    return status_label(status)


@register.simple_tag
def public_summary_available() -> bool:
    """Whether anonymous visitors have a public summary to read (one query)."""
    from roadmap.selectors import published_summary

    return published_summary() is not None


@register.inclusion_tag("includes/translation_hint.html", takes_context=True)
def translation_hint(context, obj):
    """For the admins who edit `obj`: which of its texts show in English for want of a translation."""
    from django.urls import reverse

    from core.translated import TRANSLATION_LANGUAGES, active_language, missing_translations

    language = active_language()
    user = getattr(context.get("request"), "user", None)
    if language not in TRANSLATION_LANGUAGES or not getattr(user, "is_roadmap_admin", False):
        return {"missing": []}
    missing = missing_translations(obj, obj.translated_fields, language)
    meta = obj._meta
    return {
        "missing": [meta.get_field(name).verbose_name for name in missing],
        "language": TRANSLATION_LANGUAGES[language],
        "edit_url": reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]),
    }


@register.filter
def number(value, decimal_places=None) -> str:
    """A number in the active language: {{ x|number }} gives "74.5" in English, "74,5" in French.

    Optional argument: decimal places as for core.formatting.format_number (e.g. "-2").
    For text only; attributes, form values and CSS keep |unlocalize.
    """
    from core.formatting import format_number

    return format_number(value, decimal_places)


@register.filter
def percent(value, decimal_places=0) -> str:
    """A percentage in the active language: {{ 74|percent }} gives "74%" in English, "74 %" in
    French. The value is already in percent. Optional argument: decimal places as for
    core.formatting.format_number ("-1": one decimal unless whole)."""
    from core.formatting import format_percent

    return format_percent(value, decimal_places)


@register.filter
def marked_english(text):
    """English shown for a missing translation, wrapped in <span lang="en" dir="ltr"> (WCAG
    3.1.2); other text as it is. Use it where the text is element content, not in attributes."""
    from core.translated import marked_english as mark

    return mark(text)


@register.filter
def fallback_lang(text):
    """` lang="en"` inside the tag of an element whose content is `text` when it is English
    for a missing translation (options, blocks filtered with |linebreaks)."""
    from core.translated import fallback_lang as attributes

    return attributes(text)


@register.filter
def direction(text) -> str:
    """The writing direction of `text` from its first letter: "rtl" for Arabic, "ltr" for
    English, French, Spanish; "auto" when it has no letter. For dir="" on texts people wrote,
    which may be in a language other than the page's: what dir="auto" does in a browser, for
    WeasyPrint, which ignores dir="auto" (the PDF reports)."""
    import unicodedata

    for char in str(text or ""):
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return "auto"
