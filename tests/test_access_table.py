"""Access control, proven: every URL pattern of the project, for every role, against one table.

The patterns are read from the URL resolver, so a view added later without an entry here fails
this test (an unmapped URL kwarg, or a pattern missing from ``EXPECT``). Objects belong to
somebody else where that matters: the survey response is Lebanon's (the Kenya focal point is an
outsider), the deliverable, meeting and resource are WG1's (the WG4 co-lead is an outsider).

Each request runs inside a savepoint that is rolled back afterwards, so every request sees the
same data; before the rollback, a forbidden request (403, 404, 405, or the sign-in redirect)
and every GET must have left every model's row count, latest ``updated_at`` and history
count unchanged. Every HTML page a GET opens must also hold no inline code (scripts, <style>,
style= or on*= attributes), which the Content-Security-Policy would block.
"""

import datetime
import functools

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from core.concurrency import version_token
from tests.helpers import ROLES, World, inline_code, kwargs_for, walk

LOGIN = "login"  # expected: a redirect to the sign-in page
FORBIDDEN = {403, 404, 405, LOGIN}

# ---------------------------------------------------------------- the expectation table
#
# EXPECT[url name] = (GET, POST); each is either one status for every signed-in role, or a
# dict {role: status} with "*" as the default for the signed-in roles not named. Anonymous
# people are sent to the sign-in page unless the entry names "anonymous".


def only(allowed: int, denied: int = 403, **others):
    """`allowed` for the named roles in `others` set to True, `denied` for everybody else."""
    table = {"*": denied}
    for role, status in others.items():
        table[role] = allowed if status is True else status
    return table


ADMIN_READER_404 = {"*": 404, "admin": 200, "reader": 200}
ADMIN_ONLY_POST = {"*": 404, "admin": 302, "reader": 403}
WG1_MANAGE_GET = {"*": 403, "admin": 200, "colead_wg1": 200}
WG1_MANAGE_POST = {"*": 403, "admin": 302, "colead_wg1": 302}
WG1_CONTRIB_GET = {"*": 403, "admin": 200, "colead_wg1": 200, "member_wg1": 200}
WG1_CONTRIB_POST = {"*": 403, "admin": 302, "colead_wg1": 302, "member_wg1": 302}
LEBANON_READ = {"*": 404, "admin": 200, "reader": 200, "focal_lebanon": 200}
LEBANON_WRITE = {"*": 404, "admin": 403, "reader": 403, "focal_lebanon": 302}
REPORTS_READ = {"*": 404, "admin": 200, "reader": 200}
REPORTS_ADMIN_GET = {"*": 404, "admin": 200, "reader": 403}
REPORTS_ADMIN_POST = {"*": 404, "admin": 302, "reader": 403}
WG1_RESTORE_NOTHING = {"*": 403, "admin": 200, "colead_wg1": 200}
WG1_INVITATIONS_GET = {"*": 404, "admin": 200, "colead_wg1": 200, "member_wg1": 403, "reader": 403}
WG1_INVITATIONS_POST = {**WG1_INVITATIONS_GET, "admin": 302, "colead_wg1": 302}
IMPORTERS_GET = {"*": 403, "admin": 200, "colead_wg1": 200, "colead_wg4": 200}

