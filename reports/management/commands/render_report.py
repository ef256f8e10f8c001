"""Render an edition's PDF from the command line, the same PDF the background task makes."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reports.models import ReportEdition
from reports.rendering import report_pdf


class Command(BaseCommand):
    help = (
        "Render a report edition as PDF and write it to --out. The file is written only there: "
        "it is not archived as a version (generate from the edition page to archive one)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--edition", type=int, required=True, help="Edition id.")
        parser.add_argument(
            "--lang",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the report.",
        )
        parser.add_argument("--out", required=True, help="Path of the PDF to write.")
        parser.add_argument("--author", default="", help="Author written in the PDF metadata.")

    def handle(self, *args, edition, lang, out, author, **options):
        try:
            report = ReportEdition.objects.get(pk=edition)
        except ReportEdition.DoesNotExist:
            raise CommandError(f"No report edition with id {edition}.") from None
        pdf = report_pdf(report, lang, author=author)
        Path(out).write_bytes(pdf)
        self.stdout.write(f"Wrote {out} ({len(pdf):,} bytes, {lang}).")
