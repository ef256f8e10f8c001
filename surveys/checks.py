"""What makes a questionnaire unfit for a round: problems people must fix before it opens."""

from django.utils.translation import gettext as _

from . import conditions
from .models import Question, Questionnaire


def questionnaire_problems(questionnaire: Questionnaire) -> list[str]:
    """Readable problems of the questionnaire (empty when a round may use it); two queries."""
    questions = list(
        Question.objects.filter(questionnaire=questionnaire)
        .order_by("section__order", "order", "id")
        .prefetch_related("choices")
    )
    if not questions:
        return [_("The questionnaire has no questions.")]
    names = {q.name for q in questions}
    problems = []
    for question in questions:
        if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE) and not list(
            question.choices.all()
        ):
            problems.append(
                _("%(name)s: a choice question without choices.") % {"name": question.name}
            )
        try:
            unknown = conditions.references(conditions.parse(question.relevant)) - names
        except conditions.ConditionError as error:
            problems.append(
                _("%(name)s: its condition cannot be read (%(error)s).")
                % {"name": question.name, "error": error}
            )
            continue
        if unknown:
            problems.append(
                _("%(name)s: its condition refers to unknown questions: %(unknown)s.")
                % {"name": question.name, "unknown": ", ".join(sorted(unknown))}
            )
    return problems
