"""E-mails of the working groups, each in its reader's language: requests to join, an action
item assigned to a person, and the digest of what is due, overdue and changed.

The person asking to join reads their own language (the one they chose on the form, or their
profile's); everybody else reads theirs (their profile's, else their organisation's, else the
site's). A mail server refusing one message is logged and does not undo anything.

Assignments and digests are logged in ``NotificationLog`` (one row per person, kind and period:
nothing goes twice) and carry a one-click unsubscribe link, signed per kind, that works without
signing in (RFC 8058's ``List-Unsubscribe`` and ``List-Unsubscribe-Post`` headers too).
"""

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from .models import ActionItem, JoinRequest, Membership, NotificationLog

logger = logging.getLogger(__name__)

LANGUAGES = {code for code, _name in settings.LANGUAGES}
CONFIRM_SALT = "workinggroups.join-request.confirm"


def language_of(person) -> str:
    """A person's own language, else their organisation's, else the site's."""
    organisation = getattr(person, "organisation", None)
    for code in (
        getattr(person, "language", ""),
        getattr(organisation, "default_language", ""),
        settings.LANGUAGE_CODE,
    ):
        if code in LANGUAGES:
            return code
    return "en"


def confirmation_token(join_request: JoinRequest) -> str:
    return signing.dumps({"join_request": join_request.pk}, salt=CONFIRM_SALT)


def join_request_from_token(token: str) -> int | None:
    """The id of the request a confirmation link names, if signed by us and not expired."""
    try:
        data = signing.loads(
            token, salt=CONFIRM_SALT, max_age=settings.JOIN_CONFIRM_DAYS * 24 * 3600
        )
    except signing.BadSignature:  # also SignatureExpired
        return None
    pk = data.get("join_request") if isinstance(data, dict) else None
    return pk if isinstance(pk, int) else None


def _send(subject: str, body: str, to: list[str], language: str) -> bool:
    message = EmailMessage(subject, body, None, to, headers={"Content-Language": language})
    try:
        message.send(fail_silently=False)
    except Exception as error:  # noqa: BLE001 - SMTP, socket and backend errors alike
        logger.warning("E-mail to %s not delivered: %s", to, error)
        return False
    return True


def _group_name(join_request: JoinRequest) -> str:
    return str(join_request.working_group)


def confirmation_send(join_request: JoinRequest) -> bool:
    """To the person asking from the public page: the link that confirms their address."""
    link = settings.SITE_URL + reverse(
        "workinggroups:join-confirm", args=[confirmation_token(join_request)]
    )
    with translation.override(join_request.language):
        subject = _("Confirm your request to join %(group)s") % {
            "group": join_request.working_group.label
        }
        body = render_to_string(
            "workinggroups/email/join_confirm.txt",
            {
                "join_request": join_request,
                "group_name": _group_name(join_request),
                "society_name": join_request.organisation.display_name,
                "link": link,
                "days": settings.JOIN_CONFIRM_DAYS,
            },
        )
    return _send(subject, body, [join_request.email], join_request.language)


def co_leads_notify(join_request: JoinRequest) -> int:
    """To each active co-lead of the group: a request is waiting, with the requests page."""
    link = settings.SITE_URL + reverse(
        "workinggroups:join-requests", args=[join_request.working_group_id]
    )
    co_leads = [
        m.person
        for m in Membership.objects.active()
        .co_leads()
        .filter(working_group=join_request.working_group, person__is_active=True)
        .select_related("person__organisation")
        if m.person.email
    ]
    sent = 0
    for person in co_leads:
        language = language_of(person)
        with translation.override(language):
            subject = _("Request to join %(group)s") % {"group": join_request.working_group.label}
            body = render_to_string(
                "workinggroups/email/join_co_lead.txt",
                {
                    "join_request": join_request,
                    "group_name": _group_name(join_request),
                    "society_name": join_request.organisation.display_name,
                    "link": link,
                },
            )
        sent += _send(subject, body, [person.email], language)
    return sent


def decision_send(join_request: JoinRequest, *, password_link: str = "") -> bool:
    """To the person who asked: accepted (with the link that sets a password for a new account,
    else the group's page) or declined (with the co-lead's reason)."""
    group_link = settings.SITE_URL + join_request.working_group.get_absolute_url()
    accepted = join_request.status == JoinRequest.Status.ACCEPTED
    with translation.override(join_request.language):
        if accepted:
            subject = _("Welcome to %(group)s") % {"group": join_request.working_group.label}
        else:
            subject = _("Your request to join %(group)s") % {
                "group": join_request.working_group.label
            }
        body = render_to_string(
            "workinggroups/email/join_decision.txt",
            {
                "join_request": join_request,
                "accepted": accepted,
                "group_name": _group_name(join_request),
                "society_name": join_request.organisation.display_name,
                "group_link": group_link,
                "password_link": password_link,
                "email": join_request.email,
            },
        )
    return _send(subject, body, [join_request.email], join_request.language)


# ---------------------------------------------------------------- unsubscribing

# What a signed link stops; each kind signs with its own salt, so a digest link cannot be
# replayed to stop the assignment e-mails (or the other way round).
UNSUBSCRIBE_KINDS = ("digest", "assignments")


def _unsubscribe_salt(kind: str) -> str:
    return f"workinggroups.unsubscribe.{kind}"


