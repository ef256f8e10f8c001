"""Stale forms on every edit page (issue 13): two people load the same form, the first saves,
the second's submit is refused with both versions shown and nothing changes; submitting again
(the form now carries the current version) wins. A submit without a version is refused the same
way. One mechanism, core.concurrency, also behind the Django admin's change forms."""

from html import unescape
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories as f
from tests.helpers import admin_form_data, form_data
from tests.reports.factories import EditionFactory
from tests.workinggroups.conftest import world  # noqa: F401 - the shared small world

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _cases(w):
    """(name, url, first person, second person, field, theirs, yours, stored value now)."""
    update = f.ProgressUpdateFactory(subject=w.deliverable, author=w.member1)
    result_update = f.ProgressUpdateFactory(subject=w.result1, author=w.member1)
    second_admin = f.AdminFactory(email="admin2@example.org", full_name="Second Admin")
    indicator = f.IndicatorFactory(area=w.area1)
    value = f.IndicatorValueFactory(indicator=indicator, year=2022)
    edition = EditionFactory(created_by=w.admin)
    return [
        (
            "working-group details",
            reverse("workinggroups:group-edit", args=[w.wg1.pk]),
            w.colead1,
            w.admin,
            "description",
            "Description by the co-lead",
            "Description by the admin",
            lambda: type(w.wg1).objects.get(pk=w.wg1.pk).description,
        ),
        (
            "deliverable",
            reverse("workinggroups:deliverable-edit", args=[w.deliverable.pk]),
            w.colead1,
            w.admin,
            "title",
            "Title by the co-lead",
            "Title by the admin",
            lambda: type(w.deliverable).objects.get(pk=w.deliverable.pk).title,
        ),
        (
            "milestone",
            reverse("workinggroups:milestone-edit", args=[w.milestone.pk]),
            w.colead1,
            w.admin,
            "title",
            "Milestone by the co-lead",
            "Milestone by the admin",
            lambda: type(w.milestone).objects.get(pk=w.milestone.pk).title,
        ),
        (
            "meeting minutes",
            reverse("workinggroups:meeting-edit", args=[w.meeting.pk]),
            w.colead1,
            w.member1,
            "minutes",
            "Minutes by the co-lead",
            "Minutes by the member",
            lambda: type(w.meeting).objects.get(pk=w.meeting.pk).minutes,
        ),
        (
            "meeting",
            reverse("workinggroups:meeting-edit", args=[w.meeting.pk]),
            w.colead1,
            w.admin,
            "title",
            "Meeting by the co-lead",
            "Meeting by the admin",
            lambda: type(w.meeting).objects.get(pk=w.meeting.pk).title,
        ),
        (
            "action item",
            reverse("workinggroups:action-edit", args=[w.item.pk]),
            w.colead1,
            w.admin,
            "description",
            "Action by the co-lead",
            "Action by the admin",
            lambda: type(w.item).objects.get(pk=w.item.pk).description,
        ),
        (
            "resource",
            reverse("workinggroups:resource-edit", args=[w.resource.pk]),
            w.colead1,
            w.admin,
            "title",
            "Resource by the co-lead",
            "Resource by the admin",
            lambda: type(w.resource).objects.get(pk=w.resource.pk).title,
        ),
        (
            "deliverable progress update",
            reverse("workinggroups:progress-edit", args=[update.pk]),
            w.colead1,
            w.admin,
            "narrative",
            "Narrative by the co-lead",
            "Narrative by the admin",
            lambda: type(update).objects.get(pk=update.pk).narrative,
        ),
        (
            "result progress update",
            reverse("roadmap:update-edit", args=[result_update.pk]),
            second_admin,
            w.admin,
            "narrative",
            "Narrative by the second admin",
            "Narrative by the admin",
            lambda: type(result_update).objects.get(pk=result_update.pk).narrative,
        ),
        (
            "indicator value",
            reverse("roadmap:indicator-value-edit", args=[value.pk]),
            second_admin,
            w.admin,
            "note",
            "Note by the second admin",
            "Note by the admin",
            lambda: type(value).objects.get(pk=value.pk).note,
        ),
        (
            "report edition",
            reverse("reports:edition-update", args=[edition.pk]),
            second_admin,
            w.admin,
            "executive_summary",
            "Summary by the second admin",
            "Summary by the admin",
            lambda: type(edition).objects.get(pk=edition.pk).executive_summary,
        ),
    ]


CASE_NAMES = [
    "working-group details",
    "deliverable",
    "milestone",
    "meeting minutes",
    "meeting",
    "action item",
    "resource",
    "deliverable progress update",
    "result progress update",
    "indicator value",
    "report edition",
]