EXPECT = {
    # root
    "home": (200, 405),
    "public-summary": ({"*": 200, "anonymous": 200}, {"*": 405, "anonymous": 405}),
    "health": ({"*": 200, "anonymous": 200}, {"*": 405, "anonymous": 405}),
    # accounts
    # Signed-in people are sent on from the sign-in page; signing out sends to sign in.
    "accounts:login": ({"*": 302, "anonymous": 200}, {"*": 302, "anonymous": 200}),
    "accounts:logout": (405, LOGIN),
    "accounts:set-language": ({"*": 405, "anonymous": 405}, {"*": 302, "anonymous": 302}),
    "accounts:profile": (200, 302),
    "accounts:password_reset": ({"*": 200, "anonymous": 200}, {"*": 302, "anonymous": 302}),
    "accounts:password_reset_done": ({"*": 200, "anonymous": 200}, {"*": 405, "anonymous": 405}),
    "accounts:password_reset_confirm": (
        {"*": 200, "anonymous": 200},
        {"*": 200, "anonymous": 200},
    ),
    "accounts:password_reset_complete": (
        {"*": 200, "anonymous": 200},
        {"*": 405, "anonymous": 405},
    ),
    "accounts:password_change": (200, 200),
    "accounts:password_change_done": (200, 405),
    # roadmap
    "roadmap:area": (200, 405),
    "roadmap:figures": (200, 405),
    "roadmap:result": (
        200,
        {"*": 403, "admin": 302, "colead_wg1": 302, "member_wg1": 302},
    ),
    # The update was posted by the WG1 co-lead: members of WG1 may not correct it (one policy
    # for results and deliverables, roadmap/rules.py).
    "roadmap:update-edit": ({**WG1_CONTRIB_GET, "member_wg1": 403}, WG1_MANAGE_POST),
    "roadmap:indicator": (200, {"*": 403, "admin": 302}),
    "roadmap:indicator-value-edit": ({"*": 403, "admin": 200}, {"*": 403, "admin": 302}),
    "roadmap:indicator-value-withdraw": ({"*": 403, "admin": 200}, {"*": 403, "admin": 302}),
    # The value is current, so there is nothing to restore: the form says so (200).
    "roadmap:indicator-value-restore": ({"*": 403, "admin": 200}, {"*": 403, "admin": 200}),
    "roadmap:evidence-download": (200, 405),
    # Archive and restore with a reason (core.archive): the rule for correcting the update
    # (the WG1 co-lead's; its evidence follows it). The world's items are not archived, so a
    # restore is refused by the form (200, the error in place).
    "roadmap:update-archive": (WG1_MANAGE_GET, WG1_MANAGE_POST),
    "roadmap:update-restore": (WG1_MANAGE_GET, WG1_RESTORE_NOTHING),
    "roadmap:evidence-archive": (WG1_MANAGE_GET, WG1_MANAGE_POST),
    "roadmap:evidence-restore": (WG1_MANAGE_GET, WG1_RESTORE_NOTHING),
    # Start the next roadmap: admins only; the admin's empty POST is a form with errors (200).
    "roadmap:successor": ({"*": 403, "admin": 200}, {"*": 403, "admin": 200}),
    # working groups
    "workinggroups:list": (200, 405),
    "workinggroups:mine": (302, 405),
    # "My work": everyone signed in reads their own (an admin's covers every group).
    "workinggroups:my-work": (200, 405),
    # Where sign-in leads: co-leads and members to "My work", others home.
    "workinggroups:landing": (302, 405),
    # Every overdue item across the groups: the admins' page; others read their group's.
    "workinggroups:overdue": ({"*": 403, "admin": 200}, 405),
    "workinggroups:group-edit": (WG1_MANAGE_GET, WG1_MANAGE_POST),
    # A group's spreadsheets: for everyone who reads the group, as its page.
    "workinggroups:group-export": (200, 405),
    "workinggroups:detail": (200, 405),
    "workinggroups:subgroup": (200, 405),
    # The add-member form is shown on demand (GET), to the group's managers only.
    "workinggroups:membership-add": (WG1_MANAGE_GET, WG1_MANAGE_POST),
    # Every member of a group: the members section (htmx) or, here, a redirect to the group page.
    "workinggroups:members": (302, 405),
    "workinggroups:membership-end": (405, WG1_MANAGE_POST),
    "workinggroups:workplan-add": (405, WG1_MANAGE_POST),
    "workinggroups:deliverable-add": (WG1_MANAGE_GET, WG1_MANAGE_POST),
    "workinggroups:deliverable": (200, 405),
    "workinggroups:deliverable-edit": (WG1_MANAGE_GET, WG1_MANAGE_POST),
    # Archive and restore (core.archive): who manages the group; nothing archived to restore.
    **{
        f"workinggroups:{name}-{action}": (
            WG1_MANAGE_GET,
            WG1_MANAGE_POST if action == "archive" else WG1_RESTORE_NOTHING,
        )
        for name in ("deliverable", "milestone", "meeting", "action", "resource")
        for action in ("archive", "restore")
    },
    "workinggroups:progress-add": (WG1_CONTRIB_GET, WG1_CONTRIB_POST),
    # The update was posted by the WG1 co-lead: members of WG1 may not correct it.
    "workinggroups:progress-edit": (
        {**WG1_CONTRIB_GET, "member_wg1": 403},
        WG1_MANAGE_POST,
    ),
    "workinggroups:milestone-add": (405, WG1_MANAGE_POST),
    "workinggroups:milestone-edit": (WG1_MANAGE_GET, WG1_MANAGE_POST),
    "workinggroups:milestone-toggle": (405, WG1_MANAGE_POST),
    "workinggroups:meeting-add": (WG1_MANAGE_GET, WG1_MANAGE_POST),
    "workinggroups:meeting": (200, 405),
    "workinggroups:meeting-edit": (WG1_CONTRIB_GET, WG1_CONTRIB_POST),
    # A meeting's .ics file: whoever reads the meeting.
    "workinggroups:meeting-ics": (200, 405),
    "workinggroups:action-add": (405, WG1_MANAGE_POST),
    "workinggroups:action-edit": (WG1_MANAGE_GET, WG1_MANAGE_POST),
    "workinggroups:action-toggle": (405, WG1_MANAGE_POST),
    "workinggroups:resources": (200, 405),
    "workinggroups:resource-export": (200, 405),
    "workinggroups:resource-add": (IMPORTERS_GET, {**WG1_MANAGE_POST, "colead_wg4": 200}),
    "workinggroups:resource-edit": (WG1_MANAGE_GET, WG1_MANAGE_POST),
    "workinggroups:resource-import": (IMPORTERS_GET, IMPORTERS_GET),
    # Without a checked file in the session, the confirm step sends everybody back.
    "workinggroups:resource-import-confirm": (405, 302),
    "workinggroups:resource-template": (200, 405),
    # Asking to join: readers only read; the form page says "already a member" to members, and
    # a person without an organisation (the no-role person) is told to ask an admin (422).
    "workinggroups:join": (
        {"*": 200, "reader": 403},
        {"*": 302, "reader": 403, "staff": 422, "colead_wg1": 422, "member_wg1": 422},
    ),
    "workinggroups:join-requests": (WG1_MANAGE_GET, 405),
    "workinggroups:join-request-accept": (405, WG1_MANAGE_POST),
    "workinggroups:join-request-decline": (405, WG1_MANAGE_POST),
    # The e-mailed link: a page for everybody; the table's forged token is refused (400).
    "workinggroups:join-confirm": (
        {"*": 200, "anonymous": 200},
        {"*": 400, "anonymous": 400},
    ),
    # Invitations: the group's managers; its members and readers know of them (403), anyone
    # else does not (404). The admins' page of every group: readers are refused (403).
    "workinggroups:invitations": (WG1_INVITATIONS_GET, WG1_INVITATIONS_POST),
    "workinggroups:invitations-all": ({"*": 404, "admin": 200, "reader": 403}, 405),
    "workinggroups:invitation-resend": (405, WG1_INVITATIONS_POST),
    "workinggroups:invitation-revoke": (405, WG1_INVITATIONS_POST),
    # The e-mailed link: no sign-in needed; the table's forged token names no invitation.
    "workinggroups:invitation-accept": (
        {"*": 404, "anonymous": 404},
        {"*": 404, "anonymous": 404},
    ),
    # The e-mails' one-click unsubscribe: a page for everybody, signed in or not; the table's
    # link is the reader's, signed, so the POST stops the reader's digest (200: done).
    "workinggroups:unsubscribe": ({"*": 200, "anonymous": 200}, {"*": 200, "anonymous": 200}),
    # One's own calendar feed: made and turned off by its owner, from the profile page; the feed
    # answers its secret URL without a session, and the table's made-up secret is not found.
    "workinggroups:calendar-feed": ({"*": 404, "anonymous": 404}, {"*": 405, "anonymous": 405}),
    "workinggroups:calendar-feed-create": (405, 302),
    "workinggroups:calendar-feed-revoke": (405, 302),
    # public (published in the demo data)
    "public:groups": ({"*": 200, "anonymous": 200}, {"*": 405, "anonymous": 405}),
    "public:group": ({"*": 200, "anonymous": 200}, {"*": 405, "anonymous": 405}),
    "public:resources": ({"*": 200, "anonymous": 200}, {"*": 405, "anonymous": 405}),
    # Signed in, one asks from the group's page; the table's form has no start time (422).
    "public:group-join": ({"*": 302, "anonymous": 200}, {"*": 302, "anonymous": 422}),
    "public:publish": ({"*": 403, "admin": 200}, {"*": 403, "admin": 302}),
    # surveys
    "surveys:index": (200, 405),
    "surveys:round-list": (ADMIN_READER_404, 405),
    "surveys:round-open": (405, ADMIN_ONLY_POST),
    "surveys:round-close": (405, ADMIN_ONLY_POST),
    "surveys:round-tracker": (ADMIN_READER_404, 405),
    # GET previews who a reminder reaches; POST sends it.
    "surveys:round-remind": (REPORTS_ADMIN_GET, ADMIN_ONLY_POST),
    # The admin's POST without a questionnaire: the form says what is missing (422).
    "surveys:round-create": (REPORTS_ADMIN_GET, {**ADMIN_ONLY_POST, "admin": 422}),
    "surveys:round-detail": (ADMIN_READER_404, 405),
    "surveys:round-reopen": (405, ADMIN_ONLY_POST),
    "surveys:round-extend": (405, ADMIN_ONLY_POST),
    "surveys:round-tracker-export": (ADMIN_READER_404, 405),
    # The admin's POST names no action: 404 (nothing to do).
    "surveys:society-focal-points": (
        {**LEBANON_READ, "focal_lebanon": 404},
        {**ADMIN_ONLY_POST, "admin": 404},
    ),
    "surveys:round-results": (ADMIN_READER_404, 405),
    "surveys:round-text-answers": (ADMIN_READER_404, 405),
    "surveys:round-compute": (405, ADMIN_ONLY_POST),
    "surveys:round-proposals": (ADMIN_READER_404, 405),
    # The world's value is published, not proposed: nothing to review there (404).
    "surveys:proposal-review": (405, {"*": 404, "admin": 404, "reader": 403}),
    # Without ?format=&layout=&language= the export explains what to choose.
    "surveys:round-export": ({"*": 404, "admin": 400, "reader": 400}, 405),
    "surveys:response-form": (LEBANON_READ, 405),
    "surveys:section-save": (405, LEBANON_WRITE),
    "surveys:answer-save": (405, LEBANON_WRITE),
    # Lebanon's response still misses required answers: the form says which (422).
    "surveys:response-submit": (405, {**LEBANON_WRITE, "focal_lebanon": 422}),
    "surveys:response-reopen": (405, {**ADMIN_ONLY_POST, "focal_lebanon": 404}),
    "surveys:response-extend": (405, {**ADMIN_ONLY_POST, "focal_lebanon": 404}),
    # Focal points download their answers once submitted; Lebanon's is in progress.
    "surveys:response-download": ({**LEBANON_READ, "focal_lebanon": 404}, 405),
    # The admin's POST has no file: the form asks for one (200).
    "surveys:questionnaire-import": (
        {"*": 404, "admin": 200, "reader": 403},
        {**ADMIN_ONLY_POST, "admin": 200},
    ),
    # Without a checked file the confirmation sends the admin back to the upload (302).
    "surveys:questionnaire-import-confirm": (405, ADMIN_ONLY_POST),
    "surveys:questionnaire-export": (ADMIN_READER_404, 405),
    # reports
    "reports:edition-list": (REPORTS_READ, 405),
    "reports:edition-create": (REPORTS_ADMIN_GET, REPORTS_ADMIN_POST),
    "reports:edition-detail": (REPORTS_READ, 405),
    "reports:edition-update": (REPORTS_ADMIN_GET, REPORTS_ADMIN_POST),
    "reports:edition-preview": (REPORTS_READ, 405),
    "reports:edition-generate": (405, {"*": 404, "admin": 302, "reader": 403}),
    "reports:edition-runs": (REPORTS_READ, 405),
    "reports:run-download": (REPORTS_READ, 405),
    # Generate a failed version again: who may generate (a version that did not fail: message).
    "reports:run-retry": (405, {"*": 404, "admin": 302, "reader": 403}),
    "reports:export-index": (REPORTS_ADMIN_GET, 405),
    "reports:export-workbook": (REPORTS_ADMIN_GET, 405),
    "reports:export-kind": (REPORTS_ADMIN_GET, 405),
    # Every signed-in person reads every working group, so its status sheet too.
    "reports:group-sheet": (200, 405),
    # jobs: a person's own jobs; the one in the table is WG1's co-lead's
    "jobs:list": (200, 405),
    "jobs:start": (405, 302),
    "jobs:detail": ({"*": 404, "admin": 200, "colead_wg1": 200}, 405),
    "jobs:download": ({"*": 404, "admin": 200, "colead_wg1": 200}, 405),
    # Try a failed job again: its owner only (an admin who sees it gets 403).
    "jobs:retry": (405, {"*": 404, "admin": 403, "colead_wg1": 302}),
    # search: every signed-in person searches what they may see (tests/search/)
    "search:results": (200, 405),
    # api: one's own tokens; the admins' pages (readers look); the token's owner revokes it.
    "api:list": (200, 422),
    "api:revoke": (405, {"*": 404, "admin": 302, "reader": 403, "member_wg1": 302}),
    "api:admin": (ADMIN_READER_404, 405),
    "api:requests": (ADMIN_READER_404, 405),
    "api:openapi-json": (200, 405),
    "api:openapi-view": (200, 405),
    "api:api-root": (404, 405),
    # The API itself answers a token only (a session is not enough): 401 without one.
    **{
        f"api:{name}": ({"*": 401, "anonymous": 401}, {"*": 405, "anonymous": 405})
        for name in (
            "roadmap_list",
            "area_list",
            "indicator_list",
            "indicator_history",
            "group_list",
            "deliverable_list",
            "round_list",
            "round_results",
            "society_response",
        )
    },
}

