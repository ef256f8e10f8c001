"""Inviting a colleague to a working group by e-mail: the token, the writes and the e-mail.

A co-lead (``manage_group``) invites an e-mail address for an organisation and a role. The
e-mail, in the language chosen on the form (else the organisation's), carries a link with a
random token; only its hash is stored. Following it, a person without an account chooses a
name and password (Django's password validators) and is signed in; a person with an account
signs in first and confirms. Either way the membership is made by ``services.membership_add``
(so the at-most-two co-leads rule holds), and the account by
``accounts.services.newcomer_account_create``, the one way an account is made from outside.

The link works ``INVITATION_DAYS`` days and once; resending sets a new token and a new expiry
(the old link stops working); a revoked invitation's link stops working too.
"""

import datetime
import hashlib
import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.services import newcomer_account_create

from .models import Invitation, Membership, WorkingGroup
from .notifications import language_of
from .services import membership_add

logger = logging.getLogger(__name__)

INVITATION_DAYS = 7


class InvitationError(ValidationError):
    """The link cannot be used: ``state`` says why (unknown, expired, revoked, accepted)."""

    def __init__(self, message: str, state: str):
        super().__init__(message)
        self.state = state


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token(invitation: Invitation, now: datetime.datetime) -> str:
    """Give the invitation a fresh token and expiry; the token is returned, never stored."""
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _hash(token)
    invitation.expires_at = now + datetime.timedelta(days=INVITATION_DAYS)
    return token


def accept_link(token: str) -> str:
    return settings.SITE_URL + reverse("workinggroups:invitation-accept", args=[token])


def _refusal(*, group: WorkingGroup, email: str, organisation: Organisation) -> str:
    """Why this address may not be invited to this group, or ""."""
    if group.is_archived or group.closed_on:
        return _("This group is closed: nobody can be invited to it.")
    if not organisation.is_active:
        return _("This organisation is no longer active.")
    if (
        Membership.objects.active()
        .filter(working_group=group, person__email__iexact=email)
        .exists()
    ):
        return _("%(email)s is already a member of this group.") % {"email": email}
    account = User.objects.filter(email__iexact=email).first()
    if account is not None and not account.is_active:
        return _("The account of %(email)s is closed: ask an administrator.") % {"email": email}
    if account is not None and account.organisation_id not in (None, organisation.pk):
        return _(
            "%(email)s has an account with %(organisation)s: invite them for that organisation."
        ) % {"email": email, "organisation": account.organisation}
    return ""


def _save(invitation: Invitation, *, user, reason: str) -> None:
    invitation.full_clean(exclude=["token_hash"])
    invitation._history_user = user
    invitation._change_reason = reason
    invitation.save()


@transaction.atomic
def invitation_create(
    *,
    group: WorkingGroup,
    email: str,
    organisation: Organisation,
    role: str = Membership.Role.MEMBER,
    language: str = "",
    invited_by: User,
    now: datetime.datetime | None = None,
) -> Invitation:
    """Invite ``email`` to ``group`` for ``organisation`` and send the e-mail. An expired
    invitation of the same address is renewed; a pending one is refused (resend it)."""
    now = now or timezone.now()
    email = email.strip().lower()
    refusal = _refusal(group=group, email=email, organisation=organisation)
    if refusal:
        raise ValidationError(refusal)
    if role == Membership.Role.CO_LEAD:
        # The membership is checked again when they accept (membership_add); told now, the
        # co-lead need not wait for the invitee to find out.
        Membership(working_group=group, organisation=organisation, role=role).clean()
        if Membership.objects.active().co_leads().filter(working_group=group).count() >= 2:
            raise ValidationError(
                _("This group already has two co-leads: end one co-lead's term first.")
            )
    invitation = (
        Invitation.objects.select_for_update()
        .open()
        .filter(working_group=group, email=email)
        .first()
    )
    if invitation is not None and invitation.state(now) == Invitation.State.PENDING:
        raise ValidationError(
            _("%(email)s was already invited to this group: resend the invitation instead.")
            % {"email": email}
        )
    if invitation is None:
        invitation = Invitation(working_group=group, email=email)
    else:
        invitation.sent_count += 1
    invitation.organisation = organisation
    invitation.role = role
    invitation.invited_by = invited_by
    invitation.language = language or organisation.default_language
    invitation.language = language_of(invitation)  # one of the site's languages
    token = _new_token(invitation, now)
    try:
        with transaction.atomic():
            _save(invitation, user=invited_by, reason="invited")
    except IntegrityError as error:  # the same address invited at the same moment
        raise ValidationError(
            _("%(email)s was already invited to this group: resend the invitation instead.")
            % {"email": email}
        ) from error
    invitation.delivered = invitation_send(invitation, token)
    return invitation


