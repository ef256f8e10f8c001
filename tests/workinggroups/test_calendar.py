"""Calendars: a meeting's .ics file and the personal feed, per role, read back strictly."""

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests import factories as f
from tests.helpers import TODAY, parse_ics
from tests.workinggroups import factories as wf
from workinggroups import calendar, services
from workinggroups.models import CalendarFeed

pytestmark = pytest.mark.usefixtures("frozen_today")

SOON = TODAY + datetime.timedelta(days=10)
PROFILE = reverse("accounts:profile")


@pytest.fixture
def dated(world):
    """The world's WG1 and WG4 things moved into the feed's window, plus WG4's own."""
    for obj, name in (
        (world.meeting, "date"),
        (world.deliverable, "due_date"),
        (world.deliverable4, "due_date"),
        (world.milestone, "date"),
        (world.item, "due_date"),
    ):
        setattr(obj, name, SOON)
        obj.save()
    meeting4 = wf.MeetingFactory(working_group=world.wg4, date=SOON, title="WG4 webinar")
    item4 = wf.ActionItemFactory(meeting=meeting4, owner=world.colead4, due_date=SOON)
    return meeting4, item4


def _feed_url(person) -> str:
    _feed, secret = services.calendar_feed_create(person=person)
    return reverse("workinggroups:calendar-feed", args=[secret])


def _read(url: str):
    """The feed as a calendar app reads it: no session, no cookie."""
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert not response.cookies
    return parse_ics(response.content), response.content.decode()


def _uids(calendar_) -> set[str]:
    return {e.get("UID").split("@")[0] for e in calendar_.events}


def test_meeting_ics_for_whoever_reads_the_meeting(client, world):
    world.meeting.title = "Monthly call, June; plans"
    world.meeting.save()
    url = reverse("workinggroups:meeting-ics", args=[world.meeting.pk])
    client.force_login(world.focal)  # reads every group's meetings, as on the meeting page
    response = client.get(url)
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == f'attachment; filename="meeting-{world.meeting.pk}.ics"'
    )
    event = parse_ics(response.content).events[0]
    assert event.get("SUMMARY") == "WG1: Monthly call, June; plans"
    assert event.get("DTSTART") == world.meeting.date.strftime("%Y%m%d")
    assert event.get("URL").endswith(world.meeting.get_absolute_url())
    # The meeting page links to it.
    assert url in client.get(world.meeting.get_absolute_url()).content.decode()
    assert client.get(reverse("workinggroups:meeting-ics", args=[999999])).status_code == 404


def test_co_lead_feed_holds_their_groups_and_their_actions_only(world, dated):
    meeting4, item4 = dated
    calendar_, text = _read(_feed_url(world.colead1))
    assert _uids(calendar_) == {
        f"meeting-{world.meeting.pk}",
        f"deliverable-{world.deliverable.pk}",
        f"milestone-{world.milestone.pk}",
        f"action-{world.item.pk}",
    }
    summaries = {e.get("SUMMARY") for e in calendar_.events}
    assert f"Due: {world.deliverable.title} (WG1)" in summaries
    assert f"Action item due: {world.item.description}" in summaries
    deliverable = next(e for e in calendar_.events if e.get("UID").startswith("deliverable-"))
    assert "Status: Overdue" not in deliverable.get("DESCRIPTION")
    assert "Status: Not started" in deliverable.get("DESCRIPTION")
    # No person's e-mail address: the only @ are those of the UIDs.
    assert not re.search(r"[\w.-]+@example\.org", text)
    assert "WG4" not in text


def test_the_same_meeting_has_the_same_uid_in_its_file_and_in_the_feed(client, world, dated):
    client.force_login(world.member1)
    single = parse_ics(
        client.get(reverse("workinggroups:meeting-ics", args=[world.meeting.pk])).content
    )
    feed, _text = _read(_feed_url(world.member1))
    assert single.events[0].get("UID") in {e.get("UID") for e in feed.events}


def test_member_feed_has_the_group_but_not_the_co_leads_action_items(world, dated):
    calendar_, _text = _read(_feed_url(world.member1))
    uids = _uids(calendar_)
    assert f"meeting-{world.meeting.pk}" in uids
    assert f"action-{world.item.pk}" not in uids


@pytest.mark.parametrize("role", ["focal", "reader", "admin"])
def test_people_in_no_group_get_an_empty_feed(world, dated, role):
    """A focal point (or a reader, or an admin who is in no group) sees nothing of groups they
    are not in; an admin's feed is their own groups, not every group."""
    calendar_, _text = _read(_feed_url(getattr(world, role)))
    assert calendar_.events == []


