"""The Arabic preview is all Arabic whatever was rendered before it in the same process.

The figures' rules (docs/figures.md) have no translation: the annex shows them in English,
declared lang="en" with a note in the report's language. Every label around them is translated.
"""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import User
from reports.models import ReportEdition
from reports.rendering import report_html
from tests.helpers import undeclared_english


@pytest.fixture
def demo(shared_demo, db):
    return ReportEdition.objects.order_by("pk").first()


def test_arabic_preview_after_english_pages_has_no_english_label(client, demo):
    admin = User.objects.get(email="admin@example.org")
    client.force_login(admin)
    preview = reverse("reports:edition-preview", kwargs={"pk": demo.pk})
    # English first: the preview, the edition page, a working group, the home page.
    for url in [f"{preview}?language=en", reverse("reports:edition-detail", args=[demo.pk]), "/"]:
        assert client.get(url, HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    report_html(demo, "en", for_pdf=True)

    html = client.get(f"{preview}?language=ar").content.decode()

    assert 'lang="ar"' in html
    assert undeclared_english(html) == []
    # The rules are in Arabic (docs/figures.ar.md): nothing declared English, no note about it.
    assert '<div class="figures-rules">' in html
    assert "تاريخ الاحتساب" in html  # words of the Arabic rules
    with translation.override("ar"):
        assert gettext("These rules are published in English only.") not in html


def test_arabic_pdf_html_after_english_has_no_english_label(demo):
    report_html(demo, "en", for_pdf=True)
    html = report_html(demo, "ar", for_pdf=True)
    assert undeclared_english(html) == []


def test_the_check_sees_an_undeclared_english_label():
    page = '<html lang="ar"><body><p>الحالة</p><th>Status</th><div lang="en">Deliverables</div>'
    assert undeclared_english(page) == ["Status"]
