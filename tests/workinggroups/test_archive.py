"""Archive and restore with a reason (core.archive, roadmap.archive_views): every kind of item,
every role, the lists and figures, the history."""

import datetime

import pytest
from django.urls import reverse

from core.archive import item_archive
from roadmap.models import Evidence, ProgressUpdate
from tests import factories as f
from workinggroups.figures import group_figures
from workinggroups.models import ActionItem, Deliverable, Meeting, Milestone, Resource
from workinggroups.mywork import my_work
from workinggroups.selectors import overdue_action_items, overdue_milestones

HTMX = {"HTTP_HX_REQUEST": "true"}


def _items(world):
    """(url prefix, the item, the page that lists it) for each kind of working-group item."""
    group_page = world.wg1.get_absolute_url()
    return {
        "deliverable": (world.deliverable, group_page),
        "milestone": (world.milestone, world.deliverable.get_absolute_url()),
        "meeting": (world.meeting, group_page),
        "action": (world.item, world.meeting.get_absolute_url()),
        "resource": (world.resource, reverse("workinggroups:resources")),
    }


def _label(obj) -> str:
    return str(getattr(obj, "title", None) or obj.description)


@pytest.mark.parametrize("kind", ["deliverable", "milestone", "meeting", "action", "resource"])
def test_a_co_lead_archives_and_restores_with_a_reason(client, world, kind):
    obj, list_url = _items(world)[kind]
    client.force_login(world.colead1)

    def listed() -> bool:  # in the list, not in the page's history below it
        html = client.get(list_url).content.decode()
        return _label(obj) in html.split('id="history-heading"')[0]

    assert listed()

    archive = reverse(f"workinggroups:{kind}-archive", args=[obj.pk])
    page = client.get(archive)
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()
    response = client.post(archive, {"reason": "Recorded twice by mistake"})
    assert response.status_code == 302
    client.get(response["Location"])  # the message naming it is shown once
    obj.refresh_from_db()
    assert obj.is_archived
    latest = obj.history.first()
    assert latest.history_change_reason == "Recorded twice by mistake"
    assert latest.history_user == world.colead1

    # It leaves the list; the filter shows it, marked, with its reason and a Restore button.
    assert not listed()
    shown = client.get(f"{list_url}?archived=1").content.decode()
    restore = reverse(f"workinggroups:{kind}-restore", args=[obj.pk])
    assert _label(obj) in shown and "Archived" in shown
    assert "Reason: Recorded twice by mistake" in shown and f'href="{restore}"' in shown

    response = client.post(restore, {"reason": "It was the right one"})
    assert response.status_code == 302
    client.get(response["Location"])
    obj.refresh_from_db()
    assert not obj.is_archived
    assert obj.history.first().history_change_reason == "It was the right one"
    assert listed()


@pytest.mark.parametrize("kind", ["deliverable", "meeting"])
def test_the_group_history_keeps_both_reasons(client, world, kind):
    obj, _list = _items(world)[kind]
    item_archive(obj=obj, by=world.colead1, reason="A mistake")
    client.force_login(world.colead1)
    client.post(
        reverse(f"workinggroups:{kind}-restore", args=[obj.pk]), {"reason": "Not a mistake"}
    )
    reasons = list(obj.history.values_list("history_change_reason", flat=True)[:2])
    assert reasons == ["Not a mistake", "A mistake"]


def test_the_deliverable_page_history_shows_the_reason(client, world):
    item_archive(obj=world.deliverable, by=world.colead1, reason="Merged into another one")
    client.force_login(world.member1)
    html = client.get(world.deliverable.get_absolute_url()).content.decode()
    assert "Merged into another one" in html and "Archived" in html


