"""Writes of the survey: answers (with optimistic concurrency), submit, rounds, reminders."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from roadmap.models import IndicatorValue

from . import answers as answer_rules
from .models import Answer, Question, Reminder, Response, SurveyRound, is_editable
from .selectors import answer_values, questionnaire_sections


class AnswerConflict(Exception):
    """Someone else changed this answer since the form was loaded."""

    def __init__(self, answer: Answer):
        super().__init__("conflict")
        self.answer = answer


class NotEditable(PermissionDenied):
    """The response is submitted, or the round is closed or past its deadline."""


class SubmitProblems(ValidationError):
    """Submit refused; `problems` lists (question, message)."""

    def __init__(self, problems):
        super().__init__(_("Some answers are missing or invalid."))
        self.problems = problems


def _locked_response(survey_round: SurveyRound, society) -> Response:
    """The society's response, created on first write, locked for the transaction.

    Locking the response row serialises the writes of one society, so the version check
    below cannot race, and two first saves cannot both create a response.
    """
    response, _created = Response.objects.get_or_create(round=survey_round, society=society)
    return Response.objects.select_for_update().get(pk=response.pk)


@transaction.atomic
def answer_save(
    *,
    survey_round: SurveyRound,
    society,
    question: Question,
    raw,
    expected_version: int,
    user: User,
) -> Answer | None:
    """Store one answer if nobody changed it since `expected_version` (0 = not answered yet)."""
    value = answer_rules.clean_value(question, raw)
    response = _locked_response(survey_round, society)
    if not is_editable(survey_round, response):
        raise NotEditable(_("This response can no longer be changed."))
    answer = Answer.objects.select_for_update().filter(response=response, question=question).first()
    current_version = answer.version if answer else 0
    if current_version != expected_version:
        if answer is not None and answer.value == value:
            return answer  # The colleague typed the same thing: nothing to resolve.
        raise AnswerConflict(answer)
    now = timezone.now()
    if answer is None:
        answer = Answer.objects.create(
            response=response, question=question, value=value, version=1, updated_by=user
        )
    elif answer.value != value:
        # Conditional update as a second guard: only bumps from the version we checked.
        Answer.objects.filter(pk=answer.pk, version=current_version).update(
            value=value, version=current_version + 1, updated_by=user, updated_at=now
        )
        answer.refresh_from_db()
    Response.objects.filter(pk=response.pk).update(last_activity_at=now, updated_at=now)
    return answer


@transaction.atomic
def response_submit(*, survey_round: SurveyRound, society, user: User) -> Response:
    """Check every answer and lock the response; a second submit changes nothing."""
    response = _locked_response(survey_round, society)
    if response.is_submitted:
        return response
    if not is_editable(survey_round, response):
        raise NotEditable(_("This response can no longer be changed."))
    sections = questionnaire_sections(survey_round.questionnaire)
    problems = answer_rules.problems(sections, answer_values(response))
    if problems:
        raise SubmitProblems(problems)
    response.state = Response.State.SUBMITTED
    response.submitted_at = timezone.now()
    response.submitted_by = user
    response.last_activity_at = response.submitted_at
    response._change_reason = "Submitted"
    response.save()
    return response


@transaction.atomic
def response_reopen(*, response: Response, user: User, reason: str) -> Response:
    response = Response.objects.select_for_update().get(pk=response.pk)
    response.state = Response.State.IN_PROGRESS
    response.submitted_at = None
    response._change_reason = reason
    response.save()
    return response


@transaction.atomic
def response_extend_deadline(
    *, survey_round: SurveyRound, society, deadline: datetime.date, user: User, reason: str
) -> Response:
    response = _locked_response(survey_round, society)
    response.deadline = deadline
    response._change_reason = reason
    response.save()
    return response


@transaction.atomic
def round_open(*, survey_round: SurveyRound, closes: datetime.date | None = None) -> SurveyRound:
    survey_round.state = SurveyRound.State.OPEN
    survey_round.opens = survey_round.opens or timezone.localdate()
    if closes:
        survey_round.closes = closes
    survey_round._change_reason = "Opened"
    survey_round.full_clean()
    survey_round.save()
    return survey_round


@transaction.atomic
def round_close(*, survey_round: SurveyRound) -> SurveyRound:
    survey_round.state = SurveyRound.State.CLOSED
    survey_round._change_reason = "Closed"
    survey_round.save()
    return survey_round


def reminders_send(*, survey_round: SurveyRound, user: User | None = None) -> int:
    """E-mail the focal points of every society that has not submitted; log each reminder."""
    from accounts.models import Organisation

    submitted = Response.objects.filter(round=survey_round, state=Response.State.SUBMITTED).values(
        "society_id"
    )
    societies = (
        Organisation.objects.national_societies()
        .active()
        .exclude(pk__in=submitted)
        .prefetch_related("people")
    )
    sent = 0
    for society in societies:
        people = [p for p in society.people.all() if p.is_focal_point and p.is_active and p.email]
        if not people:
            continue
        language = society.default_language or settings.LANGUAGE_CODE
        with translation.override(language):
            subject = _("Reminder: %(round)s survey") % {"round": survey_round.display_name}
            body = _(
                "Dear colleague,\n\nThe %(round)s survey for %(society)s has not been "
                "submitted yet. Please complete it before %(closes)s.\n\nThank you."
            ) % {
                "round": survey_round.display_name,
                "society": society.name,
                "closes": formats.date_format(survey_round.closes, "DATE_FORMAT")
                if survey_round.closes
                else "—",
            }
        recipients = [p.email for p in people]
        send_mail(subject, body, None, recipients)
        Reminder.objects.create(
            round=survey_round, society=society, recipients=", ".join(recipients), sent_by=user
        )
        sent += 1
    return sent


@transaction.atomic
def indicators_compute(*, survey_round: SurveyRound) -> list[IndicatorValue]:
    """Write each linked indicator's value for the round's year from submitted answers.

    Yes/no question: share answering yes. Multiple (or single) choice with a choice linked:
    share selecting that choice. Shares are of submitted societies that were shown the question.
    """
    from .selectors import submitted_values

    sections = questionnaire_sections(survey_round.questionnaire)
    questions = [q for s in sections for q in s.questions.all()]
    rows = submitted_values(survey_round)  # {response_id: {name: value}}
    visible = {rid: answer_rules.visible_questions(questions, v) for rid, v in rows.items()}
    written = []
    for question in questions:
        targets = []
        if question.indicator_id and question.kind == Question.Kind.YES_NO:
            targets.append((question.indicator, lambda v: v == "yes"))
        for choice in question.choices.all():
            if choice.indicator_id:
                targets.append((choice.indicator, lambda v, n=choice.name: n in v.split()))
        for indicator, hit in targets:
            base = []
            for rid, values in rows.items():
                value = values.get(question.name, "") if question.pk in visible[rid] else ""
                # A hidden choice question counts as "not selected" (no services, so no PFA);
                # a yes/no left empty says nothing and stays out of the share.
                if value or question.kind != Question.Kind.YES_NO:
                    base.append(value)
            if not base:
                continue
            share = Decimal(100 * sum(1 for v in base if hit(v))) / len(base)
            value, _created = IndicatorValue.objects.update_or_create(
                indicator=indicator,
                year=survey_round.year,
                source=survey_round.name,
                defaults={
                    "value": share.quantize(Decimal("0.01")),
                    "is_computed": True,
                    "note": _("Computed from %(n)s submitted responses.") % {"n": len(base)},
                },
            )
            written.append(value)
    return written
