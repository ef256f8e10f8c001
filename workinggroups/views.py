"""Working-group pages: thin views that fetch through user-scoped helpers and call services.

Everyone signed in reads every group. Changing something needs ``workinggroups.manage_group``
(admins, active co-leads) or ``workinggroups.contribute`` (also members) on the object's group;
otherwise 403 and nothing changes. Objects are looked up by id and their group is then checked,
so a forged id from another group is refused the same way.
"""

import csv
import datetime
import io
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, Window
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from accounts.security import rate_limited
from core.archive import wants_archived
from core.hygiene import export_rows
from jobs.models import Job
from jobs.services import job_enqueue
from jobs.uploads import check_spreadsheet
from roadmap import figures, progress_views
from roadmap import selectors as roadmap_selectors
from roadmap.forms import ProgressUpdateForm
from roadmap.models import ProgressUpdate, Roadmap

from . import exports, selectors, services
from .figures import deliverable_status_chart, group_figures
from .forms import (
    ActionItemForm,
    DeliverableForm,
    MeetingForm,
    MeetingNotesForm,
    MembershipForm,
    MilestoneForm,
    ResourceFilterForm,
    ResourceForm,
    ResourceImportForm,
    WorkingGroupDetailsForm,
    WorkplanForm,
)
from .jobs import import_dir
from .models import (
    ActionItem,
    Deliverable,
    Invitation,
    Meeting,
    Membership,
    Milestone,
    Resource,
    WorkingGroup,
)
from .resources import IMPORT_COLUMNS, ResourceResource
from .rules import manageable_groups

MANAGE = "workinggroups.manage_group"
CONTRIBUTE = "workinggroups.contribute"
# Progress updates follow the roadmap's one policy (roadmap/rules.py), whatever their subject.
POST_UPDATE = "roadmap.add_progressupdate"
CORRECT_UPDATE = "roadmap.change_progressupdate"


# --- look-ups scoped to the person -------------------------------------------------------


def _current_roadmap(request):
    """The roadmap the person looks at (``?roadmap=``, their choice, else the current one)."""
    roadmap = roadmap_selectors.roadmap_for_request(request)
    if roadmap is None:
        raise Http404(_("No roadmap has been loaded yet."))
    return roadmap


def _require(request, perm: str, obj) -> None:
    """403 unless the person holds ``perm`` on ``obj`` (a group, a deliverable, an update)."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _group_by_number(request, number: int) -> WorkingGroup:
    return get_object_or_404(
        WorkingGroup.objects.select_related("roadmap", "carried_from__roadmap"),
        roadmap=_current_roadmap(request),
        number=number,
        parent__isnull=True,
    )


def _group_for(request, pk: int, perm: str | None = None) -> WorkingGroup:
    group = get_object_or_404(WorkingGroup.objects.select_related("parent"), pk=pk)
    if perm:
        _require(request, perm, group)
    return group


def _deliverable_for(request, pk: int, perm: str | None = None) -> Deliverable:
    deliverable = get_object_or_404(
        Deliverable.objects.select_related(
            "working_group__parent", "workplan", "owner_organisation", "expected_result__area"
        ),
        pk=pk,
    )
    if perm:
        _require(request, perm, deliverable.working_group)
    return deliverable


def _meeting_for(request, pk: int, perm: str | None = None) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("working_group__parent"), pk=pk)
    if perm:
        _require(request, perm, meeting.working_group)
    return meeting


def _can(request, group) -> dict:
    return {
        "can_manage": request.user.has_perm(MANAGE, group),
        "can_contribute": request.user.has_perm(CONTRIBUTE, group),
        "can_ask_to_join": request.user.has_perm("workinggroups.ask_to_join", group),
    }


def _manageable_groups(user):
    """Open groups this person manages (``workinggroups.manage_group``), of every roadmap: a
    group carried over stays open in the roadmap before, and its resources with it."""
    groups = WorkingGroup.objects.filter(is_archived=False, closed_on__isnull=True)
    return manageable_groups(user, groups)


# --- groups -------------------------------------------------------------------------------


@require_GET
def overdue_everywhere(request):
    """Every overdue deliverable, milestone and action item across the groups (admins)."""
    if not request.user.has_perm("workinggroups.view_overdue_everywhere"):
        raise PermissionDenied
    roadmap = roadmap_selectors.roadmap_for_request(request)
    today = figures.today()
    found = selectors.overdue_everywhere(roadmap, today) if roadmap else {}
    return render(request, "workinggroups/overdue.html", {"today": today, **found})


@require_GET
def group_list(request):
    roadmap = roadmap_selectors.roadmap_for_request(request)
    groups = list(selectors.group_list(roadmap)) if roadmap else []
    figs = group_figures([g.pk for g in groups], figures.today())
    for group in groups:
        group.figures = figs[group.pk]
        group.status_chart = deliverable_status_chart(group.label, group.figures)
        group.co_lead_memberships = [
            m for m in group.active_memberships if m.role == Membership.Role.CO_LEAD
        ]
    mine = set(selectors.groups_of(request.user).values_list("pk", flat=True))
    return render(
        request,
        "workinggroups/list.html",
        {"roadmap": roadmap, "groups": groups, "mine": mine},
    )


@require_GET
def my_group(request):
    """A co-lead or member lands on their group's page; anyone else on the list."""
    group = selectors.groups_of(request.user).filter(is_archived=False).first()
    if group is None:
        return redirect("workinggroups:list")
    # The group's own roadmap (a carried-over group's, once the person works in the new one).
    return redirect(f"{group.get_absolute_url()}?roadmap={group.roadmap_id}")


