"""Every working-group view against every role, table-driven.

Roles: admin, co-lead of WG1 (the group owning the objects), co-lead of WG4, member of WG1,
reader, National Society focal point, anonymous. Forbidden requests answer 403 (or send the
anonymous person to sign in) and change nothing.
"""

import datetime

import pytest
from django.apps import apps
from django.urls import reverse

ROLES = ["admin", "colead1", "colead4", "member1", "reader", "focal", "anonymous"]
SIGNED_IN = set(ROLES) - {"anonymous"}
MANAGERS = {"admin", "colead1"}
CONTRIBUTORS = {"admin", "colead1", "member1"}
IMPORTERS = {"admin", "colead1", "colead4"}
TODAY = datetime.date.today().isoformat()


def snapshot() -> tuple:
    """Row counts of every working-group and progress model and of their histories."""
    counts = []
    for label in ("workinggroups", "roadmap"):
        for model in apps.get_app_config(label).get_models():
            counts.append((model._meta.label, model.objects.count()))
    return tuple(counts)


# name, method, url(world), data(world) or None, allowed roles
CASES = [
    ("list", "get", lambda w: reverse("workinggroups:list"), None, SIGNED_IN),
    ("detail", "get", lambda w: reverse("workinggroups:detail", args=[1]), None, SIGNED_IN),
    ("detail-other", "get", lambda w: reverse("workinggroups:detail", args=[4]), None, SIGNED_IN),
    ("deliverable", "get", lambda w: w.deliverable.get_absolute_url(), None, SIGNED_IN),
    ("meeting", "get", lambda w: w.meeting.get_absolute_url(), None, SIGNED_IN),
    ("resources", "get", lambda w: reverse("workinggroups:resources"), None, SIGNED_IN),
    (
        "export-csv",
        "get",
        lambda w: reverse("workinggroups:resource-export", args=["csv"]),
        None,
        SIGNED_IN,
    ),
    (
        "export-xlsx",
        "get",
        lambda w: reverse("workinggroups:resource-export", args=["xlsx"]),
        None,
        SIGNED_IN,
    ),
    ("template", "get", lambda w: reverse("workinggroups:resource-template"), None, SIGNED_IN),
    (
        "deliverable-add-form",
        "get",
        lambda w: reverse("workinggroups:deliverable-add", args=[w.wg1.pk]),
        None,
        MANAGERS,
    ),
    (
        "deliverable-edit-form",
        "get",
        lambda w: reverse("workinggroups:deliverable-edit", args=[w.deliverable.pk]),
        None,
        MANAGERS,
    ),
    (
        "milestone-edit-form",
        "get",
        lambda w: reverse("workinggroups:milestone-edit", args=[w.milestone.pk]),
        None,
        MANAGERS,
    ),
    (
        "meeting-add-form",
        "get",
        lambda w: reverse("workinggroups:meeting-add", args=[w.wg1.pk]),
        None,
        MANAGERS,
    ),
    (
        "resource-edit-form",
        "get",
        lambda w: reverse("workinggroups:resource-edit", args=[w.resource.pk]),
        None,
        MANAGERS,
    ),
    (
        "progress-form",
        "get",
        lambda w: reverse("workinggroups:progress-add", args=[w.deliverable.pk]),
        None,
        CONTRIBUTORS,
    ),
    (
        "meeting-edit-form",
        "get",
        lambda w: reverse("workinggroups:meeting-edit", args=[w.meeting.pk]),
        None,
        CONTRIBUTORS,
    ),
    ("resource-add-form", "get", lambda w: reverse("workinggroups:resource-add"), None, IMPORTERS),
    (
        "resource-import-form",
        "get",
        lambda w: reverse("workinggroups:resource-import"),
        None,
        IMPORTERS,
    ),
    (
        "membership-add-form",
        "get",
        lambda w: reverse("workinggroups:membership-add", args=[w.wg1.pk]),
        None,
        MANAGERS,
    ),
    (
        "members",
        "get",
        lambda w: reverse("workinggroups:members", args=[w.wg1.pk]),
        None,
        SIGNED_IN,
    ),
    (
        "membership-add",
        "post",
        lambda w: reverse("workinggroups:membership-add", args=[w.wg1.pk]),
        lambda w: {"role": "member", "organisation": w.ifrc.pk},
        MANAGERS,
    ),
    (
        "membership-end",
        "post",
        lambda w: reverse("workinggroups:membership-end", args=[w.membership.pk]),
        lambda w: {},
        MANAGERS,
    ),
    (
        "workplan-add",
        "post",
        lambda w: reverse("workinggroups:workplan-add", args=[w.wg1.pk]),
        lambda w: {"year": 2024, "summary": "Next year"},
        MANAGERS,
    ),
    (
        "deliverable-add",
        "post",
        lambda w: reverse("workinggroups:deliverable-add", args=[w.wg1.pk]),
        lambda w: {"workplan": w.plan1.pk, "title": "New mapping", "kind": "mapping"},
        MANAGERS,
    ),
    (
        "deliverable-edit",
        "post",
        lambda w: reverse("workinggroups:deliverable-edit", args=[w.deliverable.pk]),
        lambda w: {
            "workplan": w.plan1.pk,
            "title": "Renamed",
            "kind": "toolkit",
            "reason": "scope changed",
        },
        MANAGERS,
    ),
    (
        "deliverable-archive",
        "post",
        lambda w: reverse("workinggroups:deliverable-archive", args=[w.deliverable.pk]),
        lambda w: {"reason": "dropped"},
        MANAGERS,
    ),
    (
        "milestone-add",
        "post",
        lambda w: reverse("workinggroups:milestone-add", args=[w.deliverable.pk]),
        lambda w: {"title": "Webinar 1", "date": "2023-01-31", "attendance": 80},
        MANAGERS,
    ),
    (
        "milestone-edit",
        "post",
        lambda w: reverse("workinggroups:milestone-edit", args=[w.milestone.pk]),
        lambda w: {"title": "Moved", "date": "2023-02-28"},
        MANAGERS,
    ),
    (
        "milestone-toggle",
        "post",
        lambda w: reverse("workinggroups:milestone-toggle", args=[w.milestone.pk]),
        lambda w: {},
        MANAGERS,
    ),
    (
        "meeting-add",
        "post",
        lambda w: reverse("workinggroups:meeting-add", args=[w.wg1.pk]),
        lambda w: {"date": "2023-05-02", "kind": "monthly", "title": "May"},
        MANAGERS,
    ),
    (
        "action-add",
        "post",
        lambda w: reverse("workinggroups:action-add", args=[w.meeting.pk]),
        lambda w: {"description": "Send the notes", "due_date": "2023-05-09"},
        MANAGERS,
    ),
    (
        "action-toggle",
        "post",
        lambda w: reverse("workinggroups:action-toggle", args=[w.item.pk]),
        lambda w: {},
        MANAGERS,
    ),
    (
        "resource-edit",
        "post",
        lambda w: reverse("workinggroups:resource-edit", args=[w.resource.pk]),
        lambda w: {"title": "Renamed course", "kind": "pss_course", "working_group": w.wg1.pk},
        MANAGERS,
    ),
    (
        "resource-archive",
        "post",
        lambda w: reverse("workinggroups:resource-archive", args=[w.resource.pk]),
        lambda w: {},
        MANAGERS,
    ),
    (
        "progress-add",
        "post",
        lambda w: reverse("workinggroups:progress-add", args=[w.deliverable.pk]),
        lambda w: {
            "date": TODAY,
            "status": "on_track",
            "percent_complete": 30,
            "narrative": "Half the courses mapped.",
        },
        CONTRIBUTORS,
    ),
    (
        "meeting-edit",
        "post",
        lambda w: reverse("workinggroups:meeting-edit", args=[w.meeting.pk]),
        lambda w: {
            "date": "2023-02-01",
            "kind": "monthly",
            "minutes": "We met.",
            "decisions": "Go ahead.",
        },
        CONTRIBUTORS,
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,method,url,data,allowed", CASES, ids=[case[0] for case in CASES])
def test_view_by_role(client, world, role, name, method, url, data, allowed):
    if role != "anonymous":
        client.force_login(getattr(world, role))
    target = url(world)
    before = snapshot()
    if method == "get":
        response = client.get(target)
    else:
        response = client.post(target, data(world))
    after = snapshot()

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert after == before
    elif role in allowed:
        assert response.status_code in (200, 302), response.content[:500]
        if method == "post":
            assert response.status_code == 302
            assert after != before, "an allowed POST must change something"
    else:
        assert response.status_code == 403
        assert after == before


@pytest.mark.parametrize(
    "name,url",
    [
        (
            "membership-end",
            lambda w: reverse("workinggroups:membership-end", args=[w.membership.pk]),
        ),
        (
            "milestone-toggle",
            lambda w: reverse("workinggroups:milestone-toggle", args=[w.milestone.pk]),
        ),
        ("action-toggle", lambda w: reverse("workinggroups:action-toggle", args=[w.item.pk])),
        (
            "deliverable-archive",
            lambda w: reverse("workinggroups:deliverable-archive", args=[w.deliverable.pk]),
        ),
        (
            "resource-archive",
            lambda w: reverse("workinggroups:resource-archive", args=[w.resource.pk]),
        ),
    ],
)
def test_post_only_views_refuse_get(client, world, name, url):
    client.force_login(world.admin)
    before = snapshot()
    assert client.get(url(world)).status_code == 405
    assert snapshot() == before


def test_unknown_ids_are_404(client, world):
    client.force_login(world.admin)
    for target in [
        reverse("workinggroups:detail", args=[99]),
        reverse("workinggroups:deliverable", args=[9999]),
        reverse("workinggroups:meeting", args=[9999]),
        reverse("workinggroups:deliverable-edit", args=[9999]),
    ]:
        assert client.get(target).status_code == 404


def test_wg1_co_lead_cannot_reach_wg4_by_editing_ids(client, world):
    client.force_login(world.colead1)
    before = snapshot()
    forged = [
        reverse("workinggroups:deliverable-edit", args=[world.deliverable4.pk]),
        reverse("workinggroups:deliverable-archive", args=[world.deliverable4.pk]),
        reverse("workinggroups:progress-add", args=[world.deliverable4.pk]),
        reverse("workinggroups:milestone-add", args=[world.deliverable4.pk]),
        reverse("workinggroups:membership-add", args=[world.wg4.pk]),
        reverse("workinggroups:workplan-add", args=[world.wg4.pk]),
        reverse("workinggroups:meeting-add", args=[world.wg4.pk]),
    ]
    for target in forged:
        response = client.post(
            target,
            {
                "title": "x",
                "kind": "other",
                "workplan": world.plan4.pk,
                "reason": "x",
                "year": 2030,
            },
        )
        assert response.status_code == 403, target
    assert snapshot() == before


def test_hidden_field_pointing_at_another_group_is_refused(client, world):
    """A WG1 co-lead adding a deliverable to WG1 but naming WG4's workplan changes nothing."""
    client.force_login(world.colead1)
    before = snapshot()
    response = client.post(
        reverse("workinggroups:deliverable-add", args=[world.wg1.pk]),
        {"workplan": world.plan4.pk, "title": "Sneaky", "kind": "other"},
    )
    assert response.status_code == 200
    assert "workplan" in response.context["form"].errors
    assert snapshot() == before


def test_my_group_redirects(client, world):
    client.force_login(world.colead4)
    assert client.get(reverse("workinggroups:mine"))["Location"] == reverse(
        "workinggroups:detail", args=[4]
    )
    client.force_login(world.member1)
    assert client.get(reverse("workinggroups:mine"))["Location"] == reverse(
        "workinggroups:detail", args=[1]
    )
    client.force_login(world.reader)
    assert client.get(reverse("workinggroups:mine"))["Location"] == reverse("workinggroups:list")
