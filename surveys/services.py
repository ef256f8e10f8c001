"""Writes of the survey: answers (with optimistic concurrency), submit, rounds, reminders."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, FilteredRelation, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.services import newcomer_account_create
from roadmap.models import IndicatorValue, Roadmap

from . import answers as answer_rules
from . import form_logic, notifications
from .checks import questionnaire_problems
from .models import (
    Answer,
    MessageLog,
    Progress,
    Question,
    Questionnaire,
    Response,
    SurveyRound,
    deadline_in_force,
    is_editable,
    progress_of,
)
from .selectors import answer_values, questionnaire_sections


class AnswerConflict(Exception):
    """Someone else changed this answer since the form was loaded."""

    def __init__(self, answer: Answer | None):
        # None: the answer was stored and then removed since the form was loaded.
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
    # Locked at once when it exists (every save but a society's first): one query, not two.
    locked = Response.objects.select_for_update().filter(round=survey_round, society=society)
    response = locked.first()
    if response is not None:
        return response
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
        changed = Answer.objects.filter(pk=answer.pk, version=current_version).update(
            value=value, version=current_version + 1, updated_by=user, updated_at=now
        )
        if changed:  # the row now holds what was written: no need to read it back
            answer.value, answer.version = value, current_version + 1
            answer.updated_by, answer.updated_at = user, now
        else:
            answer.refresh_from_db()
    Response.objects.filter(pk=response.pk).update(last_activity_at=now, updated_at=now)
    return answer


def calculations_store(*, response: Response, questionnaire_id: int, user: User | None) -> None:
    """Store the XLSForm `calculate` values computed from the response's answers (one query
    when the questionnaire has none)."""
    calculated = list(
        Question.objects.filter(
            questionnaire_id=questionnaire_id, kind=Question.Kind.CALCULATE
        ).order_by("order", "id")
    )
    if not calculated:
        return
    stored = {a.question_id: a for a in response.answers.select_related("question")}
    values = {a.question.name: a.value for a in stored.values()}
    for question in calculated:
        values.pop(question.name, None)
    computed = form_logic.calculations(calculated, values)
    for question in calculated:
        value = computed.get(question.name, "")
        answer = stored.get(question.pk)
        if answer is None and value:
            Answer.objects.create(
                response=response, question=question, value=value, updated_by=user
            )
        elif answer is not None and answer.value != value:
            Answer.objects.filter(pk=answer.pk).update(
                value=value, version=answer.version + 1, updated_by=user, updated_at=timezone.now()
            )


@transaction.atomic
def response_submit(*, survey_round: SurveyRound, society, user: User) -> Response:
    """Check every answer and lock the response; a second submit changes nothing."""
    response = _locked_response(survey_round, society)
    if response.is_submitted:
        return response
    if not is_editable(survey_round, response):
        raise NotEditable(_("This response can no longer be changed."))
    # Calculations are stored with the submitted answers (the autosave stays one write).
    calculations_store(response=response, questionnaire_id=survey_round.questionnaire_id, user=user)
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
    """Open a submitted response again; its focal points get an e-mail with the reason."""
    response = (
        Response.objects.select_for_update().select_related("round", "society").get(pk=response.pk)
    )
    response.state = Response.State.IN_PROGRESS
    response.submitted_at = None
    response.reopened_at = timezone.now()
    response.notice = reason
    response._change_reason = reason
    response.save()
    _notify(
        kind=MessageLog.Kind.REOPENED,
        survey_round=response.round,
        societies=[response.society_id],
        reason=reason,
        user=user,
        include_submitted=True,
    )
    return response


@transaction.atomic
def response_extend_deadline(
    *, survey_round: SurveyRound, society, deadline: datetime.date, user: User, reason: str
) -> Response:
    """Give one society a later deadline; its focal points get an e-mail with the reason."""
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The new deadline must not be in the past.")})
    response = _locked_response(survey_round, society)
    response.deadline = deadline
    response.notice = reason
    response._change_reason = reason
    response.save()
    _notify(
        kind=MessageLog.Kind.EXTENDED,
        survey_round=survey_round,
        societies=[society.pk],
        reason=reason,
        user=user,
    )
    return response


# ---------------------------------------------------------------- rounds


def _check_closes(closes: datetime.date | None, opens: datetime.date | None = None) -> None:
    if closes is None:
        raise ValidationError({"closes": _("Give the closing date.")})
    if closes < timezone.localdate():
        raise ValidationError({"closes": _("The closing date must not be in the past.")})
    if opens and closes < opens:
        raise ValidationError({"closes": _("The round must close after it opens.")})


def _check_questionnaire(questionnaire: Questionnaire) -> None:
    problems = questionnaire_problems(questionnaire)
    if problems:
        raise ValidationError(
            {"questionnaire": [_("The questionnaire has errors; fix them first.")] + problems}
        )


@transaction.atomic
def round_create(
    *,
    questionnaire: Questionnaire,
    name: str,
    name_fr: str = "",
    name_es: str = "",
    name_ar: str = "",
    year: int,
    opens: datetime.date | None,
    closes: datetime.date,
    invitation: str = SurveyRound.Invitation.ALL,
    invited_region: str = "",
    invited_societies=(),
    user: User,
) -> SurveyRound:
    """A draft round of the current roadmap; nobody is told until it opens."""
    _check_closes(closes, opens)
    _check_questionnaire(questionnaire)
    if invitation == SurveyRound.Invitation.REGION and not invited_region:
        raise ValidationError({"invited_region": _("Choose the region invited.")})
    if invitation == SurveyRound.Invitation.LIST and not invited_societies:
        raise ValidationError({"invited_societies": _("Choose the National Societies invited.")})
    roadmap = Roadmap.objects.current()
    if roadmap is None:
        raise ValidationError(_("There is no roadmap to attach the round to."))
    survey_round = SurveyRound(
        roadmap=roadmap,
        questionnaire=questionnaire,
        name=name,
        name_fr=name_fr,
        name_es=name_es,
        name_ar=name_ar,
        year=year,
        opens=opens,
        closes=closes,
        invitation=invitation,
        invited_region=invited_region if invitation == SurveyRound.Invitation.REGION else "",
        state=SurveyRound.State.DRAFT,
    )
    survey_round.full_clean()
    survey_round._change_reason = "Created"
    survey_round.save()
    if invitation == SurveyRound.Invitation.LIST:
        survey_round.invited_societies.set(invited_societies)
    return survey_round


def _locked_round(survey_round: SurveyRound) -> SurveyRound:
    return (
        SurveyRound.objects.select_for_update()
        .select_related("questionnaire")
        .get(pk=survey_round.pk)
    )


@transaction.atomic
def round_open(
    *, survey_round: SurveyRound, closes: datetime.date | None = None, user: User | None = None
) -> SurveyRound:
    """Open a draft round and e-mail each invited society's focal points the direct link."""
    survey_round = _locked_round(survey_round)
    if survey_round.state != SurveyRound.State.DRAFT:
        raise ValidationError(_("Only a draft round can be opened; reopen a closed one."))
    survey_round.opens = survey_round.opens or timezone.localdate()
    survey_round.closes = closes or survey_round.closes
    _check_closes(survey_round.closes)
    _check_questionnaire(survey_round.questionnaire)
    survey_round.state = SurveyRound.State.OPEN
    survey_round._change_reason = "Opened"
    survey_round.full_clean()
    survey_round.save()
    _notify(kind=MessageLog.Kind.INVITATION, survey_round=survey_round, user=user)
    return survey_round


