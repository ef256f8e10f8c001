"""Posting through the pages: success, bad input (clear message, nothing saved), htmx fragments."""

import datetime

import pytest
from django.urls import reverse

from roadmap.models import Evidence, IndicatorValue, ProgressUpdate
from tests.helpers import with_version
from tests.roadmap.conftest import EXE_BYTES, PDF_BYTES, pdf_file

TODAY = datetime.date.today().isoformat()


def _update_data(**extra):
    data = {
        "date": TODAY,
        "status": "on_track",
        "percent_complete": "40",
        "narrative": "Done a lot",
    }
    data.update(extra)
    return data


class TestPostUpdate:
    def test_post_with_file_and_link(self, client, admin_user, output):
        client.force_login(admin_user)
        url = reverse("roadmap:result", args=[output.pk])
        data = _update_data(
            evidence_file=pdf_file("minutes.pdf"),
            evidence_file_title="Minutes",
            evidence_url="https://example.org/toolkit",
            evidence_url_title="Toolkit",
        )
        response = client.post(url, data)
        assert response.status_code == 302 and response["Location"] == url
        update = ProgressUpdate.objects.get()
        assert update.author == admin_user
        assert sorted(update.evidence.values_list("title", flat=True)) == ["Minutes", "Toolkit"]
        html = client.get(url).content.decode()
        assert "Done a lot" in html and "Minutes" in html
        evidence = Evidence.objects.get(title="Minutes")
        download = client.get(reverse("roadmap:evidence-download", args=[evidence.pk]))
        assert b"".join(download.streaming_content) == PDF_BYTES

    @pytest.mark.parametrize(
        "extra, field_message",
        [
            ({"narrative": ""}, "This field is required"),
            ({"percent_complete": "250"}, "less than or equal to 100"),
            ({"date": "2999-01-01"}, "cannot be in the future"),
            ({"status": "completed", "percent_complete": "80"}, "must be at 100 percent"),
            ({"evidence_file": "EXE"}, "not a file type we accept"),
        ],
    )
    def test_bad_input_is_explained_and_nothing_saved(
        self, client, admin_user, output, extra, field_message
    ):
        if extra.get("evidence_file") == "EXE":
            extra = {"evidence_file": pdf_file("setup.pdf", EXE_BYTES)}
        client.force_login(admin_user)
        response = client.post(reverse("roadmap:result", args=[output.pk]), _update_data(**extra))
        assert response.status_code == 200
        html = response.content.decode()
        assert field_message in html
        assert "is-invalid" in html
        assert ProgressUpdate.objects.count() == 0 and Evidence.objects.count() == 0

    def test_oversized_file_refused(self, client, admin_user, output, settings):
        settings.MAX_UPLOAD_SIZE = 50
        client.force_login(admin_user)
        response = client.post(
            reverse("roadmap:result", args=[output.pk]), _update_data(evidence_file=pdf_file())
        )
        assert "the limit is 50" in response.content.decode()
        assert ProgressUpdate.objects.count() == 0

    def test_status_change_asks_for_reason(self, client, admin_user, update):
        client.force_login(admin_user)
        url = reverse("roadmap:result", args=[update.object_id])
        response = client.post(url, _update_data(status="off_track"))
        assert "say why" in response.content.decode()
        assert ProgressUpdate.objects.count() == 1
        response = client.post(url, _update_data(status="off_track", reason="Partner left"))
        assert response.status_code == 302
        assert (
            ProgressUpdate.objects.first().history.first().history_change_reason == "Partner left"
        )

    def test_htmx_errors_return_the_form_fragment(self, client, admin_user, output):
        client.force_login(admin_user)
        response = client.post(
            reverse("roadmap:result", args=[output.pk]),
            _update_data(narrative=""),
            HTTP_HX_REQUEST="true",
        )
        html = response.content.decode()
        # The one contract of roadmap/progress_views.py: 422, the form swapped in with its errors.
        assert response.status_code == 422
        assert html.lstrip().startswith("<form") and "<html" not in html
        assert "This field is required" in html

    def test_htmx_success_redirects_the_page(self, client, admin_user, output):
        client.force_login(admin_user)
        url = reverse("roadmap:result", args=[output.pk])
        response = client.post(url, _update_data(), HTTP_HX_REQUEST="true")
        assert response["HX-Redirect"] == url
        assert ProgressUpdate.objects.count() == 1

    def test_working_group_member_may_post(self, client, staff, output, monkeypatch):
        monkeypatch.setattr(
            "workinggroups.selectors.person_works_on_area",
            lambda user, area: user == staff and area == output.area,
        )
        client.force_login(staff)
        response = client.post(reverse("roadmap:result", args=[output.pk]), _update_data())
        assert response.status_code == 302
        assert ProgressUpdate.objects.get().author == staff


