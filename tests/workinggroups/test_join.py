"""Asking to join a working group: signed in or from the public page, confirmed by e-mail,
accepted or declined by a co-lead, every e-mail in its reader's language, duplicates refused."""

import datetime
import re
import time

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from public.forms import STARTED_SALT
from public.models import PublicPages
from tests import factories as f
from workinggroups import services
from workinggroups.figures import participation
from workinggroups.models import JoinRequest, Membership

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def senegal(db):
    return f.NationalSocietyFactory(
        name="Senegalese Red Cross Society", name_fr="Croix-Rouge sénégalaise", country="SN"
    )


@pytest.fixture
def published(world):
    PublicPages.objects.create(groups_published=True, resources_published=True)


def _in(message, language: str, subject: str, group) -> None:
    """The message was written in `language`: its header says so and its subject is the
    catalogue's text in that language."""
    assert message.extra_headers["Content-Language"] == language
    with translation.override(language):
        assert message.subject == _(subject) % {"group": group.label}


def _link(body: str) -> str:
    found = re.search(r"http://\S+", body)
    assert found, body
    return found.group(0)


def _public_post(client, group, **data):
    started = signing.dumps(time.time() - 10, salt=STARTED_SALT)
    payload = {
        "full_name": "Awa Ndiaye",
        "email": "Awa@Example.SN",
        "note": "Je coordonne le soutien psychosocial.",
        "language": "fr",
        "website": "",
        "started": started,
        **data,
    }
    return client.post(reverse("public:group-join", args=[group.number]), payload)


# ---------------------------------------------------------------- signed in


def test_a_signed_in_person_asks_and_each_co_lead_is_told_in_their_language(client, world, senegal):
    world.colead1.language = "es"
    world.colead1.save()
    person = f.UserFactory(email="focal-senegal@example.org", organisation=senegal, language="fr")
    client.force_login(person)
    url = reverse("workinggroups:join", args=[world.wg1.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"note": "Nous aimerions participer."})
    assert response.status_code == 302
    request = JoinRequest.objects.get()
    assert (request.status, request.person, request.organisation) == ("pending", person, senegal)
    assert request.email == "focal-senegal@example.org"
    assert request.history.count() == 1
    [message] = mail.outbox
    assert message.to == ["colead-wg1@example.org"]
    _in(message, "es", "Request to join %(group)s", world.wg1)
    assert "Nous aimerions participer." in message.body
    assert _link(message.body).endswith(reverse("workinggroups:join-requests", args=[world.wg1.pk]))


def test_asking_twice_or_as_a_member_gets_a_clear_message(client, world, senegal):
    person = f.UserFactory(organisation=senegal)
    client.force_login(person)
    url = reverse("workinggroups:join", args=[world.wg1.pk])
    client.post(url, {"note": ""})
    response = client.get(url)
    assert "waiting for its co-leads" in response.content.decode()
    response = client.post(url, {"note": "again"})
    assert response.status_code == 422
    assert "already waiting" in response.content.decode()
    assert JoinRequest.objects.count() == 1
    client.force_login(world.member1)
    world.member1.organisation = senegal
    world.member1.save()
    response = client.post(url, {"note": ""})
    assert "already a member" in response.content.decode()
    assert JoinRequest.objects.count() == 1


def test_a_person_without_organisation_is_told_and_nothing_is_saved(client, world):
    person = f.UserFactory(organisation=None)
    client.force_login(person)
    response = client.post(reverse("workinggroups:join", args=[world.wg1.pk]), {"note": ""})
    assert response.status_code == 422
    assert "names no organisation" in response.content.decode()
    assert not JoinRequest.objects.exists()


def test_readers_may_not_ask(client, world):
    client.force_login(world.reader)
    url = reverse("workinggroups:join", args=[world.wg1.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"note": ""}).status_code == 403


def test_the_group_page_links_to_asking_or_to_the_requests(client, world, senegal):
    page = world.wg1.get_absolute_url()
    client.force_login(f.UserFactory(organisation=senegal))
    assert reverse("workinggroups:join", args=[world.wg1.pk]) in client.get(page).content.decode()
    client.force_login(world.colead1)
    body = client.get(page).content.decode()
    assert reverse("workinggroups:join-requests", args=[world.wg1.pk]) in body
    assert reverse("workinggroups:join", args=[world.wg1.pk]) not in body


# ---------------------------------------------------------------- without an account


