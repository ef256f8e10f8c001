"""Reminders that say what they do: a preview first (who gets it, who does not and why), the
direct link and the date in force in the e-mail, no second reminder within the interval unless
the admin insists, region and status filters honoured, each message logged."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import formats, timezone, translation

from surveys.models import MessageLog, Response
from tests import factories

SITE = "https://tracker.example.org"


@pytest.fixture(autouse=True)
def _site(settings, client):
    settings.SITE_URL = SITE
    settings.REMINDER_MIN_INTERVAL_HOURS = 48
    client.cookies["django_language"] = "en"


@pytest.fixture
def world(survey_round, question, kenya, lebanon, focal_kenya, focal_lebanon):
    """Africa: Kenya (focal point, not started), Senegal (French, focal point, in progress,
    own extended deadline), Nigeria (no focal point). MENA: Lebanon (Arabic, focal point,
    not started), Jordan (submitted)."""
    senegal = factories.NationalSocietyFactory(
        name="Senegalese Red Cross Society",
        name_fr="Croix-Rouge sénégalaise",
        country="SN",
        default_language="fr",
    )
    factories.FocalPointFactory(email="focal-senegal@example.org", organisation=senegal)
    own = survey_round.closes + datetime.timedelta(days=7)
    started = Response.objects.create(
        round=survey_round, society=senegal, state="in_progress", deadline=own
    )
    started.answers.create(question=question("provides"), value="yes")
    nigeria = factories.NationalSocietyFactory(name="Nigerian Red Cross Society", country="NG")
    jordan = factories.NationalSocietyFactory(
        name="Jordan Red Crescent", country="JO", region="mena"
    )
    factories.FocalPointFactory(email="focal-jordan@example.org", organisation=jordan)
    Response.objects.create(round=survey_round, society=jordan, state="submitted")
    return {
        "round": survey_round,
        "kenya": kenya,
        "senegal": senegal,
        "nigeria": nigeria,
        "lebanon": lebanon,
        "jordan": jordan,
        "own_deadline": own,
    }


def _date(day, language):
    with translation.override(language):
        return formats.date_format(day, "DATE_FORMAT")


def _section(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    end = html.find("<h2", start + 1)
    return html[start : end if end != -1 else len(html)]


def test_preview_says_who_gets_it_and_who_does_not_and_sends_nothing(client, admin_user, world):
    client.force_login(admin_user)
    page = client.get(reverse("surveys:round-remind", args=[world["round"].pk]))
    html = page.content.decode()
    assert page.status_code == 200 and not mail.outbox and not MessageLog.objects.exists()
    receive = _section(html, "will-receive")
    assert "3 societies will get the reminder" in receive
    for name in ("Kenya Red Cross Society", "Lebanese Red Cross", "Senegalese Red Cross Society"):
        assert name in receive
    assert "focal-senegal@example.org" in receive
    assert _date(world["own_deadline"], "en") in receive  # Senegal's own date
    skipped = _section(html, "will-not-receive")
    assert "2 societies will not get it" in skipped
    nigeria_row = re.search(r"<tr><td><bdi>Nigerian Red Cross Society</bdi>.*?</tr>", skipped, re.S)
    assert "No focal point" in nigeria_row.group(0)
    assign = reverse("surveys:society-focal-points", args=[world["round"].pk, world["nigeria"].pk])
    assert f'href="{assign}"' in nigeria_row.group(0)
    jordan_row = re.search(r"<tr><td><bdi>Jordan Red Crescent</bdi>.*?</tr>", skipped, re.S)
    assert "Already submitted" in jordan_row.group(0)


def test_reminder_carries_the_link_and_the_date_in_force_in_each_language(
    client, admin_user, world
):
    survey_round = world["round"]
    client.force_login(admin_user)
    page = client.post(reverse("surveys:round-remind", args=[survey_round.pk]), follow=True)
    assert "Reminders sent to 3 societies; 2 not reminded" in page.content.decode()
    by_to = {m.to[0]: m for m in mail.outbox}
    assert set(by_to) == {
        "focal-kenya@example.org",
        "focal-lebanon@example.org",
        "focal-senegal@example.org",
    }
    for society, email, language, deadline in (
        ("senegal", "focal-senegal@example.org", "fr", world["own_deadline"]),
        ("lebanon", "focal-lebanon@example.org", "ar", survey_round.closes),
        ("kenya", "focal-kenya@example.org", "en", survey_round.closes),
    ):
        message = by_to[email]
        link = SITE + reverse("surveys:response-form", args=[survey_round.pk, world[society].pk])
        assert link in message.body, society
        assert _date(deadline, language) in message.body, society
        log = MessageLog.objects.get(society=world[society])
        assert (log.kind, log.status, log.language, log.recipients, log.deadline) == (
            "reminder",
            "sent",
            language,
            email,
            deadline,
        )
    assert "Croix-Rouge sénégalaise" in by_to["focal-senegal@example.org"].body
    # The log is on the tracker.
    tracker = client.get(
        reverse("surveys:round-tracker", args=[survey_round.pk]), {"region": "all"}
    ).content.decode()
    assert tracker.count("Reminder ·") == 3


def test_no_second_reminder_within_the_interval_unless_the_admin_insists(client, admin_user, world):
    url = reverse("surveys:round-remind", args=[world["round"].pk])
    client.force_login(admin_user)
    client.post(url)
    assert len(mail.outbox) == 3
    client.post(url)  # the double click
    assert len(mail.outbox) == 3
    preview = client.get(url).content.decode()
    assert "0 societies will get the reminder" in preview
    assert preview.count("less than 48 hours ago") == 3
    client.post(url, {"force": "on"})
    assert len(mail.outbox) == 6
    # Past the interval, a plain reminder goes again.
    MessageLog.objects.update(sent_at=timezone.now() - datetime.timedelta(hours=49))
    client.post(url)
    assert len(mail.outbox) == 9
    assert MessageLog.objects.filter(kind="reminder").count() == 9


def test_region_and_status_filters_are_honoured(client, admin_user, world):
    url = reverse("surveys:round-remind", args=[world["round"].pk])
    client.force_login(admin_user)
    client.post(url, {"region": "mena"})
    assert [m.to for m in mail.outbox] == [["focal-lebanon@example.org"]]
    mail.outbox.clear()
    client.post(url, {"region": "africa", "status": ["in_progress"]})
    assert [m.to for m in mail.outbox] == [["focal-senegal@example.org"]]
    mail.outbox.clear()
    client.post(url, {"status": ["not_started"]})
    assert [m.to for m in mail.outbox] == [["focal-kenya@example.org"]]  # Lebanon: reminded


def test_bad_filters_send_nothing_and_say_so(client, admin_user, world):
    url = reverse("surveys:round-remind", args=[world["round"].pk])
    client.force_login(admin_user)
    page = client.post(url, {"region": "atlantis"}, follow=True)
    assert not mail.outbox and not MessageLog.objects.exists()
    assert "The filters are not valid; no reminder was sent." in page.content.decode()


def test_reminders_of_a_closed_round_are_refused_by_the_command(world):
    from django.core.management import CommandError, call_command

    world["round"].state = "closed"
    world["round"].save()
    with pytest.raises(CommandError):
        call_command("send_survey_reminders", "--round", str(world["round"].pk))
    assert not mail.outbox


@pytest.mark.parametrize("extra", [0, 6])
def test_preview_query_count_is_fixed(
    client, admin_user, world, django_assert_max_num_queries, extra
):
    for i in range(extra):
        society = factories.NationalSocietyFactory(name=f"Extra {i}", is_demo=True)
        factories.FocalPointFactory(organisation=society)
    client.force_login(admin_user)
    client.get(reverse("surveys:index"))  # the session's daily refresh
    # session, user, round, societies with their annotations, their focal points.
    with django_assert_max_num_queries(5):
        client.get(reverse("surveys:round-remind", args=[world["round"].pk]))


def test_no_reminder_once_the_round_is_closed(client, admin_user, world):
    world["round"].state = "closed"
    world["round"].save()
    client.force_login(admin_user)
    url = reverse("surveys:round-remind", args=[world["round"].pk])
    assert 'id="send-reminders"' not in client.get(url).content.decode()
    page = client.post(url, follow=True)
    assert "Reminders go out only while the round is open." in page.content.decode()
    assert not mail.outbox and not MessageLog.objects.exists()


def test_messages_wait_for_the_worker_and_go_once(client, admin_user, world, monkeypatch):
    """In production a background worker sends: until it runs, the messages are queued (and
    count as reminded, so a second click adds none); the worker sends each exactly once."""
    from surveys import notifications

    enqueued = []
    real_send = notifications.messages_send
    monkeypatch.setattr(
        notifications, "messages_dispatch", lambda logs: enqueued.append([log.pk for log in logs])
    )
    url = reverse("surveys:round-remind", args=[world["round"].pk])
    client.force_login(admin_user)
    client.post(url)
    client.post(url)
    assert not mail.outbox
    queued = MessageLog.objects.filter(status="queued")
    assert queued.count() == 3 and len(enqueued) == 2 and enqueued[1] == []
    assert "https://tracker.example.org/surveys/rounds/" in queued.first().body
    real_send(log_ids=enqueued[0])
    real_send(log_ids=enqueued[0])  # a second worker, or a retry
    assert len(mail.outbox) == 3
    assert set(MessageLog.objects.values_list("status", flat=True)) == {"sent"}
