"""Writes on working groups: memberships and co-leads, deliverables, meetings, resources."""

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import DigestFrequency, User
from accounts.services import newcomer_account_create, password_set_link
from core.tokens import new_secret, token_hash

from . import notifications
from .models import (
    ActionItem,
    CalendarFeed,
    Deliverable,
    JoinRequest,
    Meeting,
    Membership,
    Milestone,
    Resource,
    WorkingGroup,
    Workplan,
)

if TYPE_CHECKING:
    import tablib


def _save(obj, *, user, reason: str = "") -> None:
    """Validate and save one row, recording who changed it and why in its history."""
    obj.full_clean()
    obj._history_user = user
    if reason:
        obj._change_reason = reason
    obj.save()


@transaction.atomic
def membership_add(
    *,
    group: WorkingGroup,
    role: str,
    added_by,
    organisation=None,
    person=None,
    joined_on: datetime.date | None = None,
) -> Membership:
    """Add an organisation or a person; a co-lead takes the free slot, if there is one."""
    if organisation is None and person is not None:
        organisation = person.organisation
    membership = Membership(
        working_group=group,
        organisation=organisation,
        person=person,
        role=role,
        joined_on=joined_on or timezone.localdate(),
    )
    if role == Membership.Role.CO_LEAD:
        if person is None:
            raise ValidationError({"person": _("A co-lead is a person.")})
        # Lock the group's row so two people adding a co-lead at once cannot both see slot 2
        # as free; the partial unique constraint is the final guard.
        WorkingGroup.objects.select_for_update().filter(pk=group.pk).first()
        taken = set(
            Membership.objects.active()
            .co_leads()
            .filter(working_group=group)
            .values_list("slot", flat=True)
        )
        free = [slot for slot in (1, 2) if slot not in taken]
        if not free:
            raise ValidationError(
                _("This group already has two co-leads: end one co-lead's term first.")
            )
        membership.slot = free[0]
    already = Membership.objects.active().filter(
        working_group=group, organisation=organisation, person=person
    )
    if already.exists():
        raise ValidationError(_("This organisation or person is already in the group."))
    try:
        with transaction.atomic():
            _save(membership, user=added_by, reason=_("joined the group"))
    except IntegrityError as error:
        raise ValidationError(_("This group already has two co-leads.")) from error
    return membership


@transaction.atomic
def membership_end(
    *, membership: Membership, ended_by, left_on: datetime.date | None = None
) -> Membership:
    """End a membership or a co-lead's term; the row stays so the history is kept."""
    if membership.left_on is not None:
        return membership
    membership.left_on = left_on or timezone.localdate()
    _save(membership, user=ended_by, reason=_("left the group"))
    return membership