class TestEditUpdate:
    def test_edit_needs_reason_then_saves(self, client, admin_user, update):
        client.force_login(admin_user)
        url = reverse("roadmap:update-edit", args=[update.pk])
        response = client.post(url, with_version(update, _update_data(narrative="Fixed text")))
        assert response.status_code == 200
        assert 'id="id_reason_error"' in response.content.decode()
        update.refresh_from_db()
        assert update.narrative == "Work goes on."
        response = client.post(
            url, with_version(update, _update_data(narrative="Fixed text", reason="typo"))
        )
        assert response.status_code == 302
        update.refresh_from_db()
        assert update.narrative == "Fixed text"
        assert update.history.first().history_change_reason == "typo"

    def test_edit_form_is_prefilled(self, client, admin_user, update):
        client.force_login(admin_user)
        html = client.get(reverse("roadmap:update-edit", args=[update.pk])).content.decode()
        assert "Work goes on." in html


class TestIndicatorValues:
    def test_admin_adds_a_value(self, client, admin_user, indicator):
        client.force_login(admin_user)
        url = reverse("roadmap:indicator", args=[indicator.pk])
        response = client.post(url, {"year": "2023", "value": "93", "source": "2023 endline"})
        assert response.status_code == 302
        value = IndicatorValue.objects.get()
        assert (value.year, value.value, value.source) == (2023, 93, "2023 endline")
        assert "2023 endline" in client.get(url).content.decode()

    @pytest.mark.parametrize(
        "data, message",
        [
            ({"year": "2999", "value": "1", "source": "x"}, "future year"),
            ({"year": "1800", "value": "1", "source": "x"}, "greater than or equal to 1990"),
            ({"year": "2021", "value": "abc", "source": "x"}, "is not a number"),
            ({"year": "2021", "value": "1", "source": ""}, "This field is required"),
        ],
    )
    def test_bad_value_is_explained(self, client, admin_user, indicator, data, message):
        client.force_login(admin_user)
        response = client.post(reverse("roadmap:indicator", args=[indicator.pk]), data)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert IndicatorValue.objects.count() == 0

    def test_duplicate_value_is_explained(self, client, admin_user, indicator_value):
        client.force_login(admin_user)
        response = client.post(
            reverse("roadmap:indicator", args=[indicator_value.indicator_id]),
            {"year": "2021", "value": "5", "source": indicator_value.source},
        )
        assert response.status_code == 200
        # A second value for the same year and source is a correction: it needs a reason.
        assert "say why you correct it" in response.content.decode()
        assert IndicatorValue.objects.count() == 1

    def test_correction_needs_reason(self, client, admin_user, indicator_value):
        client.force_login(admin_user)
        url = reverse("roadmap:indicator-value-edit", args=[indicator_value.pk])
        data = with_version(
            indicator_value, {"year": "2021", "value": "81", "source": indicator_value.source}
        )
        response = client.post(url, data)
        assert response.status_code == 200
        indicator_value.refresh_from_db()
        assert indicator_value.value == 79
        response = client.post(url, data | {"reason": "Report erratum"})
        assert response.status_code == 302
        indicator_value.refresh_from_db()
        assert indicator_value.value == 81
        html = client.get(
            reverse("roadmap:indicator", args=[indicator_value.indicator_id])
        ).content.decode()
        assert "Report erratum" in html
