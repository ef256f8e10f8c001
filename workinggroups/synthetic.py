"""Synthetic working-group data for ``roadmap.synthetic.generate``: memberships, workplans,
deliverables with updates and evidence, meetings with action items, and the resource mapping."""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from roadmap.models import Evidence, ProgressUpdate
from roadmap.synthetic import DEMO, REGIONS, STATUSES, Batch

from .models import (
    ActionItem,
    Deliverable,
    FrameworkLayer,
    Meeting,
    Membership,
    Resource,
    WorkingGroup,
    Workplan,
)


def is_seeded() -> bool:
    return Resource.objects.filter(title__startswith=DEMO).exists()


def generate(batch: Batch) -> None:
    groups = list(WorkingGroup.objects.filter(roadmap=batch.roadmap).top_level().order_by("number"))
    if not groups:
        raise RuntimeError("No working groups: load the reference data first.")
    sizes, scale = batch.sizes, batch.scale
    _memberships(sizes, scale, groups, batch.societies)
    plans = _workplans(groups)
    _deliverables(sizes, scale, groups, plans, batch.author)
    _meetings(sizes, scale, groups, batch.people)
    _resources(sizes, scale, groups, batch.societies)


def _memberships(sizes, scale, groups, societies) -> None:
    today = timezone.localdate()
    rows = []
    for offset, group in enumerate(groups):
        already = set(
            group.memberships.exclude(organisation=None).values_list("organisation_id", flat=True)
        )
        want = min(sizes.members_per_group * scale, len(societies))
        # Each group starts at a different society so the groups overlap only partly.
        start = offset * len(societies) // max(len(groups), 1)
        chosen = [societies[(start + i) % len(societies)] for i in range(want)]
        for i, society in enumerate(chosen):
            if society.pk in already:
                continue
            rows.append(
                Membership(
                    working_group=group,
                    organisation=society,
                    role=Membership.Role.OBSERVER if i % 10 == 9 else Membership.Role.MEMBER,
                    joined_on=today - datetime.timedelta(days=30 + (i * 7) % 900),
                )
            )
    Membership.objects.bulk_create(rows, batch_size=1000)
    sizes.counts["memberships"] = len(rows)


def _workplans(groups) -> dict:
    year = timezone.localdate().year
    plans = {}
    for group in groups:
        plan, _created = Workplan.objects.get_or_create(
            working_group=group, year=year, defaults={"summary": f"{DEMO} workplan {year}"}
        )
        plans[group.pk] = plan
    return plans


def _write_evidence_file(index: int) -> str:
    """A small text file under MEDIA_ROOT/evidence/ with a random name, as uploads get."""
    name = f"evidence/{uuid.uuid4().hex}.txt"
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"Demo evidence file {index}: attendance list of a webinar.\n")
    return name


def _deliverables(sizes, scale, groups, plans, author) -> None:
    kinds = [k.value for k in Deliverable.Kind]
    count = sizes.deliverables * scale
    start = Deliverable.objects.filter(title__startswith=DEMO).count()
    today = timezone.localdate()
    deliverables = []
    for i in range(count):
        group = groups[i % len(groups)]
        deliverables.append(
            Deliverable(
                workplan=plans[group.pk],
                working_group=group,  # bulk_create skips save(), which copies it from the plan
                title=f"{DEMO} Deliverable {start + i + 1}: {kinds[i % len(kinds)]} for WG"
                f"{group.number}",
                kind=kinds[i % len(kinds)],
                description="Synthetic deliverable for demonstrations and benchmarks.",
                due_date=today + datetime.timedelta(days=(i * 11) % 400 - 100),
            )
        )
    Deliverable.objects.bulk_create(deliverables, batch_size=1000)
    content_type = ContentType.objects.get_for_model(Deliverable)
    updates = []
    for deliverable in deliverables:
        for k in range(sizes.updates_per_deliverable):
            updates.append(
                ProgressUpdate(
                    content_type=content_type,
                    object_id=deliverable.pk,
                    date=today - datetime.timedelta(days=30 * (sizes.updates_per_deliverable - k)),
                    status=STATUSES[(deliverable.pk + k) % len(STATUSES)],
                    percent_complete=min(100, 10 * (k + 1)),
                    narrative=f"{DEMO} Update {k + 1}: webinars held, materials translated.",
                    blockers="Funding for translation." if k % 4 == 3 else "",
                    next_steps="Next webinar of the series.",
                    author=author,
                )
            )
    ProgressUpdate.objects.bulk_create(updates, batch_size=1000)
    evidence = [
        Evidence(
            update=update,
            title=f"{DEMO} Report of update {n + 1}",
            url=f"https://example.org/demo/evidence/{update.pk}",
            added_by=author,
        )
        for n, update in enumerate(updates)
    ]
    for n, update in enumerate(updates[: sizes.evidence_files]):
        evidence.append(
            Evidence(
                update=update,
                title=f"{DEMO} Attendance list {n + 1}",
                file=_write_evidence_file(n),
                original_filename=f"attendance-{n + 1}.txt",
                content_type="text/plain",
                added_by=author,
            )
        )
    Evidence.objects.bulk_create(evidence, batch_size=1000)
    sizes.counts.update(
        {"deliverables": len(deliverables), "updates": len(updates), "evidence": len(evidence)}
    )


def _meetings(sizes, scale, groups, people) -> None:
    today = timezone.localdate()
    meetings = [
        Meeting(
            working_group=group,
            date=today - datetime.timedelta(days=30 * k),
            title=f"{DEMO} Monthly meeting {k + 1}",
            minutes="Synthetic minutes.",
            decisions="Synthetic decisions.",
        )
        for group in groups
        for k in range(sizes.meetings_per_group * scale)
    ]
    Meeting.objects.bulk_create(meetings, batch_size=1000)
    items = [
        ActionItem(
            meeting=meeting,
            description=f"{DEMO} Circulate the minutes ({k + 1})",
            owner=people[(n + k) % len(people)] if people else None,
            due_date=meeting.date + datetime.timedelta(days=14),
            is_done=k == 0,
        )
        for n, meeting in enumerate(meetings)
        for k in range(2)
    ]
    ActionItem.objects.bulk_create(items, batch_size=1000)
    sizes.counts.update({"meetings": len(meetings), "action items": len(items)})


def _resources(sizes, scale, groups, societies) -> None:
    kinds = [k.value for k in Resource.Kind]
    layers = [layer.value for layer in FrameworkLayer]
    languages = ["English", "English, French", "Spanish", "Arabic, English", "French"]
    start = Resource.objects.filter(title__startswith=DEMO).count()
    rows = []
    for i in range(sizes.resources * scale):
        society = societies[i % len(societies)]
        rows.append(
            Resource(
                title=f"{DEMO} Resource {start + i + 1:06d}: {kinds[i % len(kinds)]}",
                kind=kinds[i % len(kinds)],
                organisation=society,
                countries=[society.country.code],
                regions=",".join(sorted({REGIONS[i % 5], REGIONS[(i * 3) % 5]})),
                languages=languages[i % len(languages)],
                layer=layers[i % len(layers)],
                link=f"https://example.org/demo/resources/{start + i + 1}",
                notes="Synthetic entry of the mapping.",
                working_group=groups[i % len(groups)],
            )
        )
    Resource.objects.bulk_create(rows, batch_size=2000)
    sizes.counts["resources"] = len(rows)
