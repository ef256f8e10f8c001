"""Pure rules about answers: cleaning a typed value, visibility, progress and completeness."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from roadmap.formatting import format_number

from . import conditions
from .models import Question

# Excel holds at most 32,767 characters in a cell; refusing longer answers keeps exports whole.
MAX_LONG_TEXT = 30000
MAX_SHORT_TEXT = 1000
MAX_WHOLE_DIGITS = 15
MAX_DECIMALS = 6


class InvalidAnswer(ValueError):
    """A value that does not fit the question (type, choices, limits)."""


def clean_value(question: Question, raw) -> str:
    """The value as stored, from a form value (a string, or a list for multiple choice)."""
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
        text = items[0].replace(",", ".") if kind == Question.Kind.DECIMAL else items[0]
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise InvalidAnswer(_("Enter a number."))
        # Bounded so that "1e309" or "1e-99999999" can neither be stored nor blow up formatting.
        if number and (number.adjusted() >= MAX_WHOLE_DIGITS or _decimals(number) > MAX_DECIMALS):
            raise InvalidAnswer(
                _(
                    "Enter a number with at most %(whole)s digits before the decimal point "
                    "and %(decimals)s after it."
                )
                % {"whole": MAX_WHOLE_DIGITS, "decimals": MAX_DECIMALS}
            )
        if kind == Question.Kind.INTEGER and number != number.to_integral_value():
            raise InvalidAnswer(_("Enter a whole number."))
        check_limits(question, number)
        return str(int(number)) if kind == Question.Kind.INTEGER else f"{number.normalize():f}"
    text = items[0] if kind == Question.Kind.TEXT else "\n".join(items)
    limit = MAX_SHORT_TEXT if kind == Question.Kind.TEXT else MAX_LONG_TEXT
    if len(text) > limit:
        raise InvalidAnswer(
            _("Keep the answer under %(n)s characters (it has %(len)s).")
            % {"n": limit, "len": len(text)}
        )
    return text


def _decimals(number: Decimal) -> int:
    """Significant decimal places, without normalize() (which rounds tiny values to zero)."""
    sign, digits, exponent = number.as_tuple()
    if exponent >= 0:
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
    places = max(0, -number.normalize().as_tuple().exponent)
    return format_number(number, places)


def visible_questions(questions, values: dict[str, str]) -> set[int]:
    """Ids of the questions shown; a hidden question's answer counts as empty downstream."""
    effective: dict[str, str] = {}
    shown = set()
    for question in questions:
        node = conditions.parse(question.relevant)
        if conditions.evaluate(node, effective):
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
            if question.pk not in shown:
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
        value = values.get(question.name, "")
        if not value:
            if question.required:
                found.append((question, _("This question needs an answer.")))
            continue
        try:
            clean_value(question, value.split() if question.kind == "multiple" else value)
        except InvalidAnswer as error:
            found.append((question, str(error)))
    return found
