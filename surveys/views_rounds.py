"""Pages of running a round: create and open it, change its dates, chase societies, and
manage their focal points, without the Django admin."""

import rules
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook

from accounts.models import Organisation, Region, User
from core.formatting import format_percent
from core.history import history_diffs
from core.hygiene import export_cell

from . import selectors, services
from .exports import XLSX
from .forms import ExportForm, RoundOpenForm
from .forms_rounds import (
    CloseForm,
    DateReasonForm,
    FocalPointAddForm,
    FocalPointInviteForm,
    ReminderForm,
    RoundCreateForm,
    TrackerFilterForm,
)
from .models import MessageLog, Progress, SurveyRound

# ---------------------------------------------------------------- scoped look-ups


def _can(user, perm: str) -> bool:
    """The rule itself, without Django's ModelBackend (which would read permission rows)."""
    return rules.has_perm(perm, user)


def _require_follow(user) -> None:
    """Admins and readers follow rounds; everybody else must not know the pages exist."""
    if not _can(user, "surveys.follow_round"):
        raise Http404


def _require_run(user) -> None:
    """Readers may look but not act (403)."""
    _require_follow(user)
    if not _can(user, "surveys.run_round"):
        raise PermissionDenied


def _get_round(user, round_pk: int, *, write: bool = False) -> SurveyRound:
    (_require_run if write else _require_follow)(user)
    return get_object_or_404(selectors.rounds_for_user(user), pk=round_pk)


def _get_invited_society(survey_round: SurveyRound, society_pk: int) -> Organisation:
    return get_object_or_404(survey_round.invited(), pk=society_pk)


