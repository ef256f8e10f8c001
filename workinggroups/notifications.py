"""E-mails about requests to join a working group, each in its reader's language.

The person asking reads their own language (the one they chose on the form, or their profile's);
each co-lead reads theirs (their profile's, else their organisation's, else the site's). A mail
server refusing one message is logged and does not undo the request.
"""

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .models import JoinRequest, Membership

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