@transaction.atomic
def round_close(*, survey_round: SurveyRound, reason: str, user: User | None = None) -> SurveyRound:
    survey_round = _locked_round(survey_round)
    survey_round.state = SurveyRound.State.CLOSED
    survey_round._change_reason = reason
    survey_round.save()
    return survey_round


@transaction.atomic
def round_reopen(
    *, survey_round: SurveyRound, closes: datetime.date, reason: str, user: User | None = None
) -> SurveyRound:
    """Open a closed round until `closes`; societies that have not submitted are told why."""
    survey_round = _locked_round(survey_round)
    if survey_round.state != SurveyRound.State.CLOSED:
        raise ValidationError(_("Only a closed round can be reopened."))
    _check_closes(closes)
    survey_round.state = SurveyRound.State.OPEN
    survey_round.closes = closes
    survey_round.notice = reason
    survey_round._change_reason = reason
    survey_round.save()
    _notify(kind=MessageLog.Kind.REOPENED, survey_round=survey_round, reason=reason, user=user)
    return survey_round


@transaction.atomic
def round_extend(
    *, survey_round: SurveyRound, closes: datetime.date, reason: str, user: User | None = None
) -> SurveyRound:
    """Move an open round's closing date later; societies that have not submitted are told."""
    survey_round = _locked_round(survey_round)
    if survey_round.state != SurveyRound.State.OPEN:
        raise ValidationError(_("Only an open round can be extended."))
    _check_closes(closes)
    if survey_round.closes and closes <= survey_round.closes:
        raise ValidationError(
            {"closes": _("The new closing date must be later than the current one.")}
        )
    survey_round.closes = closes
    survey_round.notice = reason
    survey_round._change_reason = reason
    survey_round.save()
    _notify(kind=MessageLog.Kind.EXTENDED, survey_round=survey_round, reason=reason, user=user)
    return survey_round


