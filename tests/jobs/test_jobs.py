"""Background jobs: the queue limit, who sees a job, progress, errors by row, expiry, guards."""

import datetime
import io
import time
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job
from jobs.registry import register
from jobs.services import JobError, job_attach, job_enqueue, job_execute
from jobs.uploads import check_spreadsheet
from tests import factories

pytestmark = pytest.mark.django_db


@register("tests.count")
def _count(job, progress):
    for done in range(0, 101, 50):
        progress(done, 100, force=True)
    job_attach(job=job, name="numbers.csv", content=b"n\n1\n2\n")
    job.message = "Counted."


@register("tests.refuse")
def _refuse(job, progress):
    raise JobError("Two rows are wrong.", [{"row": 3, "column": "kind", "message": "Unknown"}])


def _start(user, kind="tests.count"):
    return job_enqueue(owner=user, kind=kind, title="A job", params={})


def test_a_person_has_a_limit_on_waiting_jobs(settings):
    settings.JOB_QUEUE_LIMIT = 2
    person = factories.UserFactory()
    _start(person)
    _start(person)  # nothing runs them: both wait (outside the test, the worker would)
    with pytest.raises(ValidationError) as refused:
        _start(person)
    assert "You already have 2 jobs waiting or running" in refused.value.messages[0]
    # Somebody else is not held back by it.
    _start(factories.UserFactory())
    assert Job.objects.filter(owner=person).count() == 2


def test_only_the_owner_and_admins_see_a_job(client):
    owner, other, admin = factories.UserFactory(), factories.UserFactory(), factories.AdminFactory()
    job = _start(owner)
    job_execute(job_id=job.pk)
    for person, status in [(owner, 200), (admin, 200), (other, 404)]:
        client.force_login(person)
        assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == status
        assert client.get(reverse("jobs:download", args=[job.pk])).status_code == status
    client.logout()
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 302


def test_the_page_polls_while_waiting_then_offers_the_file(client):
    owner = factories.UserFactory()
    job = _start(owner)
    client.force_login(owner)
    url = reverse("jobs:detail", args=[job.pk])
    waiting = client.get(url, headers={"hx-request": "true"}).content.decode()
    assert 'data-hx-trigger="every 2s"' in waiting and "<html" not in waiting
    assert "<progress" in waiting

    job_execute(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 100, 100)
    done = client.get(url, headers={"hx-request": "true"}).content.decode()
    assert "every 2s" not in done and "Counted." in done
    assert reverse("jobs:download", args=[job.pk]) in done
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert b"".join(download.streaming_content) == b"n\n1\n2\n"
    assert 'filename="numbers.csv"' in download["Content-Disposition"]


def test_a_failed_job_shows_its_errors_by_row(client):
    owner = factories.UserFactory()
    job = _start(owner, "tests.refuse")
    job_execute(job_id=job.pk)
    client.force_login(owner)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Two rows are wrong." in page
    assert '<tr class="job-error"><td>3</td><td>kind</td><td>Unknown</td></tr>' in page
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_a_job_runs_once(client):
    job = _start(factories.UserFactory())
    job_execute(job_id=job.pk)
    finished = Job.objects.get(pk=job.pk).finished_at
    job_execute(job_id=job.pk)  # a second delivery of the task changes nothing
    assert Job.objects.get(pk=job.pk).finished_at == finished


