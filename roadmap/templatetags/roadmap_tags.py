"""Small display helpers for roadmap templates (no business logic)."""

from django import template

register = template.Library()


@register.simple_tag
def indicator_value(indicator, value) -> str:
    """A value in the indicator's unit, e.g. "74%"."""
    return indicator.format_value(value)


@register.filter
def status_label(status) -> str:
    from roadmap.models import ProgressStatus

    try:
        return ProgressStatus(status).label
    except ValueError:
        return ""


@register.simple_tag
def public_summary_available() -> bool:
    """Whether anonymous visitors have a public summary to read (one query)."""
    from roadmap.selectors import published_summary

    return published_summary() is not None