def _targets(survey_round: SurveyRound, *, societies=None, regions=None):
    """Invited societies (optionally only `societies` ids, or those of `regions`), each with its
    focal points prefetched and its response's state, answers, reopening, deadline and last
    reminder sent annotated (two queries)."""
    qs = survey_round.invited()
    if societies is not None:
        qs = qs.filter(pk__in=societies)
    if regions:
        qs = qs.filter(region__in=regions)
    last_reminder = (
        MessageLog.objects.filter(
            round=survey_round,
            society=OuterRef("pk"),
            kind=MessageLog.Kind.REMINDER,
            status__in=[MessageLog.Status.QUEUED, MessageLog.Status.SENT],
        )
        .order_by("-sent_at")
        .values("sent_at")[:1]
    )
    answered = (
        Answer.objects.filter(response_id=OuterRef("response__id"))
        .order_by()
        .values("response_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        qs.annotate(
            response=FilteredRelation(
                "survey_responses", condition=Q(survey_responses__round=survey_round)
            ),
            response_state=F("response__state"),
            response_deadline=F("response__deadline"),
            response_reopened_at=F("response__reopened_at"),
            answered=Coalesce(Subquery(answered), 0),
            last_reminder_at=Subquery(last_reminder),
        )
        .prefetch_related(
            Prefetch(
                "people",
                queryset=User.objects.filter(is_focal_point=True, is_active=True).order_by("email"),
            )
        )
        .order_by("name")
    )


def _deadline_of(survey_round: SurveyRound, society) -> datetime.date | None:
    return deadline_in_force(survey_round.closes, society.response_deadline)


def _notify(
    *,
    kind: str,
    survey_round: SurveyRound,
    societies=None,
    reason: str = "",
    user: User | None = None,
    include_submitted: bool = False,
) -> list[MessageLog]:
    """E-mail the focal points of the invited societies (or of `societies`) that have not
    submitted; societies without a focal point are skipped (the tracker shows them). The
    messages are written and logged here and sent by a background task (at Movement scale,
    a couple of hundred e-mails do not fit in a request)."""
    logs = []
    for society in _targets(survey_round, societies=societies):
        if society.response_state == Response.State.SUBMITTED and not include_submitted:
            continue
        people = notifications.focal_points(society)
        if not people:
            continue
        logs += notifications.round_message_queue(
            kind=kind,
            survey_round=survey_round,
            society=society,
            people=people,
            deadline=_deadline_of(survey_round, society),
            reason=reason,
            user=user,
        )
    notifications.messages_dispatch(logs)
    return logs


# ---------------------------------------------------------------- reminders


class Skip:
    """Why a society gets no reminder."""

    NO_FOCAL_POINT = "no_focal_point"
    SUBMITTED = "submitted"
    RECENTLY_REMINDED = "recently_reminded"