# Views that may change something on an allowed POST; all others must change nothing at all.
# (A signed-in POST to the sign-in form or a form with errors changes nothing either.)


def expected(url_name: str, method: str, role: str):
    get, post = EXPECT[url_name]
    spec = get if method == "GET" else post
    if not isinstance(spec, dict):
        spec = {"*": spec, "anonymous": LOGIN}
    if role == "anonymous":
        return spec.get("anonymous", LOGIN)
    return spec.get(role, spec["*"])


# ---------------------------------------------------------------- walking the resolver


def post_data(url_name: str, world: World) -> dict:
    """Plausible, valid data: what an allowed person would send."""
    o = world.objects
    today = timezone.localdate()
    soon = (today + datetime.timedelta(days=30)).isoformat()
    update = {
        "date": today.isoformat(),
        "status": "on_track",
        "percent_complete": "30",
        "narrative": "Moving on.",
        "reason": "Table test",
    }
    deliverable = o["deliverable"]
    q = o["question"]
    data = {
        "accounts:login": {"username": "nobody@example.org", "password": "wrong"},
        "accounts:set-language": {"language": "fr", "next": "/"},
        "accounts:profile": {
            "full_name": "Renamed",
            "language": "en",
            "digest_frequency": "daily",
            "assignment_emails": "on",
        },
        "accounts:password_reset": {"email": "nobody@example.org"},
        "accounts:password_change": {"old_password": "wrong"},
        "roadmap:result": update,
        "roadmap:update-edit": update,
        "roadmap:indicator": {
            "year": str(today.year - 1),
            "value": "5",
            "source": "Table test",
            "reason": "Table test",
        },
        "roadmap:indicator-value-edit": {
            "year": str(o["indicator_value"].year),
            "value": "7",
            "source": "Table test",
            "reason": "Table test",
        },
        "roadmap:indicator-value-withdraw": {"reason": "Table test"},
        "roadmap:indicator-value-restore": {"reason": "Table test"},
        "surveys:proposal-review": {f"p{o['indicator_value'].pk}-decision": "discard"},
        "workinggroups:membership-add": {
            "role": "member",
            "organisation": Organisation.objects.national_societies().last().pk,
        },
        "workinggroups:workplan-add": {"year": "2031", "summary": "Plan"},
        "workinggroups:deliverable-add": {
            "title": "New deliverable",
            "kind": deliverable.kind,
            "workplan": deliverable.workplan_id,
            "due_date": soon,
        },
        "workinggroups:deliverable-edit": {
            "title": "Renamed deliverable",
            "kind": deliverable.kind,
            "workplan": deliverable.workplan_id or "",
            "expected_result": deliverable.expected_result_id or "",
            "owner_organisation": deliverable.owner_organisation_id or "",
            "due_date": soon,
            "reason": "Table test",
        },
        **{
            f"{name}-{action}": {"reason": "Table test"}
            for name in (
                "roadmap:update",
                "roadmap:evidence",
                *(
                    f"workinggroups:{kind}"
                    for kind in ("deliverable", "milestone", "meeting", "action", "resource")
                ),
            )
            for action in ("archive", "restore")
        },
        "workinggroups:progress-add": update,
        "workinggroups:progress-edit": update,
        "workinggroups:milestone-add": {"title": "Step", "date": soon},
        "workinggroups:milestone-edit": {"title": "Step", "date": soon},
        "workinggroups:meeting-add": {"date": today.isoformat(), "kind": "monthly"},
        "workinggroups:meeting-edit": {
            "date": today.isoformat(),
            "kind": "monthly",
            "minutes": "Minutes",
        },
        "workinggroups:action-add": {"description": "Do it", "due_date": soon},
        "workinggroups:action-edit": {"description": "Do it now", "due_date": soon},
        "workinggroups:resource-add": {
            "title": "Guide",
            "kind": o["resource"].kind,
            "layer": o["resource"].layer,
            "working_group": o["wg1"].pk,
        },
        "workinggroups:resource-edit": {
            "title": "Guide",
            "kind": o["resource"].kind,
            "layer": o["resource"].layer,
            "working_group": o["wg1"].pk,
        },
        "workinggroups:resource-import-confirm": {"token": "forged"},
        "workinggroups:join": {"note": "Table test"},
        "workinggroups:invitations": {
            "email": "table-test@example.org",
            "organisation": o["kenya"].pk,
            "role": "member",
        },
        "workinggroups:join-request-decline": {f"r{o['join_request'].pk}-reason": "Table test"},
        "public:group-join": {
            "full_name": "Table Test",
            "email": "table-test@example.org",
            "organisation": o["kenya"].pk,
            "language": "en",
        },
        "public:publish": {"roadmap": "on", "groups": "on"},
        "jobs:start": {"kind": "reports.group_sheet", "number": o["wg1"].number},
        "surveys:round-open": {"closes": soon},
        "surveys:section-save": {f"q_{q.pk}": "Changed", f"v_{q.pk}": "1", f"o_{q.pk}": ""},
        "surveys:answer-save": {f"q_{q.pk}": "Changed", f"v_{q.pk}": "1"},
        "surveys:response-reopen": {"reason": "Table test"},
        "surveys:response-extend": {"deadline": soon, "reason": "Table test"},
        "reports:edition-create": {
            "title": "New edition",
            "audience": o["edition"].audience,
            "sections": o["edition"].sections,
            "period_start": "2024-01-01",
            "period_end": "2024-12-31",
        },
        "reports:edition-update": {
            "title": "Renamed edition",
            "audience": o["edition"].audience,
            "sections": o["edition"].sections,
            "period_start": "2024-01-01",
            "period_end": "2024-12-31",
            "reason": "Table test",
        },
        "reports:edition-generate": {"language": "en"},
        "workinggroups:group-edit": {"name": o["wg1"].name, "reason": "Table test"},
    }.get(url_name, {})
    # Edit forms carry the version of the row they were loaded from (core.concurrency).
    edited = {
        "roadmap:update-edit": o["result_update"],
        "roadmap:indicator-value-edit": o["indicator_value"],
        "workinggroups:group-edit": o["wg1"],
        "workinggroups:deliverable-edit": deliverable,
        "workinggroups:progress-edit": o["deliverable_update"],
        "workinggroups:milestone-edit": o["milestone"],
        "workinggroups:meeting-edit": o["meeting"],
        "workinggroups:action-edit": o["action_item"],
        "workinggroups:resource-edit": o["resource"],
        "reports:edition-update": o["edition"],
    }
    if url_name in edited:
        row = edited[url_name]
        data["version"] = version_token(type(row).objects.get(pk=row.pk))
    return data


