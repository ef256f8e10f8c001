"""E-mail notifications: an action item assigned to a person, the weekly or daily digest, the
log that sends nothing twice, and the signed one-click unsubscribe; each e-mail in its reader's
language with links that open."""

import datetime
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import DigestFrequency
from tests import factories as f
from tests.helpers import TODAY
from tests.workinggroups import factories as wf
from workinggroups import digests, notifications, services
from workinggroups.models import ActionItem, NotificationLog

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

SITE = "http://localhost:8000"


def _html(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def _links(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"<>]+", text)


def _path(link: str) -> str:
    assert link.startswith(SITE + "/"), link
    return link.removeprefix(SITE)


def _opens(client, person, link: str) -> None:
    """The link opens for the person it was written for, signed in."""
    client.force_login(person)
    response = client.get(_path(link))
    assert response.status_code == 200, (link, response.status_code)


def _add_action(client, world, *, by, owner, description="Send the venue list", capture):
    client.force_login(by)
    with capture(execute=True):
        response = client.post(
            reverse("workinggroups:action-add", args=[world.meeting.pk]),
            {"description": description, "owner": owner.pk, "due_date": "2031-05-04"},
        )
    assert response.status_code == 302
    return ActionItem.objects.get(description=description)


# ---------------------------------------------------------------- an action item assigned


def test_the_owner_gets_an_e_mail_with_working_links(
    client, world, django_capture_on_commit_callbacks
):
    item = _add_action(
        client,
        world,
        by=world.colead1,
        owner=world.member1,
        capture=django_capture_on_commit_callbacks,
    )
    [message] = mail.outbox
    assert message.to == [world.member1.email]
    assert message.extra_headers["Content-Language"] == "en"
    assert message.subject == "Action item for you: Send the venue list"
    assert "Send the venue list" in message.body
    assert world.colead1.get_full_name() in message.body  # who assigned it
    html = _html(message)
    assert '<html lang="en"' in html and "Send the venue list" in html
    meeting_link = SITE + world.meeting.get_absolute_url()
    assert meeting_link in message.body and meeting_link in html
    for link in _links(message.body):
        if "/unsubscribe/" not in link:
            _opens(client, world.member1, link)
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{SITE}/working-groups/unsubscribe/assignments/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in message.body and unsubscribe.strip("<>") in html
    log = NotificationLog.objects.get(recipient=world.member1)
    assert (log.kind, log.status, log.language) == ("action_assigned", "sent", "en")
    assert log.period_key.startswith(f"{item.pk}@")


def test_a_french_owner_reads_french(client, world, django_capture_on_commit_callbacks):
    world.member1.language = "fr"
    world.member1.save()
    _add_action(
        client,
        world,
        by=world.colead1,
        owner=world.member1,
        capture=django_capture_on_commit_callbacks,
    )
    [message] = mail.outbox
    # locale/ is translated after merging: the markers below hold whatever the catalogue says.
    assert message.extra_headers["Content-Language"] == "fr"
    assert '<html lang="fr" dir="ltr">' in _html(message)
    with translation.override("fr"):
        assert message.subject == _("Action item for you: %(action)s") % {
            "action": "Send the venue list"
        }
        assert _("Everything you have to do, in one place:") in message.body


def test_an_arabic_owner_reads_right_to_left(client, world, django_capture_on_commit_callbacks):
    world.member1.language = "ar"
    world.member1.save()
    _add_action(
        client,
        world,
        by=world.colead1,
        owner=world.member1,
        capture=django_capture_on_commit_callbacks,
    )
    assert '<html lang="ar" dir="rtl">' in _html(mail.outbox[0])


def test_assigning_oneself_sends_nothing(client, world, django_capture_on_commit_callbacks):
    _add_action(
        client,
        world,
        by=world.colead1,
        owner=world.colead1,
        capture=django_capture_on_commit_callbacks,
    )
    assert mail.outbox == []
    assert not NotificationLog.objects.exists()


def test_a_changed_owner_hears_of_it_and_an_unchanged_one_does_not(
    client, world, django_capture_on_commit_callbacks
):
    from core.concurrency import version_token

    item = world.item  # owned by the WG1 co-lead
    url = reverse("workinggroups:action-edit", args=[item.pk])
    client.force_login(world.colead1)

    def edit(owner, description):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url,
                {
                    "description": description,
                    "owner": owner.pk,
                    "due_date": "2031-01-01",
                    "version": version_token(ActionItem.objects.get(pk=item.pk)),
                },
            )
        assert response.status_code == 302

    edit(world.member1, "Handed over")
    assert [m.to for m in mail.outbox] == [[world.member1.email]]
    edit(world.member1, "Handed over, reworded")  # same owner: no second e-mail
    assert len(mail.outbox) == 1


