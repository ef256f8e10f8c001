"""Calendars: a meeting's .ics file and a person's calendar feed (a secret URL, no session).

The feed holds, from ``FEED_PAST_DAYS`` ago on: the meetings of the person's groups (the open
groups they are an active co-lead or member of, and those groups' subgroups: the groups of
"My work", workinggroups/mywork.py), those groups' current deliverables with a due date and
their milestones, and the person's own action items with a due date. An admin's feed is their
own groups too, not every group. It is written in the person's language; it names no other
person (nor any e-mail address), only groups, titles, dates and links.

Each item keeps one UID (``<kind>-<id>@<site>``) in every file and feed, so a calendar app that
has the meeting's .ics and the feed shows the meeting once. A fixed number of queries whatever
the groups hold (pinned in tests/workinggroups/test_calendar.py).
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import ical
from core.tokens import token_hash
from roadmap import figures

from .models import ActionItem, CalendarFeed, Deliverable, Meeting, Milestone
from .mywork import work_groups
from .notifications import language_of

FEED_PAST_DAYS = 365  # a feed starts this many days back; everything ahead is in it
# Record a feed's last use at most this often, not at every fetch of every calendar app.
LAST_USED_EVERY = datetime.timedelta(hours=1)


def _uid(kind: str, pk: int) -> str:
    return f"{kind}-{pk}@{urlsplit(settings.SITE_URL).hostname or 'mhpss-roadmap'}"


def _link(path: str) -> str:
    return settings.SITE_URL + path


def meeting_title(meeting: Meeting) -> str:
    return meeting.title or str(Meeting.Kind(meeting.kind).label)


def meeting_event(meeting: Meeting) -> ical.Event:
    """A meeting as an all-day event (meetings have a date, no hours); its group selected."""
    group = meeting.working_group
    return ical.Event(
        uid=_uid("meeting", meeting.pk),
        summary=f"{group.label}: {meeting_title(meeting)}",
        day=meeting.date,
        stamp=meeting.updated_at,
        description="\n".join(
            [
                _("%(kind)s of %(group)s") % {"kind": meeting.get_kind_display(), "group": group},
                _link(meeting.get_absolute_url()),
            ]
        ),
        url=_link(meeting.get_absolute_url()),
        categories=(str(_("Meeting")),),
    )


def meeting_calendar(meeting: Meeting) -> str:
    """The .ics text of one meeting."""
    return ical.calendar([meeting_event(meeting)], name=str(meeting))


def _deliverable_event(deliverable) -> ical.Event:
    group = deliverable.working_group
    return ical.Event(
        uid=_uid("deliverable", deliverable.pk),
        summary=_("Due: %(title)s (%(group)s)")
        % {"title": deliverable.title, "group": group.label},
        day=deliverable.due_date,
        stamp=deliverable.updated_at,
        description="\n".join(
            [
                _("Deliverable of %(group)s") % {"group": group},
                _("Status: %(status)s") % {"status": deliverable.status_label},
                _link(deliverable.get_absolute_url()),
            ]
        ),
        url=_link(deliverable.get_absolute_url()),
        categories=(str(_("Deliverable")),),
    )


def _milestone_event(milestone: Milestone) -> ical.Event:
    deliverable = milestone.deliverable
    summary = _("Milestone: %(title)s (%(group)s)") % {
        "title": milestone.title,
        "group": deliverable.working_group.label,
    }
    return ical.Event(
        uid=_uid("milestone", milestone.pk),
        summary=_("Done: %(title)s") % {"title": summary} if milestone.is_done else summary,
        day=milestone.date,
        stamp=milestone.updated_at,
        description="\n".join(
            [
                _("Milestone of the deliverable “%(title)s”") % {"title": deliverable.title},
                _link(deliverable.get_absolute_url()),
            ]
        ),
        url=_link(deliverable.get_absolute_url()),
        categories=(str(_("Milestone")),),
    )


def _action_event(action: ActionItem) -> ical.Event:
    meeting = action.meeting
    summary = _("Action item due: %(action)s") % {"action": action.description}
    return ical.Event(
        uid=_uid("action", action.pk),
        summary=_("Done: %(title)s") % {"title": summary} if action.is_done else summary,
        # The feed asks for dated items only; an undated one would stand on its meeting's day.
        day=action.due_date or meeting.date,
        stamp=action.updated_at,
        description="\n".join(
            [
                _("From the meeting “%(meeting)s” of %(group)s")
                % {"meeting": meeting_title(meeting), "group": meeting.working_group.label},
                _link(meeting.get_absolute_url()),
            ]
        ),
        url=_link(meeting.get_absolute_url()),
        categories=(str(_("Action item")),),
    )


def feed_events(person, as_of: datetime.date) -> list[ical.Event]:
    """Everything of the person's feed (see the module's docstring), oldest first. Four queries:
    meetings, deliverables (with their status as of the date), milestones, action items; the
    groups are a subquery of each."""
    since = as_of - datetime.timedelta(days=FEED_PAST_DAYS)
    groups = work_groups(person, None, everything=False).values("pk")
    meetings = (
        Meeting.objects.active()
        .filter(working_group__in=groups, date__gte=since)
        .select_related("working_group__parent")
        .order_by("date", "id")
    )
    deliverables = figures.deliverables_as_of(
        Deliverable.objects.active()
        .filter(working_group__in=groups, due_date__gte=since)
        .select_related("working_group__parent")
        .order_by("due_date", "id"),
        as_of,
    )
    milestones = (
        Milestone.objects.active()
        .filter(
            deliverable__working_group__in=groups,
            deliverable__is_archived=False,
            date__gte=since,
        )
        .select_related("deliverable__working_group__parent")
        .order_by("date", "id")
    )
    # One's own action items, in whichever group (also one since left).
    actions = (
        ActionItem.objects.active()
        .filter(owner=person, due_date__gte=since, meeting__is_archived=False)
        .select_related("meeting__working_group__parent")
        .order_by(F("due_date").asc(), "id")
    )
    events = [meeting_event(m) for m in meetings]
    events += [_deliverable_event(d) for d in deliverables]
    events += [_milestone_event(m) for m in milestones]
    events += [_action_event(a) for a in actions]
    events.sort(key=lambda e: (e.day, e.uid))
    return events


def feed_calendar(feed: CalendarFeed) -> str:
    """The .ics text of a person's feed, in their language."""
    person = feed.person
    with translation.override(language_of(person)):
        name = _("MHPSS roadmap: my work")
        return ical.calendar(feed_events(person, figures.today()), name=str(name), feed=True)


def feed_for_secret(secret: str) -> CalendarFeed | None:
    """The usable feed with this secret (its last use recorded now and then), else None."""
    if not secret or len(secret) > 200:
        return None
    feed = (
        CalendarFeed.objects.usable()
        .select_related("person__organisation")
        .filter(key_hash=token_hash(secret))
        .first()
    )
    if feed is None:
        return None
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at > LAST_USED_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
        feed.last_used_at = now
    return feed


def live_feed(person) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(person=person, revoked_at__isnull=True).first()
