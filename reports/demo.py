"""Demo data of reports: one edition ready to generate (called last by `load_demo`)."""

import datetime

from django.contrib.auth import get_user_model

from core.translated import fill_empty_translations
from reports.demo_texts import (
    CHALLENGES_TRANSLATIONS,
    EXECUTIVE_SUMMARY_TRANSLATIONS,
    TITLE_TRANSLATIONS,
)
from reports.models import ReportEdition, all_sections
from reports.services import edition_create
from roadmap.seed import ever_existed

TITLE = "Progress report to the Council of Delegates 2025"

EXECUTIVE_SUMMARY = """\
In 2019 the Council of Delegates adopted the Movement policy on addressing mental health and \
psychosocial needs, and the 33rd International Conference adopted Resolution 2. The Roadmap for \
implementation 2020–2023 turned these commitments into six priority action areas, carried by \
five working groups whose co-leads come from National Societies, the IFRC and the ICRC.

This report sets out where the Movement stands at the end of the roadmap period. Nearly every \
responding National Society provides mental health or psychosocial support, and psychological \
first aid and referral to specialised care are now part of ordinary emergency response in most \
regions. The working groups produced shared tools — a mapping of basic psychosocial support \
courses, model memorandums of understanding, an e-learning module on staff and volunteer \
well-being, and a webinar series on monitoring, evaluation and research.

Progress is uneven. Dedicated MHPSS budgets remain the exception, monitoring systems vary widely \
between regions, and staff and volunteer well-being still depends too often on individual \
managers. The figures that follow come from the records kept by the working groups and from the \
National Societies' answers to the Movement-wide surveys of 2019, 2021 and the 2023 endline."""

CHALLENGES = """\
Funding is the most frequent obstacle National Societies report: without a dedicated budget, \
MHPSS activities start with an emergency appeal and stop when it closes. Turnover of trained \
staff and volunteers erodes capacity faster than training rebuilds it, and many societies lack \
the expertise to monitor the quality and outcomes of what they deliver.

The way forward builds on what worked: the working groups gave National Societies a place to \
share tools and to speak with one voice. We propose to (1) keep a Movement-wide MHPSS \
coordination function after the interim structure, (2) embed MHPSS and staff and volunteer \
well-being in National Society strategies and emergency appeals from the start, (3) agree a \
small common set of indicators, measured every two years, and (4) pursue joint humanitarian \
diplomacy with States on the commitments of Resolution 2 ahead of the next International \
Conference."""


def load(stdout=None) -> ReportEdition | None:
    """Create the demo edition once; later runs leave an edited edition alone."""
    existing = ReportEdition.objects.filter(title=TITLE).first()
    if existing:
        _fill_missing_translations(existing)
        return existing
    if ever_existed(ReportEdition, title=TITLE):
        return None  # an admin renamed the demo edition: it is theirs now
    author = (
        get_user_model().objects.filter(is_active=True, role="admin").order_by("id").first()
        or get_user_model().objects.filter(is_superuser=True).order_by("id").first()
    )
    if author is None:
        if stdout:
            stdout.write("Reports: no admin account yet, demo edition skipped.")
        return None
    fields = {
        "title": TITLE,
        "audience": "Council of Delegates of the International Red Cross and Red Crescent Movement",
        "period_start": datetime.date(2020, 1, 1),
        "period_end": datetime.date(2025, 6, 30),
        "sections": all_sections(),
        "executive_summary": EXECUTIVE_SUMMARY,
        "challenges": CHALLENGES,
    }
    fields.update(_translations())
    fields.update(_survey_round_field())
    edition = edition_create(created_by=author, **fields)
    if stdout:
        stdout.write(f"Reports: demo edition “{edition.title}”.")
    return edition


def _translations() -> dict[str, str]:
    fields = {}
    for code in TITLE_TRANSLATIONS:
        fields[f"title_{code}"] = TITLE_TRANSLATIONS[code]
        fields[f"executive_summary_{code}"] = EXECUTIVE_SUMMARY_TRANSLATIONS[code]
        fields[f"challenges_{code}"] = CHALLENGES_TRANSLATIONS[code]
    return fields


def _fill_missing_translations(edition: ReportEdition) -> None:
    """An edition made before the translations shipped gets them; typed ones stay."""
    if edition.executive_summary != EXECUTIVE_SUMMARY or edition.challenges != CHALLENGES:
        return
    fill_empty_translations(edition, _translations(), "translations of the demo texts")


def _survey_round_field() -> dict:
    """The endline round (the latest round of the current roadmap), when there is one."""
    from surveys.models import SurveyRound

    survey_round = SurveyRound.objects.order_by("-year", "-id").first()
    return {"survey_round": survey_round} if survey_round else {}
