"""The e-mail digest: what is due, overdue and changed in a person's working groups.

Each person chooses weekly (the default), daily or never on their profile
(``User.digest_frequency``). The digest reads "My work" (``workinggroups/mywork.py``) with its own
window: a weekly digest lists what is due in the next 30 days and the changes of the last 7, a
daily one what is due in the next 7 days and the changes of the last day; admins read every
group of the current roadmap. An empty digest is not sent, and a period's digest goes once
(``NotificationLog``): ``manage.py send_digests`` run twice in a week sends nothing the second
time.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import DigestFrequency, User
from roadmap import figures
from roadmap.models import Roadmap

from . import mywork, notifications
from .models import Membership, NotificationLog


@dataclass(frozen=True)
class Period:
    kind: str
    changes_days: int  # the changes of this many days back
    due_days: int  # what is due within this many days


PERIODS: dict[str, Period] = {
    DigestFrequency.WEEKLY: Period(NotificationLog.Kind.DIGEST_WEEKLY, 7, 30),
    DigestFrequency.DAILY: Period(NotificationLog.Kind.DIGEST_DAILY, 1, 7),
}


def period_key(frequency: str, as_of: datetime.date) -> str:
    """The ISO week of a weekly digest (2026-W49), the day of a daily one (2026-12-01)."""
    if frequency == DigestFrequency.WEEKLY:
        year, week, _day = as_of.isocalendar()
        return f"{year}-W{week:02d}"
    return as_of.isoformat()


def recipients(frequency: str) -> QuerySet[User]:
    """Active people with an address who chose this frequency and may have something to read:
    admins, active co-leads and members, and owners of open action items."""
    return (
        User.objects.filter(is_active=True, digest_frequency=frequency)
        .exclude(email="")
        .filter(
            Q(is_superuser=True)
            | Q(role=User.Role.ADMIN)
            | Q(
                wg_memberships__left_on__isnull=True,
                wg_memberships__role__in=[Membership.Role.CO_LEAD, Membership.Role.MEMBER],
            )
            | Q(wg_action_items__is_done=False)
        )
        .select_related("organisation")
        .distinct()
        .order_by("pk")
    )


def digest_for(
    person: User, *, frequency: str, as_of: datetime.date, roadmap: Roadmap | None
) -> dict | None:
    """What one person's digest lists, or None when it would be empty (a fixed number of
    queries: the "My work" reads)."""
    period = PERIODS[frequency]
    # From the start of the day a period back: a weekly digest sent on Monday morning lists
    # the changes since the Monday before.
    since = timezone.make_aware(
        datetime.datetime.combine(
            as_of - datetime.timedelta(days=period.changes_days), datetime.time.min
        )
    )
    found = mywork.my_work(
        person,
        roadmap,
        as_of,
        everything=person.has_perm("workinggroups.view_all_work"),
        due_days=period.due_days,
        changes_since=since,
    )
    if not (found["actions"] or found["deliverables"] or found["milestones"] or found["changes"]):
        return None
    overdue = "overdue"
    found.update(
        overdue_actions=[a for a in found["actions"] if a.is_overdue],
        due_actions=[a for a in found["actions"] if not a.is_overdue],
        overdue_deliverables=[d for d in found["deliverables"] if d.status == overdue],
        due_deliverables=[d for d in found["deliverables"] if d.status != overdue],
        overdue_milestones=[m for m in found["milestones"] if m.is_overdue],
        due_milestones=[m for m in found["milestones"] if not m.is_overdue],
        due_days=period.due_days,
        since=since,
        frequency=frequency,
        as_of=as_of,
    )
    return found


@dataclass
class DigestRun:
    """What one run did: who got a digest, who had nothing to read, who had it already."""

    frequency: str
    period_key: str
    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    empty: int = 0
    already: int = 0
    would_send: list[str] = field(default_factory=list)  # a dry run

    def as_dict(self) -> dict:
        return {
            "frequency": self.frequency,
            "period": self.period_key,
            "sent": len(self.sent),
            "failed": len(self.failed),
            "empty": self.empty,
            "already": self.already,
            "would_send": len(self.would_send),
        }


def digest_send(person: User, found: dict, *, frequency: str, key: str) -> bool | None:
    """Send one person's digest for the period ``key``: True sent, False refused by the mail
    server, None when it went already."""
    log = notifications.log_claim(person=person, kind=PERIODS[frequency].kind, period_key=key)
    if log is None:
        return None
    language = notifications.language_of(person)
    with translation.override(language):
        if frequency == DigestFrequency.DAILY:
            subject = _("Your working groups today")
        else:
            subject = _("Your working groups this week")
    return notifications.deliver(
        log,
        person=person,
        language=language,
        subject=subject,
        template="workinggroups/email/digest",
        context={**found, "my_work_url": settings.SITE_URL + reverse("workinggroups:my-work")},
        unsubscribe="digest",
    )


def send_digests(
    *, frequency: str = DigestFrequency.WEEKLY, as_of: datetime.date | None = None, dry_run=False
) -> DigestRun:
    """Everybody's digest of this frequency for the period of ``as_of`` (today)."""
    if frequency not in PERIODS:
        raise ValueError(f"Unknown digest frequency {frequency!r}: weekly or daily.")
    as_of = as_of or figures.today()
    run = DigestRun(frequency=frequency, period_key=period_key(frequency, as_of))
    kind = PERIODS[frequency].kind
    done = set(
        NotificationLog.objects.filter(kind=kind, period_key=run.period_key)
        .exclude(pk__in=NotificationLog.objects.claimable().values("pk"))
        .values_list("recipient_id", flat=True)
    )
    roadmap = Roadmap.objects.current()
    for person in recipients(frequency):
        if person.pk in done:
            run.already += 1
            continue
        found = digest_for(person, frequency=frequency, as_of=as_of, roadmap=roadmap)
        if found is None:
            run.empty += 1
        elif dry_run:
            run.would_send.append(person.email)
        else:
            outcome = digest_send(person, found, frequency=frequency, key=run.period_key)
            if outcome is None:
                run.already += 1
            else:
                (run.sent if outcome else run.failed).append(person.email)
    return run