def test_the_public_form_sends_a_confirmation_link_and_nothing_else(
    client, world, published, senegal
):
    response = _public_post(client, world.wg1, organisation=senegal.pk)
    assert response.status_code == 200
    assert "awa@example.sn" in response.content.decode()
    request = JoinRequest.objects.get()
    assert (request.status, request.person, request.email) == (
        "unconfirmed",
        None,
        "awa@example.sn",
    )
    [message] = mail.outbox
    assert message.to == ["awa@example.sn"]
    _in(message, "fr", "Confirm your request to join %(group)s", world.wg1)
    assert "Croix-Rouge sénégalaise" in message.body
    link = _link(message.body)
    assert "/working-groups/join/confirm/" in link

    # Opening the link changes nothing; the button confirms, and the co-lead is told.
    path = link.removeprefix("http://localhost:8000")
    assert client.get(path).status_code == 200
    assert JoinRequest.objects.get().status == "unconfirmed"
    response = client.post(path)
    assert response.status_code == 200
    assert JoinRequest.objects.get().status == "pending"
    assert [m.to for m in mail.outbox[1:]] == [["colead-wg1@example.org"]]
    # Twice: still one request, nobody told again.
    client.post(path)
    assert len(mail.outbox) == 2


def test_asking_again_unconfirmed_resends_the_link_without_a_second_request(
    client, world, published, senegal
):
    _public_post(client, world.wg1, organisation=senegal.pk)
    _public_post(client, world.wg1, organisation=senegal.pk, note="Encore")
    assert JoinRequest.objects.count() == 1
    assert JoinRequest.objects.get().note == "Encore"
    assert len(mail.outbox) == 2


def test_a_forged_or_expired_link_is_refused(client, world, published, senegal, settings):
    response = client.post(reverse("workinggroups:join-confirm", args=["forged"]))
    assert response.status_code == 400
    assert "not valid or has expired" in response.content.decode()
    _public_post(client, world.wg1, organisation=senegal.pk)
    path = _link(mail.outbox[0].body).removeprefix("http://localhost:8000")
    settings.JOIN_CONFIRM_DAYS = 1
    later = time.time() + 2 * 86400
    import unittest.mock

    with unittest.mock.patch("time.time", return_value=later):
        response = client.post(path)
    assert response.status_code == 400
    assert JoinRequest.objects.get().status == "unconfirmed"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"website": "http://spam.example"}, "Leave the last field empty"),
        ({"started": "forged"}, "This form has expired"),
        ({"started": None}, "very fast"),
    ],
    ids=["honeypot", "forged-start", "too-fast"],
)
def test_bots_are_refused_and_nothing_is_saved(client, world, published, senegal, data, message):
    if data.get("started", "") is None:
        data = {"started": signing.dumps(time.time(), salt=STARTED_SALT)}
    response = _public_post(client, world.wg1, organisation=senegal.pk, **data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not JoinRequest.objects.exists()
    assert not mail.outbox


def test_requests_are_limited_per_address_and_per_email(
    client, world, published, senegal, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "join-request-email": (2, 3600)}
    for _attempt in range(2):
        assert _public_post(client, world.wg1, organisation=senegal.pk).status_code == 200
    response = _public_post(client, world.wg1, organisation=senegal.pk)
    assert response.status_code == 429
    assert len(mail.outbox) == 2
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "join-request-address": (1, 3600)}
    from django.core.cache import cache

    cache.clear()
    assert (
        _public_post(client, world.wg1, organisation=senegal.pk, email="a@x.org").status_code == 200
    )
    assert (
        _public_post(client, world.wg1, organisation=senegal.pk, email="b@x.org").status_code == 429
    )


def test_the_public_form_is_404_until_published_and_sends_signed_in_people_inside(
    client, world, senegal
):
    url = reverse("public:group-join", args=[world.wg1.number])
    assert client.get(url).status_code == 404
    PublicPages.objects.create(groups_published=True)
    assert client.get(url).status_code == 200
    client.force_login(world.member1)
    assert client.get(url)["Location"] == reverse("workinggroups:join", args=[world.wg1.pk])


def test_an_email_with_an_account_of_another_organisation_is_told_to_sign_in(
    client, world, published, senegal
):
    f.UserFactory(email="awa@example.sn", organisation=world.ifrc)
    response = _public_post(client, world.wg1, organisation=senegal.pk)
    assert response.status_code == 422
    assert "sign in" in response.content.decode()
    assert not JoinRequest.objects.exists()


# ---------------------------------------------------------------- deciding


def _pending(group, organisation, **kw):
    request = services.join_request_create(
        group=group,
        organisation=organisation,
        full_name=kw.get("full_name", "Awa Ndiaye"),
        email=kw.get("email", "awa@example.sn"),
        note="",
        language=kw.get("language", "fr"),
    )
    request.status = JoinRequest.Status.PENDING
    request.save()
    mail.outbox.clear()
    return request


