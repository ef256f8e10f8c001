"""A report edition's own texts in four languages: typed by admins, used by the matching PDF."""

from django.urls import reverse

from core.concurrency import version_token
from reports.models import ReportEdition
from reports.rendering import report_html
from tests.reports.factories import EditionFactory


def _post(client, url, **extra):
    data = {
        "title": "Progress report 2025",
        "audience": "Council of Delegates",
        "period_start": "2020-01-01",
        "period_end": "2025-06-30",
        "sections": ["executive_summary", "challenges"],
        "executive_summary": "Our summary.",
        "challenges": "Funding.",
        "reason": "translations",
    }
    data.update(extra)
    return client.post(url, data)


def test_admin_adds_translations_and_the_french_report_uses_them(client, admin_user):
    client.force_login(admin_user)
    _post(client, reverse("reports:edition-create"))
    edition = ReportEdition.objects.get()
    response = _post(
        client,
        reverse("reports:edition-update", args=[edition.pk]),
        version=version_token(edition),
        title_fr="Rapport d’avancement 2025",
        executive_summary_fr="Notre résumé.",
        executive_summary_ar="ملخصنا.",
    )
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.history.count() == 2
    html = report_html(edition, "fr", for_pdf=False)
    assert "Rapport d’avancement 2025" in html and "Notre résumé." in html
    assert "Funding." in html  # no French yet: the English stands in
    assert "ملخصنا." in report_html(edition, "ar", for_pdf=False)
    assert "Our summary." in report_html(edition, "es", for_pdf=False)


def test_too_long_translated_title_is_refused(client, admin_user):
    edition = EditionFactory(created_by=admin_user, title="Report")
    client.force_login(admin_user)
    response = _post(
        client,
        reverse("reports:edition-update", args=[edition.pk]),
        version=version_token(edition),
        title_ar="ت" * 201,
    )
    assert response.status_code == 200
    assert "title_ar" in response.context["form"].errors
    edition.refresh_from_db()
    assert edition.title == "Report" and edition.title_ar == ""


def test_edition_page_tells_editors_what_each_language_lacks(client, admin_user, reader):
    edition = EditionFactory(
        created_by=admin_user, executive_summary="Summary", executive_summary_fr="Résumé"
    )
    url = reverse("reports:edition-detail", args=[edition.pk])
    client.force_login(admin_user)
    html = client.get(url).content.decode()
    assert "translation-hint" in html
    assert reverse("reports:edition-update", args=[edition.pk]) in html
    client.force_login(reader)
    assert "translation-hint" not in client.get(url).content.decode()


def test_edition_form_types_arabic_right_to_left(client, admin_user):
    edition = EditionFactory(created_by=admin_user)
    client.force_login(admin_user)
    html = client.get(reverse("reports:edition-update", args=[edition.pk])).content.decode()
    assert 'name="executive_summary_ar"' in html
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    # Styled like the other forms, and English texts keep their direction on an Arabic page.
    assert 'class="form-control"' in html and 'class="form-check-input"' in html
    assert html.count('dir="auto"') == 4  # title, audience, summary, challenges
