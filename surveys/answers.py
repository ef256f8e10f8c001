"""Pure rules about answers: cleaning a typed value, visibility, progress and completeness."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.formatting import format_number
from core.numbers import format_number_for_input, parse_number

from . import conditions, form_logic
from .models import Question

# Excel holds at most 32,767 characters in a cell; refusing longer answers keeps exports whole.
MAX_LONG_TEXT = 30000
MAX_SHORT_TEXT = 1000
MAX_WHOLE_DIGITS = 15
MAX_DECIMALS = 6


class InvalidAnswer(ValueError):
    """A value that does not fit the question (type, choices, limits)."""


def clean_value(question: Question, raw, *, language: str | None = None) -> str:
    """The value as stored, from a form value (a string, or a list for multiple choice).

    Numbers are read as people of `language` (default: the active language) type them and
    stored canonically ("12500", "12.5"); `format_answer` shows them back."""
    if isinstance(raw, list | tuple):
        items = [str(v).strip() for v in raw if str(v).strip()]
    else:
        items = [str(raw or "").strip()] if str(raw or "").strip() else []
    if not items:
        return ""
    if any("\x00" in item for item in items):
        # PostgreSQL cannot store NUL in text; refuse it like Django's form fields do.
        raise InvalidAnswer(_("Null characters are not allowed."))
    kind = question.kind
    if not question.is_asked:
        raise InvalidAnswer(_("This question is not answered: it is a note or a calculation."))
    if kind == Question.Kind.DATE:
        return form_logic.clean_date(items[0])
    if kind == Question.Kind.YES_NO:
        if items[0] not in ("yes", "no"):
            raise InvalidAnswer(_("Choose yes or no."))
        return items[0]
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        allowed = {c.name for c in question.choices.all()}
        unknown = [v for v in items if v not in allowed]
        if unknown:
            raise InvalidAnswer(_("Choose among the listed options."))
        if kind == Question.Kind.SINGLE:
            return items[0]
        # Keep the questionnaire's order so exports and comparisons are stable.
        order = [c.name for c in question.choices.all()]
        return " ".join(name for name in order if name in set(items))
    if kind in (Question.Kind.INTEGER, Question.Kind.DECIMAL):
        # Read as the person writes numbers in their language: Spanish "12.500" is 12500,
        # never 12.5; text that reads two ways is refused with how to write it.
        try:
            number = parse_number(
                items[0], language or get_language() or "en", integer=kind == Question.Kind.INTEGER
            )
        except ValidationError as error:
            raise InvalidAnswer(error.messages[0]) from None
        return _checked_number(question, number)
    text = items[0] if kind == Question.Kind.TEXT else "\n".join(items)
    limit = MAX_SHORT_TEXT if kind == Question.Kind.TEXT else MAX_LONG_TEXT
    if len(text) > limit:
        raise InvalidAnswer(
            _("Keep the answer under %(n)s characters (it has %(len)s).")
            % {"n": limit, "len": len(text)}
        )
    return text


def _checked_number(question: Question, number: Decimal) -> str:
    """A number within our digits and the question's limits, as stored ("12500", "12.5")."""
    # Bounded so that "1e309" or "1e-99999999" can neither be stored nor blow up formatting.
    if number and (number.adjusted() >= MAX_WHOLE_DIGITS or _decimals(number) > MAX_DECIMALS):
        raise InvalidAnswer(
            _(
                "Enter a number with at most %(whole)s digits before the decimal point "
                "and %(decimals)s after it."
            )
            % {"whole": MAX_WHOLE_DIGITS, "decimals": MAX_DECIMALS}
        )
    if question.kind == Question.Kind.INTEGER and number != number.to_integral_value():
        raise InvalidAnswer(_("Enter a whole number."))
    check_limits(question, number)
    if question.kind == Question.Kind.INTEGER:
        return str(int(number))
    return f"{number.normalize():f}" if number else "0"


def check_stored(question: Question, value: str) -> None:
    """Raise `InvalidAnswer` if a stored value no longer fits the question (limits changed).

    Stored numbers are canonical ("12.5"), so they are read as such, never by a language's
    conventions (Spanish would read a stored "12.125" as twelve thousand)."""
    if question.kind in (Question.Kind.INTEGER, Question.Kind.DECIMAL):
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise InvalidAnswer(_("Enter a number.")) from None
        if not number.is_finite():
            raise InvalidAnswer(_("Enter a number."))
        _checked_number(question, number)
        return
    clean_value(question, value.split() if question.kind == Question.Kind.MULTIPLE else value)