@pytest.mark.parametrize("name", CASE_NAMES)
def test_a_stale_submit_changes_nothing_then_a_resubmit_wins(world, name):  # noqa: F811
    case = SimpleNamespace(
        **dict(
            zip(
                ["name", "url", "first", "second", "field", "theirs", "yours", "stored"],
                next(c for c in _cases(world) if c[0] == name),
                strict=True,
            )
        )
    )
    first, second = signed_in(case.first), signed_in(case.second)
    # Both load the form before either saves.
    mine = form_data(first.get(case.url).context["form"])
    yours = form_data(second.get(case.url).context["form"])
    assert mine["version"] and mine["version"] == yours["version"]
    before = case.stored()

    mine.update({case.field: case.theirs, "reason": "first change"})
    assert first.post(case.url, mine).status_code == 302
    assert case.stored() == case.theirs

    yours.update({case.field: case.yours, "reason": "second change"})
    refused = second.post(case.url, yours)
    assert refused.status_code == 200
    assert case.stored() == case.theirs != before  # nothing of the stale submit was written
    form = refused.context["form"]
    assert form.conflict is not None
    assert form.conflict.who == str(case.first)
    assert [(d.theirs, d.yours) for d in form.conflict.differences] == [(case.theirs, case.yours)]
    body = refused.content.decode()
    assert f"Changed by {case.first}" in body
    assert case.theirs in body and case.yours in body
    assert "Keep theirs" in body

    # Submitting again is a deliberate choice: the form carries the current version now.
    again = form_data(form)
    assert again["version"] != yours["version"]
    assert second.post(case.url, again).status_code == 302
    assert case.stored() == case.yours


def test_a_submit_from_a_form_loaded_after_the_save_is_not_refused(world):  # noqa: F811
    url = reverse("workinggroups:deliverable-edit", args=[world.deliverable.pk])
    client = signed_in(world.colead1)
    data = form_data(client.get(url).context["form"])
    data.update(title="One", reason="first")
    assert client.post(url, data).status_code == 302
    data = form_data(client.get(url).context["form"])
    data.update(title="Two", reason="second")
    assert client.post(url, data).status_code == 302
    world.deliverable.refresh_from_db()
    assert world.deliverable.title == "Two"