def unsubscribe_token(person, kind: str) -> str:
    return signing.dumps(person.pk, salt=_unsubscribe_salt(kind))


def unsubscribe_person_id(token: str, kind: str) -> int | None:
    """The person a link names, if it was signed by us for this kind (links do not expire:
    an old e-mail's link must still stop the e-mails)."""
    if kind not in UNSUBSCRIBE_KINDS:
        return None
    try:
        pk = signing.loads(token, salt=_unsubscribe_salt(kind))
    except signing.BadSignature:
        return None
    return pk if isinstance(pk, int) else None


def unsubscribe_url(person, kind: str) -> str:
    return settings.SITE_URL + reverse(
        "workinggroups:unsubscribe", args=[kind, unsubscribe_token(person, kind)]
    )


# ---------------------------------------------------------------- the log and the sending


def log_claim(*, person, kind: str, period_key: str) -> NotificationLog | None:
    """The log row that lets this message go, or None when it went (or is going) already.
    A message that failed, or that a stopped run left "being sent", is claimed again
    (`NotificationLogQuerySet.claimable`), so the next run tries once more."""
    try:
        with transaction.atomic():
            return NotificationLog.objects.create(
                recipient=person, kind=kind, period_key=period_key
            )
    except IntegrityError:
        existing = NotificationLog.objects.filter(
            recipient=person, kind=kind, period_key=period_key
        )
        if existing.claimable().update(
            status=NotificationLog.Status.SENDING, error="", updated_at=timezone.now()
        ):
            return existing.get()
        return None


def deliver(
    log: NotificationLog,
    *,
    person,
    language: str,
    subject: str,
    template: str,
    context: dict,
    unsubscribe: str,
) -> bool:
    """Write the text and HTML parts from ``template``.txt/.html in ``language``, send them
    and record the outcome on ``log``; a refusal is recorded, never raised."""
    link = unsubscribe_url(person, unsubscribe)
    context = {
        **context,
        "person": person,
        "language": language,
        "site_url": settings.SITE_URL,
        "unsubscribe_url": link,
        "unsubscribe_kind": unsubscribe,
        "profile_url": settings.SITE_URL + reverse("accounts:profile"),
    }
    with translation.override(language):
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        None,
        [person.email],
        headers={
            "Content-Language": language,
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    log.language, log.subject = language, subject[:300]
    try:
        message.send(fail_silently=False)
    except Exception as error:  # noqa: BLE001 - SMTP, socket and backend errors alike
        logger.warning("E-mail to %s not delivered: %s", person.email, error)
        log.status, log.error = NotificationLog.Status.FAILED, str(error)[:1000]
        log.save(update_fields=["language", "subject", "status", "error", "updated_at"])
        return False
    log.status, log.sent_at = NotificationLog.Status.SENT, timezone.now()
    log.save(update_fields=["language", "subject", "status", "sent_at", "updated_at"])
    return True


# ---------------------------------------------------------------- an action item assigned


def assignment_enqueue(item: ActionItem, *, assigned_by) -> None:
    """Have the worker tell the item's owner, once the save is committed (the worker must see
    the row; a rolled-back save tells nobody)."""
    from .tasks import send_assignment_mail

    item_id, owner_id = item.pk, item.owner_id
    if owner_id is None:
        return
    by_id = getattr(assigned_by, "pk", None)
    # The item and its save time name this assignment: A -> B -> A mails A twice, a task run
    # twice mails once.
    period_key = f"{item.pk}@{item.updated_at.isoformat()}"

    def enqueue() -> None:
        try:
            send_assignment_mail.enqueue(item_id, owner_id, by_id, period_key)
        except Exception:  # noqa: BLE001 - the save stands whatever the queue does
            logger.exception("The e-mail about action item %s was not queued", item_id)

    transaction.on_commit(enqueue)


def assignment_send(
    *, item_id: int, owner_id: int, assigned_by_id: int | None, period_key: str
) -> bool:
    """To the owner of an action item: what, by when, from which meeting, with the links.
    Nothing when the item went to someone else or was done meanwhile, or when the person asked
    for no such e-mails."""
    item = (
        ActionItem.objects.select_related("meeting__working_group__parent", "owner__organisation")
        .filter(pk=item_id)
        .first()
    )
    if item is None or item.owner_id != owner_id or item.is_done:
        return False
    person = item.owner
    if not (person.is_active and person.email and person.assignment_emails):
        return False
    log = log_claim(person=person, kind=NotificationLog.Kind.ACTION_ASSIGNED, period_key=period_key)
    if log is None:
        return False
    assigned_by = type(person).objects.filter(pk=assigned_by_id).first() if assigned_by_id else None
    language = language_of(person)
    with translation.override(language):
        subject = _("Action item for you: %(action)s") % {
            "action": Truncator(item.description).chars(80)
        }
    group = item.meeting.working_group
    return deliver(
        log,
        person=person,
        language=language,
        subject=subject,
        template="workinggroups/email/action_assigned",
        context={
            "item": item,
            "group_label": group.label,
            "meeting_url": settings.SITE_URL + item.meeting.get_absolute_url(),
            "my_work_url": settings.SITE_URL + reverse("workinggroups:my-work"),
            "assigned_by": assigned_by.get_full_name() if assigned_by else "",
        },
        unsubscribe="assignments",
    )
