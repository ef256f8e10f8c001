"""Demo data: the endline round open, and a few societies' responses in progress or submitted.

Called by the lead's `load_demo` after the demo users exist. The four demo societies (KE, LB,
CO, SN) are left unanswered so the demo users can answer them.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation

from . import answers as answer_rules
from .models import Answer, Response, SurveyRound
from .seed import load_reference_data
from .selectors import questionnaire_sections

DEMO_COUNTRIES = {"KE", "LB", "CO", "SN"}


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _sample(question, index: int) -> str:
    """A plausible answer that satisfies the question's type and limits."""
    kind = question.kind
    if kind == "yes_no":
        return "no" if (index + question.pk) % 4 == 0 else "yes"
    if kind == "single":
        names = [c.name for c in question.choices.all()]
        return names[(index + question.pk) % len(names)] if names else ""
    if kind == "multiple":
        names = [c.name for c in question.choices.all() if c.name != "other"]
        picked = names[(index % len(names)) :: 2] if names else []
        return " ".join(picked or names[:1])
    if kind == "integer":
        return str(5 + (index * 7 + question.pk) % 60)
    if kind == "date":
        return f"2023-{1 + index % 12:02d}-15"
    if kind == "decimal":
        return str(10000 + index * 2500)
    return "Demo answer" if kind == "text" else "Demo answer, written for the demonstration."


@transaction.atomic
def load(stdout=None) -> None:
    load_reference_data(stdout=stdout)
    survey_round = SurveyRound.objects.filter(name="Endline 2023").first()
    if survey_round is None:
        _say(stdout, "No endline round: survey demo skipped.")
        return
    today = timezone.localdate()
    if survey_round.state == SurveyRound.State.DRAFT:
        survey_round.state = SurveyRound.State.OPEN
        survey_round.opens = today - datetime.timedelta(days=14)
        survey_round.closes = today + datetime.timedelta(days=45)
        survey_round._change_reason = "Opened for the demo"
        survey_round.save()
        _say(stdout, "Endline 2023 opened.")
    sections = questionnaire_sections(survey_round.questionnaire)
    questions = [q for s in sections for q in s.questions.all()]
    societies = (
        Organisation.objects.national_societies()
        .exclude(country__in=DEMO_COUNTRIES)
        .order_by("region", "name")
    )
    for index, society in enumerate(societies[:12]):
        response, created = Response.objects.get_or_create(round=survey_round, society=society)
        if not created:
            continue
        values = {q.name: _sample(q, index) for q in questions}
        shown = answer_rules.visible_questions(questions, values)
        # Every third society stops half-way; the others answer everything and submit.
        complete = index % 3 != 2
        # Notes are not answered and calculations are computed at submit.
        chosen = [q for q in questions if q.pk in shown and q.is_asked]
        if not complete:
            chosen = chosen[: len(chosen) // 2]
        Answer.objects.bulk_create(
            Answer(response=response, question=q, value=values[q.name]) for q in chosen
        )
        response.last_activity_at = timezone.now()
        if complete:
            response.state = Response.State.SUBMITTED
            response.submitted_at = response.last_activity_at
        response.save()
    _say(stdout, "Survey demo responses ready.")