def test_done_items_are_marked_and_old_ones_left_out(world, dated):
    world.milestone.is_done = True
    world.milestone.save()
    old = wf.MeetingFactory(
        working_group=world.wg1,
        date=TODAY - datetime.timedelta(days=calendar.FEED_PAST_DAYS + 1),
    )
    calendar_, _text = _read(_feed_url(world.colead1))
    milestone = next(e for e in calendar_.events if e.get("UID").startswith("milestone-"))
    assert milestone.get("SUMMARY").startswith("Done: Milestone: ")
    assert f"meeting-{old.pk}" not in _uids(calendar_)


def test_feed_is_in_the_persons_language(world, dated):
    world.meeting.title = ""
    world.meeting.save()
    world.colead1.language = "fr"
    world.colead1.save()
    calendar_, _text = _read(_feed_url(world.colead1))
    meeting = next(e for e in calendar_.events if e.get("UID").startswith("meeting-"))
    assert meeting.get("SUMMARY") == "WG1: Réunion mensuelle"


def test_a_new_url_revokes_the_old_and_turning_off_revokes_it(world, dated):
    anonymous = Client()
    first = _feed_url(world.colead1)
    second = _feed_url(world.colead1)
    assert anonymous.get(first).status_code == 404
    assert anonymous.get(second).status_code == 200
    assert CalendarFeed.objects.filter(person=world.colead1, revoked_at__isnull=True).count() == 1
    services.calendar_feed_revoke(person=world.colead1)
    assert anonymous.get(second).status_code == 404
    # A wrong secret, and an inactive person's feed, are not found either.
    assert (
        anonymous.get(reverse("workinggroups:calendar-feed", args=["cal_nope"])).status_code == 404
    )
    third = _feed_url(world.member1)
    world.member1.is_active = False
    world.member1.save()
    assert anonymous.get(third).status_code == 404


def test_a_feed_asked_for_too_often_answers_429_and_others_still_work(world, dated, settings):
    """Past its limit a feed answers 429 with Retry-After; the limit is the feed's own, so
    another person's feed, fetched by the same calendar service (address), still works."""
    from django.core.cache import cache

    cache.clear()
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "calendar-feed": (2, 3600)}
    service = Client(REMOTE_ADDR="203.0.113.9")
    mine, theirs = _feed_url(world.colead1), _feed_url(world.member1)
    assert [service.get(mine).status_code for _ in range(3)] == [200, 200, 429]
    refused = service.get(mine)
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    assert service.get(theirs).status_code == 200


def test_only_the_hash_is_stored(db):
    from core.tokens import token_hash

    person = f.UserFactory()
    feed, secret = services.calendar_feed_create(person=person)
    assert secret.startswith("cal_") and len(secret) > 40
    assert feed.key_hash == token_hash(secret)
    assert secret not in str(CalendarFeed.objects.filter(pk=feed.pk).values().get())


def test_profile_shows_the_url_once_then_only_its_start(client, world):
    client.force_login(world.colead1)
    html = client.get(PROFILE).content.decode()
    assert "Make my calendar feed URL" in html
    response = client.post(reverse("workinggroups:calendar-feed-create"))
    assert response.status_code == 302 and response["Location"] == PROFILE
    html = client.get(PROFILE).content.decode()
    url = re.search(r'id="calendar-feed-url" value="([^"]+)"', html).group(1)
    assert url.startswith(f"{settings.SITE_URL}/working-groups/calendar/cal_")
    feed = CalendarFeed.objects.get(person=world.colead1, revoked_at__isnull=True)
    assert f"{feed.prefix}…" in html
    _read(url.removeprefix(settings.SITE_URL))
    again = client.get(PROFILE).content.decode()
    assert url not in again and "calendar-feed-url" not in again
    assert "Make a new URL" in again
    client.post(reverse("workinggroups:calendar-feed-revoke"))
    assert Client().get(url.removeprefix(settings.SITE_URL)).status_code == 404
    assert "Make my calendar feed URL" in client.get(PROFILE).content.decode()


def test_feed_queries_do_not_grow_with_the_groups(world, dated, django_assert_max_num_queries):
    url = _feed_url(world.colead1)
    Client().get(url)  # the last use is recorded once an hour: not in the count below
    with django_assert_max_num_queries(6) as small:
        _read(url)
    for n in range(15):
        meeting = wf.MeetingFactory(working_group=world.wg1, date=SOON)
        wf.ActionItemFactory(meeting=meeting, owner=world.colead1, due_date=SOON)
        deliverable = wf.DeliverableFactory(workplan=world.plan1, due_date=SOON)
        wf.MilestoneFactory(deliverable=deliverable, date=SOON)
        sub = wf.WorkingGroupFactory(
            roadmap=world.roadmap, parent=world.wg1, number=1, name=f"Sub {n}"
        )
        wf.MeetingFactory(working_group=sub, date=SOON)
    with django_assert_max_num_queries(len(small.captured_queries)):
        calendar_, _text = _read(url)
    assert len(calendar_.events) == 4 + 15 * 5