# What the group page shows of long lists (the rest behind a link), so that it does not grow
# with the group: active members after the co-leads, deliverables (latest year first), overdue.
MEMBERS_SHOWN = 10
DELIVERABLES_SHOWN = 25
INVITATIONS_SHOWN = 5  # pending invitations in the members section (all: the invitations page)
OVERDUE_SHOWN = 10  # of the overdue milestones, and of the overdue action items (oldest first)


def _members_context(request, group: WorkingGroup, everyone: bool = False) -> dict:
    """Co-leads and members of the group: its co-leads and first members, with counts, so the
    page does not grow with the group; every member and the former ones when ``everyone``."""
    memberships = group.memberships.select_related("person", "organisation")
    order = ["role", "slot", "organisation__name", "person__full_name", "id"]
    co_lead = Membership.Role.CO_LEAD
    if everyone:
        rows = list(memberships.order_by(*order))
        shown = [m for m in rows if m.is_active]
        former = sorted(
            (m for m in rows if not m.is_active), key=lambda m: m.left_on or datetime.date.min
        )
        counts = {"active": len(shown), "former": len(rows) - len(shown)}
    else:
        # Active first, and both counts in the same query. At most two active co-leads (one
        # per slot): they always show.
        rows = list(
            memberships.annotate(
                active_total=Window(Count("pk", filter=Q(left_on__isnull=True))),
                former_total=Window(Count("pk", filter=Q(left_on__isnull=False))),
            ).order_by(F("left_on").asc(nulls_first=True), *order)[: MEMBERS_SHOWN + 2]
        )
        shown = [m for m in rows if m.is_active]
        former = []
        counts = {
            "active": rows[0].active_total if rows else 0,
            "former": rows[0].former_total if rows else 0,
        }
    co_leads = [m for m in shown if m.role == co_lead]
    members = [m for m in shown if m.role != co_lead][: None if everyone else MEMBERS_SHOWN]
    can_manage = request.user.has_perm(MANAGE, group)
    # Co-leads see who is invited and has not answered yet (resend, revoke: the invitations page).
    invited, hidden_invited = (
        _first(
            Invitation.objects.filter(working_group=group)
            .pending()
            .select_related("organisation")
            .order_by("expires_at", "id"),
            INVITATIONS_SHOWN,
        )
        if can_manage
        else ([], 0)
    )
    return {
        "group": group,
        "co_leads": co_leads,
        "members": members,
        "hidden_members": counts["active"] - len(co_leads) - len(members),
        "former": former,
        "former_count": counts["former"],
        "everyone": everyone,
        "can_manage": can_manage,
        "invited": invited,
        "hidden_invited": hidden_invited,
    }


