"""Imports that can be repeated (issue 13): the app's own export imported again updates rows by
id and never duplicates them; the check counts new, updated, unchanged and refused rows before
anything is written, and flags a new row that looks like an existing resource."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jobs.models import Job
from tests import factories as f
from tests.workinggroups import factories as wf
from workinggroups.models import Resource


def _export(client) -> openpyxl.Workbook:
    response = client.get(reverse("workinggroups:resource-export", args=["xlsx"]))
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _upload(book) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("resources.xlsx", buffer.getvalue())


def _check(client, book, group, capture) -> Job:
    with capture(execute=True):
        response = client.post(
            reverse("workinggroups:resource-import"),
            {"file": _upload(book), "working_group": group.pk},
        )
    assert response.status_code == 302
    return Job.objects.filter(kind="resources.check").latest("pk")


def _confirm(client, check, capture) -> Job:
    with capture(execute=True):
        client.post(reverse("workinggroups:resource-import-confirm"), {"job": check.pk})
    return Job.objects.filter(kind="resources.write").latest("pk")


def test_reimporting_the_export_twice_updates_by_id_and_never_duplicates(
    client, world, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    ifrc = world.ifrc
    for i in range(29):
        wf.ResourceFactory(
            working_group=world.wg1, title=f"Guide {i}", organisation=ifrc, countries=["KE"]
        )
    client.force_login(world.colead1)
    book = _export(client)
    headers = [c.value for c in book.active[1]]
    assert headers[0] == "id" and "title" in headers
    assert book.active.max_row == 31  # the header and 30 resources

    for _ in range(2):
        check = _check(client, book, world.wg1, capture)
        assert check.status == "done", check.message
        assert check.summary["counts"] == {"new": 0, "updated": 0, "unchanged": 30, "refused": 0}
        page = client.get(reverse("jobs:detail", args=[check.pk])).content.decode()
        assert "New resources" in page and "Unchanged" in page and "30 unchanged" in page
        write = _confirm(client, check, capture)
        assert write.status == "done", write.message
        assert Resource.objects.count() == 30
        assert "0 resources added, 0 updated, 30 unchanged." in write.message


def test_the_check_counts_each_kind_of_row_and_flags_look_alikes(
    client, world, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    wf.ResourceFactory(
        working_group=world.wg1, title="Stigma toolkit", organisation=world.ifrc, countries=["LB"]
    )
    elsewhere = wf.ResourceFactory(working_group=world.wg4, title="Research guide")
    client.force_login(world.colead1)
    book = _export(client)
    sheet = book.active
    headers = [c.value for c in sheet[1]]
    column = {name: i for i, name in enumerate(headers)}
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    # The export writes ids as text (every cell is escaped); the import reads either.
    ours = [r for r in rows if str(r[column["id"]]) != str(elsewhere.pk)]
    assert len(ours) == 2
    ours[0][column["title"]] = "Renamed in the sheet"
    look_alike = list(ours[1])
    look_alike[column["id"]] = None  # a new row, like the toolkit
    foreign = next(r for r in rows if str(r[column["id"]]) == str(elsewhere.pk))
    book = openpyxl.Workbook()
    book.active.append(headers)
    for row in [*ours, look_alike, foreign]:
        book.active.append(row)
    before = {r.pk: r.title for r in Resource.objects.all()}

    check = _check(client, book, world.wg1, capture)
    counts = check.summary["counts"]
    assert counts == {"new": 1, "updated": 1, "unchanged": 1, "refused": 1}
    assert check.summary["look_alikes"] == [
        {"row": 4, "title": look_alike[column["title"]], "id": int(ours[1][column["id"]])}
    ]
    assert check.errors and check.errors[0]["column"] == "id"
    assert "not one of this working group's resources" in check.errors[0]["message"]
    page = client.get(reverse("jobs:detail", args=[check.pk])).content.decode()
    assert "looks like resource" in page and 'name="job"' not in page
    assert {r.pk: r.title for r in Resource.objects.all()} == before  # nothing written

    # Without the other group's row the file is valid and the import does what it said.
    book.active.delete_rows(5)
    check = _check(client, book, world.wg1, capture)
    assert check.summary["counts"] == {"new": 1, "updated": 1, "unchanged": 1, "refused": 0}
    write = _confirm(client, check, capture)
    assert write.status == "done", write.message
    assert Resource.objects.count() == len(before) + 1
    assert Resource.objects.get(pk=ours[0][column["id"]]).title == "Renamed in the sheet"


def test_an_id_that_is_not_a_number_is_refused_with_its_column(world):
    from workinggroups import services

    book = openpyxl.Workbook()
    book.active.append(["id", "title", "kind"])
    book.active.append(["twelve", "A guide", "PSS course"])
    report = services.resources_import(
        uploaded=_upload(book), group=world.wg1, user=f.AdminFactory(), dry_run=True
    )
    assert report.counts["refused"] == 1
    assert report.errors[0]["column"] == "id" and "twelve" in report.errors[0]["message"]