def _locked_open(invitation: Invitation) -> Invitation:
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at:
        raise ValidationError(_("This invitation was already accepted."))
    if locked.revoked_at:
        raise ValidationError(_("This invitation was revoked."))
    return locked


@transaction.atomic
def invitation_resend(
    *, invitation: Invitation, user: User, now: datetime.datetime | None = None
) -> Invitation:
    """A new link (the old one stops working) valid for another ``INVITATION_DAYS`` days."""
    now = now or timezone.now()
    locked = _locked_open(invitation)
    locked.sent_count += 1
    token = _new_token(locked, now)
    _save(locked, user=user, reason="sent again")
    locked.delivered = invitation_send(locked, token)
    return locked


@transaction.atomic
def invitation_revoke(
    *, invitation: Invitation, user: User, now: datetime.datetime | None = None
) -> Invitation:
    """The link stops working; the row stays (history)."""
    locked = _locked_open(invitation)
    locked.revoked_at = now or timezone.now()
    _save(locked, user=user, reason="revoked")
    return locked


def invitation_for_token(
    token: str, *, now: datetime.datetime | None = None, lock: bool = False
) -> Invitation:
    """The invitation a link names, if it can still be accepted; else ``InvitationError``."""
    rows = Invitation.objects.select_related("working_group__parent", "organisation")
    if lock:
        rows = rows.select_for_update(of=("self",))
    invitation = rows.filter(token_hash=_hash(token or "")).first()
    if invitation is None:
        raise InvitationError(
            _(
                "This invitation link is not valid. If you were sent a newer one, use that; "
                "else ask the person who invited you to send it again."
            ),
            "unknown",
        )
    state = invitation.state(now)
    if state == Invitation.State.EXPIRED:
        message = _("This invitation has expired. Ask the person who invited you to send it again.")
    elif state == Invitation.State.REVOKED:
        message = _("This invitation was withdrawn.")
    elif state == Invitation.State.ACCEPTED:
        message = _("This invitation was already accepted: sign in.")
    else:
        return invitation
    raise InvitationError(message, state)


def account_of(invitation: Invitation) -> User | None:
    return User.objects.filter(email__iexact=invitation.email).first()


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    person: User | None = None,
    full_name: str = "",
    password: str = "",
    now: datetime.datetime | None = None,
) -> Invitation:
    """Accept: ``person`` is the signed-in owner of the invited address; without one, the
    account is made with ``full_name`` and ``password``. Then the membership."""
    now = now or timezone.now()
    invitation = invitation_for_token(token, now=now, lock=True)
    group = invitation.working_group
    existing = account_of(invitation)
    if person is None:
        if existing is not None:
            raise ValidationError(_("This e-mail address has an account: sign in to accept."))
        person = newcomer_account_create(
            email=invitation.email,
            full_name=full_name,
            organisation=invitation.organisation,
            language=invitation.language,
            made_by=None,
            reason=f"Account made on accepting an invitation to {group.label}",
            password=password,
        )
    elif person.email.lower() != invitation.email:
        raise ValidationError(
            _("This invitation is for %(email)s: sign in with that address.")
            % {"email": invitation.email}
        )
    elif person.organisation_id is None:
        person.organisation = invitation.organisation
        person._history_user = person
        person._change_reason = f"Organisation given on accepting an invitation to {group.label}"
        person.save()
    elif person.organisation_id != invitation.organisation_id:
        raise ValidationError(
            _("You work for %(organisation)s, not the organisation you were invited for.")
            % {"organisation": person.organisation}
        )
    membership = membership_add(
        group=group,
        role=invitation.role,
        organisation=invitation.organisation,
        person=person,
        joined_on=timezone.localdate(now),
        added_by=person,
    )
    invitation.person = person
    invitation.membership = membership
    invitation.accepted_at = now
    _save(invitation, user=person, reason="accepted")
    return invitation


def invitation_send(invitation: Invitation, token: str) -> bool:
    """The e-mail with the link, in the invitation's language; a refusing mail server is
    logged (the co-lead can resend) and undoes nothing."""
    group = invitation.working_group
    with translation.override(invitation.language):
        subject = _("You are invited to join %(group)s") % {"group": group.label}
        body = render_to_string(
            "workinggroups/email/invitation.txt",
            {
                "group_name": str(group),
                "society_name": invitation.organisation.display_name,
                "inviter": invitation.invited_by.get_full_name(),
                "role": invitation.get_role_display(),
                "link": accept_link(token),
                "days": INVITATION_DAYS,
                "expires": invitation.expires_at,
                "email": invitation.email,
            },
        )
    message = EmailMessage(
        subject, body, None, [invitation.email], headers={"Content-Language": invitation.language}
    )
    try:
        message.send(fail_silently=False)
    except Exception as error:  # noqa: BLE001 - SMTP, socket and backend errors alike
        logger.warning("Invitation to %s not delivered: %s", invitation.email, error)
        return False
    return True
