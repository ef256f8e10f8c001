"""The shared progress-update mechanism: services, form rules, evidence checks and download."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.uploads import validate_evidence_file
from roadmap import services
from roadmap.forms import ProgressUpdateForm
from roadmap.models import Evidence, ProgressUpdate
from tests.roadmap.conftest import EXE_BYTES, HTML_BYTES, PDF_BYTES, pdf_file

TODAY = datetime.date.today()


def _create(subject, author, **extra):
    kwargs = dict(
        subject=subject,
        author=author,
        date=TODAY,
        status="on_track",
        percent_complete=30,
        narrative="Mapped 12 courses.",
    )
    kwargs.update(extra)
    return services.progress_update_create(**kwargs)


class TestEvidenceFileCheck:
    def test_real_pdf_is_accepted(self):
        assert validate_evidence_file(pdf_file()) == "application/pdf"

    @pytest.mark.parametrize(
        "content", [EXE_BYTES, HTML_BYTES, b'<svg xmlns="http://www.w3.org/2000/svg"/>']
    )
    def test_disguised_file_is_refused(self, content):
        with pytest.raises(ValidationError) as error:
            validate_evidence_file(pdf_file(content=content))
        assert "not a file type we accept" in str(error.value)

    def test_oversized_file_is_refused(self, settings):
        settings.MAX_UPLOAD_SIZE = 100
        with pytest.raises(ValidationError) as error:
            validate_evidence_file(pdf_file())
        assert "the limit is 100" in str(error.value)

    def test_empty_file_is_refused(self):
        with pytest.raises(ValidationError, match="empty"):
            validate_evidence_file(SimpleUploadedFile("a.pdf", b""))

    def test_xlsx_is_accepted(self):
        import io

        import openpyxl

        buffer = io.BytesIO()
        openpyxl.Workbook().save(buffer)
        f = SimpleUploadedFile("sheet.xlsx", buffer.getvalue())
        assert validate_evidence_file(f).endswith("spreadsheetml.sheet")


class TestServices:
    def test_create_with_file_and_link(self, output, admin_user):
        update = _create(
            output,
            admin_user,
            reason="first report",
            files=[("Course list", pdf_file("list.html"))],
            links=[("", "https://example.org/report")],
        )
        assert update.subject == output
        file_evidence, link_evidence = update.evidence.order_by("id")
        assert file_evidence.content_type == "application/pdf"
        # The stored name follows the content, not the uploaded name.
        assert file_evidence.file.name.endswith(".pdf")
        assert file_evidence.original_filename == "list.html"
        assert link_evidence.title == "https://example.org/report"
        record = update.history.first()
        assert record.history_change_reason == "first report"
        assert record.history_user == admin_user

    def test_bad_file_saves_nothing(self, output, admin_user):
        with pytest.raises(ValidationError):
            _create(output, admin_user, files=[("bad", pdf_file(content=EXE_BYTES))])
        assert ProgressUpdate.objects.count() == 0
        assert Evidence.objects.count() == 0

    @pytest.mark.parametrize(
        "extra, field",
        [
            ({"date": TODAY + datetime.timedelta(days=1)}, "date"),
            ({"status": "completed", "percent_complete": 90}, "percent_complete"),
            ({"percent_complete": 101}, "percent_complete"),
            ({"status": "nonsense"}, "status"),
            ({"narrative": ""}, "narrative"),
        ],
    )
    def test_invalid_update_refused(self, output, admin_user, extra, field):
        with pytest.raises(ValidationError) as error:
            _create(output, admin_user, **extra)
        assert field in error.value.message_dict
        assert ProgressUpdate.objects.count() == 0

    def test_edit_needs_reason(self, update, admin_user):
        with pytest.raises(ValidationError):
            services.progress_update_edit(
                update=update, editor=admin_user, reason=" ", status="at_risk"
            )
        update.refresh_from_db()
        assert update.status == "on_track"

    def test_edit_keeps_reason_and_old_value(self, update, reader, admin_user):
        services.progress_update_edit(
            update=update, editor=admin_user, reason="funding cut", status="at_risk"
        )
        latest, before = update.history.all()[:2]
        assert latest.history_change_reason == "funding cut"
        assert (before.status, latest.status) == ("on_track", "at_risk")

    def test_evidence_needs_file_or_link(self, update, admin_user):
        with pytest.raises(ValidationError):
            services.evidence_add(update=update, added_by=admin_user, title="nothing")


class TestForm:
    def _data(self, **extra):
        data = {
            "date": TODAY.isoformat(),
            "status": "on_track",
            "percent_complete": "40",
            "narrative": "Progress",
        }
        data.update(extra)
        return data

    def test_first_update_needs_no_reason(self):
        assert ProgressUpdateForm(self._data()).is_valid()

    def test_status_change_needs_reason(self, update):
        form = ProgressUpdateForm(self._data(status="at_risk"), previous=update)
        assert not form.is_valid()
        assert "say why" in form.errors["reason"][0]
        form = ProgressUpdateForm(self._data(status="at_risk", reason="delays"), previous=update)
        assert form.is_valid(), form.errors

    def test_same_status_and_percent_need_no_reason(self, update):
        assert ProgressUpdateForm(self._data(), previous=update).is_valid()

    def test_edit_always_needs_reason(self, update):
        form = ProgressUpdateForm(self._data(narrative="typo fixed"), instance=update)
        assert not form.is_valid()
        assert "reason" in form.errors

    @pytest.mark.parametrize(
        "extra, field",
        [
            ({"date": (TODAY + datetime.timedelta(days=3)).isoformat()}, "date"),
            ({"percent_complete": "-1"}, "percent_complete"),
            ({"percent_complete": "140"}, "percent_complete"),
            ({"status": "completed", "percent_complete": "90"}, "percent_complete"),
            ({"narrative": ""}, "narrative"),
            ({"evidence_url": "not a link"}, "evidence_url"),
            ({"evidence_url_title": "A title only"}, "evidence_url"),
        ],
    )
    def test_bad_input(self, extra, field):
        form = ProgressUpdateForm(self._data(**extra))
        assert not form.is_valid()
        assert field in form.errors

    def test_disguised_upload_refused(self):
        form = ProgressUpdateForm(self._data(), {"evidence_file": pdf_file(content=HTML_BYTES)})
        assert not form.is_valid()
        assert "not a file type we accept" in form.errors["evidence_file"][0]


class TestEvidenceDownload:
    @pytest.fixture
    def evidence(self, update, admin_user):
        return services.evidence_add(
            update=update, added_by=admin_user, title="Report", file=pdf_file("my report.pdf")
        )

    def test_signed_in_person_downloads(self, client, reader, evidence):
        client.force_login(reader)
        response = client.get(reverse("roadmap:evidence-download", args=[evidence.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert "my report.pdf" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == PDF_BYTES

    def test_anonymous_is_sent_to_login(self, client, evidence):
        response = client.get(reverse("roadmap:evidence-download", args=[evidence.pk]))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]

    def test_link_evidence_has_no_download(self, client, reader, update, admin_user):
        link = services.evidence_add(
            update=update, added_by=admin_user, title="Link", url="https://example.org"
        )
        client.force_login(reader)
        response = client.get(reverse("roadmap:evidence-download", args=[link.pk]))
        assert response.status_code == 404