def test_a_reason_is_required_plain_and_htmx(client, world):
    client.force_login(world.colead1)
    url = reverse("workinggroups:meeting-archive", args=[world.meeting.pk])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    response = client.post(url, {"reason": ""}, **HTMX)
    html = response.content.decode()
    # The form alone, with its error, status 422: static/js/app.js swaps it in place.
    assert response.status_code == 422 and "<html" not in html
    assert html.lstrip().startswith("<form") and 'id="archive-form"' in html
    assert "This field is required." in html
    world.meeting.refresh_from_db()
    assert not world.meeting.is_archived
    # Valid with htmx: the page goes back to the list (HX-Redirect).
    response = client.post(url, {"reason": "Duplicate"}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == world.wg1.get_absolute_url()


def test_restoring_what_is_not_archived_says_so(client, world):
    client.force_login(world.colead1)
    url = reverse("workinggroups:resource-restore", args=[world.resource.pk])
    response = client.post(url, {"reason": "Back"})
    assert response.status_code == 200 and "This is not archived." in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 302), ("colead1", 302), ("member1", 403), ("colead4", 403), ("reader", 403)],
)
@pytest.mark.parametrize("kind", ["deliverable", "milestone", "meeting", "action", "resource"])
def test_who_archives_group_items(client, world, kind, who, status):
    obj, _list = _items(world)[kind]
    client.force_login(getattr(world, who))
    url = reverse(f"workinggroups:{kind}-archive", args=[obj.pk])
    assert client.post(url, {"reason": "Test"}).status_code == status
    obj.refresh_from_db()
    assert obj.is_archived is (status == 302)


def test_an_unknown_item_is_404(client, world):
    client.force_login(world.colead1)
    url = reverse("workinggroups:meeting-archive", args=[999999])
    assert client.get(url).status_code == 404


# --- progress updates and evidence --------------------------------------------------------


def _update(world, author, **kwargs):
    return f.ProgressUpdateFactory(subject=world.deliverable, author=author, **kwargs)


@pytest.mark.parametrize(
    ("author", "who", "status"),
    [
        ("member1", "member1", 302),  # members correct (and archive) their own updates
        ("colead1", "member1", 403),  # not the co-lead's
        ("member1", "colead1", 302),  # co-leads any in their group
        ("member1", "admin", 302),
        ("member1", "colead4", 403),
        ("member1", "reader", 403),
    ],
)
def test_who_archives_an_update(client, world, author, who, status):
    update = _update(world, getattr(world, author))
    client.force_login(getattr(world, who))
    url = reverse("roadmap:update-archive", args=[update.pk])
    assert client.post(url, {"reason": "Wrong deliverable"}).status_code == status
    update.refresh_from_db()
    assert update.is_archived is (status == 302)


def test_an_archived_update_no_longer_counts(client, world):
    today = datetime.date.today()
    _update(world, world.member1, status="on_track", percent_complete=40, date=today)
    wrong = _update(world, world.member1, status="completed", percent_complete=100, date=today)
    assert group_figures([world.wg1.pk], today)[world.wg1.pk].completed_percent == 100
    client.force_login(world.member1)
    response = client.post(
        reverse("roadmap:update-archive", args=[wrong.pk]), {"reason": "Not finished yet"}
    )
    assert response.status_code == 302
    assert response["Location"] == world.deliverable.get_absolute_url()
    figs = group_figures([world.wg1.pk], today)[world.wg1.pk]
    assert figs.completed_percent == 0 and figs.status != "completed"
    row = Deliverable.objects.filter(pk=world.deliverable.pk).with_latest_progress().get()
    assert (row.latest_status, row.latest_percent) == ("on_track", 40)
    html = client.get(world.deliverable.get_absolute_url()).content.decode()
    assert "Not finished yet" in html  # in the history
    assert f'id="update-{wrong.pk}"' not in html
    shown = client.get(world.deliverable.get_absolute_url() + "?archived=1").content.decode()
    assert f'id="update-{wrong.pk}"' in shown
    assert reverse("roadmap:update-restore", args=[wrong.pk]) in shown


def test_archived_deliverables_leave_the_group_figures(world):
    today = datetime.date(2023, 6, 1)
    before = group_figures([world.wg1.pk], today)[world.wg1.pk].deliverable_count
    item_archive(obj=world.deliverable, by=world.colead1, reason="Dropped")
    assert group_figures([world.wg1.pk], today)[world.wg1.pk].deliverable_count == before - 1


