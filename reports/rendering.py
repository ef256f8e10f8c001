"""Turn an edition into the report's HTML and PDF, from the same templates for both."""

from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone, translation

from core import pdf
from reports.models import ReportEdition
from reports.selectors import group_sheet_data, report_data

REPORT_CSS = settings.BASE_DIR / "static" / "css" / "report.css"


def report_html(
    edition: ReportEdition, language: str, *, for_pdf: bool, author: str = "", request=None
) -> str:
    """The whole report as one HTML document in `language` (right to left in Arabic)."""
    with translation.override(language):
        context = report_data(edition)
        context.update(
            language=language,
            is_rtl=translation.get_language_bidi(),
            for_pdf=for_pdf,
            # WeasyPrint reads the stylesheet (and the fonts it names, relative to it) from disk;
            # the browser fetches the same file as a static asset under the CSP.
            css_href=REPORT_CSS.as_uri() if for_pdf else static("css/report.css"),
            author=author or "International Red Cross and Red Crescent Movement",
            generated_on=timezone.localdate(),
        )
        return render_to_string("reports/report/document.html", context, request=request)


def html_to_pdf(html: str) -> bytes:
    """Lay out HTML as a tagged PDF/UA-1 file with a readable Arabic text layer (core.pdf)."""
    return pdf.html_to_pdf(html, base_url=str(settings.BASE_DIR))


def report_pdf(edition: ReportEdition, language: str, *, author: str = "") -> bytes:
    return html_to_pdf(report_html(edition, language, for_pdf=True, author=author))


def group_sheet_html(number: int, roadmap_id: int | None = None) -> str:
    """The one-page status sheet of a working group (of the current roadmap unless another is
    named), in the active language."""
    context = group_sheet_data(number, roadmap_id)
    context.update(
        language=translation.get_language(),
        is_rtl=translation.get_language_bidi(),
        css_href=REPORT_CSS.as_uri(),
    )
    return render_to_string("reports/group_sheet.html", context)


def group_sheet_pdf(number: int, roadmap_id: int | None = None) -> bytes:
    return html_to_pdf(group_sheet_html(number, roadmap_id))
