"""The resource mapping: filters, export (formula cells escaped) and all-or-nothing import."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jobs.models import Job
from tests.workinggroups import factories as wf
from workinggroups import services
from workinggroups.models import Resource

HEADER = [
    "title",
    "kind",
    "organisation",
    "countries",
    "regions",
    "languages",
    "layer",
    "link",
    "notes",
]


def _rows(n: int, bad_row: int | None = None) -> list[list]:
    rows = []
    for i in range(n):
        kind = "PSS course" if i % 2 else "me_tool"
        rows.append(
            [f"Course {i}", kind, "IFRC", "KE, LB", "Africa", "English", "basic_pss", "", "note"]
        )
    if bad_row is not None:
        rows[bad_row][1] = "not a kind"
    return rows


def _csv(rows) -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return SimpleUploadedFile("resources.csv", buffer.getvalue().encode("utf-8"))


def _xlsx(rows) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("resources.xlsx", buffer.getvalue())


def test_rows_over_several_slices_with_one_bad_row_write_nothing_then_import_fixed(
    world, monkeypatch
):
    """A file of several slices whose bad row is in the third: on SQLite the first two slices
    were written and are deleted again, so nothing stays; fixed, every row is imported. (The
    slice is 500 rows in production; 50 here, with ten times fewer rows, is the same case.)"""
    monkeypatch.setattr(services, "IMPORT_CHECK_SLICE", 50)
    before = Resource.objects.count()
    rows = _rows(200, bad_row=123)
    report = services.resources_import(
        uploaded=_csv(rows), group=world.wg1, user=world.colead1, dry_run=False
    )
    assert not report.is_valid
    # The header is row 1, so the 124th data row is spreadsheet row 125.
    assert report.errors == [{"row": 125, "column": "kind", "message": report.errors[0]["message"]}]
    assert "not a kind" in report.errors[0]["message"]
    assert Resource.objects.count() == before

    rows[123][1] = "stigma"
    report = services.resources_import(
        uploaded=_csv(rows), group=world.wg1, user=world.colead1, dry_run=False
    )
    assert report.is_valid, report.errors[:3]
    assert Resource.objects.count() == before + 200
    imported = Resource.objects.get(title="Course 123")
    assert imported.kind == "stigma"
    assert imported.working_group == world.wg1
    assert [c.code for c in imported.countries] == ["KE", "LB"]
    assert imported.regions == "africa"
    assert imported.history.first().history_user == world.colead1


def test_xlsx_import_reports_row_and_column_and_dry_run_writes_nothing(world):
    rows = _rows(5)
    rows[2][2] = "Unknown Org"
    rows[3][3] = "Atlantis"
    report = services.resources_import(
        uploaded=_xlsx(rows), group=world.wg1, user=world.colead1, dry_run=True
    )
    assert [(e["row"], e["column"]) for e in report.errors] == [
        (4, "organisation"),
        (5, "countries"),
    ]
    rows = _rows(5)
    count = Resource.objects.count()
    report = services.resources_import(
        uploaded=_xlsx(rows), group=world.wg1, user=world.colead1, dry_run=True
    )
    assert report.is_valid
    assert Resource.objects.count() == count


def test_missing_required_value_names_the_column(world):
    rows = _rows(3)
    rows[0][0] = ""
    report = services.resources_import(
        uploaded=_csv(rows), group=world.wg1, user=world.colead1, dry_run=True
    )
    assert [(e["row"], e["column"]) for e in report.errors] == [(2, "title")]


def _post_import(client, file, group, capture):
    # The immediate task backend runs the job when the request's transaction commits.
    with capture(execute=True):
        return client.post(
            reverse("workinggroups:resource-import"), {"file": file, "working_group": group.pk}
        )


def test_import_pages_check_as_a_job_then_confirm(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.colead1)
    count = Resource.objects.count()
    response = _post_import(client, _csv(_rows(3)), world.wg1, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    check = Job.objects.get(owner=world.colead1, kind="resources.check")
    assert response["Location"] == reverse("jobs:detail", args=[check.pk])
    assert (check.status, check.done, check.total) == ("done", 3, 3)
    assert Resource.objects.count() == count
    page = client.get(response["Location"]).content.decode()
    assert "Course 2" in page and 'name="job"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("workinggroups:resource-import-confirm"), {"job": check.pk})
    write = Job.objects.get(owner=world.colead1, kind="resources.write")
    assert response["Location"] == reverse("jobs:detail", args=[write.pk])
    assert write.status == "done"
    assert Resource.objects.count() == count + 3
    assert "3 resources imported." in client.get(response["Location"]).content.decode()


def test_import_page_shows_errors_and_offers_no_confirm(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.colead1)
    response = _post_import(
        client, _csv(_rows(4, bad_row=2)), world.wg1, django_capture_on_commit_callbacks
    )
    body = client.get(response["Location"]).content.decode()
    assert "job-error" in body and "not a kind" in body
    assert 'name="job"' not in body
    check = Job.objects.get(owner=world.colead1)
    assert check.errors[0]["row"] == 4
    # A confirm forged for a check with errors writes nothing.
    client.post(reverse("workinggroups:resource-import-confirm"), {"job": check.pk})
    assert not Job.objects.filter(kind="resources.write").exists()


def test_somebody_else_cannot_confirm_or_see_a_check(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.colead1)
    _post_import(client, _csv(_rows(2)), world.wg1, django_capture_on_commit_callbacks)
    check = Job.objects.get(owner=world.colead1)
    client.force_login(world.colead4)
    assert client.get(reverse("jobs:detail", args=[check.pk])).status_code == 404
    client.post(reverse("workinggroups:resource-import-confirm"), {"job": check.pk})
    assert not Job.objects.filter(kind="resources.write").exists()


def test_co_lead_cannot_import_into_another_group(client, world):
    client.force_login(world.colead4)
    count = Resource.objects.count()
    response = client.post(
        reverse("workinggroups:resource-import"),
        {"file": _csv(_rows(2)), "working_group": world.wg1.pk},
    )
    assert "working_group" in response.context["form"].errors
    assert Resource.objects.count() == count


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_of_the_filtered_list_escapes_formulas(client, world, fmt):
    wf.ResourceFactory(working_group=world.wg1, title='=HYPERLINK("http://evil")', kind="donor")
    wf.ResourceFactory(working_group=world.wg4, title="Digital app", kind="digital")
    client.force_login(world.reader)
    response = client.get(reverse("workinggroups:resource-export", args=[fmt]), {"kind": "donor"})
    assert response.status_code == 200
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
        titles = [row[1] for row in rows[1:]]
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(titles) == 1
    assert not titles[0].startswith("=")
    assert "HYPERLINK" in titles[0]


def test_filters_and_search(client, world):
    wf.ResourceFactory(
        working_group=world.wg4,
        title="Chat line",
        kind="digital",
        countries=["NO"],
        regions="europe_central_asia",
        languages="Norwegian",
        layer="focused_pss",
    )
    wf.ResourceFactory(working_group=world.wg1, title="Poster", kind="stigma", countries=["SN"])
    client.force_login(world.focal)
    url = reverse("workinggroups:resources")

    def titles(**params):
        return [r.title for r in client.get(url, params).context["page"].object_list]

    assert titles(kind="digital") == ["Chat line"]
    assert titles(country="NO") == ["Chat line"]
    assert titles(region="europe_central_asia") == ["Chat line"]
    assert titles(language="norw") == ["Chat line"]
    assert titles(layer="focused_pss") == ["Chat line"]
    assert titles(group=world.wg1.pk, q="post") == ["Poster"]
    assert titles(country="SN", kind="digital") == []


def test_resource_list_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    client.force_login(world.reader)
    url = reverse("workinggroups:resources")
    # Session, user, roadmap (twice: filter choices and import rights), count, one page of
    # resources with organisation and group joined, group choices, session save (3 with its
    # savepoint). Nothing per resource.
    with django_assert_max_num_queries(10):
        client.get(url)
    wf.ResourceFactory.create_batch(40, working_group=world.wg4, organisation=world.ifrc)
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 25


def test_a_file_over_the_row_limit_is_refused_whole(client, world, monkeypatch):
    monkeypatch.setattr(services, "MAX_IMPORT_ROWS", 50)
    client.force_login(world.colead1)
    response = client.post(
        reverse("workinggroups:resource-import"),
        {"file": _csv(_rows(51)), "working_group": world.wg1.pk},
    )
    body = response.content.decode()
    assert "This file has more than 50 rows; import at most 50 at a time" in body
    assert not Job.objects.exists()
    assert not Resource.objects.filter(title__startswith="Course ").exists()