def test_evidence_is_archived_by_whoever_may_correct_its_update(client, world):
    update = _update(world, world.member1)
    evidence = Evidence.objects.create(
        update=update,
        title="Photo of the wrong event",
        url="https://example.org/x",
        added_by=world.member1,
    )
    url = reverse("roadmap:evidence-archive", args=[evidence.pk])
    client.force_login(world.reader)
    assert client.post(url, {"reason": "Wrong photo"}).status_code == 403
    client.force_login(world.member1)
    page = world.deliverable.get_absolute_url()
    assert "Photo of the wrong event" in client.get(page).content.decode()
    response = client.post(url, {"reason": "Wrong photo"})
    assert response.status_code == 302
    client.get(response["Location"])  # the message naming it is shown once
    evidence.refresh_from_db()
    assert evidence.is_archived
    assert evidence.history.first().history_change_reason == "Wrong photo"
    assert (
        "Photo of the wrong event"
        not in client.get(page).content.decode().split('id="history-heading"')[0]
    )
    assert "Photo of the wrong event" in client.get(page + "?archived=1").content.decode()


def test_an_update_on_a_result_is_archived_too(client, world):
    update = f.ProgressUpdateFactory(subject=world.result1, author=world.member1)
    client.force_login(world.colead1)
    response = client.post(reverse("roadmap:update-archive", args=[update.pk]), {"reason": "Dup"})
    assert response["Location"] == reverse("roadmap:result", args=[world.result1.pk])
    assert ProgressUpdate.objects.archived().filter(pk=update.pk).exists()


# --- archived items leave the other lists ----------------------------------------------------


def test_archived_items_leave_my_work_and_the_overdue_lists(client, world):
    today = datetime.date(2023, 6, 1)  # the item and the milestone are overdue then
    before = my_work(world.colead1, world.roadmap, today)
    assert [a.pk for a in before["actions"]] == [world.item.pk]
    assert [m.pk for m in before["milestones"]] == [world.milestone.pk]
    item_archive(obj=world.meeting, by=world.colead1, reason="Never happened")
    item_archive(obj=world.milestone, by=world.colead1, reason="Dropped")
    after = my_work(world.colead1, world.roadmap, today)
    assert after["actions"] == [] and after["milestones"] == []
    assert list(overdue_action_items(world.wg1, today)) == []
    assert list(overdue_milestones(world.wg1, today)) == []
    # The action item itself is not archived: its meeting is, and takes it along.
    assert ActionItem.objects.active().filter(pk=world.item.pk).exists()
    assert not Meeting.objects.active().filter(pk=world.meeting.pk).exists()
    assert not Milestone.objects.active().filter(pk=world.milestone.pk).exists()


# --- edit links on the rows, for those allowed -----------------------------------------------


def test_resource_rows_link_to_their_edit_page_for_those_allowed(client, world):
    other = Resource.objects.create(title="WG4 guide", kind="other", working_group=world.wg4)
    edit = reverse("workinggroups:resource-edit", args=[world.resource.pk])
    edit4 = reverse("workinggroups:resource-edit", args=[other.pk])
    client.force_login(world.colead1)
    html = client.get(reverse("workinggroups:resources")).content.decode()
    assert f'href="{edit}"' in html and f'href="{edit4}"' not in html
    for who in ("member1", "reader"):
        client.force_login(getattr(world, who))
        html = client.get(reverse("workinggroups:resources")).content.decode()
        assert f'href="{edit}"' not in html, who


def test_group_rows_link_to_their_edit_pages_for_those_allowed(client, world):
    deliverable_edit = reverse("workinggroups:deliverable-edit", args=[world.deliverable.pk])
    meeting_edit = reverse("workinggroups:meeting-edit", args=[world.meeting.pk])
    client.force_login(world.colead1)
    html = client.get(world.wg1.get_absolute_url()).content.decode()
    assert f'href="{deliverable_edit}"' in html and f'href="{meeting_edit}"' in html
    client.force_login(world.member1)  # members write the minutes, nothing else
    html = client.get(world.wg1.get_absolute_url()).content.decode()
    assert f'href="{deliverable_edit}"' not in html and f'href="{meeting_edit}"' in html
    client.force_login(world.reader)
    html = client.get(world.wg1.get_absolute_url()).content.decode()
    assert f'href="{deliverable_edit}"' not in html and f'href="{meeting_edit}"' not in html


# --- query counts stay pinned with the filter --------------------------------------------------


