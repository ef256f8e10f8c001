"""Working-group permissions beyond the access table: unknown and forged ids, hidden fields.

Every URL for every role (statuses, and that forbidden requests change nothing) is in
tests/test_access_table.py.
"""

from django.apps import apps
from django.urls import reverse


def snapshot() -> tuple:
    """Row counts of every working-group and progress model and of their histories."""
    counts = []
    for label in ("workinggroups", "roadmap"):
        for model in apps.get_app_config(label).get_models():
            counts.append((model._meta.label, model.objects.count()))
    return tuple(counts)


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
    """To the person's group in its own roadmap (the new one, once a group is carried over)."""
    roadmap = f"?roadmap={world.roadmap.pk}"
    client.force_login(world.colead4)
    assert client.get(reverse("workinggroups:mine"))["Location"] == (
        reverse("workinggroups:detail", args=[4]) + roadmap
    )
    client.force_login(world.member1)
    assert client.get(reverse("workinggroups:mine"))["Location"] == (
        reverse("workinggroups:detail", args=[1]) + roadmap
    )
    client.force_login(world.reader)
    assert client.get(reverse("workinggroups:mine"))["Location"] == reverse("workinggroups:list")
