"""An admin imports a questionnaire (XLSForm) in a real browser: the upload queues a check job,
its page shows the preview, "Create the questionnaire" queues the write job, whose page links
to the rounds; a form with a repeat gets its problems by row; a zip bomb is refused at once.
Screenshots in test-artifacts/e2e/."""

import io
import time
import zipfile
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import sign_in

FORMS = Path(__file__).resolve().parents[1] / "surveys" / "forms"


def _upload(page, live_server, name: str, path: Path) -> None:
    page.goto(f"{live_server.url}/surveys/questionnaires/import/")
    page.fill("input[name=name]", name)
    page.set_input_files("input[name=file]", str(path))
    with page.expect_navigation():
        page.get_by_role("button", name="Check the form").click()
    page.wait_for_load_state("networkidle")


def test_admin_imports_a_questionnaire_through_its_jobs(demo, page, shot, live_server, tmp_path):
    from jobs.models import Job
    from surveys.models import Questionnaire

    sign_in(page, live_server, "admin@example.org")
    _upload(page, live_server, "Mini MHPSS form", FORMS / "28_mhpss_mini.xlsx")
    check = Job.objects.get(kind="questionnaires.check")
    assert page.url.endswith(f"/jobs/{check.pk}/")
    preview = page.locator("#import-preview")
    expect(preview).to_contain_text("Ready to create")
    expect(preview).to_contain_text("questions")
    assert not Questionnaire.objects.filter(name="Mini MHPSS form").exists()
    shot("check job with the preview")

    with page.expect_navigation():
        preview.get_by_role("button", name="Create the questionnaire").click()
    page.wait_for_load_state("networkidle")
    write = Job.objects.get(kind="questionnaires.write")
    assert page.url.endswith(f"/jobs/{write.pk}/")
    expect(page.locator("#job-status")).to_contain_text("Questionnaire Mini MHPSS form created.")
    questionnaire = Questionnaire.objects.get(name="Mini MHPSS form")
    assert questionnaire.questions.exists()
    shot("write job done")
    with page.expect_navigation():
        page.get_by_role("link", name="Open the survey rounds").click()
    assert "/surveys/" in page.url

    # A form the tracker cannot take: the check's page lists the problems by row.
    _upload(page, live_server, "Repeats", FORMS / "90_repeat_refused.xlsx")
    table = page.locator("table:has(.job-error)")
    expect(table).to_contain_text("survey: type")
    expect(table).to_contain_text("The repeat")
    expect(page.get_by_role("button", name="Create the questionnaire")).to_have_count(0)
    shot("check job with the problems by row")
    assert not Questionnaire.objects.filter(name="Repeats").exists()

    # The zip bomb: refused by the upload itself, with one message, and no job queued.
    bomb = tmp_path / "bomb.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "x")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    bomb.write_bytes(buffer.getvalue())
    jobs = Job.objects.count()
    started = time.monotonic()
    _upload(page, live_server, "Bomb", bomb)
    seconds = time.monotonic() - started
    errors = page.locator("#import-errors li")
    expect(errors).to_have_count(1)
    expect(errors).to_contain_text("unpacks to")
    assert Job.objects.count() == jobs
    assert seconds < 10  # the whole browser round trip; the guard itself is milliseconds
    shot("zip bomb refused")