# ---------------------------------------------------------------- snapshots


def tracked_models():
    labels = {"accounts", "roadmap", "workinggroups", "surveys", "reports"}
    return [m for m in apps.get_models() if m._meta.app_label in labels]


@functools.cache
def _snapshot_sql() -> tuple[str, list[str]]:
    """One query: row count and latest change time of every model of the project's apps."""
    parts, labels = [], []
    for model in tracked_models():
        table = connection.ops.quote_name(model._meta.db_table)
        columns = {f.column for f in model._meta.concrete_fields}
        parts.append(f"(SELECT COUNT(*) FROM {table})")
        labels.append(f"{model._meta.label} rows")
        for name in ("updated_at", "last_activity_at", "history_date"):
            if name in columns:
                parts.append(f"(SELECT MAX({connection.ops.quote_name(name)}) FROM {table})")
                labels.append(f"{model._meta.label} {name}")
    return "SELECT " + ", ".join(parts), labels


@functools.cache
def _tracked_tables() -> dict[str, str]:
    return {model._meta.db_table: model._meta.label for model in tracked_models()}


def snapshot() -> dict:
    """What a request may have changed. On PostgreSQL: the transaction's own counts of rows
    inserted, updated and deleted in each table (pg_stat_xact_user_tables), which see every
    write, even one that changes no count and no time, and cost a fraction of a millisecond;
    counting every table took 15 ms, four times a case. On SQLite: row counts and latest
    change times (`_snapshot_sql`, one query)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = _tracked_tables()
            cursor.execute(
                "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables"
                " WHERE relname = ANY(%s)",
                [list(tables)],
            )
            return {
                f"{tables[name]} rows inserted, updated, deleted": (inserted, updated, deleted)
                for name, inserted, updated, deleted in cursor.fetchall()
            }
        sql, labels = _snapshot_sql()
        cursor.execute(sql)
        return dict(zip(labels, cursor.fetchone(), strict=True))


def changes(before: dict, after: dict) -> list[str]:
    return [
        f"{key}: {before.get(key)} -> {after.get(key)}"
        for key in sorted(before.keys() | after.keys())
        if before.get(key) != after.get(key)
    ]


def outcome(response):
    location = response.get("Location", "")
    if response.status_code == 302 and location.startswith(reverse("accounts:login")):
        return LOGIN
    return response.status_code


# ---------------------------------------------------------------- the test

# Views whose allowed POST (302) must have changed something: a redirect that saved nothing
# would be a silent failure.
WRITES = {
    "roadmap:result",
    "roadmap:update-edit",
    "roadmap:update-archive",
    "roadmap:evidence-archive",
    "roadmap:indicator",
    "roadmap:indicator-value-edit",
    *(
        f"workinggroups:{name}"
        for name in (
            "membership-add membership-end workplan-add deliverable-add deliverable-edit "
            "deliverable-archive progress-add progress-edit milestone-add milestone-edit "
            "milestone-toggle meeting-add meeting-edit action-add action-toggle resource-add "
            "milestone-archive meeting-archive action-archive "
            "resource-edit resource-archive group-edit action-edit join join-request-accept "
            "join-request-decline calendar-feed-create"
        ).split()
    ),
    "reports:edition-create",
    "reports:edition-update",
    "reports:edition-generate",
}

PATTERNS = {name: kwarg_names for name, _route, kwarg_names in walk()}
CASES = [(name, role) for name in PATTERNS if name in EXPECT for role in ROLES]


@pytest.fixture(scope="module")
def world(shared_world):
    """The demo data, built once per module (and per xdist worker) inside a transaction that is
    rolled back at the end (tests/conftest.py); each test runs in a savepoint of it."""
    return shared_world


@pytest.fixture(scope="module")
def sessions(world) -> dict[str, str]:
    """A signed-in session per role, made once for the module (in its shared transaction); a
    request that changes or ends one is rolled back with its savepoint."""
    keys = {}
    for role in ROLES:
        if role != "anonymous":
            client = Client()
            client.force_login(world.users[role])
            keys[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return keys


def test_every_url_has_a_row():
    """A view added without a row here fails, and so does a row for a URL that is gone."""
    stale = sorted(set(EXPECT) - set(PATTERNS))
    missing = sorted(set(PATTERNS) - set(EXPECT))
    assert not missing, f"URL patterns with no row in EXPECT (add one): {missing}"
    assert not stale, f"EXPECT rows for URL patterns that no longer exist: {stale}"


@pytest.mark.parametrize(("url_name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_url_for_role(url_name, role, world, sessions, db):
    """GET and POST of one URL as one role: the status in EXPECT, and nothing changed unless the
    request was allowed to change something."""
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]
    url = reverse(url_name, kwargs=kwargs_for(url_name, PATTERNS[url_name], world))
    data = post_data(url_name, world)
    failures = []
    for method in ("GET", "POST"):
        want = expected(url_name, method, role)
        # Each request in a savepoint rolled back afterwards: the POST sees what the GET saw.
        with transaction.atomic():
            before = snapshot()
            response = client.get(url) if method == "GET" else client.post(url, data)
            got = outcome(response)
            after = snapshot()
            transaction.set_rollback(True)
        if got != want:
            failures.append(f"{method} {url}: {got}, expected {want}")
        if method == "GET" and got == 200 and "text/html" in response.get("Content-Type", ""):
            # The CSP forbids inline code: a page that had it would break in the browser.
            failures += [f"GET {url}: {p}" for p in inline_code(response.content.decode())]
        if (want in FORBIDDEN or method == "GET") and changes(before, after):
            failures.append(f"{method} {url} changed data: " + "; ".join(changes(before, after)))
        if method == "POST" and got == 302 and url_name in WRITES and not changes(before, after):
            failures.append(f"POST {url} was allowed (302) but changed nothing")
    assert not failures, "\n".join(failures)


def test_admin_is_for_staff_only(client, world, db):
    """Django's admin is staff-gated: everybody else is sent to its sign-in page."""
    for role in ("reader", "staff", "colead_wg1", "focal_kenya"):
        client.force_login(world.users[role])
        response = client.get("/admin/")
        assert response.status_code == 302, role
        assert "/admin/login/" in response["Location"], role
    client.force_login(world.users["admin"])
    assert client.get("/admin/").status_code == 200