def test_accepting_makes_the_account_and_the_membership_and_tells_the_person(
    client, world, senegal
):
    request = _pending(world.wg1, senegal)
    today = timezone.localdate()
    before = participation(world.roadmap, today).total
    client.force_login(world.colead1)
    page = client.get(reverse("workinggroups:join-requests", args=[world.wg1.pk]))
    assert "awa@example.sn" in page.content.decode()
    response = client.post(reverse("workinggroups:join-request-accept", args=[request.pk]))
    assert response.status_code == 302
    request.refresh_from_db()
    person = request.person
    assert (request.status, request.decided_by) == ("accepted", world.colead1)
    assert (person.email, person.organisation, person.language) == ("awa@example.sn", senegal, "fr")
    assert not person.has_usable_password()
    membership = request.membership
    assert (membership.working_group, membership.organisation, membership.person) == (
        world.wg1,
        senegal,
        person,
    )
    assert membership.role == Membership.Role.MEMBER and membership.joined_on == today
    assert membership.history.first().history_user == world.colead1
    assert participation(world.roadmap, today).total == before + 1
    assert participation(world.roadmap, today - datetime.timedelta(days=1)).total == before
    [message] = mail.outbox
    assert message.to == ["awa@example.sn"]
    _in(message, "fr", "Welcome to %(group)s", world.wg1)
    link = _link(message.body)
    assert "/accounts/reset/" in link
    # The link sets a password, then the person signs in.
    path = link.removeprefix("http://localhost:8000")
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    client.post(
        form_url, {"new_password1": "Une-phrase-longue-42", "new_password2": "Une-phrase-longue-42"}
    )
    person.refresh_from_db()
    assert person.has_usable_password()


def test_accepting_a_signed_in_request_uses_their_account(client, world, senegal):
    person = f.UserFactory(organisation=senegal, language="ar")
    request = services.join_request_create(
        group=world.wg1,
        organisation=senegal,
        full_name="X",
        email=person.email,
        note="",
        language="ar",
        person=person,
    )
    mail.outbox.clear()
    services.join_request_accept(join_request=request, user=world.colead1)
    request.refresh_from_db()
    assert request.person == person and request.membership.person == person
    [message] = mail.outbox
    assert "/accounts/reset/" not in message.body
    assert world.wg1.get_absolute_url() in message.body
    _in(message, "ar", "Welcome to %(group)s", world.wg1)


def test_declining_needs_a_reason_and_tells_it(client, world, senegal):
    request = _pending(world.wg1, senegal, language="es")
    client.force_login(world.colead1)
    url = reverse("workinggroups:join-request-decline", args=[request.pk])
    response = client.post(url, {f"r{request.pk}-reason": ""})
    assert response.status_code == 422
    assert JoinRequest.objects.get().status == "pending"
    assert not mail.outbox
    response = client.post(url, {f"r{request.pk}-reason": "El grupo está completo."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.reason) == ("declined", "El grupo está completo.")
    assert not Membership.objects.filter(organisation=senegal).exists()
    [message] = mail.outbox
    assert message.to == ["awa@example.sn"]
    assert "El grupo está completo." in message.body
    _in(message, "es", "Your request to join %(group)s", world.wg1)
    # Decided: a second decision is refused with a message, nothing changes.
    response = client.post(
        reverse("workinggroups:join-request-accept", args=[request.pk]), follow=True
    )
    assert "already" in response.content.decode()
    assert JoinRequest.objects.get().status == "declined"


def test_only_the_group_co_leads_and_admins_decide(client, world, senegal):
    request = _pending(world.wg1, senegal)
    for person in (world.colead4, world.member1, world.reader):
        client.force_login(person)
        assert (
            client.get(reverse("workinggroups:join-requests", args=[world.wg1.pk])).status_code
            == 403
        )
        assert (
            client.post(reverse("workinggroups:join-request-accept", args=[request.pk])).status_code
            == 403
        )
    assert JoinRequest.objects.get().status == "pending"
    client.force_login(world.admin)
    assert (
        client.post(reverse("workinggroups:join-request-accept", args=[request.pk])).status_code
        == 302
    )


def test_the_requests_page_is_bounded_in_queries(client, world, django_assert_max_num_queries):
    for n in range(30):
        _pending(world.wg1, f.NationalSocietyFactory(), email=f"p{n}@example.org")
    client.force_login(world.colead1)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("workinggroups:join-requests", args=[world.wg1.pk]))
    assert response.content.decode().count("join-requests/") >= 60


def test_accepting_someone_added_meanwhile_says_so_and_changes_nothing(client, world, senegal):
    person = f.UserFactory(organisation=senegal)
    request = services.join_request_create(
        group=world.wg1,
        organisation=senegal,
        full_name="X",
        email=person.email,
        note="",
        language="en",
        person=person,
    )
    services.membership_add(
        group=world.wg1, role=Membership.Role.OBSERVER, person=person, added_by=world.colead1
    )
    mail.outbox.clear()
    client.force_login(world.colead1)
    response = client.post(
        reverse("workinggroups:join-request-accept", args=[request.pk]), follow=True
    )
    assert "already a member" in response.content.decode()
    assert JoinRequest.objects.get().status == "pending"
    assert Membership.objects.filter(person=person).count() == 1
    assert not mail.outbox
