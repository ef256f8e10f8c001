"""Generating, archiving and reading back the PDF: figures, metadata, Arabic, the command line."""

import hashlib
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse

from reports import services
from reports.models import ReportRun
from roadmap.models import ExpectedResult
from tests.helpers import pdf_objects
from tests.reports.factories import EditionFactory, build_roadmap

needs_poppler = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is needed to read PDFs"
)


def pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_info(path) -> str:
    return subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def edition(admin_user):
    return EditionFactory(created_by=admin_user, title="Progress report to the Council 2025")


def generate(edition, user, language, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.report_generate(edition=edition, language=language, user=user)
    run.refresh_from_db()
    return run


@needs_poppler
def test_generated_pdf_is_archived_and_shows_database_figures(
    edition, admin_user, django_capture_on_commit_callbacks
):
    edition.sections = ["executive_summary", "at_a_glance", "areas"]
    edition.save()
    build_roadmap(areas=2, outputs_per_area=2)
    run = generate(edition, admin_user, "en", django_capture_on_commit_callbacks)

    assert run.status == ReportRun.Status.DONE, run.error
    assert run.version == 1 and run.task_id
    assert run.file.name.startswith("reports/")
    content = run.file.read()
    assert content.startswith(b"%PDF")
    assert run.sha256 == hashlib.sha256(content).hexdigest()

    text = pdf_text(run.file.path)
    outputs = ExpectedResult.objects.filter(kind="output")
    completed = outputs.filter(progress_updates__status="completed").distinct().count()
    assert f"{completed}/{outputs.count()}" in text  # the key figure "outputs completed"
    assert "73%" in text and "74%" in text  # latest indicator values of areas 1 and 2
    assert "Area title 2" in text
    info = pdf_info(run.file.path)
    assert "Progress report to the Council 2025" in info
    assert admin_user.get_full_name() in info
    assert "Tagged:          yes" in info  # PDF/UA-1: a structure tree for screen readers
    assert (
        'pdfuaid:part="1"'
        in subprocess.run(
            ["pdfinfo", "-meta", run.file.path], check=True, capture_output=True, text=True
        ).stdout
    )
    assert b"/Lang (en)" in pdf_objects(content)


def test_a_new_generation_is_a_new_version_and_the_old_one_never_changes(
    edition, admin_user, reader, monkeypatch, django_capture_on_commit_callbacks
):
    pdfs = iter([b"%PDF-1.7 first", b"%PDF-1.7 second"])
    monkeypatch.setattr("reports.rendering.report_pdf", lambda *a, **k: next(pdfs))
    first = generate(edition, admin_user, "en", django_capture_on_commit_callbacks)
    first_name, first_sum = first.file.name, first.sha256
    second = generate(edition, reader, "fr", django_capture_on_commit_callbacks)

    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert first.file.name == first_name and first.sha256 == first_sum
    assert first.file.read() == b"%PDF-1.7 first"
    assert second.file.name != first_name
    assert second.file.read() == b"%PDF-1.7 second"
    assert second.created_by == reader and second.language == "fr"
    with pytest.raises(ValueError):
        services.run_archive(run=first, pdf=b"%PDF tampered")
    first.refresh_from_db()
    assert first.sha256 == first_sum


def test_a_finished_run_is_not_rendered_again(
    edition, admin_user, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("reports.rendering.report_pdf", lambda *a, **k: b"%PDF-1.7 once")
    run = generate(edition, admin_user, "en", django_capture_on_commit_callbacks)
    monkeypatch.setattr("reports.rendering.report_pdf", lambda *a, **k: b"%PDF-1.7 twice")
    services.run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.file.read() == b"%PDF-1.7 once"


def test_failed_generation_shows_the_error(
    client, edition, admin_user, monkeypatch, django_capture_on_commit_callbacks
):
    def explode(*args, **kwargs):
        raise RuntimeError("Font file missing: noto.woff")

    monkeypatch.setattr("reports.rendering.report_pdf", explode)
    run = generate(edition, admin_user, "en", django_capture_on_commit_callbacks)
    assert run.status == ReportRun.Status.FAILED
    assert not run.file and not run.sha256
    client.force_login(admin_user)
    page = client.get(reverse("reports:edition-detail", kwargs={"pk": edition.pk}))
    assert "Font file missing: noto.woff" in page.content.decode()
    # A failed run has nothing to download.
    response = client.get(reverse("reports:run-download", kwargs={"pk": run.pk}))
    assert response.status_code == 404


def test_pending_run_is_polled(client, edition, admin_user):
    ReportRun.objects.create(edition=edition, language="en", version=1, created_by=admin_user)
    client.force_login(admin_user)
    page = client.get(reverse("reports:edition-detail", kwargs={"pk": edition.pk})).content
    assert b'hx-trigger="every 3s"' in page
    assert b"Queued" in page


@needs_poppler
def test_arabic_report_is_right_to_left_with_arabic_text(
    edition, admin_user, django_capture_on_commit_callbacks
):
    from reports.rendering import report_html

    edition.sections = ["executive_summary"]
    edition.save()
    html = report_html(edition, "ar", for_pdf=True)
    assert '<html lang="ar" dir="rtl">' in html
    run = generate(edition, admin_user, "ar", django_capture_on_commit_callbacks)
    assert run.status == ReportRun.Status.DONE, run.error
    # Dates come out in Arabic (Django's own Arabic catalogue): the month of the period end.
    assert "يونيو" in html
    # The PDF sets its text in the report's own Arabic font (a family name no system font has);
    # tests/reports/test_pdf_fonts.py reads its words back and compares it with system fonts.
    text = pdf_text(run.file.path)
    letters = "".join(ch for ch in text if "\u0600" <= ch <= "\u06ff")
    assert len(letters) > 50
    objects = pdf_objects(run.file.read())
    assert b"MHPSS-Report-Naskh" in objects and b"/Lang (ar)" in objects


@needs_poppler
def test_command_writes_the_pdf(edition, tmp_path):
    edition.sections = ["challenges"]
    edition.save()
    out = tmp_path / "report.pdf"
    call_command("render_report", edition=edition.pk, lang="en", out=str(out))
    assert out.read_bytes().startswith(b"%PDF")
    assert "Funding remains the main obstacle." in pdf_text(out)
    assert not ReportRun.objects.exists()  # the command writes the file; it does not archive
