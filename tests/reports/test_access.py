"""Every report page walked through every role: only admins and readers see editions."""

import pytest
from django.urls import reverse

from reports.models import ReportEdition, ReportRun
from tests.reports.factories import EditionFactory

ROLES = ["admin_user", "reader", "staff", "focal_kenya", None]


@pytest.fixture
def edition(db, admin_user):
    return EditionFactory(created_by=admin_user)


@pytest.fixture
def done_run(edition, admin_user):
    from django.core.files.base import ContentFile

    run = ReportRun(edition=edition, language="en", version=1, created_by=admin_user)
    run.file.save("v1.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    run.sha256 = "0" * 64
    run.status = ReportRun.Status.DONE
    run.save()
    return run


def _client(client, request, role):
    if role:
        client.force_login(request.getfixturevalue(role))
    return client


@pytest.mark.parametrize(
    "role,expected,runs", [("admin_user", 302, 1), ("reader", 403, 0), ("staff", 404, 0)]
)
def test_generate_by_role(client, request, edition, monkeypatch, role, expected, runs):
    monkeypatch.setattr("reports.rendering.report_pdf", lambda *a, **k: b"%PDF-1.7 fake")
    response = _client(client, request, role).post(
        reverse("reports:edition-generate", kwargs={"pk": edition.pk}), {"language": "en"}
    )
    assert response.status_code == expected
    assert ReportRun.objects.filter(edition=edition).count() == runs


def test_focal_point_cannot_generate(client, request, edition):
    response = _client(client, request, "focal_kenya").post(
        reverse("reports:edition-generate", kwargs={"pk": edition.pk}), {"language": "en"}
    )
    assert response.status_code == 404
    assert not ReportRun.objects.exists()


def test_reader_cannot_change_an_edition(client, reader, edition):
    client.force_login(reader)
    url = reverse("reports:edition-update", kwargs={"pk": edition.pk})
    response = client.post(url, {"title": "Hijacked"})
    assert response.status_code == 403
    edition.refresh_from_db()
    assert edition.title != "Hijacked"


def test_admin_creates_an_edition(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("reports:edition-create"),
        {
            "title": "Progress report 2025",
            "audience": "Council of Delegates",
            "period_start": "2020-01-01",
            "period_end": "2025-06-30",
            "sections": ["executive_summary", "areas"],
            "executive_summary": "Summary",
            "challenges": "",
        },
    )
    edition = ReportEdition.objects.get(title="Progress report 2025")
    assert response.status_code == 302
    assert edition.sections == ["executive_summary", "areas"]
    assert edition.created_by == admin_user


def test_edition_period_must_be_ordered(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("reports:edition-create"),
        {
            "title": "Backwards",
            "period_start": "2025-01-01",
            "period_end": "2020-01-01",
            "sections": ["areas"],
        },
    )
    assert response.status_code == 200
    assert not ReportEdition.objects.filter(title="Backwards").exists()