def test_a_stale_htmx_correction_comes_back_in_place_with_both_versions(world):  # noqa: F811
    update = f.ProgressUpdateFactory(subject=world.deliverable, author=world.member1)
    url = reverse("workinggroups:progress-edit", args=[update.pk])
    first, second = signed_in(world.colead1), signed_in(world.admin)
    mine = form_data(first.get(url).context["form"])
    yours = form_data(second.get(url).context["form"])
    first.post(url, {**mine, "narrative": "Theirs", "reason": "r"})
    response = second.post(
        url, {**yours, "narrative": "Mine", "reason": "r"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Theirs" in body and "Mine" in body and 'name="version"' in body
    update.refresh_from_db()
    assert update.narrative == "Theirs"


@pytest.mark.parametrize("kind", ["milestone", "action item"])
def test_two_people_ticking_done_from_the_same_page_leave_it_done(world, kind):  # noqa: F811
    row, url, page = (
        (world.milestone, "workinggroups:milestone-toggle", world.deliverable)
        if kind == "milestone"
        else (world.item, "workinggroups:action-toggle", world.meeting)
    )
    row.is_done = False
    row.save()
    first, second = signed_in(world.colead1), signed_in(world.admin)
    for client in (first, second):
        body = client.get(page.get_absolute_url()).content.decode()
        assert 'name="done" value="1"' in body  # both pages offer "Mark done"
    for client in (first, second):  # the second click comes from a page now stale
        assert client.post(reverse(url, args=[row.pk]), {"done": "1"}).status_code == 302
    row.refresh_from_db()
    assert row.is_done  # not flipped back by the second click
    assert row.history.filter(history_change_reason="marked done").count() == 1
    # Unticking on purpose still works, and a request without a state flips as before.
    first.post(reverse(url, args=[row.pk]), {"done": "0"})
    row.refresh_from_db()
    assert not row.is_done
    first.post(reverse(url, args=[row.pk]))
    row.refresh_from_db()
    assert row.is_done


def _case(w, name) -> SimpleNamespace:
    return SimpleNamespace(
        **dict(
            zip(
                ["name", "url", "first", "second", "field", "theirs", "yours", "stored"],
                next(c for c in _cases(w) if c[0] == name),
                strict=True,
            )
        )
    )


@pytest.mark.parametrize("name", CASE_NAMES)
def test_every_edit_page_sends_its_version(world, name):  # noqa: F811
    """The hidden version is in the page itself, so a browser's submit carries it."""
    case = _case(world, name)
    response = signed_in(case.first).get(case.url)
    version = response.context["form"]["version"].value()
    assert version
    assert f'name="version" value="{version}"' in response.content.decode()


@pytest.mark.parametrize("name", CASE_NAMES)
def test_a_submit_without_a_version_changes_nothing_and_says_so(world, name):  # noqa: F811
    case = _case(world, name)
    client = signed_in(case.second)
    data = form_data(client.get(case.url).context["form"])
    before = case.stored()
    data.pop("version")
    data.update({case.field: case.yours, "reason": "no version"})
    refused = client.post(case.url, data)
    assert refused.status_code == 200
    assert case.stored() == before  # nothing written
    body = refused.content.decode()
    assert "arrived without the version it was loaded from" in body
    assert case.yours in body  # what the person typed is still on screen
    # The refused form now carries the current version: sending it again saves.
    again = form_data(refused.context["form"])
    assert again["version"]
    assert client.post(case.url, again).status_code == 302
    assert case.stored() == case.yours


# ---------------------------------------------------------------- the Django admin's change forms


def _admin_cases(w):
    """(name, change URL, field, first value, second value, stored value now)."""
    person = f.UserFactory(email="someone@example.org", full_name="Some One")
    return {
        "deliverable (with its milestones inline)": (
            reverse("admin:workinggroups_deliverable_change", args=[w.deliverable.pk]),
            "title",
            "Title by the first admin",
            "Title by the second admin",
            lambda: type(w.deliverable).objects.get(pk=w.deliverable.pk).title,
        ),
        "organisation (asks for a reason)": (
            reverse("admin:accounts_organisation_change", args=[w.ifrc.pk]),
            "name",
            "IFRC by the first admin",
            "IFRC by the second admin",
            lambda: type(w.ifrc).objects.get(pk=w.ifrc.pk).name,
        ),
        "person (versioned by its history)": (
            reverse("admin:accounts_user_change", args=[person.pk]),
            "full_name",
            "Name by the first admin",
            "Name by the second admin",
            lambda: type(person).objects.get(pk=person.pk).full_name,
        ),
        "working group (with its memberships inline)": (
            reverse("admin:workinggroups_workinggroup_change", args=[w.wg1.pk]),
            "description",
            "Description by the first admin",
            "Description by the second admin",
            lambda: type(w.wg1).objects.get(pk=w.wg1.pk).description,
        ),
    }


def _superuser(user):
    # Some apps' admins still go by Django's permissions: the superuser holds them all.
    user.is_superuser = True
    user.save()
    return user


ADMIN_CASES = [
    "deliverable (with its milestones inline)",
    "organisation (asks for a reason)",
    "person (versioned by its history)",
    "working group (with its memberships inline)",
]


@pytest.mark.parametrize("name", ADMIN_CASES)
def test_a_stale_admin_change_form_changes_nothing_then_a_resubmit_wins(world, name):  # noqa: F811
    url, field, theirs, yours, stored = _admin_cases(world)[name]
    first_admin = _superuser(world.admin)
    second_admin = f.AdminFactory(
        email="admin2@example.org", full_name="Second Admin", is_superuser=True
    )
    first, second = signed_in(first_admin), signed_in(second_admin)
    mine = admin_form_data(first.get(url))
    other = admin_form_data(second.get(url))
    assert mine["_version"] and mine["_version"] == other["_version"]

    mine.update({field: theirs, "change_reason": "first change"})
    saved = first.post(url, mine)
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    assert stored() == theirs

    other.update({field: yours, "change_reason": "second change"})
    refused = second.post(url, other)
    assert refused.status_code == 200
    assert stored() == theirs  # nothing of the stale submit was written
    body = unescape(refused.content.decode())
    assert f"{world.admin} saved this" in body and "nothing was saved" in body
    assert theirs in body and yours in body  # theirs beside yours

    # The page now carries the current version: submitting it again on purpose wins.
    again = admin_form_data(refused)
    assert again["_version"] != other["_version"]
    assert second.post(url, again).status_code == 302
    assert stored() == yours


@pytest.mark.parametrize("name", ADMIN_CASES)
def test_an_admin_change_form_without_a_version_changes_nothing(world, name):  # noqa: F811
    url, field, _theirs, yours, stored = _admin_cases(world)[name]
    client = signed_in(_superuser(world.admin))
    data = admin_form_data(client.get(url))
    before = stored()
    data.pop("_version")
    data.update({field: yours, "change_reason": "no version"})
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert stored() == before
    assert "arrived without the version it was loaded from" in unescape(refused.content.decode())
    assert client.post(url, admin_form_data(refused)).status_code == 302
    assert stored() == yours


def test_adding_in_the_admin_needs_no_version(world):  # noqa: F811
    from workinggroups.models import Workplan

    client = signed_in(_superuser(world.admin))
    url = reverse("admin:workinggroups_workplan_add")
    assert "_version" not in client.get(url).content.decode()
    response = client.post(url, {"working_group": world.wg1.pk, "year": 2031, "summary": "New"})
    assert response.status_code == 302
    assert Workplan.objects.filter(working_group=world.wg1, year=2031).exists()


def test_every_admin_of_an_edited_model_checks_the_version():
    """Every ModelAdmin of the project's models that carry a version (a change time or a
    history) uses the one mechanism: an admin added later without it fails here."""
    from django.contrib import admin

    from core.concurrency import VersionedAdminMixin, is_versioned

    project = {"accounts", "roadmap", "workinggroups", "surveys", "reports", "jobs"}
    unchecked = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in project
        and is_versioned(model)
        and not isinstance(model_admin, VersionedAdminMixin)
    ]
    assert unchecked == []
    checked = [m for m, a in admin.site._registry.items() if isinstance(a, VersionedAdminMixin)]
    assert len(checked) >= 20