def group_details_save(*, group: WorkingGroup, user, reason: str) -> WorkingGroup:
    """Change a group's name, short name and description (the form set them on ``group``)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you change the group's details.")})
    _save(group, user=user, reason=reason.strip())
    return group


@transaction.atomic
def workplan_create(*, group: WorkingGroup, year: int, summary: str, created_by) -> Workplan:
    if Workplan.objects.filter(working_group=group, year=year).exists():
        raise ValidationError({"year": _("This group already has a workplan for that year.")})
    workplan = Workplan(working_group=group, year=year, summary=summary)
    _save(workplan, user=created_by, reason=_("workplan created"))
    return workplan


def deliverable_save(*, deliverable: Deliverable, user, reason: str = "") -> Deliverable:
    """Create or change a deliverable (the form already limited its choices to the group)."""
    creating = deliverable.pk is None
    if not creating and not reason.strip():
        raise ValidationError({"reason": _("Say why you change this deliverable.")})
    _save(deliverable, user=user, reason=reason.strip() or _("deliverable added"))
    return deliverable


def milestone_save(*, milestone: Milestone, user, reason: str = "") -> Milestone:
    _save(milestone, user=user, reason=reason or _("milestone saved"))
    return milestone


def _set_done(obj, *, user, done: bool | None) -> None:
    """Tick or untick. ``done`` is what the button showed it would do: a stale page (someone
    ticked meanwhile) asks for what is already so, and nothing changes, where flipping would
    have undone the other person's tick. None (no state sent): flip. An archived item is
    read-only until restored (a page open from before it was archived): nothing changes."""
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    obj.is_done, obj.is_archived = locked.is_done, locked.is_archived
    if locked.is_archived:
        return
    target = (not obj.is_done) if done is None else done
    if target == obj.is_done:
        return
    obj.is_done = target
    _save(obj, user=user, reason=_("marked done") if target else _("reopened"))


@transaction.atomic
def milestone_toggle(*, milestone: Milestone, user, done: bool | None = None) -> Milestone:
    _set_done(milestone, user=user, done=done)
    return milestone


@transaction.atomic
def meeting_save(
    *, meeting: Meeting, user, attendees=None, organisations=None, reason: str = ""
) -> Meeting:
    creating = meeting.pk is None
    _save(meeting, user=user, reason=reason or (_("meeting recorded") if creating else ""))
    if attendees is not None:
        meeting.attendees.set(attendees)
    if organisations is not None:
        meeting.attending_organisations.set(organisations)
    return meeting


@transaction.atomic
def action_item_save(*, item: ActionItem, user) -> ActionItem:
    """Create or change an action item; a new owner hears of it by e-mail once the save is
    committed (not when they gave it to themselves)."""
    before = (
        ActionItem.objects.filter(pk=item.pk).values_list("owner_id", flat=True).first()
        if item.pk
        else None
    )
    _save(item, user=user, reason=_("action item saved"))
    if item.owner_id and item.owner_id != before and item.owner_id != getattr(user, "pk", None):
        notifications.assignment_enqueue(item, assigned_by=user)
    return item


@transaction.atomic
def action_item_toggle(*, item: ActionItem, user, done: bool | None = None) -> ActionItem:
    _set_done(item, user=user, done=done)
    return item


def resource_save(*, resource: Resource, user, reason: str = "") -> Resource:
    _save(resource, user=user, reason=reason or _("resource saved"))
    return resource


class ImportReport:
    """What an import found: how many rows, each error with its row and column, how many rows
    are new, update a resource, change nothing or are refused (``counts``), and new rows that
    look like an existing resource (``look_alikes``: same title, organisation and countries)."""

    def __init__(
        self,
        *,
        total: int,
        errors: list[dict],
        preview: list[list],
        headers: list,
        counts: dict | None = None,
        look_alikes: list[dict] | None = None,
    ):
        self.total = total
        self.errors = errors
        self.preview = preview
        self.headers = headers
        self.counts = counts or {"new": 0, "updated": 0, "unchanged": 0, "refused": 0}
        self.look_alikes = look_alikes or []

    @property
    def is_valid(self) -> bool:
        return not self.errors


def _load_dataset(uploaded) -> "tablib.Dataset":
    import tablib

    name = (uploaded.name or "").lower()
    content = uploaded.read()
    if name.endswith(".xlsx"):
        dataset = tablib.Dataset().load(content, format="xlsx")
    elif name.endswith(".csv"):
        dataset = tablib.Dataset().load(content.decode("utf-8-sig"), format="csv")
    else:
        raise ValidationError(_("Upload an .xlsx or a .csv file."))
    # Column names are matched without regard to case or surrounding spaces.
    dataset.headers = [str(h or "").strip().lower() for h in dataset.headers or []]
    return dataset


MAX_IMPORT_ROWS = 5000


# A check runs in slices of this many rows, each its own rolled-back transaction.
IMPORT_CHECK_SLICE = 500


def resources_import(
    *, uploaded, group: WorkingGroup, user, dry_run: bool, progress=None
) -> ImportReport:
    """Check (dry run) or import a spreadsheet of resources: all rows or none.

    Spreadsheet rows are numbered as people see them: the header is row 1. `progress(done,
    total)`, when given, hears how many rows were handled (jobs.services.Progress).
    """
    from .resources import IMPORT_COLUMNS, REQUIRED_COLUMNS, ResourceResource

    try:
        dataset = _load_dataset(uploaded)
    except ValidationError:
        raise
    except Exception as error:
        raise ValidationError(_("This file cannot be read as a spreadsheet.")) from error
    missing = [c for c in REQUIRED_COLUMNS if c not in dataset.headers]
    if missing:
        raise ValidationError(
            _("Missing column(s): %(columns)s. Expected columns: %(expected)s.")
            % {"columns": ", ".join(missing), "expected": ", ".join(IMPORT_COLUMNS)}
        )
    if len(dataset) > MAX_IMPORT_ROWS:
        # Checked and written inside one request: a bound keeps it to about half a minute.
        raise ValidationError(
            _("This file has %(rows)s rows; import at most %(max)s at a time (split the file).")
            % {"rows": len(dataset), "max": MAX_IMPORT_ROWS}
        )
    import tablib

    resource = ResourceResource(working_group=group, user=user)
    errors: list[dict] = []
    total = len(dataset)
    # import-export writes inside a transaction and rolls it back on a dry run or on any
    # invalid row, so nothing is kept unless the whole file is valid. A check (rows are
    # independent: no row looks at another) goes slice by slice, so progress shows between
    # slices and no transaction lasts long; a write is one transaction, all rows or none.
    # SQLite has one write lock for the whole database: a 5,000-row transaction would hold
    # every autosave for many seconds. There the write goes slice by slice too, and when a slice
    # fails the slices already written are deleted again: still all rows or none.
    # Rows with an id update resources: deleting them again would not undo that, so such a
    # file is written in one transaction.
    has_ids = "id" in dataset.headers and any(str(v or "").strip() for v in dataset["id"])
    sliced_write = not dry_run and connection.vendor == "sqlite" and not has_ids
    counts = {"new": 0, "updated": 0, "unchanged": 0, "refused": 0}
    look_alikes: list[dict] = []
    existing = _resource_keys()
    step = IMPORT_CHECK_SLICE if dry_run or sliced_write else max(total, 1)
    written: list[int] = []
    for start in range(0, total, step) or [0]:
        part = dataset
        if step < total:
            part = tablib.Dataset(*dataset[start : start + step], headers=dataset.headers)
        result = resource.import_data(
            part,
            dry_run=dry_run,
            use_transactions=True,
            rollback_on_validation_errors=True,
            retain_instance_in_row_result=True,
        )
        _count_rows(result, start, counts, look_alikes, existing)
        for invalid in result.invalid_rows:
            for column, messages in invalid.error_dict.items():
                for message in messages:
                    errors.append(
                        {"row": start + invalid.number + 1, "column": column, "message": message}
                    )
        for number, row_errors in result.row_errors():
            for row_error in row_errors:
                errors.append(
                    {"row": start + number + 1, "column": "", "message": str(row_error.error)}
                )
        for base_error in result.base_errors:
            errors.append({"row": "", "column": "", "message": str(base_error.error)})
        if sliced_write:
            if errors:
                break
            written += [row.object_id for row in result.rows if row.object_id and row.is_new()]
        if progress:
            progress(min(start + step, total), total)
    if sliced_write and errors and written:
        Resource.objects.filter(pk__in=written).delete()
    errors.sort(key=lambda e: (e["row"] if isinstance(e["row"], int) else 0, e["column"]))
    return ImportReport(
        total=len(dataset),
        errors=errors,
        preview=[list(r) for r in dataset[:10]],
        headers=list(dataset.headers),
        counts=counts,
        look_alikes=look_alikes,
    )


def _look_alike_key(title: str, organisation_id, countries) -> tuple:
    codes = sorted(getattr(c, "code", str(c)) for c in countries or [])
    return (" ".join(str(title or "").lower().split()), organisation_id, tuple(codes))


def _resource_keys() -> dict[tuple, int]:
    """(title, organisation, countries) of every resource: a new row with the same is flagged."""
    keys: dict[tuple, int] = {}
    for pk, title, organisation_id, countries in Resource.objects.order_by("pk").values_list(
        "pk", "title", "organisation_id", "countries"
    ):
        codes = [c for c in str(countries or "").split(",") if c]
        keys.setdefault(_look_alike_key(title, organisation_id, codes), pk)
    return keys


def _count_rows(result, start: int, counts: dict, look_alikes: list, existing: dict) -> None:
    """Add one slice's rows to the counts, and note new rows like an existing resource."""
    counts["new"] += result.totals.get("new", 0)
    counts["updated"] += result.totals.get("update", 0)
    counts["unchanged"] += result.totals.get("skip", 0)
    counts["refused"] += result.totals.get("invalid", 0) + result.totals.get("error", 0)
    for number, row in enumerate(result.rows, start=start + 2):  # the header is row 1
        instance = getattr(row, "instance", None)
        if not row.is_new() or instance is None:
            continue
        key = _look_alike_key(instance.title, instance.organisation_id, instance.countries)
        if key in existing:
            look_alikes.append({"row": number, "title": instance.title, "id": existing[key]})


