"""E-mails to National Society focal points about a round, in their language, each one logged."""

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Organisation, User

from .models import MessageLog, SurveyRound

logger = logging.getLogger(__name__)

LANGUAGES = {code for code, _name in settings.LANGUAGES}


def focal_points(society: Organisation) -> list[User]:
    """The society's active focal points with an e-mail address (uses a prefetched `people`)."""
    return [p for p in society.people.all() if p.is_focal_point and p.is_active and p.email]


def person_language(person: User, society: Organisation) -> str:
    """A person's own language if they chose one, else their society's."""
    for code in (person.language, society.default_language, settings.LANGUAGE_CODE):
        if code in LANGUAGES:
            return code
    return "en"


def response_url(survey_round: SurveyRound, society: Organisation) -> str:
    """The direct, absolute link to the society's response page."""
    path = reverse("surveys:response-form", args=[survey_round.pk, society.pk])
    return settings.SITE_URL + path


def _subject(kind: str, round_name: str) -> str:
    subjects: dict[str, str] = {
        MessageLog.Kind.INVITATION: _("Survey open: %(round)s"),
        MessageLog.Kind.REMINDER: _("Reminder: %(round)s survey"),
        MessageLog.Kind.REOPENED: _("Survey reopened: %(round)s"),
        MessageLog.Kind.EXTENDED: _("Deadline extended: %(round)s survey"),
    }
    return subjects[kind] % {"round": round_name}


def _send(message: EmailMessage) -> tuple[str, str]:
    """Hand the message to the mail server; a refusal is recorded, not raised, so one bad
    address does not stop the messages to every other society."""
    try:
        message.send(fail_silently=False)
    except Exception as error:  # noqa: BLE001 - SMTP, socket and backend errors alike
        logger.warning("E-mail to %s not delivered: %s", message.to, error)
        return MessageLog.Status.FAILED, str(error)[:1000]
    return MessageLog.Status.SENT, ""


def round_message_queue(
    *,
    kind: str,
    survey_round: SurveyRound,
    society: Organisation,
    people: list[User],
    deadline: datetime.date | None,
    reason: str = "",
    user: User | None = None,
) -> list[MessageLog]:
    """Write the e-mail to `people` (focal points of `society`) about the round: one message
    per language, with the direct link and `deadline`, the date in force for this society
    (`models.deadline_in_force`). Logged as queued; `messages_dispatch` has them sent."""
    by_language: dict[str, list[str]] = defaultdict(list)
    for person in people:
        by_language[person_language(person, society)].append(person.email)
    logs = []
    for language, recipients in sorted(by_language.items()):
        with translation.override(language):
            subject = _subject(kind, survey_round.display_name)
            body = render_to_string(
                "surveys/email/round_message.txt",
                {
                    "kind": kind,
                    "round_name": survey_round.display_name,
                    "society_name": society.display_name,
                    "deadline": formats.date_format(deadline, "DATE_FORMAT") if deadline else "",
                    "reason": reason,
                    "url": response_url(survey_round, society),
                },
            )
        logs.append(
            MessageLog(
                round=survey_round,
                society=society,
                kind=kind,
                language=language,
                recipients=", ".join(recipients),
                subject=subject,
                body=body,
                deadline=deadline,
                status=MessageLog.Status.QUEUED,
                sent_at=timezone.now(),
                sent_by=user,
            )
        )
    return MessageLog.objects.bulk_create(logs)


def messages_dispatch(logs: list[MessageLog]) -> None:
    """Hand queued messages to the background worker. Enqueued in the caller's transaction:
    the worker sees them only once it commits, and not at all if it rolls back."""
    from .tasks import send_round_messages

    if logs:
        send_round_messages.enqueue([log.pk for log in logs])


def messages_send(*, log_ids: list[int]) -> None:
    """Send the queued messages among `log_ids` over one SMTP session, recording each one's
    delivery. A message is claimed (queued -> sent) before it goes, so two workers never
    send it twice; a refusal turns it to failed with the error."""
    logs = MessageLog.objects.filter(pk__in=log_ids, status=MessageLog.Status.QUEUED)
    with get_connection() as connection:
        for log in logs.order_by("pk"):
            now = timezone.now()
            claimed = MessageLog.objects.filter(pk=log.pk, status=MessageLog.Status.QUEUED).update(
                status=MessageLog.Status.SENT, sent_at=now
            )
            if not claimed:
                continue
            recipients = [r.strip() for r in log.recipients.split(",") if r.strip()]
            message = EmailMessage(log.subject, log.body, None, recipients, connection=connection)
            status, error = _send(message)
            if status != MessageLog.Status.SENT:
                MessageLog.objects.filter(pk=log.pk).update(status=status, error=error)


def focal_point_invitation_send(
    *, person: User, society: Organisation, survey_round: SurveyRound, user: User | None
) -> MessageLog:
    """Invite a new focal point: a link that sets their password (Django's reset token)."""
    from accounts.services import password_set_link

    link = password_set_link(person)
    language = person_language(person, society)
    with translation.override(language):
        subject = _("You are a focal point of %(society)s for the survey") % {
            "society": society.display_name
        }
        body = render_to_string(
            "surveys/email/focal_point_invitation.txt",
            {
                "society_name": society.display_name,
                "round_name": survey_round.display_name,
                "email": person.email,
                "link": link,
                "survey_url": response_url(survey_round, society),
            },
        )
    status, error = _send(EmailMessage(subject, body, None, [person.email]))
    return MessageLog.objects.create(
        round=survey_round,
        society=society,
        kind=MessageLog.Kind.FOCAL_POINT,
        language=language,
        recipients=person.email,
        subject=subject,
        status=status,
        error=error,
        sent_by=user,
    )