def test_lists_with_archived_rows_stay_bounded(client, world, django_assert_max_num_queries):
    for n in range(6):
        item_archive(
            obj=Resource.objects.create(title=f"Old {n}", kind="other", working_group=world.wg1),
            by=world.colead1,
            reason=f"Gone {n}",
        )
        meeting = Meeting.objects.create(working_group=world.wg1, date=datetime.date(2023, 1, 1))
        item_archive(obj=meeting, by=world.colead1, reason=f"Gone {n}")
    client.force_login(world.colead1)
    client.get(world.wg1.get_absolute_url())  # warm the caches (content types, session)
    with django_assert_max_num_queries(30):
        html = client.get(world.wg1.get_absolute_url() + "?archived=1").content.decode()
    assert html.count("Reason: Gone") == 6
    with django_assert_max_num_queries(15):
        html = client.get(reverse("workinggroups:resources") + "?archived=1").content.decode()
    assert html.count("Reason: Gone") == 6


def test_the_service_wants_a_reason_and_a_change(world):
    from django.core.exceptions import ValidationError

    from core.archive import item_restore

    with pytest.raises(ValidationError, match="Say why you archive it."):
        item_archive(obj=world.resource, by=world.colead1, reason="   ")
    item_archive(obj=world.resource, by=world.colead1, reason="Outdated")
    with pytest.raises(ValidationError, match="This is already archived."):
        item_archive(obj=world.resource, by=world.colead1, reason="Again")
    with pytest.raises(ValidationError, match="Say why you restore it."):
        item_restore(obj=world.resource, by=world.colead1, reason="")
    assert world.resource.history.count() == 2  # created, archived: nothing for the refusals
    assert list(Resource.objects.archived()) == [world.resource]
    assert world.resource not in Resource.objects.active()
    assert world.resource not in Resource.objects.public()


EDITED = {"deliverable": "title", "milestone": "title", "meeting": "title", "action": "description"}


@pytest.mark.parametrize(
    "kind", ["deliverable", "milestone", "meeting", "action", "resource", "update"]
)
def test_an_archived_item_is_read_only_until_restored(client, world, kind):
    """An old link to the edit page of an archived item: the page says it is archived, a
    submit changes nothing and says why; once restored, the same submit saves."""
    from core.concurrency import ARCHIVED_MESSAGE
    from tests.helpers import form_data

    if kind == "update":
        obj = _update(world, world.colead1, narrative="As first written")
        edit, field = reverse("workinggroups:progress-edit", args=[obj.pk]), "narrative"
    else:
        obj = _items(world)[kind][0]
        edit, field = (
            reverse(f"workinggroups:{kind}-edit", args=[obj.pk]),
            EDITED.get(kind, "title"),
        )
    client.force_login(world.colead1)
    loaded = client.get(edit)  # the form as it was before the item was archived
    data = {**form_data(loaded.context["form"]), field: "Changed after archiving"}
    data.setdefault("reason", "Fixing a typo")  # the forms that ask why
    item_archive(obj=obj, by=world.colead1, reason="Recorded twice")
    before = getattr(type(obj).objects.get(pk=obj.pk), field)

    page = client.get(edit).content.decode()
    assert page.count("This item is archived, so it cannot be changed.") == 1
    refused = client.post(edit, data)
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors() == [str(ARCHIVED_MESSAGE)]
    stored = type(obj).objects.get(pk=obj.pk)
    assert getattr(stored, field) == before and stored.is_archived

    from core.archive import item_restore

    item_restore(obj=stored, by=world.colead1, reason="It was the right one")
    data.update(form_data(client.get(edit).context["form"]), **{field: "Changed after restoring"})
    assert client.post(edit, data).status_code == 302
    assert getattr(type(obj).objects.get(pk=obj.pk), field) == "Changed after restoring"


@pytest.mark.parametrize("kind", ["milestone", "action"])
def test_an_archived_item_is_not_ticked_from_a_page_open_from_before(client, world, kind):
    obj = _items(world)[kind][0]
    client.force_login(world.colead1)
    item_archive(obj=obj, by=world.colead1, reason="Dropped")
    toggle = reverse(f"workinggroups:{kind}-toggle", args=[obj.pk])
    done_before = type(obj).objects.get(pk=obj.pk).is_done
    client.post(toggle, {"done": "0" if done_before else "1"}, **HTMX)
    assert type(obj).objects.get(pk=obj.pk).is_done == done_before
