"""Write fixtures/endline_questionnaire.xlsx from surveys/endline_definition.py."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from openpyxl import Workbook

from surveys.endline_definition import GROUPS, LISTS, MULTILINE

LANGS = ["English (en)", "French (fr)", "Spanish (es)", "Arabic (ar)"]


def build(path: Path) -> None:
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(
        [
            "type",
            "name",
            *[f"label::{x}" for x in LANGS],
            *[f"hint::{x}" for x in LANGS],
            "required",
            "relevant",
            "constraint",
            "appearance",
            "indicator",
        ]
    )
    for name, *labels, questions in GROUPS:
        survey.append(["begin_group", name, *labels])
        for (
            kind,
            qname,
            en,
            fr,
            es,
            ar,
            required,
            relevant,
            constraint,
            indicator,
            *hints,
        ) in questions:
            survey.append(
                [
                    kind,
                    qname,
                    en,
                    fr,
                    es,
                    ar,
                    *hints,
                    "yes" if required else "",
                    relevant,
                    constraint,
                    "multiline" if qname in MULTILINE else "",
                    indicator,
                ]
            )
        survey.append(["end_group", ""])
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", *[f"label::{x}" for x in LANGS], "indicator"])
    for list_name, options in LISTS.items():
        for option in options:
            choices.append([list_name, *option])
    sheet = workbook.create_sheet("settings")
    sheet.append(["form_title", "form_id", "version", "default_language"])
    sheet.append(["MHPSS endline survey", "mhpss_endline", "2023", "English (en)"])
    workbook.save(path)


class Command(BaseCommand):
    help = "Rebuild fixtures/endline_questionnaire.xlsx from surveys/endline_definition.py."

    def handle(self, *args, **options):
        path = Path(settings.BASE_DIR) / "fixtures" / "endline_questionnaire.xlsx"
        build(path)
        self.stdout.write(f"Wrote {path}")