# ---------------------------------------------------------------- requests to join


def _join_duplicate(*, group: WorkingGroup, email: str, exclude_pk: int | None = None) -> str:
    """Why a request of `email` to join `group` would be a duplicate, or ""."""
    waiting = JoinRequest.objects.filter(
        working_group=group, email=email, status=JoinRequest.Status.PENDING
    ).exclude(pk=exclude_pk)
    if waiting.exists():
        return _("A request from this e-mail address to join this group is already waiting.")
    if (
        Membership.objects.active()
        .filter(working_group=group, person__email__iexact=email)
        .exists()
    ):
        return _("This person is already a member of this group.")
    return ""


@transaction.atomic
def join_request_create(
    *,
    group: WorkingGroup,
    organisation,
    full_name: str,
    email: str,
    note: str,
    language: str,
    person=None,
):
    """Ask to join `group` for `organisation`. Signed in (`person`), the request waits for a
    co-lead at once and they are told; otherwise it waits until the e-mail address is confirmed
    through the link sent to it (asking again resends the link, no second request)."""
    email = email.strip().lower()
    if group.is_archived or group.parent_id:
        raise ValidationError(_("This group does not take requests to join."))
    if not organisation.is_active:
        raise ValidationError({"organisation": _("This organisation is no longer active.")})
    if person is None:
        account = User.objects.filter(email__iexact=email).first()
        if (
            account is not None
            and account.organisation_id
            and account.organisation_id != organisation.pk
        ):
            raise ValidationError(
                {
                    "organisation": _(
                        "This e-mail address has an account with another organisation: sign in "
                        "and ask from the group's page."
                    )
                }
            )
    duplicate = _join_duplicate(group=group, email=email)
    if duplicate:
        raise ValidationError(duplicate)
    join_request = None
    if person is None:
        join_request = (
            JoinRequest.objects.select_for_update()
            .filter(working_group=group, email=email, status=JoinRequest.Status.UNCONFIRMED)
            .first()
        )
    if join_request is None:
        join_request = JoinRequest(working_group=group, email=email)
    join_request.organisation = organisation
    join_request.person = person
    join_request.full_name = full_name.strip()
    join_request.note = note.strip()
    join_request.language = language
    if person is not None:
        join_request.status = JoinRequest.Status.PENDING
        join_request.confirmed_at = timezone.now()
    try:
        with transaction.atomic():
            _save(join_request, user=person, reason="asked to join")
    except IntegrityError as error:  # a twin request saved at the same moment
        raise ValidationError(
            _("A request from this e-mail address to join this group is already waiting.")
        ) from error
    if person is None:
        notifications.confirmation_send(join_request)
    else:
        notifications.co_leads_notify(join_request)
    return join_request


