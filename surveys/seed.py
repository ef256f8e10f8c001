"""Reference data of the survey: the default endline questionnaire and the roadmap's rounds.

Idempotent: creates what is missing, changes nothing that exists (except linking questions
to indicators that appeared since, e.g. when the roadmap fixture is loaded afterwards).
"""

from pathlib import Path

from django.conf import settings
from django.db import transaction
from openpyxl import load_workbook

from core.translated import fill_empty_translations
from roadmap.models import Indicator
from roadmap.seed import reference_roadmap

from .models import Choice, Questionnaire, SurveyRound
from .xlsform import import_xlsform

ENDLINE_FILE = Path(settings.BASE_DIR) / "fixtures" / "endline_questionnaire.xlsx"
ENDLINE_NAME = "MHPSS endline survey 2023"
ROUNDS = [
    ("Baseline 2019", 2019, SurveyRound.State.CLOSED),
    ("Follow-up 2021", 2021, SurveyRound.State.CLOSED),
    ("Endline 2023", 2023, SurveyRound.State.DRAFT),
]
ROUND_NAMES = {
    "Baseline 2019": {
        "fr": "Enquête de référence 2019",
        "es": "Encuesta de referencia 2019",
        "ar": "مسح خط الأساس 2019",
    },
    "Follow-up 2021": {
        "fr": "Enquête de suivi 2021",
        "es": "Encuesta de seguimiento 2021",
        "ar": "مسح المتابعة 2021",
    },
    "Endline 2023": {
        "fr": "Enquête finale 2023",
        "es": "Encuesta final 2023",
        "ar": "المسح الختامي 2023",
    },
}


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _link_indicators(questionnaire: Questionnaire) -> int:
    """Link questions and choices to indicators named in the file's `indicator` column."""
    workbook = load_workbook(ENDLINE_FILE, read_only=True)
    wanted_q, wanted_c = {}, {}
    for sheet, target, key in (("survey", wanted_q, 1), ("choices", wanted_c, None)):
        rows = workbook[sheet].iter_rows(values_only=True)
        header = list(next(rows))
        col = header.index("indicator")
        for row in rows:
            if row[col]:
                target[(row[1],) if key else (row[0], row[1])] = row[col]
    indicators = {
        i.code: i
        # The endline measures the first roadmap's indicators (codes repeat in a successor).
        for i in Indicator.objects.filter(
            code__in={*wanted_q.values(), *wanted_c.values()}, area__roadmap=reference_roadmap()
        )
    }
    linked = 0
    for question in questionnaire.questions.filter(indicator__isnull=True):
        code = wanted_q.get((question.name,))
        if code in indicators:
            question.indicator = indicators[code]
            question.save(update_fields=["indicator"])
            linked += 1
    list_of = {}
    for kind, name, *_rest in workbook["survey"].iter_rows(min_row=2, values_only=True):
        if kind and str(kind).startswith("select_"):
            list_of[name] = str(kind).split()[1]
    for choice in Choice.objects.filter(
        question__questionnaire=questionnaire, indicator__isnull=True
    ).select_related("question"):
        code = wanted_c.get((list_of.get(choice.question.name), choice.name))
        if code in indicators:
            choice.indicator = indicators[code]
            choice.save(update_fields=["indicator"])
            linked += 1
    workbook.close()
    return linked


@transaction.atomic
def load_reference_data(stdout=None) -> None:
    questionnaire = Questionnaire.objects.filter(name=ENDLINE_NAME).first()
    if questionnaire is None:
        with ENDLINE_FILE.open("rb") as handle:
            questionnaire = import_xlsform(handle, name=ENDLINE_NAME)
        _say(
            stdout, f"Endline questionnaire imported: {questionnaire.questions.count()} questions."
        )
    linked = _link_indicators(questionnaire)
    if linked:
        _say(stdout, f"Linked {linked} questions or choices to roadmap indicators.")
    roadmap = reference_roadmap()  # the 2019–2023 rounds are the first roadmap's
    if roadmap is None:
        _say(stdout, "No roadmap yet: survey rounds not created.")
        return
    for name, year, state in ROUNDS:
        _round, created = SurveyRound.objects.get_or_create(
            roadmap=roadmap,
            name=name,
            defaults={"year": year, "questionnaire": questionnaire, "state": state},
        )
        if created:
            _say(stdout, f"Survey round created: {name}.")
        # Names in the other languages fill empty fields only: an admin's wording stays.
        fill_empty_translations(
            _round,
            {f"name_{code}": text for code, text in ROUND_NAMES[name].items()},
            "translated names loaded",
        )