@dataclass
class ReminderTarget:
    society: Organisation
    progress: str
    people: list
    deadline: datetime.date | None
    last_reminder_at: datetime.datetime | None
    skip: str = ""

    @property
    def progress_label(self) -> str:
        return str(Progress(self.progress).label)


def reminders_preview(
    *,
    survey_round: SurveyRound,
    regions: list[str] | None = None,
    statuses: list[str] | None = None,
    force: bool = False,
) -> dict[str, list[ReminderTarget]]:
    """Who a reminder would reach, and who it would not and why, among the invited societies
    of `regions` whose progress is one of `statuses` (every one when empty). Without `force`,
    a society reminded less than REMINDER_MIN_INTERVAL_HOURS ago is left out. Three queries."""
    since = timezone.now() - datetime.timedelta(hours=settings.REMINDER_MIN_INTERVAL_HOURS)
    to_send, skipped = [], []
    for society in _targets(survey_round, regions=regions):
        progress = progress_of(
            society.response_state, society.answered, society.response_reopened_at
        )
        if statuses and progress not in statuses:
            continue
        target = ReminderTarget(
            society=society,
            progress=progress,
            people=notifications.focal_points(society),
            deadline=_deadline_of(survey_round, society),
            last_reminder_at=society.last_reminder_at,
        )
        if progress == Progress.SUBMITTED:
            target.skip = Skip.SUBMITTED
        elif not target.people:
            target.skip = Skip.NO_FOCAL_POINT
        elif not force and target.last_reminder_at and target.last_reminder_at > since:
            target.skip = Skip.RECENTLY_REMINDED
        (skipped if target.skip else to_send).append(target)
    return {"to_send": to_send, "skipped": skipped}


def reminders_send(
    *,
    survey_round: SurveyRound,
    user: User | None = None,
    regions: list[str] | None = None,
    statuses: list[str] | None = None,
    force: bool = False,
) -> dict:
    """Send the reminders `reminders_preview` lists; returns it with the messages logged."""
    with transaction.atomic():
        # The round's row lock serialises two admins (or a double click): the second waits,
        # then sees the first one's reminders as recent and sends nothing twice.
        locked = SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
        if locked.state != SurveyRound.State.OPEN:
            raise ValidationError(_("Reminders go out only while the round is open."))
        preview = reminders_preview(
            survey_round=survey_round, regions=regions, statuses=statuses, force=force
        )
        logs = []
        for target in preview["to_send"]:
            logs += notifications.round_message_queue(
                kind=MessageLog.Kind.REMINDER,
                survey_round=survey_round,
                society=target.society,
                people=target.people,
                deadline=target.deadline,
                user=user,
            )
        # Queued inside the lock: a second click already sees these as recent.
        notifications.messages_dispatch(logs)
    return {**preview, "logs": logs}


# ---------------------------------------------------------------- focal points


@transaction.atomic
def focal_point_add(*, society: Organisation, email: str, user: User) -> User:
    """Make an existing person of this society (or of none yet) one of its focal points."""
    person = User.objects.select_for_update().filter(email__iexact=email).first()
    if person is None:
        raise ValidationError({"email": _("Nobody has an account with this e-mail; invite them.")})
    if person.organisation_id not in (None, society.pk):
        raise ValidationError(
            {
                "email": _("This person works for %(organisation)s, not this National Society.")
                % {"organisation": person.organisation}
            }
        )
    if person.focal_point_society_id == society.pk:
        return person
    person.organisation = society
    person.is_focal_point = True
    person.full_clean()
    person._change_reason = f"Made focal point of {society.name} by {user.email}"
    person.save()
    return person


@transaction.atomic
def focal_point_invite(
    *,
    society: Organisation,
    email: str,
    full_name: str,
    language: str,
    survey_round: SurveyRound,
    user: User,
) -> tuple[User, MessageLog]:
    """Create an account for a new focal point and e-mail a link that sets its password."""
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": _("This person already has an account; add them as a focal point instead.")}
        )
    person = newcomer_account_create(
        email=email,
        full_name=full_name,
        organisation=society,
        is_focal_point=True,
        language=language,
        made_by=user,
        reason=f"Invited as focal point of {society.name} by {user.email}",
    )
    log = notifications.focal_point_invitation_send(
        person=person, society=society, survey_round=survey_round, user=user
    )
    return person, log