def _first(queryset, limit: int | None) -> tuple[list, int]:
    """The first ``limit`` rows (all when None) and how many more there are, in one query."""
    if limit is None:
        return list(queryset), 0
    rows = list(queryset.annotate(total_rows=Window(Count("pk")))[:limit])
    return rows, (rows[0].total_rows - len(rows)) if rows else 0


def _group_context(request, group: WorkingGroup) -> dict:
    shown = {name: request.GET.get(name) == "all" for name in ("deliverables", "overdue")}
    show_archived = wants_archived(request)
    deliverables, hidden_deliverables = _first(
        selectors.group_deliverables(group, with_archived=show_archived),
        None if shown["deliverables"] else DELIVERABLES_SHOWN,
    )
    today = figures.today()
    figures.mark_deliverables(deliverables, today)
    # Labels translated once, not per row (get_kind_display rebuilds the choices each time).
    kinds = dict(Deliverable.Kind.choices)
    for deliverable in deliverables:
        deliverable.kind_label = kinds.get(deliverable.kind, deliverable.kind)
    overdue = None if shown["overdue"] else OVERDUE_SHOWN
    overdue_milestones, hidden_milestones = _first(selectors.overdue_milestones(group), overdue)
    overdue_actions, hidden_actions = _first(selectors.overdue_action_items(group), overdue)
    return {
        "group": group,
        "group_figures": group_figures([group.pk], today)[group.pk],
        "areas": list(group.areas.all()),
        "subgroups": list(group.subgroups.filter(is_archived=False)),
        "deliverables": deliverables,
        "hidden_deliverables": hidden_deliverables,
        "overdue_milestones": overdue_milestones,
        "hidden_milestones": hidden_milestones,
        "overdue_actions": overdue_actions,
        "hidden_actions": hidden_actions,
        "meetings": list(selectors.group_meetings(group, with_archived=show_archived)[:10]),
        "show_archived": show_archived,
        "workplans": list(group.workplans.all()),
        "workplan_form": WorkplanForm(initial={"year": timezone.localdate().year}),
        "successor_group": (
            WorkingGroup.objects.filter(carried_from=group).select_related("roadmap").first()
            if group.closed_on
            else None
        ),
        **_members_context(request, group, everyone=request.GET.get("members") == "all"),
        **_can(request, group),
        "export_kinds": exports.group_kinds(),
    }


@require_GET
def group_detail(request, number: int):
    group = _group_by_number(request, number)
    return render(request, "workinggroups/detail.html", _group_context(request, group))


@require_GET
def subgroup_detail(request, number: int, pk: int):
    group = get_object_or_404(
        WorkingGroup.objects.select_related("parent", "roadmap", "carried_from__roadmap"),
        pk=pk,
        parent__number=number,
    )
    return render(request, "workinggroups/detail.html", _group_context(request, group))


