"""What an imported XLSForm says beyond a question's own relevant: the enclosing groups'
relevant, constraints and their messages, dates, cascading choices (choice_filter),
calculations and defaults. Pure functions over stored answers, used by answers and views."""

import datetime

from django.utils.translation import gettext as _

from . import xpath
from .models import Question

_PARSED: dict[str, object] = {}


def parsed(text: str):
    """The expression tree of a stored (already checked) expression, parsed once per process."""
    if not text:
        return None
    if text not in _PARSED:
        if len(_PARSED) > 5000:
            _PARSED.clear()
        _PARSED[text] = xpath.parse(text)
    return _PARSED[text]


def group_condition(question: Question) -> str:
    """The relevant of the groups around the question ('' when none), from the section the
    question was loaded with (prefetched by the selectors): never a query per question, so
    callers load questions through their sections."""
    section = question._state.fields_cache.get("section")
    return (getattr(section, "condition", "") or "") if section is not None else ""


def group_shown(question: Question, values: dict[str, str]) -> bool:
    return xpath.is_true(parsed(group_condition(question)), values)


def group_references(question: Question) -> set[str]:
    return xpath.references(parsed(group_condition(question)))


def clean_date(text: str) -> str:
    """An ISO date (what <input type=date> sends and XLSForm stores)."""
    try:
        return datetime.date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        from .answers import InvalidAnswer

        raise InvalidAnswer(_("Enter a date as YYYY-MM-DD.")) from None


def constraint_error(question: Question, value: str, values: dict[str, str]) -> str | None:
    """The form's message when a non-empty value breaks the question's constraint."""
    if not question.constraint or value == "":
        return None
    context = {**values, question.name: value}
    if xpath.is_true(parsed(question.constraint), context, current=value):
        return None
    return question.message("constraint_message") or _("This answer is not allowed here.")


def required_message(question: Question) -> str:
    return question.message("required_message") or _("This question needs an answer.")


def filtered_choices(question: Question, choices: list, values: dict[str, str]) -> list:
    """The choices a choice_filter leaves, given the answers so far (all when none)."""
    node = parsed(question.choice_filter)
    if node is None:
        return choices
    return [
        c
        for c in choices
        if xpath.is_true(node, values, choice={"name": c.name, **(c.properties or {})})
    ]


def choice_allowed(question: Question, value: str, values: dict[str, str]) -> bool:
    """Whether every selected choice is among those the choice_filter leaves."""
    if not question.choice_filter or not value:
        return True
    allowed = {c.name for c in filtered_choices(question, list(question.choices.all()), values)}
    return set(value.split()) <= allowed


def calculations(questions, values: dict[str, str]) -> dict[str, str]:
    """Values of the calculate questions, in form order (a calculation may use an earlier
    one). Returns only the calculate questions' names."""
    current = dict(values)
    found = {}
    for question in questions:
        if question.kind != Question.Kind.CALCULATE:
            continue
        try:
            value = xpath.as_answer(
                xpath.evaluate(parsed(question.calculation), xpath.Context(current))
            )
        except (xpath.ExpressionError, ArithmeticError, ValueError):
            value = ""
        current[question.name] = found[question.name] = value
    return found


def choice_filter_references(question: Question) -> set[str]:
    return xpath.references(parsed(question.choice_filter))