@transaction.atomic
def join_request_confirm(*, token: str):
    """The person asking from the public page followed the link: their request now waits for
    a co-lead, who is told. A request already confirmed or decided stays as it is."""
    pk = notifications.join_request_from_token(token)
    join_request = (
        JoinRequest.objects.select_for_update()
        .select_related("working_group")
        .filter(pk=pk)
        .first()
        if pk is not None
        else None
    )
    if join_request is None:
        raise ValidationError(_("This link is not valid or has expired: please ask to join again."))
    if join_request.status != JoinRequest.Status.UNCONFIRMED:
        return join_request
    duplicate = _join_duplicate(
        group=join_request.working_group, email=join_request.email, exclude_pk=join_request.pk
    )
    if duplicate:
        raise ValidationError(duplicate)
    join_request.status = JoinRequest.Status.PENDING
    join_request.confirmed_at = timezone.now()
    try:
        with transaction.atomic():
            _save(join_request, user=None, reason="e-mail address confirmed")
    except IntegrityError as error:
        raise ValidationError(
            _("A request from this e-mail address to join this group is already waiting.")
        ) from error
    notifications.co_leads_notify(join_request)
    return join_request


def _locked_pending(join_request):
    locked = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if locked.status != JoinRequest.Status.PENDING:
        raise ValidationError(
            _("This request was already %(status)s.")
            % {"status": locked.get_status_display().lower()}
        )
    return locked