def _form_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or on the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _flash_errors(request, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


# ---------------------------------------------------------------- creating and changing a round


@require_http_methods(["GET", "POST"])
def round_create(request):
    _require_run(request.user)
    # An empty POST is still a submission: it gets the form's "required" messages.
    form = RoundCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            survey_round = services.round_create(**form.cleaned_data, user=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, _("Round created as a draft: open it to invite the societies.")
            )
            return redirect("surveys:round-detail", round_pk=survey_round.pk)
    return render(
        request,
        "surveys/round_create.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


@require_GET
def round_detail(request, round_pk: int):
    survey_round = _get_round(request.user, round_pk)
    invited = survey_round.invited()
    log = list(
        MessageLog.objects.filter(round=survey_round)
        .select_related("society")
        .order_by("-sent_at", "-id")[:50]
    )
    return render(
        request,
        "surveys/round_detail.html",
        {
            "round": survey_round,
            "invited_count": invited.count(),
            "invited_list": list(survey_round.invited_societies.order_by("name")[:300])
            if survey_round.invitation == SurveyRound.Invitation.LIST
            else [],
            "log": log,
            "diffs": history_diffs(survey_round),
            "is_admin": _can(request.user, "surveys.run_round"),
            # Ids of their own: both forms have a reason field on the same page.
            "close_form": CloseForm(auto_id="close_%s"),
            "date_form": DateReasonForm(auto_id="dates_%s"),
        },
    )


def _back(survey_round):
    return redirect("surveys:round-detail", round_pk=survey_round.pk)


@require_POST
def round_open(request, round_pk: int):
    survey_round = _get_round(request.user, round_pk, write=True)
    form = RoundOpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the closing date as a date."))
        return _back(survey_round)
    try:
        services.round_open(
            survey_round=survey_round, closes=form.cleaned_data["closes"], user=request.user
        )
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        sent = MessageLog.objects.filter(
            round=survey_round, kind=MessageLog.Kind.INVITATION
        ).count()
        messages.success(
            request,
            _(
                "The round is open; %(n)s invitation e-mails sent (see the tracker for societies "
                "without a focal point)."
            )
            % {"n": sent},
        )
    return _back(survey_round)


@require_POST
def round_close(request, round_pk: int):
    survey_round = _get_round(request.user, round_pk, write=True)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason to close the round."))
        return _back(survey_round)
    services.round_close(
        survey_round=survey_round, reason=form.cleaned_data["reason"], user=request.user
    )
    messages.success(request, _("The round is closed; responses are read-only."))
    return _back(survey_round)


def _date_reason_action(request, round_pk: int, service, done: str):
    survey_round = _get_round(request.user, round_pk, write=True)
    form = DateReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the new closing date and a reason."))
        return _back(survey_round)
    try:
        service(survey_round=survey_round, user=request.user, **form.cleaned_data)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, done)
    return _back(survey_round)


@require_POST
def round_reopen(request, round_pk: int):
    return _date_reason_action(
        request,
        round_pk,
        services.round_reopen,
        _("The round is open again; societies are told why."),
    )


@require_POST
def round_extend(request, round_pk: int):
    return _date_reason_action(
        request,
        round_pk,
        services.round_extend,
        _("The closing date is extended; societies are told why."),
    )


# ---------------------------------------------------------------- reminders


@require_http_methods(["GET", "POST"])
def round_remind(request, round_pk: int):
    """GET: who a reminder would reach and who not, and why. POST: send it."""
    survey_round = _get_round(request.user, round_pk, write=True)
    data = request.POST if request.method == "POST" else request.GET
    form = ReminderForm(data)
    if form.is_valid():
        filters = form.filters()
    elif request.method == "POST":
        # Bad filters send nothing: a reminder to the wrong societies cannot be taken back.
        messages.error(request, _("The filters are not valid; no reminder was sent."))
        return redirect("surveys:round-remind", round_pk=survey_round.pk)
    else:
        filters = {"regions": None, "statuses": None, "force": False}
    if request.method == "POST":
        try:
            result = services.reminders_send(
                survey_round=survey_round, user=request.user, **filters
            )
        except ValidationError as error:
            _flash_errors(request, error)
            return redirect("surveys:round-detail", round_pk=survey_round.pk)
        # Sent by a background task; with an immediate one, refusals are known already.
        failed = MessageLog.objects.filter(
            pk__in=[log.pk for log in result["logs"]], status=MessageLog.Status.FAILED
        ).count()
        messages.success(
            request,
            _(
                "Reminders sent to %(sent)s societies; %(skipped)s not reminded (see why in the "
                "preview)."
            )
            % {"sent": len(result["to_send"]), "skipped": len(result["skipped"])},
        )
        if failed:
            messages.error(
                request, _("%(n)s e-mails were not delivered: see the log.") % {"n": failed}
            )
        return redirect("surveys:round-tracker", round_pk=survey_round.pk)
    preview = services.reminders_preview(survey_round=survey_round, **filters)
    return render(
        request,
        "surveys/round_remind.html",
        {
            "round": survey_round,
            "form": form,
            "to_send": preview["to_send"],
            "skipped": preview["skipped"],
            "hours": services.settings.REMINDER_MIN_INTERVAL_HOURS,
        },
    )


# ---------------------------------------------------------------- tracker

ALL_REGIONS = "all"
# Societies on one page of the tracker (all regions holds ~1,930 at Movement scale; the largest
# region ~540): the page is read to find societies (a search or a status filter narrows it, the
# pager goes on), as a search engine's page of results is; the XLSX export lists every one.
# Fifty rows fill about two screens and cost a quarter of the 200 shown before.
TRACKER_PAGE_SIZE = 50


def _badges() -> dict:
    return {
        status: format_html('<span class="badge text-bg-{}">{}</span>', colour, label)
        for status, colour, label in (
            (Progress.SUBMITTED, "success", Progress.SUBMITTED.label),
            (Progress.IN_PROGRESS, "primary", Progress.IN_PROGRESS.label),
            (Progress.REOPENED, "warning", Progress.REOPENED.label),
            (Progress.NOT_STARTED, "secondary", Progress.NOT_STARTED.label),
        )
    }


def _when(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else "—"


def _tracker_filters(request, codes: list[str]) -> dict:
    """Region tab, search and status from the query string; unknown values are ignored."""
    form = TrackerFilterForm(request.GET)
    form.is_valid()
    search = form.cleaned_data.get("q", "").strip()
    status = form.cleaned_data.get("status", "")
    region = request.GET.get("region", "")
    if search or region == ALL_REGIONS:
        # A search looks in every region (no tab is current), so nobody is missed.
        shown = None
        region = "" if search else ALL_REGIONS
    else:
        # An unknown region falls back to the first one.
        region = region if region in codes else (codes[0] if codes else "")
        shown = [region]
    return {
        "form": form,
        "search": search,
        "status": status,
        "region": region,
        "regions": shown,
        "statuses": [status] if status else None,
    }


@require_GET
def round_tracker(request, round_pk: int):
    """Totals for every region, and the societies of one region (the first by default), of
    every region (`?region=all`) or whose name in any language matches a search (`?q=`),
    optionally of one status: at Movement scale a page listing every society costs more
    than people need to find one."""
    survey_round = _get_round(request.user, round_pk)
    summary = selectors.tracker_summary(survey_round)
    codes = [r["code"] for r in summary["regions"]]
    filters = _tracker_filters(request, codes)
    page = selectors.tracker_page(
        survey_round,
        region_order=codes,
        number=request.GET.get("page"),
        size=TRACKER_PAGE_SIZE,
        regions=filters["regions"],
        search=filters["search"],
        statuses=filters["statuses"],
    )
    # What repeats on every row is written once here (the links' start, the badges, the
    # percentages, the message kinds), so that a row costs a few plain variables to render.
    prefix = reverse("surveys:response-form", args=[survey_round.pk, 0]).removesuffix("0/")
    badges = _badges()
    kinds = dict(MessageLog.Kind.choices)
    delivery = dict(MessageLog.Status.choices)
    percents: dict = {}
    # The page's rows (region by region in the tabs' order) under their regions' headings.
    by_code = {r["code"]: r for r in summary["regions"]}
    on_page: dict[str, list] = {}
    for row in page.object_list:
        on_page.setdefault(row["region"], []).append(row)
    regions = []
    for code, region_rows in on_page.items():
        for row in region_rows:
            row["url"] = f"{prefix}{row['id']}/"
            row["focal_url"] = f"{prefix}{row['id']}/focal-points/"
            row["badge"] = badges[row["status"]]
            if row["share"] not in percents:
                percents[row["share"]] = format_percent(row["share"])
            row["answered"] = percents[row["share"]]
            row["last_activity"] = _when(row["last_activity_at"])
            row["message"] = (
                f"{kinds.get(row['message_kind'], '')} · {_when(row['message_at'])}"
                if row["message_kind"]
                else "—"
            )
            row["message_failed"] = row["message_status"] == MessageLog.Status.FAILED
            row["message_delivery"] = delivery.get(row["message_status"], "")
        summary_region = by_code.get(code, {"code": code, "label": code})
        regions.append({**summary_region, "rows": region_rows})
    query = request.GET.copy()
    query.pop("page", None)
    page_query = query.urlencode()
    query.pop("region", None)
    return render(
        request,
        "surveys/tracker.html",
        {
            "round": survey_round,
            "is_admin": _can(request.user, "surveys.run_round"),
            "export_form": ExportForm(),
            "filter_form": filters["form"],
            "totals": summary["totals"],
            "tabs": summary["regions"],
            "region": filters["region"],
            "all_regions": ALL_REGIONS,
            "search": filters["search"],
            "status": filters["status"],
            "filter_query": query.urlencode(),
            "regions": regions,
            "page": page,
            "page_query": page_query,
        },
    )


@require_GET
def tracker_export(request, round_pk: int):
    """The tracker as a spreadsheet: every invited society matching the filters, one row each."""
    survey_round = _get_round(request.user, round_pk)
    codes = [code for code, _label in Region.choices]
    filters = _tracker_filters(request, codes)
    if request.GET.get("region", "") in ("", ALL_REGIONS):
        filters["regions"] = None  # the export covers every region unless one is asked for
    rows = selectors.tracker_rows(
        survey_round,
        regions=filters["regions"],
        search=filters["search"],
        statuses=filters["statuses"],
    )
    # Labels as plain text: openpyxl does not take lazy translations.
    labels = {code: str(label) for code, label in Region.choices}
    progress = {code: str(label) for code, label in Progress.choices}
    kinds = {code: str(label) for code, label in MessageLog.Kind.choices}
    delivery = {code: str(label) for code, label in MessageLog.Status.choices}
    book = Workbook()
    sheet = book.active
    sheet.title = _("Tracker")[:31]
    sheet.append(
        [
            str(header)
            for header in (
                _("National Society"),
                _("Region"),
                _("Status"),
                _("Answered (%)"),
                _("Last activity"),
                _("Deadline"),
                _("Focal points"),
                _("Last message"),
                _("Sent"),
                _("Delivery"),
            )
        ]
    )
    zone = timezone.get_current_timezone()
    for code in sorted(rows, key=lambda c: codes.index(c) if c in codes else len(codes)):
        for row in rows[code]:
            activity = row["last_activity_at"]
            sent = row["message_at"]
            sheet.append(
                [
                    export_cell(row["name"]),
                    labels.get(code, code),
                    progress[row["status"]],
                    row["share"],
                    timezone.localtime(activity, zone).replace(tzinfo=None) if activity else None,
                    row["deadline"],
                    export_cell(row["focal_points"]),
                    kinds.get(row["message_kind"], ""),
                    timezone.localtime(sent, zone).replace(tzinfo=None) if sent else None,
                    delivery.get(row["message_status"], ""),
                ]
            )
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="tracker-round-{survey_round.pk}.xlsx"'
    book.save(response)
    return response


# ---------------------------------------------------------------- focal points


@require_http_methods(["GET", "POST"])
def society_focal_points(request, round_pk: int, society_pk: int):
    """Who answers for a society, adding or inviting one, and the messages it was sent."""
    write = request.method == "POST"
    survey_round = _get_round(request.user, round_pk, write=write)
    society = _get_invited_society(survey_round, society_pk)
    add_form = FocalPointAddForm(prefix="add")
    invite_form = FocalPointInviteForm(prefix="invite", society=society)
    status = 200
    form: forms.Form
    if write:
        action = request.POST.get("action")
        if action == "add":
            add_form = FocalPointAddForm(request.POST, prefix="add")
            form = add_form
        elif action == "invite":
            invite_form = FocalPointInviteForm(request.POST, prefix="invite", society=society)
            form = invite_form
        else:
            raise Http404
        if form.is_valid():
            try:
                if action == "add":
                    person = services.focal_point_add(
                        society=society, email=form.cleaned_data["email"], user=request.user
                    )
                    messages.success(
                        request,
                        _("%(person)s is a focal point of this society.") % {"person": person},
                    )
                else:
                    person, log = services.focal_point_invite(
                        society=society,
                        survey_round=survey_round,
                        user=request.user,
                        **form.cleaned_data,
                    )
                    if log.status == MessageLog.Status.SENT:
                        messages.success(
                            request,
                            _("Invitation sent to %(email)s.") % {"email": person.email},
                        )
                    else:
                        messages.error(
                            request,
                            _(
                                "The account is created but the invitation was not delivered: "
                                "%(error)s"
                            )
                            % {"error": log.error},
                        )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                return redirect(
                    "surveys:society-focal-points", round_pk=survey_round.pk, society_pk=society.pk
                )
        status = 422
    people = User.objects.filter(organisation=society, is_focal_point=True).order_by(
        "-is_active", "email"
    )
    messages_sent = MessageLog.objects.filter(round=survey_round, society=society).order_by(
        "-sent_at", "-id"
    )[:100]
    return render(
        request,
        "surveys/round_focal_points.html",
        {
            "round": survey_round,
            "society": society,
            "people": list(people),
            "log": list(messages_sent),
            "add_form": add_form,
            "invite_form": invite_form,
            "is_admin": _can(request.user, "surveys.run_round"),
        },
        status=status,
    )