def format_answer(question: Question, value: str, language: str | None = None) -> str:
    """A stored number as the person reads and types it back ("12\u00a0500", "12,5"); other
    values unchanged. What a number input shows and the autosave echo says was kept."""
    if value and question.kind in (Question.Kind.INTEGER, Question.Kind.DECIMAL):
        try:
            return format_number_for_input(Decimal(value), language or get_language() or "en")
        except InvalidOperation:
            return value
    return value


def _decimals(number: Decimal) -> int:
    """Significant decimal places, without normalize() (which rounds tiny values to zero)."""
    sign, digits, exponent = number.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:  # NaN and infinities: no decimals
        return 0
    trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -exponent - trailing_zeros)


def check_limits(question: Question, number: Decimal) -> None:
    if question.min_value is not None and number < question.min_value:
        raise InvalidAnswer(
            _("Enter a value of at least %(min)s.") % {"min": _fmt(question.min_value)}
        )
    if question.max_value is not None and number > question.max_value:
        raise InvalidAnswer(
            _("Enter a value of at most %(max)s.") % {"max": _fmt(question.max_value)}
        )


def _fmt(number: Decimal) -> str:
    """A limit in the active language, with all its decimals ("2,5" in French)."""
    exponent = number.normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return format_number(number, places)


def _group_condition(question: Question) -> str:
    """The enclosing groups' relevant, from the section the question was loaded with."""
    section = question._state.fields_cache.get("section")
    return (getattr(section, "condition", "") or "") if section is not None else ""


def is_conditional(question: Question) -> bool:
    """Whether the question is asked only when other answers say so (its `relevant`, or its
    groups'): the questions `visible_questions` may hide."""
    return bool(question.relevant) or bool(_group_condition(question))


def condition_references(questions) -> set[str]:
    """Names of the questions that the conditions of `questions` (and of their groups) read."""
    names: set[str] = set()
    for question in questions:
        if question.relevant:
            names |= conditions.references(conditions.parse(question.relevant))
        if _group_condition(question):
            from .form_logic import group_references  # only forms with groups' conditions

            names |= group_references(question)
    return names


def visible_questions(questions, values: dict[str, str]) -> set[int]:
    """Ids of the questions shown; a hidden question's answer counts as empty downstream.

    The one rule for "asked": the form, completeness at submit, the results (and so the
    indicators computed from them) and the exports all call it. An answer to a question not
    shown is kept (it returns if the condition turns true again) but counted nowhere."""
    effective: dict[str, str] = {}
    shown = set()
    for question in questions:
        node = conditions.parse(question.relevant)
        # An XLSForm group's relevant applies to every question inside it (surveys.form_logic).
        if conditions.evaluate(node, effective) and form_logic.group_shown(question, effective):
            shown.add(question.pk)
            effective[question.name] = values.get(question.name, "")
        else:
            effective[question.name] = ""
    return shown


@dataclass
class SectionProgress:
    section: object
    answered: int = 0
    shown: int = 0
    required_remaining: int = 0
    missing: list = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.required_remaining == 0


def progress(sections, values: dict[str, str]) -> list[SectionProgress]:
    """Answered and required-remaining counts per section, counting shown questions only."""
    questions = [q for s in sections for q in s.questions.all()]
    shown = visible_questions(questions, values)
    result = []
    for section in sections:
        item = SectionProgress(section)
        for question in section.questions.all():
            if question.pk not in shown or not question.is_asked:
                continue
            item.shown += 1
            if values.get(question.name):
                item.answered += 1
            elif question.required:
                item.required_remaining += 1
                item.missing.append(question)
        result.append(item)
    return result


def problems(sections, values: dict[str, str]) -> list[tuple[Question, str]]:
    """Everything that stops a submit: required answers missing and values out of bounds."""
    questions = [q for s in sections for q in s.questions.all()]
    shown = visible_questions(questions, values)
    found = []
    for question in questions:
        if question.pk not in shown:
            continue  # Hidden: not required, and a stale answer is ignored.
        if not question.is_asked:
            continue  # Notes are read, calculations computed: nothing to check.
        value = values.get(question.name, "")
        if not value:
            if question.required:
                found.append((question, form_logic.required_message(question)))
            continue
        try:
            check_stored(question, value)
        except InvalidAnswer as error:
            found.append((question, str(error)))
            continue
        message = form_logic.constraint_error(question, value, values)
        if message:
            found.append((question, message))
        elif not form_logic.choice_allowed(question, value, values):
            # A cascade whose earlier answer changed since: the choice is no longer offered.
            found.append((question, _("Choose among the listed options.")))
    return found