@transaction.atomic
def indicators_compute(*, survey_round: SurveyRound, by=None) -> list[IndicatorValue]:
    """Propose each linked indicator's value for the round's year from submitted answers.

    The figures are the results page's (`selectors.results`, the same function, so the same
    base): a yes/no question linked to an indicator gives the share answering yes, a choice
    linked to one the share selecting it, of the submitted answers to that question (answers to
    questions a condition hides are not counted there). A count indicator takes the number of
    answers instead of the share. Each value is *proposed*, with its numerator, denominator and
    coverage (responses submitted of societies invited, overall and by region); an admin
    publishes or discards it (`roadmap.services.indicator_value_publish`). Below
    settings.INDICATOR_COVERAGE_THRESHOLD it is provisional.

    Idempotent: an open proposal for the same indicator and round is updated; nothing is
    proposed when the published value or the open proposal from this round already has these
    very figures. Returns the values proposed or updated.
    """
    from roadmap.figures import is_provisional_coverage
    from roadmap.models import Indicator

    from .selectors import results, tracker_summary

    coverage = tracker_summary(survey_round)
    responses, invited = coverage["totals"]["submitted"], coverage["totals"]["societies"]
    by_region = {
        r["code"]: {"submitted": r["submitted"], "invited": r["societies"]}
        for r in coverage["regions"]
    }
    provisional = is_provisional_coverage(responses, invited)
    figures = []  # (indicator id, numerator, denominator)
    for item in results(survey_round)["questions"]:
        question = item["question"]
        linked = {c.name: c.indicator_id for c in question.choices.all() if c.indicator_id}
        if question.kind == Question.Kind.YES_NO:
            linked = {"yes": question.indicator_id} if question.indicator_id else {}
        for row in item["rows"]:
            if linked.get(row["name"]) and item["answered"]:
                figures.append((linked[row["name"]], row["count"], item["answered"]))
    indicators = Indicator.objects.in_bulk([pk for pk, _n, _d in figures])
    existing = {
        (v.indicator_id, v.status): v
        for v in IndicatorValue.objects.filter(
            indicator_id__in=list(indicators),
            year=survey_round.year,
            source=survey_round.name,
            status__in=[IndicatorValue.Status.PROPOSED, IndicatorValue.Status.PUBLISHED],
        )
    }
    proposed = []
    for indicator_id, numerator, denominator in figures:
        indicator = indicators[indicator_id]
        if indicator.unit == Indicator.Unit.COUNT:
            number = Decimal(numerator)
        else:
            number = (Decimal(100 * numerator) / denominator).quantize(Decimal("0.01"))
        fields = {
            "value": number,
            "numerator": numerator,
            "denominator": denominator,
            "responses": responses,
            "invited": invited,
            "coverage_by_region": by_region,
            "is_provisional": provisional,
        }
        published = existing.get((indicator_id, IndicatorValue.Status.PUBLISHED))
        open_proposal = existing.get((indicator_id, IndicatorValue.Status.PROPOSED))
        # Nothing new to review: the same figures are already published or waiting.
        if any(
            v is not None and all(getattr(v, k) == new for k, new in fields.items())
            for v in (published, open_proposal)
        ):
            continue
        value = open_proposal or IndicatorValue(
            indicator=indicator,
            year=survey_round.year,
            source=survey_round.name,
            is_computed=True,
            status=IndicatorValue.Status.PROPOSED,
        )
        for name, new in fields.items():
            setattr(value, name, new)
        value.note = _("%(n)s of %(d)s answers; %(r)s of %(i)s societies responded.") % {
            "n": numerator,
            "d": denominator,
            "r": responses,
            "i": invited,
        }
        value.full_clean()
        value._change_reason = _("computed from %(round)s") % {"round": survey_round.name}
        if by is not None:
            value._history_user = by
        value.save()
        proposed.append(value)
    return proposed