@transaction.atomic
def join_request_accept(*, join_request, user, joined_on: datetime.date | None = None):
    """Accept: the person's account (made if needed, with an e-mail that sets its password) and
    their membership (`membership_add`, in the group's history); the person is told."""
    locked = _locked_pending(join_request)
    person = locked.person or User.objects.filter(email__iexact=locked.email).first()
    password_link = ""
    if person is None:
        person = newcomer_account_create(
            email=locked.email,
            full_name=locked.full_name,
            organisation=locked.organisation,
            language=locked.language,
            made_by=user,
            reason=f"Account made on joining {locked.working_group.label}",
        )
        password_link = password_set_link(person)
    elif person.organisation_id is None:
        person.organisation = locked.organisation
        person._history_user = user
        person._change_reason = f"Organisation given on joining {locked.working_group.label}"
        person.save()
    elif person.organisation_id != locked.organisation_id:
        raise ValidationError(
            _("This person now works for %(organisation)s, not the organisation they asked for.")
            % {"organisation": person.organisation}
        )
    if (
        Membership.objects.active()
        .filter(working_group=locked.working_group, person=person)
        .exists()
    ):
        raise ValidationError(_("This person is already a member of this group."))
    membership = membership_add(
        group=locked.working_group,
        role=Membership.Role.MEMBER,
        organisation=locked.organisation,
        person=person,
        joined_on=joined_on,
        added_by=user,
    )
    locked.person = person
    locked.membership = membership
    locked.status = JoinRequest.Status.ACCEPTED
    locked.decided_by = user
    locked.decided_at = timezone.now()
    _save(locked, user=user, reason="accepted")
    notifications.decision_send(locked, password_link=password_link)
    return locked


@transaction.atomic
def join_request_decline(*, join_request, user, reason: str):
    """Decline with a reason the person is told; nothing else changes."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you decline this request.")})
    locked = _locked_pending(join_request)
    locked.status = JoinRequest.Status.DECLINED
    locked.reason = reason
    locked.decided_by = user
    locked.decided_at = timezone.now()
    _save(locked, user=user, reason=reason)
    notifications.decision_send(locked)
    return locked


# ---------------------------------------------------------------- e-mail notifications


def _unsubscribed_person(*, token: str, kind: str) -> User:
    pk = notifications.unsubscribe_person_id(token, kind)
    person = User.objects.filter(pk=pk, is_active=True).first() if pk else None
    if person is None:
        raise ValidationError(
            _(
                "This unsubscribe link is not valid: it may have been cut short or changed. "
                "Sign in and choose your e-mails on your profile instead."
            )
        )
    return person


def unsubscribe_check(*, token: str, kind: str) -> User:
    """The person a signed unsubscribe link names (nothing is changed), or ValidationError."""
    return _unsubscribed_person(token=token, kind=kind)


@transaction.atomic
def unsubscribe(*, token: str, kind: str) -> User:
    """Stop the e-mails of one kind for the person a signed link names: the digest (frequency
    "never") or the assignment e-mails. Running it again changes nothing more."""
    person = _unsubscribed_person(token=token, kind=kind)
    person = User.objects.select_for_update().get(pk=person.pk)
    if kind == "digest" and person.digest_frequency != DigestFrequency.OFF:
        person.digest_frequency = DigestFrequency.OFF
        person._change_reason = "unsubscribed from the digest by e-mail link"
        person.save(update_fields=["digest_frequency"])
    elif kind == "assignments" and person.assignment_emails:
        person.assignment_emails = False
        person._change_reason = "unsubscribed from assignment e-mails by e-mail link"
        person.save(update_fields=["assignment_emails"])
    return person


# ---- calendar feeds (workinggroups/calendar.py) ----------------------------------------------


@transaction.atomic
def calendar_feed_create(*, person) -> tuple[CalendarFeed, str]:
    """A new calendar feed for the person, and its secret (shown once: only its sha256 is kept).
    The person's feed before it, if any, is revoked: its URL answers 404 from now on."""
    # The person's row, locked: two clicks at once make one live feed, not a clash.
    User.objects.select_for_update().filter(pk=person.pk).first()
    calendar_feed_revoke(person=person, reason="calendar feed replaced")
    secret = new_secret(CalendarFeed.PREFIX)
    feed = CalendarFeed(
        person=person, prefix=secret[: len(CalendarFeed.PREFIX) + 4], key_hash=token_hash(secret)
    )
    feed._history_user = person
    feed._change_reason = "calendar feed created"
    feed.save()
    return feed, secret


@transaction.atomic
def calendar_feed_revoke(*, person, reason: str = "calendar feed revoked") -> int:
    """Revoke the person's live feed (none: nothing changes). How many were revoked."""
    revoked = 0
    for feed in CalendarFeed.objects.select_for_update().filter(
        person=person, revoked_at__isnull=True
    ):
        feed.revoked_at = timezone.now()
        feed._history_user = person
        feed._change_reason = reason
        feed.save()
        revoked += 1
    return revoked