def test_forged_ids_and_hidden_fields(client, world, db):
    """Ids changed in URLs and POST bodies, and fields the form does not show, change nothing."""
    from surveys.models import Answer, Response
    from workinggroups.models import Deliverable, Resource

    o = world.objects
    deliverable = o["deliverable"]
    soon = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()

    # A WG1 co-lead moves WG1's deliverable into WG4 with a hidden field: ignored.
    client.force_login(world.users["colead_wg1"])
    url = reverse("workinggroups:deliverable-edit", args=[deliverable.pk])
    data = {
        "title": deliverable.title,
        "kind": deliverable.kind,
        "workplan": deliverable.workplan_id,
        "due_date": soon,
        "reason": "Forged group",
        "working_group": o["wg4"].pk,
    }
    client.post(url, data)
    deliverable.refresh_from_db()
    assert deliverable.working_group_id == o["wg1"].pk
    # ... or with WG4's workplan: the form refuses it, nothing changes.
    history = deliverable.history.count()
    response = client.post(url, {**data, "workplan": o["wg4_workplan"].pk})
    assert response.status_code == 200
    assert deliverable.history.count() == history
    # Editing WG4's deliverable through its own id: 403, unchanged.
    wg4_deliverable = o["wg4_deliverable"]
    response = client.post(
        reverse("workinggroups:deliverable-edit", args=[wg4_deliverable.pk]),
        {**data, "workplan": wg4_deliverable.workplan_id, "title": "Taken over"},
    )
    assert response.status_code == 403
    wg4_deliverable.refresh_from_db()
    assert wg4_deliverable.title != "Taken over"
    # Adding a deliverable to WG1 with WG4's workplan: refused, nothing created.
    count = Deliverable.objects.count()
    response = client.post(
        reverse("workinggroups:deliverable-add", args=[o["wg1"].pk]),
        {**data, "workplan": o["wg4_workplan"].pk, "title": "Smuggled"},
    )
    assert response.status_code == 200
    assert Deliverable.objects.count() == count

    # The WG4 co-lead adds a resource to WG1 by naming it in the body: refused.
    client.force_login(world.users["colead_wg4"])
    count = Resource.objects.count()
    response = client.post(
        reverse("workinggroups:resource-add"),
        {
            "title": "Smuggled",
            "kind": o["resource"].kind,
            "layer": o["resource"].layer,
            "working_group": o["wg1"].pk,
        },
    )
    assert response.status_code == 200
    assert Resource.objects.count() == count

    # The Kenya focal point answers in Kenya's own URL with Lebanon's ids in the body: the
    # answer is Kenya's; Lebanon's answer is untouched. Lebanon's URL: 404.
    client.force_login(world.users["focal_kenya"])
    q = o["question"]
    lebanon_answer = Answer.objects.get(response=o["lebanon_response"], question=q)
    args = [o["round"].pk, o["kenya"].pk, q.pk]
    client.post(
        reverse("surveys:answer-save", args=args),
        {
            f"q_{q.pk}": "Kenya's answer",
            f"v_{q.pk}": "0",
            "response": o["lebanon_response"].pk,
            "society": o["lebanon"].pk,
            "question": q.pk,
        },
    )
    kenya_response = Response.objects.get(round=o["round"], society=o["kenya"])
    assert Answer.objects.get(response=kenya_response, question=q).value == "Kenya's answer"
    forged = [o["round"].pk, o["lebanon"].pk, q.pk]
    response = client.post(
        reverse("surveys:answer-save", args=forged), {f"q_{q.pk}": "Hijack", f"v_{q.pk}": "1"}
    )
    assert response.status_code == 404
    lebanon_answer.refresh_from_db()
    assert lebanon_answer.value == "Lebanon's own answer"
    # A question id that is not in the round's questionnaire: 404.
    response = client.post(
        reverse("surveys:answer-save", args=[o["round"].pk, o["kenya"].pk, 999_999]),
        {"q_999999": "x", "v_999999": "0"},
    )
    assert response.status_code == 404

    # Confirming somebody else's import token: sent back, nothing imported.
    client.force_login(world.users["colead_wg1"])
    count = Resource.objects.count()
    response = client.post(reverse("workinggroups:resource-import-confirm"), {"token": "0" * 32})
    assert response.status_code == 302
    assert Resource.objects.count() == count
