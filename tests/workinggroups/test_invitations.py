"""Invitations by e-mail: who may invite (every role), the e-mail in the invitee's language with
a link followed with the test client, the password chosen and the membership made, the link
working once and for 7 days, resend (the old link stops) and revoke, refusals with a message."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tests import factories as f
from workinggroups import invitations
from workinggroups.models import Invitation, Membership

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "a-long-Pass-phrase-9"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def senegal(db):
    return f.NationalSocietyFactory(
        name="Senegalese Red Cross Society",
        name_fr="Croix-Rouge sénégalaise",
        country="SN",
        default_language="fr",
    )


def _link(body: str) -> str:
    found = re.search(r"http://\S+/invitations/accept/\S+/", body)
    assert found, body
    return found.group(0)


def _path(link: str) -> str:
    """The link's path, as the site's own pages name it (SITE_URL is the e-mail's part)."""
    return urlsplit(link).path


def _invite(client, world, organisation, email="new.person@example.org", **data):
    client.force_login(world.colead1)
    return client.post(
        reverse("workinggroups:invitations", args=[world.wg1.pk]),
        {"email": email, "organisation": organisation.pk, "role": "member", **data},
    )


# ---------------------------------------------------------------- who may invite


@pytest.mark.parametrize(
    ("who", "get", "post"),
    [
        ("colead1", 200, 302),
        ("admin", 200, 302),
        ("colead4", 404, 404),  # another group's co-lead: the invitations do not exist for them
        ("member1", 403, 403),  # a member of the group knows of them, may not act
        ("reader", 403, 403),
        ("focal", 404, 404),
    ],
)
def test_who_may_see_and_send_a_groups_invitations(client, world, senegal, who, get, post):
    client.force_login(getattr(world, who))
    url = reverse("workinggroups:invitations", args=[world.wg1.pk])
    assert client.get(url).status_code == get
    response = client.post(
        url, {"email": "x@example.org", "organisation": senegal.pk, "role": "member"}
    )
    assert response.status_code == post
    assert Invitation.objects.exists() is (post == 302)
    assert len(mail.outbox) == (1 if post == 302 else 0)


@pytest.mark.parametrize(
    ("who", "status"),
    [("colead1", 302), ("admin", 302), ("colead4", 404), ("member1", 403), ("reader", 403)],
)
def test_who_may_resend_and_revoke(client, world, senegal, who, status):
    invitation = invitations.invitation_create(
        group=world.wg1, email="x@example.org", organisation=senegal, invited_by=world.colead1
    )
    client.force_login(getattr(world, who))
    for name in ("invitation-resend", "invitation-revoke"):
        response = client.post(reverse(f"workinggroups:{name}", args=[invitation.pk]))
        assert response.status_code == status
    invitation.refresh_from_db()
    assert (invitation.revoked_at is not None) is (status == 302)
    assert invitation.sent_count == (2 if status == 302 else 1)


def test_the_admins_page_lists_every_pending_invitation(client, world, senegal):
    invitations.invitation_create(
        group=world.wg1, email="one@example.org", organisation=senegal, invited_by=world.colead1
    )
    invitations.invitation_create(
        group=world.wg4, email="four@example.org", organisation=senegal, invited_by=world.colead4
    )
    gone = invitations.invitation_create(
        group=world.wg4, email="gone@example.org", organisation=senegal, invited_by=world.colead4
    )
    invitations.invitation_revoke(invitation=gone, user=world.colead4)
    url = reverse("workinggroups:invitations-all")
    client.force_login(world.admin)
    page = client.get(url).content.decode()
    assert "one@example.org" in page and "four@example.org" in page
    assert "gone@example.org" not in page
    assert reverse("workinggroups:invitation-revoke", args=[gone.pk]) not in page
    for who, status in (("colead1", 404), ("reader", 403), ("member1", 404)):
        client.force_login(getattr(world, who))
        assert client.get(url).status_code == status


# ---------------------------------------------------------------- the journey


def test_invite_a_new_person_who_sets_a_password_and_joins(client, world, senegal):
    response = _invite(client, world, senegal, email="New.Person@Example.org")
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "new.person@example.org"
    assert invitation.language == "fr"  # the organisation's language, none chosen
    left = invitation.expires_at - invitation.created_at
    assert abs(left - datetime.timedelta(days=7)) < datetime.timedelta(seconds=5)
    (message,) = mail.outbox
    assert message.to == ["new.person@example.org"]
    assert message.extra_headers["Content-Language"] == "fr"
    with translation.override("fr"):
        assert message.subject == _("You are invited to join %(group)s") % {
            "group": world.wg1.label
        }
    assert "Croix-Rouge sénégalaise" in message.body
    link = _link(message.body)
    assert invitation.token_hash not in link  # only the hash is stored

    # The co-lead sees it waiting, on the group page and the invitations page.
    group_page = client.get(world.wg1.get_absolute_url()).content.decode()
    assert "new.person@example.org" in group_page
    assert "new.person@example.org" in client.get(response.url).content.decode()

    client.logout()
    page = client.get(_path(link))
    assert page.status_code == 200
    assert "Croix-Rouge sénégalaise" not in page.content.decode()  # the page is in English
    # Django's password validators apply.
    weak = client.post(
        _path(link), {"full_name": "New Person", "password1": "123", "password2": "123"}
    )
    assert weak.status_code == 422
    assert not User.objects.filter(email="new.person@example.org").exists()
    done = client.post(
        _path(link),
        {"full_name": "New Person", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert done.status_code == 302 and done.url == world.wg1.get_absolute_url()
    person = User.objects.get(email="new.person@example.org")
    assert person.check_password(PASSWORD)
    assert person.organisation == senegal and person.language == "fr"
    membership = Membership.objects.active().get(working_group=world.wg1, person=person)
    assert membership.role == Membership.Role.MEMBER and membership.organisation == senegal
    invitation.refresh_from_db()
    assert invitation.accepted_at and invitation.membership == membership
    assert invitation.history.first().history_change_reason == "accepted"
    # Signed in as the new person: the group's page names them.
    group_page = client.get(done.url)
    assert group_page.wsgi_request.user == person
    assert "New Person" in group_page.content.decode()
    # The link worked once.
    client.logout()
    again = client.get(_path(link))
    assert again.status_code == 410
    assert "already accepted" in again.content.decode()
    # And they sign in with the password they chose.
    signed_in = client.post(
        reverse("accounts:login"), {"username": "new.person@example.org", "password": PASSWORD}
    )
    assert signed_in.status_code == 302 and "_auth_user_id" in client.session


def test_the_language_chosen_on_the_form_wins(client, world, senegal):
    _invite(client, world, senegal, language="es")
    (message,) = mail.outbox
    assert message.extra_headers["Content-Language"] == "es"
    with translation.override("es"):
        assert message.subject == _("You are invited to join %(group)s") % {
            "group": world.wg1.label
        }


def test_a_person_with_an_account_signs_in_then_joins(client, world, senegal):
    person = f.UserFactory(email="awa@example.sn", organisation=senegal)
    _invite(client, world, senegal, email="awa@example.sn")
    path = _path(_link(mail.outbox[0].body))
    client.logout()
    page = client.get(path).content.decode()
    login = reverse("accounts:login") + "?next="
    assert login in page and "Sign in to accept" in page
    # A POST without signing in makes nothing.
    client.post(path, {"full_name": "Intruder", "password1": PASSWORD, "password2": PASSWORD})
    assert not Membership.objects.filter(person=person).exists()
    assert person.has_usable_password() and not person.check_password(PASSWORD)
    # Someone else signed in is told the link is not theirs.
    client.force_login(world.member1)
    assert "This invitation is for" in client.get(path).content.decode()
    assert client.post(path).status_code == 200
    assert not Membership.objects.filter(person=person).exists()
    # Signing in from the page comes back to it.
    client.logout()
    person.set_password(PASSWORD)
    person.save()
    signed_in = client.post(
        reverse("accounts:login") + f"?next={path}",
        {"username": "awa@example.sn", "password": PASSWORD, "next": path},
    )
    assert signed_in.status_code == 302 and signed_in.url == path
    assert "Join the group" in client.get(path).content.decode()
    assert client.post(path).status_code == 302
    assert Membership.objects.active().filter(working_group=world.wg1, person=person).exists()


# ---------------------------------------------------------------- the link's life


def test_the_link_expires_after_seven_days(client, world, senegal):
    sent = timezone.now()
    invitation = invitations.invitation_create(
        group=world.wg1,
        email="late@example.org",
        organisation=senegal,
        invited_by=world.colead1,
        now=sent,
    )
    token = _link(mail.outbox[0].body).rstrip("/").rsplit("/", 1)[1]
    in_time = sent + datetime.timedelta(days=7, seconds=-1)
    assert invitations.invitation_for_token(token, now=in_time) == invitation
    too_late = sent + datetime.timedelta(days=7)
    with pytest.raises(invitations.InvitationError) as refused:
        invitations.invitation_for_token(token, now=too_late)
    assert refused.value.state == "expired"
    # Through the page: the clock eight days on.
    invitation.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    invitation.save()
    page = client.get(_path(_link(mail.outbox[0].body)))
    assert page.status_code == 410 and "has expired" in page.content.decode()
    post = client.post(
        _path(_link(mail.outbox[0].body)),
        {"full_name": "Late", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert post.status_code == 410
    assert not User.objects.filter(email="late@example.org").exists()
    # Inviting the address again renews the expired invitation: one row, a new link.
    _invite(client, world, senegal, email="late@example.org")
    assert Invitation.objects.count() == 1
    assert client.get(_path(_link(mail.outbox[-1].body))).status_code == 200


def test_resend_makes_a_new_link_and_the_old_one_stops(client, world, senegal):
    _invite(client, world, senegal)
    invitation = Invitation.objects.get()
    old = _path(_link(mail.outbox[0].body))
    first_expiry = invitation.expires_at
    response = client.post(reverse("workinggroups:invitation-resend", args=[invitation.pk]))
    assert response.status_code == 302
    new = _path(_link(mail.outbox[1].body))
    assert new != old
    invitation.refresh_from_db()
    assert invitation.expires_at > first_expiry and invitation.sent_count == 2
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_revoke_stops_the_link(client, world, senegal):
    _invite(client, world, senegal)
    invitation = Invitation.objects.get()
    client.post(reverse("workinggroups:invitation-revoke", args=[invitation.pk]))
    client.logout()
    page = client.get(_path(_link(mail.outbox[0].body)))
    assert page.status_code == 410 and "withdrawn" in page.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at and invitation.history.first().history_change_reason == "revoked"
    # Revoked, it cannot be sent again.
    client.force_login(world.colead1)
    client.post(reverse("workinggroups:invitation-resend", args=[invitation.pk]))
    assert len(mail.outbox) == 1


def test_an_unknown_link_gets_a_clear_page(client, db):
    page = client.get(reverse("workinggroups:invitation-accept", args=["forged"]))
    assert page.status_code == 404
    assert "This invitation link is not valid" in page.content.decode()


# ---------------------------------------------------------------- refusals


def test_inviting_a_member_says_so(client, world, senegal):
    response = _invite(client, world, world.ifrc, email="MEMBER-wg1@example.org")
    assert response.status_code == 422
    assert "member-wg1@example.org is already a member of this group." in (
        response.content.decode()
    )
    assert not Invitation.objects.exists() and not mail.outbox


def test_inviting_twice_says_resend(client, world, senegal):
    _invite(client, world, senegal)
    response = _invite(client, world, senegal)
    assert response.status_code == 422
    assert "resend the invitation instead" in response.content.decode()
    assert len(mail.outbox) == 1


def test_an_account_of_another_organisation_is_refused(client, world, senegal):
    f.UserFactory(email="kenyan@example.org", organisation=f.NationalSocietyFactory(country="UG"))
    response = _invite(client, world, senegal, email="kenyan@example.org")
    assert response.status_code == 422
    assert not Invitation.objects.exists()


def test_a_third_co_lead_is_refused_when_invited_and_when_accepting(client, world, senegal):
    ifrc = world.ifrc
    response = _invite(client, world, ifrc, email="lead2@example.org", role="co_lead")
    assert response.status_code == 302  # slot 2 is free
    f.UserFactory(email="other-lead@example.org", organisation=ifrc)
    invitations.invitation_create(
        group=world.wg1,
        email="other-lead@example.org",
        organisation=ifrc,
        role="co_lead",
        invited_by=world.admin,
    )
    other = User.objects.get(email="other-lead@example.org")
    token = _link(mail.outbox[-1].body).rstrip("/").rsplit("/", 1)[1]
    invitations.invitation_accept(token=token, person=other)  # takes slot 2
    refused = _invite(client, world, ifrc, email="lead3@example.org", role="co_lead")
    assert refused.status_code == 422 and "already has two co-leads" in refused.content.decode()
    # The first invitation, accepted now, meets the rule in membership_add.
    client.logout()
    first = _path(_link(mail.outbox[0].body))
    page = client.post(
        first, {"full_name": "Lead Two", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert page.status_code == 422 and "two co-leads" in page.content.decode()
    assert not User.objects.filter(email="lead2@example.org").exists()  # all or nothing
    assert Membership.objects.active().co_leads().filter(working_group=world.wg1).count() == 2


def test_invitations_are_rate_limited(client, world, senegal, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "invitation": (2, 3600)}
    for n in range(2):
        assert _invite(client, world, senegal, email=f"p{n}@example.org").status_code == 302
    assert _invite(client, world, senegal, email="p3@example.org").status_code == 429
    assert Invitation.objects.count() == 2


def test_the_group_page_of_a_co_lead_is_bounded_with_many_invitations(
    client, world, senegal, django_assert_max_num_queries
):
    for n in range(30):
        invitations.invitation_create(
            group=world.wg1,
            email=f"p{n}@example.org",
            organisation=senegal,
            invited_by=world.colead1,
        )
    client.force_login(world.colead1)
    with django_assert_max_num_queries(40):
        page = client.get(world.wg1.get_absolute_url()).content.decode()
    assert page.count("@example.org</bdi> · ") == 5
    with django_assert_max_num_queries(20):
        page = client.get(reverse("workinggroups:invitations", args=[world.wg1.pk]))
    assert page.content.decode().count("/resend/") == 30


def test_a_mail_server_refusing_the_e_mail_is_said(client, world, senegal, monkeypatch):
    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    response = _invite(client, world, senegal)
    page = client.get(response.url).content.decode()
    assert "the mail server did not take the e-mail" in page
    assert Invitation.objects.get().email == "new.person@example.org"  # resend it later