@require_http_methods(["GET", "POST"])
def group_edit(request, group_id: int):
    """Co-leads of the group (or of its parent) and admins change its name and description."""
    group = _group_for(request, group_id, MANAGE)
    form = WorkingGroupDetailsForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        saved = form.save_checked(
            lambda: services.group_details_save(
                group=form.save(commit=False),
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        )
        if saved:  # else someone saved meanwhile, or the save was refused: the form says why
            messages.success(request, _("The group's details are saved."))
            return redirect(group)
    return render(
        request,
        "workinggroups/form.html",
        {"form": form, "group": group, "title": _("Edit the group's details"), "back": group},
    )


def _all_members_url(group) -> str:
    return f"{group.get_absolute_url()}?members=all#members"


@require_safe
def members(request, group_id: int):
    """Every co-lead, member and former member: the members section (htmx) or the group page."""
    group = _group_for(request, group_id)
    if not request.htmx:
        return redirect(_all_members_url(group))
    return render(
        request, "workinggroups/detail.html#members", _members_context(request, group, True)
    )


def _members_response(request, group, form=None, status=200):
    everyone = request.POST.get("members") == "all"
    if request.htmx:
        context = _members_context(request, group, everyone)
        if form is not None:
            context["membership_form"] = form
        return render(request, "workinggroups/detail.html#members", context, status=status)
    return redirect(_all_members_url(group) if everyone else group.get_absolute_url())


@require_http_methods(["GET", "HEAD", "POST"])
def membership_add(request, group_id: int):
    """The add-member form, on demand: a page of its own (or, with htmx, the form alone, put
    into the group page); its organisation and person lists are searched (GET)."""
    group = _group_for(request, group_id, MANAGE)
    if request.method != "POST":
        form = MembershipForm(initial=request.GET.dict())
        searched = request.htmx.trigger_name if request.htmx else None
        if searched in ("organisation_q", "person_q"):
            # Search as you type: only the list searched, with its matches.
            name = searched.removesuffix("_q")
            return render(
                request,
                "workinggroups/membership_add.html#picker",
                {
                    "group": group,
                    "field": form[name],
                    "search": form[searched],
                    "found": form.searches[name],
                },
            )
        if not (request.GET.get("organisation_q") or request.GET.get("person_q")):
            form.fields["role"].widget.attrs["autofocus"] = True
        template = "workinggroups/membership_add.html"
        if request.htmx:
            template += "#membership-form"
        return render(request, template, {"group": group, "membership_form": form})
    form = MembershipForm(request.POST)
    if form.is_valid():
        try:
            services.membership_add(
                group=group,
                role=form.cleaned_data["role"],
                organisation=form.cleaned_data["organisation"],
                person=form.cleaned_data["person"],
                joined_on=form.cleaned_data["joined_on"],
                added_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        if request.htmx:
            return _members_response(request, group, form, status=422)
        return render(
            request,
            "workinggroups/membership_add.html",
            {"group": group, "membership_form": form},
            status=422,
        )
    messages.success(request, _("Membership added."))
    return _members_response(request, group)


@require_POST
def membership_end(request, pk: int):
    membership = get_object_or_404(
        Membership.objects.select_related("working_group__parent"), pk=pk
    )
    group = membership.working_group
    _require(request, MANAGE, group)
    services.membership_end(membership=membership, ended_by=request.user)
    return _members_response(request, group)


@require_POST
def workplan_add(request, group_id: int):
    group = _group_for(request, group_id, MANAGE)
    form = WorkplanForm(request.POST)
    if form.is_valid():
        try:
            services.workplan_create(
                group=group,
                year=form.cleaned_data["year"],
                summary=form.cleaned_data["summary"],
                created_by=request.user,
            )
            messages.success(request, _("Workplan added."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("The workplan could not be added: check the year."))
    return redirect(group.get_absolute_url())


# --- deliverables ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def deliverable_add(request, group_id: int):
    group = _group_for(request, group_id, MANAGE)
    form = DeliverableForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        deliverable = form.save(commit=False)
        try:
            services.deliverable_save(deliverable=deliverable, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Deliverable added."))
            return redirect(deliverable)
    return render(
        request,
        "workinggroups/form.html",
        {"form": form, "group": group, "title": _("Add a deliverable"), "back": group},
    )


def _deliverable_context(request, deliverable: Deliverable, **extra) -> dict:
    from core.history import history_diffs
    from roadmap.selectors import progress_history_sources

    group = deliverable.working_group
    show_archived = wants_archived(request)
    updates = progress_views.updates_for_page(
        request.user, deliverable, with_archived=show_archived
    )
    milestones = list(Milestone.objects.filter(deliverable=deliverable).shown(show_archived))
    # The status is the latest update's that counts: an archived one shows, but no longer counts.
    latest = next((u for u in updates if not u.is_archived), None)
    context = {
        "deliverable": deliverable,
        "group": group,
        "updates": updates,
        "latest": latest,
        # Derived as everywhere (roadmap.figures): overdue past the due date unless completed.
        "status": figures.deliverable_status(
            latest.status if latest else None, deliverable.due_date
        ),
        "milestones": milestones,
        "show_archived": show_archived,
        "milestone_form": MilestoneForm(),
        "update_form": ProgressUpdateForm(previous=latest),
        "can_post_update": request.user.has_perm(POST_UPDATE, deliverable),
        # The deliverable, its updates with their evidence, and all its milestones: one query
        # each, however many milestones there are.
        "diffs": history_diffs(
            [
                deliverable.history.all(),
                *progress_history_sources(deliverable),
                Milestone.history.filter(deliverable_id=deliverable.pk),
            ],
            limit=100,
        ),
        **_can(request, group),
    }
    context.update(extra)
    return context


@require_GET
def deliverable_detail(request, pk: int):
    deliverable = _deliverable_for(request, pk)
    return render(
        request, "workinggroups/deliverable.html", _deliverable_context(request, deliverable)
    )


@require_http_methods(["GET", "POST"])
def deliverable_edit(request, pk: int):
    deliverable = _deliverable_for(request, pk, MANAGE)
    group = deliverable.working_group
    form = DeliverableForm(request.POST or None, instance=deliverable, group=group)
    if request.method == "POST" and form.is_valid():
        saved = form.save_checked(
            lambda: services.deliverable_save(
                deliverable=form.save(commit=False),
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        )
        if saved:  # else someone saved meanwhile, or the save was refused: the form says why
            messages.success(request, _("Deliverable saved."))
            return redirect(deliverable)
    return render(
        request,
        "workinggroups/form.html",
        {"form": form, "group": group, "title": _("Edit the deliverable"), "back": deliverable},
    )


def _progress_breadcrumbs(deliverable: Deliverable) -> list[tuple[str, str]]:
    group = deliverable.working_group
    return [
        (reverse("workinggroups:list"), _("Working groups")),
        (group.get_absolute_url(), group.label),
        (deliverable.get_absolute_url(), str(deliverable)),
    ]


@require_http_methods(["GET", "POST"])
def progress_add(request, pk: int):
    """Post a progress update (with evidence) through the roadmap's one flow."""
    deliverable = _deliverable_for(request, pk)
    _require(request, POST_UPDATE, deliverable)
    back_url = deliverable.get_absolute_url()
    form, response = progress_views.post_update(request, deliverable, done_url=back_url)
    if response is not None:
        return response
    return progress_views.page(
        request, form, back_url=back_url, breadcrumbs=_progress_breadcrumbs(deliverable)
    )


@require_http_methods(["GET", "POST"])
def progress_edit(request, pk: int):
    """Correct an update on a deliverable: admins and co-leads any, members their own."""
    update = get_object_or_404(
        ProgressUpdate.objects.select_related("content_type", "author"),
        pk=pk,
        content_type__app_label="workinggroups",
        content_type__model="deliverable",
    )
    deliverable = _deliverable_for(request, update.object_id)
    update.subject = deliverable  # in hand, with its group
    _require(request, CORRECT_UPDATE, update)
    back_url = deliverable.get_absolute_url()
    form, response = progress_views.correct_update(request, update, done_url=back_url)
    if response is not None:
        return response
    return progress_views.page(
        request,
        form,
        back_url=back_url,
        breadcrumbs=_progress_breadcrumbs(deliverable),
        update=update,
    )


# --- milestones ---------------------------------------------------------------------------


def _milestones_response(request, deliverable, form=None, status=200):
    if request.htmx:
        context = _deliverable_context(request, deliverable)
        if form is not None:
            context["milestone_form"] = form
        return render(request, "workinggroups/deliverable.html#milestones", context, status=status)
    return redirect(deliverable)


@require_POST
def milestone_add(request, pk: int):
    deliverable = _deliverable_for(request, pk, MANAGE)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        milestone = form.save(commit=False)
        milestone.deliverable = deliverable
        services.milestone_save(milestone=milestone, user=request.user)
        return _milestones_response(request, deliverable)
    if not request.htmx:
        messages.error(request, _("The milestone could not be added: check its title and date."))
    return _milestones_response(request, deliverable, form, status=422)


@require_http_methods(["GET", "POST"])
def milestone_edit(request, pk: int):
    milestone = get_object_or_404(
        Milestone.objects.select_related("deliverable__working_group__parent"), pk=pk
    )
    deliverable = milestone.deliverable
    _require(request, MANAGE, deliverable.working_group)
    form = MilestoneForm(request.POST or None, instance=milestone)
    if request.method == "POST" and form.is_valid():
        if form.save_if_current(
            lambda: services.milestone_save(milestone=form.save(commit=False), user=request.user)
        ):
            return redirect(deliverable)
    return render(
        request,
        "workinggroups/form.html",
        {
            "form": form,
            "group": deliverable.working_group,
            "title": _("Edit the milestone"),
            "back": deliverable,
        },
    )


def _wanted_done(request) -> bool | None:
    """What a tick button asked for ("1" done, "0" not done); None when it did not say."""
    return {"1": True, "0": False}.get(request.POST.get("done", ""))


@require_POST
def milestone_toggle(request, pk: int):
    milestone = get_object_or_404(
        Milestone.objects.select_related("deliverable__working_group__parent"), pk=pk
    )
    _require(request, MANAGE, milestone.deliverable.working_group)
    services.milestone_toggle(milestone=milestone, user=request.user, done=_wanted_done(request))
    if request.htmx:
        return render(
            request,
            "workinggroups/deliverable.html#milestone-row",
            {"milestone": milestone, "can_manage": True},
        )
    return redirect(milestone.deliverable)


# --- meetings -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def meeting_add(request, group_id: int):
    group = _group_for(request, group_id, MANAGE)
    form = MeetingForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        meeting = form.save(commit=False)
        meeting.working_group = group
        services.meeting_save(
            meeting=meeting,
            user=request.user,
            attendees=form.cleaned_data["attendees"],
            organisations=form.cleaned_data["attending_organisations"],
        )
        messages.success(request, _("Meeting recorded."))
        return redirect(meeting)
    return render(
        request,
        "workinggroups/form.html",
        {"form": form, "group": group, "title": _("Record a meeting"), "back": group},
    )


def _meeting_context(request, meeting: Meeting, **extra) -> dict:
    group = meeting.working_group
    context = {
        "meeting": meeting,
        "group": group,
        "attendees": list(meeting.attendees.all()),
        "organisations": list(meeting.attending_organisations.all()),
        "items": list(
            ActionItem.objects.filter(meeting=meeting)
            .shown(wants_archived(request))
            .select_related("owner")
        ),
        "item_form": ActionItemForm(group=group),
        **_can(request, group),
    }
    context.update(extra)
    return context


@require_GET
def meeting_detail(request, pk: int):
    meeting = _meeting_for(request, pk)
    return render(request, "workinggroups/meeting.html", _meeting_context(request, meeting))


@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk: int):
    """Co-leads change the whole meeting; members write its minutes and decisions."""
    meeting = _meeting_for(request, pk, CONTRIBUTE)
    group = meeting.working_group
    full = request.user.has_perm(MANAGE, group)
    form_class = MeetingForm if full else MeetingNotesForm
    kwargs = {"group": group} if full else {}
    form = form_class(request.POST or None, instance=meeting, **kwargs)
    if request.method == "POST" and form.is_valid():
        saved = form.save_if_current(
            lambda: services.meeting_save(
                meeting=form.save(commit=False),
                user=request.user,
                attendees=form.cleaned_data.get("attendees") if full else None,
                organisations=form.cleaned_data.get("attending_organisations") if full else None,
                reason=_("meeting updated"),
            )
        )
        if saved:  # else someone saved meanwhile: the form shows both versions
            messages.success(request, _("Meeting saved."))
            return redirect(meeting)
    return render(
        request,
        "workinggroups/form.html",
        {"form": form, "group": group, "title": _("Edit the meeting"), "back": meeting},
    )


@require_POST
def action_item_add(request, pk: int):
    meeting = _meeting_for(request, pk, MANAGE)
    form = ActionItemForm(request.POST, group=meeting.working_group)
    status = 200
    if form.is_valid():
        item = form.save(commit=False)
        item.meeting = meeting
        services.action_item_save(item=item, user=request.user)
        form = ActionItemForm(group=meeting.working_group)
    else:
        status = 422
        if not request.htmx:
            messages.error(request, _("The action item could not be added."))
    if request.htmx:
        return render(
            request,
            "workinggroups/meeting.html#action-items",
            _meeting_context(request, meeting, item_form=form),
            status=status,
        )
    return redirect(meeting)


@require_http_methods(["GET", "POST"])
def action_item_edit(request, pk: int):
    item = get_object_or_404(
        ActionItem.objects.select_related("meeting__working_group__parent"), pk=pk
    )
    meeting = item.meeting
    group = meeting.working_group
    _require(request, MANAGE, group)
    form = ActionItemForm(request.POST or None, instance=item, group=group)
    if request.method == "POST" and form.is_valid():
        if form.save_if_current(
            lambda: services.action_item_save(item=form.save(commit=False), user=request.user)
        ):  # else someone saved meanwhile: the form shows both versions
            messages.success(request, _("Action item saved."))
            return redirect(meeting)
    return render(
        request,
        "workinggroups/form.html",
        {"form": form, "group": group, "title": _("Edit the action item"), "back": meeting},
    )


@require_POST
def action_item_toggle(request, pk: int):
    item = get_object_or_404(
        ActionItem.objects.select_related("meeting__working_group__parent", "owner"), pk=pk
    )
    _require(request, MANAGE, item.meeting.working_group)
    services.action_item_toggle(item=item, user=request.user, done=_wanted_done(request))
    if request.htmx:
        return render(
            request, "workinggroups/meeting.html#action-row", {"item": item, "can_manage": True}
        )
    return redirect(item.meeting)


# --- resources ------------------------------------------------------------------------------

RESOURCES_PER_PAGE = 25


def _filtered_resources(request):
    roadmap = Roadmap.objects.current()
    groups = (
        WorkingGroup.objects.filter(roadmap=roadmap) if roadmap else WorkingGroup.objects.none()
    )
    form = ResourceFilterForm(request.GET or None, groups=groups)
    queryset = Resource.objects.shown(wants_archived(request)).select_related(
        "organisation", "working_group"
    )
    if form.is_bound:
        queryset = form.filter(queryset)
    return form, queryset.order_by("title", "id")


@require_GET
def resource_list(request):
    form, queryset = _filtered_resources(request)
    # Page through the ids (a narrow sort), then read that page's rows with their joins in the
    # same query: sorting every joined row to keep 25 costs far more with thousands.
    page = Paginator(queryset.values("pk"), RESOURCES_PER_PAGE).get_page(request.GET.get("page"))
    show_archived = wants_archived(request)
    page.object_list = list(
        Resource.objects.filter(pk__in=page.object_list)
        .shown(show_archived)
        .select_related("organisation", "working_group")
        .order_by("title", "id")
    )
    for resource in page.object_list:
        # The edit view's rule, row by row (the person's memberships are read once).
        resource.can_edit = request.user.has_perm(MANAGE, resource.working_group)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_import": _manageable_groups(request.user).exists(),
        "show_archived": show_archived,
    }
    template = "workinggroups/resources.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@require_GET
@rate_limited("export")
def resource_export(request, fmt: str):
    """The filtered list, whole (never truncated), as XLSX or CSV; formula cells escaped."""
    if fmt not in {"xlsx", "csv"}:
        raise Http404
    _form, queryset = _filtered_resources(request)
    # Formula cells escaped always (core.hygiene.export_cell), whatever
    # IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT says: the list is user input.
    dataset = export_rows(ResourceResource().export(queryset=queryset))
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = HttpResponse(dataset.csv, content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            dataset.xlsx,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="resources-{stamp}.{fmt}"'
    return response


@require_GET
@rate_limited("export")
def group_export(request, group_id: int, kind: str, fmt: str):
    """One group's meetings (with their action items), action items, deliverables, milestones
    or evidence, whole, as XLSX or CSV: for everyone who reads the group (workinggroups.exports)."""
    group = get_object_or_404(WorkingGroup.objects.select_related("parent"), pk=group_id)
    if not request.user.has_perm("workinggroups.view_group", group):
        raise Http404
    if kind not in exports.GROUP_SCOPES or fmt not in {"xlsx", "csv"}:
        raise Http404
    content, content_type, name = exports.group_export(group, kind, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _resource_for(request, pk: int) -> Resource:
    resource = get_object_or_404(
        Resource.objects.select_related("working_group__parent", "organisation"), pk=pk
    )
    _require(request, MANAGE, resource.working_group)
    return resource


@require_http_methods(["GET", "POST"])
def resource_add(request):
    groups = _manageable_groups(request.user)
    if not groups.exists():
        raise PermissionDenied
    form = ResourceForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        services.resource_save(resource=form.save(commit=False), user=request.user)
        messages.success(request, _("Resource added."))
        return redirect("workinggroups:resources")
    return render(request, "workinggroups/form.html", {"form": form, "title": _("Add a resource")})


@require_http_methods(["GET", "POST"])
def resource_edit(request, pk: int):
    resource = _resource_for(request, pk)
    form = ResourceForm(
        request.POST or None, instance=resource, groups=_manageable_groups(request.user)
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save_if_current(
            lambda: services.resource_save(
                resource=form.save(commit=False), user=request.user, reason=_("resource edited")
            )
        )
        if saved:  # else someone saved meanwhile: the form shows both versions
            messages.success(request, _("Resource saved."))
            return redirect("workinggroups:resources")
    return render(
        request,
        "workinggroups/form.html",
        {"form": form, "title": _("Edit the resource"), "archive_url": True, "resource": resource},
    )


# Uploads larger than this unpack (xlsx parts): 5,000 rows of 9 columns fit in a few MB.
IMPORT_MAX_UNPACKED = 50 * 1024 * 1024


@require_http_methods(["GET", "POST"])
def resource_import(request):
    """Step 1: upload; the file is guarded here, then checked by a job (a dry run)."""
    groups = _manageable_groups(request.user)
    if not groups.exists():
        raise PermissionDenied
    form = ResourceImportForm(request.POST or None, request.FILES or None, groups=groups)
    context = {"form": form, "columns": IMPORT_COLUMNS}
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        group = form.cleaned_data["working_group"]
        try:
            rows = check_spreadsheet(
                uploaded,
                max_bytes=settings.MAX_UPLOAD_SIZE,
                max_uncompressed=IMPORT_MAX_UNPACKED,
                max_rows=services.MAX_IMPORT_ROWS,
            )
            # Kept under a random name (outside static/) for the check and the write jobs.
            name = f"{uuid.uuid4().hex}{'.xlsx' if uploaded.name.lower().endswith('.xlsx') else '.csv'}"
            (import_dir() / name).write_bytes(uploaded.read())
            job = job_enqueue(
                owner=request.user,
                kind="resources.check",
                title=_("Check of %(file)s for %(group)s")
                % {"file": uploaded.name, "group": group.label},
                params={"file": name, "group": group.pk, "files": [f"imports/{name}"]},
                total=rows,
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("jobs:detail", pk=job.pk)
    return render(request, "workinggroups/resource_import.html", context)


@require_POST
def resource_import_confirm(request):
    """Step 2: import the file a finished, valid check of this person's accepted."""
    check = (
        Job.objects.filter(owner=request.user, kind="resources.check", pk=request.POST.get("job"))
        .filter(status=Job.Status.DONE)
        .first()
        if str(request.POST.get("job", "")).isdigit()
        else None
    )
    if check is None or not check.summary.get("valid"):
        messages.error(request, _("Upload the file again: the checked file has expired."))
        return redirect("workinggroups:resource-import")
    group = _group_for(request, check.params["group"], MANAGE)
    if not (import_dir() / check.params["file"]).exists():
        messages.error(request, _("Upload the file again: the checked file has expired."))
        return redirect("workinggroups:resource-import")
    try:
        job = job_enqueue(
            owner=request.user,
            kind="resources.write",
            title=_("Import of %(count)s resources into %(group)s")
            % {"count": check.total, "group": group.label},
            params=check.params,
            total=check.total,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("jobs:detail", pk=check.pk)
    return redirect("jobs:detail", pk=job.pk)


@require_GET
def resource_template(request):
    """An empty CSV with the expected columns, to start a spreadsheet from."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(IMPORT_COLUMNS)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="resources-template.csv"'
    return response