def test_a_person_who_opted_out_gets_no_assignment_mail(
    client, world, django_capture_on_commit_callbacks
):
    world.member1.assignment_emails = False
    world.member1.save()
    _add_action(
        client,
        world,
        by=world.colead1,
        owner=world.member1,
        capture=django_capture_on_commit_callbacks,
    )
    assert mail.outbox == []


def test_a_mail_server_failure_is_logged_and_keeps_the_action_item(
    client, world, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "tests.workinggroups.test_notifications.RefusingBackend"
    item = _add_action(
        client,
        world,
        by=world.colead1,
        owner=world.member1,
        capture=django_capture_on_commit_callbacks,
    )
    assert item.owner == world.member1  # saved, whatever the mail server said
    log = NotificationLog.objects.get(recipient=world.member1)
    assert log.status == "failed" and "refused" in log.error
    assert "not delivered" in caplog.text


def test_the_task_run_twice_sends_once(world):
    item = world.item
    key = f"{item.pk}@test"
    for _run in range(2):
        notifications.assignment_send(
            item_id=item.pk, owner_id=item.owner_id, assigned_by_id=None, period_key=key
        )
    assert len(mail.outbox) == 1
    # Given to someone else before the worker ran: the first owner is not told.
    assert not notifications.assignment_send(
        item_id=item.pk, owner_id=world.member1.pk, assigned_by_id=None, period_key="other"
    )
    assert len(mail.outbox) == 1


def test_the_service_mails_after_commit_only(world, django_capture_on_commit_callbacks):
    item = ActionItem(meeting=world.meeting, description="Call the hotel", owner=world.member1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.action_item_save(item=item, user=world.colead1)
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [[world.member1.email]]


class RefusingBackend:
    """A mail server that refuses every message."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server refused the connection")


# ---------------------------------------------------------------- the digest


def _overdue_things(world):
    """The co-lead's overdue action item (the world's, due 2023), WG1's overdue deliverable and
    milestone (the factories' 2023 dates), and one due in 10 days."""
    soon = wf.DeliverableFactory(
        workplan=world.plan1, title="Webinar series", due_date=TODAY + datetime.timedelta(10)
    )
    wf.DeliverableFactory(
        workplan=world.plan1, title="Far away", due_date=TODAY + datetime.timedelta(60)
    )
    return soon


def _digest_of(person) -> mail.EmailMessage:
    found = [m for m in mail.outbox if m.to == [person.email]]
    assert len(found) == 1, [m.to for m in mail.outbox]
    return found[0]


def test_the_weekly_digest_lists_what_is_overdue_with_links(client, world):
    soon = _overdue_things(world)
    run = digests.send_digests(frequency="weekly")
    message = _digest_of(world.colead1)
    assert message.subject == "Your working groups this week"
    assert message.extra_headers["Content-Language"] == "en"
    body, html = message.body, _html(message)
    overdue = body[body.index("== Overdue ==") : body.index("== Due in the next 30 days ==")]
    assert world.item.description in overdue
    assert world.deliverable.title in overdue
    assert world.milestone.title in overdue
    due = body[body.index("== Due in the next 30 days ==") : body.index("== Changed since")]
    assert "Webinar series" in due and "Far away" not in due  # due in 60 days
    assert "Far away" in body[body.index("== Changed since") :]  # but created this week
    assert world.deliverable4.title not in body  # WG4 is not the co-lead's group
    for text in (body, html):
        assert SITE + world.deliverable.get_absolute_url() in text
        assert SITE + soon.get_absolute_url() in text
        assert SITE + world.meeting.get_absolute_url() in text
    assert 'id="overdue"' in html and '<html lang="en"' in html
    for link in set(_links(body)):
        if "/unsubscribe/" not in link:
            _opens(client, world.colead1, link)
    assert world.colead1.email in run.sent
    log = NotificationLog.objects.get(recipient=world.colead1)
    assert (log.kind, log.status) == ("digest_weekly", "sent")
    assert log.period_key == digests.period_key("weekly", TODAY)
    assert re.fullmatch(r"\d{4}-W\d{2}", log.period_key)


def test_the_digest_lists_what_others_changed_but_not_ones_own_changes(world):
    world.deliverable.title = "Training of trainers"
    world.deliverable._history_user = world.member1
    world.deliverable.save()
    world.meeting.title = "Renamed by the co-lead"
    world.meeting._history_user = world.colead1
    world.meeting.save()
    digests.send_digests(frequency="weekly")
    body = _digest_of(world.colead1).body
    changed = body[body.index("== Changed since") :]
    assert "Training of trainers" in changed and world.member1.get_full_name() in changed
    assert SITE + world.deliverable.get_absolute_url() in changed
    assert "Renamed by the co-lead" not in changed
    # The member reads the co-lead's change.
    assert "Renamed by the co-lead" in _digest_of(world.member1).body


def test_an_admin_digest_covers_every_group(world):
    _overdue_things(world)
    digests.send_digests(frequency="weekly")
    body = _digest_of(world.admin).body
    assert "across every working group" in body
    assert world.deliverable.title in body and world.deliverable4.title in body


def test_an_empty_digest_is_not_sent(world):
    quiet = f.UserFactory(email="quiet@example.org")
    group = wf.WorkingGroupFactory(roadmap=world.roadmap, number=7)
    wf.MembershipFactory(working_group=group, person=quiet)
    run = digests.send_digests(frequency="weekly")
    assert quiet.email not in [to for m in mail.outbox for to in m.to]
    assert run.empty >= 1
    assert not NotificationLog.objects.filter(recipient=quiet).exists()
    # Readers and focal points without groups or action items are not even read.
    assert world.reader.email not in [to for m in mail.outbox for to in m.to]


def test_running_it_again_in_the_same_week_sends_nothing(world):
    first = digests.send_digests(frequency="weekly")
    sent = len(mail.outbox)
    assert sent == len(first.sent) >= 3  # the two co-leads and the admin at least
    again = digests.send_digests(frequency="weekly")
    assert len(mail.outbox) == sent
    assert again.sent == [] and again.already == len(first.sent)
    # Next week is another period.
    digests.send_digests(frequency="weekly", as_of=TODAY + datetime.timedelta(days=7))
    assert len(mail.outbox) > sent


def test_daily_and_off_follow_the_profile(world):
    world.colead1.digest_frequency = DigestFrequency.DAILY
    world.colead1.save()
    world.colead4.digest_frequency = DigestFrequency.OFF
    world.colead4.save()
    digests.send_digests(frequency="weekly")
    weekly = {to for m in mail.outbox for to in m.to}
    assert world.colead1.email not in weekly and world.colead4.email not in weekly
    mail.outbox.clear()
    digests.send_digests(frequency="daily")
    assert [m.to for m in mail.outbox] == [[world.colead1.email]]
    message = mail.outbox[0]
    assert message.subject == "Your working groups today"
    assert "== Due in the next 7 days ==" in message.body or "== Overdue ==" in message.body
    log = NotificationLog.objects.get(recipient=world.colead1)
    assert (log.kind, log.period_key) == ("digest_daily", TODAY.isoformat())


def test_a_french_digest(world):
    world.colead1.language = "fr"
    world.colead1.save()
    digests.send_digests(frequency="weekly")
    message = _digest_of(world.colead1)
    assert message.extra_headers["Content-Language"] == "fr"
    assert '<html lang="fr"' in _html(message)
    with translation.override("fr"):
        assert message.subject == _("Your working groups this week")
    assert _digest_of(world.colead4).extra_headers["Content-Language"] == "en"


def test_a_failed_digest_is_tried_again_on_the_next_run(world, settings):
    settings.EMAIL_BACKEND = "tests.workinggroups.test_notifications.RefusingBackend"
    run = digests.send_digests(frequency="weekly")
    assert world.colead1.email in run.failed
    assert NotificationLog.objects.get(recipient=world.colead1).status == "failed"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    again = digests.send_digests(frequency="weekly")
    assert world.colead1.email in again.sent
    assert NotificationLog.objects.get(recipient=world.colead1).status == "sent"


def test_a_digest_a_stopped_run_left_unsent_is_sent_by_the_next_run_only_once_stale(world):
    """A run that stopped mid-send (the worker killed) leaves its row "being sent": the next run
    leaves it alone while the first may still be sending, and sends it once it is stale."""
    from workinggroups.models import NOTIFICATION_SENDING_STALE

    key = digests.period_key("weekly", TODAY)
    log = NotificationLog.objects.create(
        recipient=world.colead1, kind="digest_weekly", period_key=key
    )
    run = digests.send_digests(frequency="weekly")
    assert world.colead1.email not in run.sent and run.already >= 1
    assert world.colead1.email not in {to for m in mail.outbox for to in m.to}
    stopped = timezone.now() - NOTIFICATION_SENDING_STALE - datetime.timedelta(minutes=1)
    NotificationLog.objects.filter(pk=log.pk).update(updated_at=stopped)
    again = digests.send_digests(frequency="weekly")
    assert world.colead1.email in again.sent
    assert [m.to for m in mail.outbox].count([world.colead1.email]) == 1
    log.refresh_from_db()
    assert log.status == "sent" and log.sent_at is not None
    assert NotificationLog.objects.filter(recipient=world.colead1).count() == 1


def test_an_assignment_a_stopped_task_left_unsent_is_sent_when_the_task_runs_again(world):
    from workinggroups.models import NOTIFICATION_SENDING_STALE

    item = world.item
    key = f"{item.pk}@stopped"
    log = NotificationLog.objects.create(
        recipient_id=item.owner_id, kind="action_assigned", period_key=key
    )
    send = {"item_id": item.pk, "owner_id": item.owner_id, "assigned_by_id": None}
    assert not notifications.assignment_send(**send, period_key=key)  # may still be sending
    stopped = timezone.now() - NOTIFICATION_SENDING_STALE - datetime.timedelta(minutes=1)
    NotificationLog.objects.filter(pk=log.pk).update(updated_at=stopped)
    assert notifications.assignment_send(**send, period_key=key)
    assert len(mail.outbox) == 1
    log.refresh_from_db()
    assert log.status == "sent"


def test_the_command_sends_and_its_dry_run_does_not(world):
    out = StringIO()
    call_command("send_digests", "--dry-run", stdout=out)
    assert mail.outbox == [] and not NotificationLog.objects.exists()
    assert f"would send to {world.colead1.email}" in out.getvalue()
    out = StringIO()
    call_command("send_digests", "--frequency", "weekly", stdout=out)
    assert world.colead1.email in {to for m in mail.outbox for to in m.to}
    assert "Weekly digest" in out.getvalue() and " sent," in out.getvalue()
    sent = len(mail.outbox)
    call_command("send_digests", stdout=StringIO())
    assert len(mail.outbox) == sent


def test_the_worker_task_sends_the_digests(world):
    """``--queue`` hands the run to the worker (the test backend runs a task at once)."""
    out = StringIO()
    call_command("send_digests", "--queue", "--frequency", "weekly", stdout=out)
    assert "queued" in out.getvalue()
    assert world.colead1.email in {to for m in mail.outbox for to in m.to}


def _grow(world, n: int) -> None:
    for i in range(n):
        d = wf.DeliverableFactory(workplan=world.plan1, due_date=TODAY + datetime.timedelta(i))
        f.ProgressUpdateFactory(subject=d, status="at_risk", percent_complete=50)
        wf.MilestoneFactory(deliverable=d, date=TODAY - datetime.timedelta(days=2))
        m = wf.MeetingFactory(working_group=world.wg1)
        wf.ActionItemFactory(meeting=m, owner=world.colead1, due_date=TODAY)
        group = wf.WorkingGroupFactory(roadmap=world.roadmap, number=20 + i)
        wf.MembershipFactory(working_group=group, person=world.colead1)
        sub = wf.WorkingGroupFactory(roadmap=world.roadmap, number=40 + i, parent=world.wg1)
        wf.DeliverableFactory(workplan=wf.WorkplanFactory(working_group=sub))


def test_building_a_digest_costs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    # Groups, three capped lists and their counts (only once a list is full), four history
    # reads: 11 at most, for a co-lead and an admin alike, however much the groups hold.
    # (Measured: 8 on small data, 11 for the co-lead and 10 for the admin with 30 of each.)
    roadmap = world.roadmap
    digests.digest_for(world.colead1, frequency="weekly", as_of=TODAY, roadmap=roadmap)  # warm

    def build(person):
        with django_assert_max_num_queries(11) as captured:
            found = digests.digest_for(person, frequency="weekly", as_of=TODAY, roadmap=roadmap)
        return found, len(captured.captured_queries)

    small = {p.pk: build(p)[1] for p in (world.colead1, world.admin)}
    _grow(world, 30)
    for person in (world.colead1, world.admin):
        found, count = build(person)
        assert count <= small[person.pk] + 3  # only the counts of the lists now full
        assert found["deliverables_more"] > 0
    assert found is not None and len(found["changes"]) == 20


# ---------------------------------------------------------------- unsubscribing


def _unsubscribe_link(message) -> str:
    return message.extra_headers["List-Unsubscribe"].strip("<>")


def test_the_digest_link_asks_first_and_unsubscribes_on_the_button(world):
    digests.send_digests(frequency="weekly")
    link = _unsubscribe_link(_digest_of(world.colead1))
    assert link in _digest_of(world.colead1).body
    anonymous = Client()
    page = anonymous.get(_path(link))  # a mail scanner opening it changes nothing
    assert page.status_code == 200
    html = page.content.decode()
    assert world.colead1.email in html and "Unsubscribe" in html
    world.colead1.refresh_from_db()
    assert world.colead1.digest_frequency == "weekly"
    done = anonymous.post(_path(link))
    assert done.status_code == 200 and "no more digest e-mails" in done.content.decode()
    world.colead1.refresh_from_db()
    assert world.colead1.digest_frequency == "off"
    assert world.colead1.history.first().history_change_reason.startswith("unsubscribed")
    mail.outbox.clear()
    digests.send_digests(frequency="weekly", as_of=TODAY + datetime.timedelta(days=7))
    assert world.colead1.email not in {to for m in mail.outbox for to in m.to}


def test_one_click_unsubscribe_from_a_mail_client(
    client, world, django_capture_on_commit_callbacks
):
    """RFC 8058: the mail client POSTs ``List-Unsubscribe=One-Click``, with no CSRF token and
    no session."""
    _add_action(
        client,
        world,
        by=world.colead1,
        owner=world.member1,
        capture=django_capture_on_commit_callbacks,
    )
    link = _unsubscribe_link(mail.outbox[0])
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        _path(link),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    world.member1.refresh_from_db()
    assert world.member1.assignment_emails is False
    assert world.member1.digest_frequency == "weekly"  # only what the link names
    mail.outbox.clear()
    _add_action(
        client,
        world,
        by=world.colead1,
        owner=world.member1,
        description="Another one",
        capture=django_capture_on_commit_callbacks,
    )
    assert mail.outbox == []


def test_a_tampered_or_borrowed_link_is_refused_and_changes_nothing(world):
    good = notifications.unsubscribe_token(world.colead1, "digest")
    other = notifications.unsubscribe_token(world.colead4, "digest")
    forged = good[:-3] + ("xyz" if not good.endswith("xyz") else "abc")
    client = Client()
    for kind, token in (
        ("digest", forged),
        ("digest", "1:forged"),
        ("assignments", good),  # signed for the digest, not for assignment e-mails
        ("everything", good),  # no such kind
    ):
        url = reverse("workinggroups:unsubscribe", args=[kind, token])
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 400, (kind, token)
            assert "not valid" in response.content.decode()
    world.colead1.refresh_from_db()
    assert (world.colead1.digest_frequency, world.colead1.assignment_emails) == ("weekly", True)
    # Another person's link stops only that person's digest.
    client.post(reverse("workinggroups:unsubscribe", args=["digest", other]))
    world.colead1.refresh_from_db()
    world.colead4.refresh_from_db()
    assert (world.colead1.digest_frequency, world.colead4.digest_frequency) == ("weekly", "off")


# ---------------------------------------------------------------- the profile


def test_the_profile_chooses_the_digest_and_the_assignment_mails(client, world):
    client.force_login(world.member1)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert 'name="digest_frequency"' in page and 'name="assignment_emails"' in page
    assert 'value="weekly" selected' in page and "checked" in page
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": "Member", "language": "", "digest_frequency": "daily"},
    )
    assert response.status_code == 302
    world.member1.refresh_from_db()
    assert (world.member1.digest_frequency, world.member1.assignment_emails) == ("daily", False)
    # A form posted without the frequency keeps the choice.
    client.post(reverse("accounts:profile"), {"full_name": "Member", "language": ""})
    world.member1.refresh_from_db()
    assert world.member1.digest_frequency == "daily"