def test_expired_results_are_removed_with_their_files(settings):
    settings.JOB_RESULT_DAYS = 3
    old, fresh = _start(factories.UserFactory()), _start(factories.UserFactory())
    job_execute(job_id=old.pk)
    job_execute(job_id=fresh.pk)
    old.refresh_from_db()
    assert old.expires_at - old.finished_at == datetime.timedelta(days=3)
    path = old.result.path
    Job.objects.filter(pk=old.pk).update(expires_at=timezone.now() - datetime.timedelta(hours=1))
    out = io.StringIO()
    call_command("purge_jobs", stdout=out)
    assert "1 expired job(s) removed." in out.getvalue()
    assert list(Job.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not __import__("os").path.exists(path)


# ---------------------------------------------------------------- guards before parsing


def _xlsx(rows: int) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["title", "kind"])
    for n in range(rows):
        sheet.append([f"Course {n}", "me_tool"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _bomb(rows: int = 200_000) -> bytes:
    """A small .xlsx whose sheet unpacks to many rows (declared dimension A1:B1, a lie)."""
    source = zipfile.ZipFile(io.BytesIO(_xlsx(0)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                # Rows without numbers, all alike: they pack to almost nothing, like the issue's.
                body = b"<row><c><v>1</v></c></row>" * rows
                data = data.replace(b"</sheetData>", body + b"</sheetData>")
            bomb.writestr(item, data)
    return out.getvalue()


def _spread_bomb(rows: int = 200_000) -> bytes:
    """Numbered rows (about 1 MB packed, 16 times smaller than unpacked): not a ratio bomb."""
    source = zipfile.ZipFile(io.BytesIO(_xlsx(0)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = "".join(
                    f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(2, rows)
                )
                data = data.replace(b"</sheetData>", body.encode() + b"</sheetData>")
            bomb.writestr(item, data)
    return out.getvalue()


def _guard(content: bytes, name="file.xlsx", **limits):
    limits = {"max_bytes": 10_000_000, "max_uncompressed": 50_000_000, "max_rows": 5000} | limits
    return check_spreadsheet(SimpleUploadedFile(name, content), **limits)


def test_a_zip_bomb_is_refused_in_under_a_second_with_one_message():
    bomb = _bomb()
    assert len(bomb) < 100_000  # the was 89 KB
    started = time.perf_counter()
    with pytest.raises(ValidationError) as refused:
        _guard(bomb)
    assert time.perf_counter() - started < 1
    assert len(refused.value.messages) == 1
    assert "was refused without being read" in refused.value.messages[0]


def test_a_sheet_over_the_row_limit_is_refused_after_reading_just_past_it(monkeypatch):
    # A bomb that packs less tightly gets past the directory check: the row count stops it,
    # after reading 5,001 of its 200,000 rows (about 0.2 s on an idle 2-core machine).
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    read = []
    original = ReadOnlyWorksheet.iter_rows

    def counting(self, *args, **kwargs):
        for row in original(self, *args, **kwargs):
            read.append(1)
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "iter_rows", counting)
    with pytest.raises(ValidationError, match="more than 5000 rows"):
        _guard(_spread_bomb())
    assert len(read) == 5001
    monkeypatch.undo()
    with pytest.raises(ValidationError) as refused:
        _guard(_xlsx(60), max_rows=50)
    assert refused.value.messages == [
        "This file has more than 50 rows; import at most 50 at a time (split the file)."
    ]
    assert _guard(_xlsx(50), max_rows=50) == 50


def test_csv_rows_size_and_unpacked_size_are_checked():
    assert _guard(b"title,kind\na,b\nc,d\n", name="f.csv") == 2
    with pytest.raises(ValidationError, match="more than 1 rows"):
        _guard(b"title,kind\na,b\nc,d\n", name="f.csv", max_rows=1)
    with pytest.raises(ValidationError, match="upload at most"):
        _guard(b"x" * 2000, name="f.csv", max_bytes=1000)
    with pytest.raises(ValidationError, match="unpacks to"):
        _guard(_xlsx(10), max_uncompressed=1000)
    with pytest.raises(ValidationError, match="cannot be read"):
        _guard(b"PK\x03\x04 not a zip")


def test_the_resource_import_refuses_the_bomb_before_any_job(client):
    from tests.workinggroups import factories as wf

    group = wf.WorkingGroupFactory()
    colead = wf.CoLeadFactory(working_group=group).person
    client.force_login(colead)
    response = client.post(
        reverse("workinggroups:resource-import"),
        {"file": SimpleUploadedFile("bomb.xlsx", _bomb()), "working_group": group.pk},
    )
    assert response.status_code == 200
    assert "was refused without being read" in response.content.decode()
    assert not Job.objects.exists()


# ---------------------------------------------------------------- exports as jobs


def test_a_large_workbook_is_offered_then_built_as_a_job(
    client, admin_user, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_INLINE_MAX_ROWS = -1  # even an empty database counts as large
    client.force_login(admin_user)
    page = client.get(reverse("reports:export-workbook"))
    assert page["Content-Type"].startswith("text/html")
    assert 'value="reports.workbook"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("jobs:start"), {"kind": "reports.workbook"})
    job = Job.objects.get(owner=admin_user)
    assert started["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == "done" and job.done == job.total > 0
    download = client.get(reverse("jobs:download", args=[job.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert "Resources" in book.sheetnames


def test_a_large_kind_is_offered_then_built_as_a_job(
    client, admin_user, settings, django_capture_on_commit_callbacks
):
    from tests.workinggroups import factories as wg

    wg.ActionItemFactory(description="Book the speakers")
    settings.EXPORT_INLINE_MAX_ROWS = 1  # a meeting and its action item: two rows
    client.force_login(admin_user)
    page = client.get(reverse("reports:export-kind", args=["meetings", "xlsx"]))
    assert page["Content-Type"].startswith("text/html")
    assert 'value="reports.export_kind"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("jobs:start"),
            {"kind": "reports.export_kind", "export": "meetings", "fmt": "xlsx"},
        )
    job = Job.objects.get(owner=admin_user)
    assert job.status == "done", job.message
    download = client.get(reverse("jobs:download", args=[job.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book.sheetnames == ["Meetings", "Action items"]
    assert book["Action items"]["E2"].value == "Book the speakers"


def test_jobs_start_refuses_an_unknown_kind_and_checks_permissions(client, reader):
    client.force_login(reader)
    assert client.post(reverse("jobs:start"), {"kind": "tests.count"}).status_code == 404
    assert client.post(reverse("jobs:start"), {"kind": "reports.workbook"}).status_code == 403
    assert not Job.objects.exists()
