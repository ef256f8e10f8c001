"""The deliverable page through the one progress-update flow: query count flat in milestones
and updates, evidence in its history, the htmx error contract, who may correct which update."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from roadmap.models import ProgressUpdate
from roadmap.services import progress_update_create
from tests import factories as f
from tests.helpers import TODAY
from tests.workinggroups import factories as wf

pytestmark = pytest.mark.usefixtures("frozen_today")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _update(deliverable, author, **extra):
    return progress_update_create(
        subject=deliverable,
        author=author,
        date=TODAY,
        status="on_track",
        percent_complete=extra.pop("percent_complete", 20),
        narrative="Drafting.",
        blockers="",
        next_steps="",
        **extra,
    )


def _count(client, url, django_assert_max_num_queries, limit):
    client.get(url)  # warm the session and content types
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response


def test_deliverable_page_queries_do_not_grow_with_milestones(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.member1)
    url = world.deliverable.get_absolute_url()
    _update(world.deliverable, world.member1)
    # Session, user, deliverable with its group, updates, evidence, milestones, the person's
    # memberships (the rules, once), and the history: deliverable, updates, evidence,
    # milestones, people named in it.
    small, _ = _count(client, url, django_assert_max_num_queries, 16)
    for i in range(8):
        milestone = wf.MilestoneFactory(deliverable=world.deliverable, title=f"Step {i}")
        milestone.title = f"Step {i} renamed"
        milestone.save()  # a change in each milestone's history
        _update(world.deliverable, world.colead1, percent_complete=30 + i)
    large, response = _count(client, url, django_assert_max_num_queries, 16)
    assert large == small
    assert len(response.context["milestones"]) == 9
    assert "Step 7 renamed" in response.content.decode()


def test_deliverable_history_lists_the_evidence(client, world):
    _update(
        world.deliverable,
        world.colead1,
        files=[("Workshop minutes", SimpleUploadedFile("m.pdf", PDF, "application/pdf"))],
    )
    client.force_login(world.reader)
    response = client.get(world.deliverable.get_absolute_url())
    labels = [entry.model_label for entry in response.context["diffs"]]
    assert "Evidence" in labels
    assert "Workshop minutes" in [entry.object_label for entry in response.context["diffs"]]


def test_invalid_update_comes_back_in_place_as_on_results(client, world):
    client.force_login(world.member1)
    url = reverse("workinggroups:progress-add", args=[world.deliverable.pk])
    data = {"date": TODAY, "status": "on_track", "percent_complete": "40", "narrative": ""}
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 422
    assert html.lstrip().startswith("<form")
    assert "This field is required" in html
    assert not ProgressUpdate.objects.for_object(world.deliverable).exists()
    # Valid: the page reloads (HX-Redirect), as on a result's page.
    response = client.post(url, {**data, "narrative": "Done"}, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == world.deliverable.get_absolute_url()


def test_members_correct_their_own_updates_only_on_results_and_deliverables(client, world):
    own = _update(world.deliverable, world.member1)
    colead = _update(world.deliverable, world.colead1)
    result_own = f.ProgressUpdateFactory(subject=world.result1, author=world.member1)
    result_colead = f.ProgressUpdateFactory(subject=world.result1, author=world.colead1)
    client.force_login(world.member1)
    for name, mine, theirs in (
        ("workinggroups:progress-edit", own, colead),
        ("roadmap:update-edit", result_own, result_colead),
    ):
        assert client.get(reverse(name, args=[mine.pk])).status_code == 200, name
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 403, name
    # The Correct link shows on the member's own update only.
    body = client.get(world.deliverable.get_absolute_url()).content.decode()
    assert reverse("workinggroups:progress-edit", args=[own.pk]) in body
    assert reverse("workinggroups:progress-edit", args=[colead.pk]) not in body
    # Co-leads correct any update in their group.
    client.force_login(world.colead1)
    assert client.get(reverse("workinggroups:progress-edit", args=[own.pk])).status_code == 200
    assert client.get(reverse("roadmap:update-edit", args=[result_own.pk])).status_code == 200
