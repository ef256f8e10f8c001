"""Demo data of the roadmap that followed: a fictional "2024–2027" successor (issue #21).

Called by ``manage.py load_demo`` after the first roadmap's demo data (groups, rounds) and
before the demo report, which covers it. Created once, through the one carry-over service
(roadmap.services.roadmap_create_successor): areas 1–4 with their results carried over, one
indicator retired, one new area, working groups 1–4 carried over (people included) and group 5
closed. It becomes the current roadmap, as it is for the tracker's users today. A few fictional
updates, values and a workplan give its pages something to show. Run again, it changes nothing:
once created (or renamed by an admin) the successor is the admins' own.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from accounts.models import User
from roadmap import services as roadmap_services
from roadmap.models import ExpectedResult, Indicator, ProgressStatus, Roadmap
from roadmap.seed import ever_existed, reference_roadmap

from . import services
from .models import Deliverable, WorkingGroup

NAME = "Roadmap 2024–2027 (fictional demo)"
DESCRIPTION = (
    "A fictional successor made for the demo: it is not the Movement's actual roadmap after "
    "2023. Its areas, results and indicators are carried over from the Roadmap for "
    "implementation 2020–2023 to show how the tracker follows work across roadmaps."
)
# The same in the other interface languages, so that a French, Spanish or Arabic reader of the
# demo does not meet English in the roadmap menu and page titles.
TRANSLATED = {
    "name_fr": "Feuille de route 2024–2027 (démo fictive)",
    "name_es": "Hoja de ruta 2024–2027 (demostración ficticia)",
    "name_ar": "خارطة الطريق 2024–2027 (عرض توضيحي خيالي)",
    "description_fr": (
        "Une suite fictive créée pour la démonstration : ce n’est pas la feuille de route "
        "réelle du Mouvement après 2023. Ses domaines, résultats et indicateurs sont repris de "
        "la feuille de route de mise en œuvre 2020–2023 pour montrer comment l’outil suit le "
        "travail d’une feuille de route à l’autre."
    ),
    "description_es": (
        "Una continuación ficticia creada para la demostración: no es la hoja de ruta real del "
        "Movimiento después de 2023. Sus áreas, resultados e indicadores se trasladan de la hoja "
        "de ruta de aplicación 2020–2023 para mostrar cómo la herramienta sigue el trabajo de "
        "una hoja de ruta a otra."
    ),
    "description_ar": (
        "خارطة طريق لاحقة خيالية أُعدّت للعرض التوضيحي، وليست خارطة طريق الحركة الفعلية بعد "
        "عام 2023. نُقلت مجالاتها ونتائجها ومؤشراتها من خارطة طريق التنفيذ 2020–2023 لإظهار "
        "كيف تتابع الأداة العمل من خارطة طريق إلى أخرى."
    ),
}
NEW_AREA_TRANSLATED = {
    "title_fr": "Santé mentale et soutien psychosocial dans les crises prolongées "
    "(domaine de démonstration fictif)",
    "title_es": "Salud mental y apoyo psicosocial en crisis prolongadas "
    "(área de demostración ficticia)",
    "title_ar": "الصحة النفسية والدعم النفسي الاجتماعي في الأزمات الممتدة (مجال توضيحي خيالي)",
}
CARRIED_AREAS = [1, 2, 3, 4]
RETIRED = ["OBSTACLE-INTERNAL"]
NEW_AREA = "Mental health and psychosocial support in protracted crises (fictional demo area)"
CLOSED_GROUPS = [5]
# (area number, result code) -> status, percent, narrative (fictional)
PROGRESS = {
    (1, "1.1"): (ProgressStatus.ON_TRACK, 30, "Course mapping updated for the new roadmap."),
    (1, "1.2"): (ProgressStatus.ON_TRACK, 20, "Refresher trainings planned in three regions."),
    (2, "2.1"): (ProgressStatus.AT_RISK, 10, "Field tests of the model agreements postponed."),
    (3, "3.1"): (ProgressStatus.ON_TRACK, 40, "Well-being module translated into Arabic."),
}
# indicator code -> 2025 value (fictional follow-up survey)
VALUES = {"PFA": Decimal("82"), "FOCAL-POINT": Decimal("74"), "STAFF-WELLBEING": Decimal("51")}
VALUE_SOURCE = "2025 follow-up survey (fictional demo)"
WORKPLAN_YEAR = 2025
DELIVERABLES = [
    (1, "Updated mapping of basic psychosocial support courses (demo)", "1.1", 2026, 3),
    (1, "Refresher training package for volunteers (demo)", "1.2", 2026, 9),
    (4, "Monitoring toolkit field test (demo)", "4.1", 2026, 6),
]


def _say(stdout, text: str) -> None:
    if stdout:
        stdout.write(text)


@transaction.atomic
def load(stdout=None) -> Roadmap | None:
    first = reference_roadmap()
    if first is None:
        return None
    existing = Roadmap.objects.filter(name=NAME).first()
    if existing is not None or ever_existed(Roadmap, name=NAME):
        return existing  # made before (or renamed by an admin): theirs now
    admin = User.objects.filter(email="admin@example.org").first()
    groups = WorkingGroup.objects.top_level().filter(
        roadmap=first, is_archived=False, closed_on__isnull=True
    )
    successor = roadmap_services.roadmap_create_successor(
        source=first,
        name=NAME,
        start_year=2024,
        end_year=2027,
        areas=list(first.areas.filter(number__in=CARRIED_AREAS)),
        retire=list(
            Indicator.objects.filter(
                area__roadmap=first, code__in=RETIRED, area__number__in=CARRIED_AREAS
            )
        ),
        new_areas=[NEW_AREA],
        groups={g.pk: "close" if g.number in CLOSED_GROUPS else "carry" for g in groups},
        by=admin,
    )
    successor.description = DESCRIPTION
    for field, text in TRANSLATED.items():
        setattr(successor, field, text)
    successor._change_reason = "demo data"
    successor.save()
    new_area = successor.areas.filter(title=NEW_AREA).first()
    if new_area is not None:
        for field, text in NEW_AREA_TRANSLATED.items():
            setattr(new_area, field, text)
        new_area._change_reason = "demo data"
        new_area.save()
    if admin is not None:
        _progress(successor, admin)
        _workplans(successor, admin)
    _say(stdout, f"Demo successor “{NAME}”: {successor.areas.count()} areas, current roadmap.")
    return successor


def _progress(successor: Roadmap, admin) -> None:
    for (number, code), (status, percent, narrative) in PROGRESS.items():
        result = ExpectedResult.objects.filter(
            area__roadmap=successor, area__number=number, code=code
        ).first()
        if result is None:
            continue
        roadmap_services.progress_update_create(
            subject=result,
            author=admin,
            date=datetime.date(2025, 5, 15),
            status=status,
            percent_complete=percent,
            narrative=f"[demo] {narrative}",
            reason="demo data",
        )
    for code, value in VALUES.items():
        indicator = Indicator.objects.filter(area__roadmap=successor, code=code).first()
        if indicator is None:
            continue
        roadmap_services.indicator_value_add(
            indicator=indicator,
            added_by=admin,
            year=2025,
            value=value,
            source=VALUE_SOURCE,
            reason="demo data",
        )


def _workplans(successor: Roadmap, admin) -> None:
    groups = {g.number: g for g in WorkingGroup.objects.top_level().filter(roadmap=successor)}
    plans = {}
    for number, title, code, year, month in DELIVERABLES:
        group = groups.get(number)
        if group is None:
            continue
        if number not in plans:
            plans[number] = services.workplan_create(
                group=group,
                year=WORKPLAN_YEAR,
                summary="[demo] First workplan of the new roadmap.",
                created_by=admin,
            )
        services.deliverable_save(
            deliverable=Deliverable(
                workplan=plans[number],
                working_group=group,
                title=title,
                kind=Deliverable.Kind.OTHER,
                expected_result=ExpectedResult.objects.filter(
                    area__roadmap=successor, code=code
                ).first(),
                due_date=datetime.date(year, month, 28),
            ),
            user=admin,
        )
