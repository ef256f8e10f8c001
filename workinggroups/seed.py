"""Reference data of working groups: the five groups, the digital subgroup, the Interim
Coordination Structure and the 2022/2023 plans (seeds 000 and 001) as workplans and deliverables.

Create-if-missing only: rows people have edited are never overwritten. Called by
``manage.py load_roadmap`` after the roadmap, its areas and the IFRC, ICRC and PS Centre exist.
"""

import datetime

from django.db import transaction

from accounts.models import Organisation
from roadmap.models import ExpectedResult
from roadmap.seed import Counter, ever_existed, fill_shipped_translations, reference_roadmap

from .models import CoordinationBody, Deliverable, Milestone, WorkingGroup, Workplan

K = Deliverable.Kind

MOVEMENT_ORGANISATIONS = [
    (
        Organisation.Kind.IFRC,
        "International Federation of Red Cross and Red Crescent Societies",
        "IFRC",
    ),
    (Organisation.Kind.ICRC, "International Committee of the Red Cross", "ICRC"),
    (Organisation.Kind.PS_CENTRE, "IFRC Reference Centre for Psychosocial Support", "PS Centre"),
]

# number, name, areas, description
GROUPS = [
    (
        1,
        "Basic psychosocial support and integration across sectors",
        [1],
        "Guarantees a basic level of psychosocial support and integrates MHPSS across sectors. "
        "Maps courses, monitoring tools and contacts that were kept in spreadsheets.",
    ),
    (
        2,
        "A holistic MHPSS approach between Movement components",
        [2],
        "Develops a holistic MHPSS approach between Movement components and with other actors.",
    ),
    (
        3,
        "Well-being of staff and volunteers",
        [3],
        "Protects and promotes the mental health and psychosocial well-being of staff and "
        "volunteers.",
    ),
    (
        4,
        "Research, evidence, monitoring and evaluation",
        [4],
        "Demonstrates the impact of MHPSS interventions through research, evidence, and "
        "monitoring and evaluation. Has a subgroup on digital MHPSS.",
    ),
    (
        5,
        "Resource mobilisation, humanitarian diplomacy and advocacy",
        [5, 6],
        "Strengthens resource mobilisation for MHPSS in humanitarian response and mobilises "
        "political support through humanitarian diplomacy and advocacy.",
    ),
]

SUBGROUP = (
    4,
    "Digital MHPSS subgroup",
    [4],
    "Identifies and maps promising digital approaches that extend basic psychological support "
    "and protect the well-being of staff and volunteers, and builds a toolkit for digital MHPSS "
    "services in the Movement.",
)

# (group number, subgroup?, year, kind, title, result code, description, milestones)
DELIVERABLES = [
    (1, False, 2022, K.MAPPING, "Mapping of basic psychosocial support courses", "1.1",
     "Keep mapping the basic psychosocial support courses offered across the Movement.", []),
    (1, False, 2022, K.MAPPING, "Mapping of basic monitoring and evaluation tools", "1.1",
     "Map the basic tools National Societies use to monitor and evaluate psychosocial support.", []),
    (1, False, 2022, K.MAPPING, "Mapping of key contacts and networks", "1.4",
     "List the contacts and networks that help integrate MHPSS into other sectors.", []),
    (1, False, 2023, K.MAPPING, "Stigma resources", "1.3",
     "The 2023 focus of the mapping: resources that address stigma around mental health.", []),
    (1, False, 2023, K.OTHER, "Reaching the prioritised networks", "1.4",
     "Contact the identified and prioritised networks so that the mapped resources are used "
     "across sectors.", []),
    (2, False, 2022, K.MOU, "Memorandum of understanding (partnership level)", "2.1",
     "A model memorandum for partnerships on MHPSS between Movement components.", []),
    (2, False, 2022, K.GUIDANCE, "Project document for integrating MHPSS (technical level)", "2.1",
     "A technical project document on integrating MHPSS into joint programmes.", []),
    (2, False, 2023, K.RESEARCH, "Field testing of the memorandum and project document", "2.2",
     "Test both documents in the field and present the findings, lessons learned and "
     "recommendations.", []),
    (2, False, 2023, K.OTHER, "Former priority contexts at the monthly meetings", "2.2",
     "Invite former priority contexts to the monthly meetings to hear how their partnerships "
     "came about and what they learned.", []),
    (3, False, 2022, K.E_LEARNING, "E-learning module for managers and leaders", "3.1",
     "A short e-learning module on the well-being of staff and volunteers, built by a "
     "specialised e-learning company from the group's input. Three aims: raise awareness, "
     "motivate leaders to act on MHPSS needs, and offer a toolkit of practical suggestions with "
     "further reading. Hosted on the IFRC learning platform once finalised.",
     [("Module content finalised", "2022-12-31"),
      ("Module published on the IFRC learning platform", "2023-03-31")]),
    (4, False, 2023, K.WEBINAR_SERIES, "Webinar series on good practice", "4.1",
     "Four webinars showcasing National Societies' good practice, starting in January 2023.",
     [("Webinar 1: assessment", "2023-01-31"),
      ("Webinar 2: monitoring and evaluation", "2023-03-31"),
      ("Webinar 3: research", "2023-05-31"),
      ("Webinar 4: cultural adaptation", "2023-07-31")]),
    (4, False, 2023, K.RESEARCH, "Research: monitoring and evaluation challenges", "4.2",
     "Investigate the challenges National Societies face when implementing and contextualising "
     "monitoring and evaluation, with recommendations.", []),
    (4, False, 2023, K.RESEARCH, "Research: “how to” resources for MHPSS research", "4.2",
     "A consultant identifies and sets up a set of practical “how to” resources that promote "
     "MHPSS research in the Movement.", []),
    (4, True, 2022, K.MAPPING, "Mapping of promising digital MHPSS approaches", "4.3",
     "Identify and map digital approaches that bring basic psychological support to more "
     "people.", []),
    (4, True, 2023, K.TOOLKIT, "Digital MHPSS toolkit", "4.3",
     "A toolkit with practical guidance on developing digital MHPSS services in the Movement.",
     []),
    (5, False, 2023, K.ADVOCACY_EVENT, "Joint messaging at key events", "6.1",
     "Support the delivery of joint Movement messages on MHPSS at key events.", []),
    (5, False, 2023, K.ADVOCACY_EVENT, "Outreach at prioritised high-level events", "6.1",
     "With National Societies, find outreach opportunities and prioritise the high-level events "
     "where MHPSS in the Movement must be represented.", []),
    (5, False, 2023, K.DONOR_ENGAGEMENT, "Engagement with the top 10 MHPSS donors", "5.1",
     "Build relationships with the ten main MHPSS donors identified and agree with National "
     "Societies how to strengthen resource mobilisation for MHPSS.", []),
]  # fmt: skip


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def movement_organisations() -> dict:
    """The IFRC, ICRC and PS Centre by kind, created if missing."""
    found = {}
    for kind, name, short in MOVEMENT_ORGANISATIONS:
        org = Organisation.objects.filter(kind=kind).order_by("id").first()
        if org is None:
            org, _ = Organisation.objects.get_or_create(
                name=name, defaults={"kind": kind, "short_name": short}
            )
        found[kind] = org
    return found


def _group(roadmap, number, name, area_numbers, description, parent=None):
    lookup = {"roadmap": roadmap, "number": number}
    if parent is None:
        lookup["parent__isnull"] = True
    else:
        lookup.update(parent=parent, name=name)
    group = WorkingGroup.objects.filter(**lookup).first()
    if group is not None:
        return group, False
    group = WorkingGroup.objects.create(
        roadmap=roadmap, number=number, name=name, description=description, parent=parent
    )
    group.areas.set(roadmap.areas.filter(number__in=area_numbers))
    return group, True


@transaction.atomic
def load_reference_data(stdout=None) -> dict:
    roadmap = reference_roadmap()
    if roadmap is None:
        _say(stdout, "Working groups: no roadmap loaded, nothing to do.")
        return {}
    created = {"groups": 0, "workplans": 0, "deliverables": 0, "milestones": 0}
    orgs = movement_organisations()

    body, _ = CoordinationBody.objects.get_or_create(
        roadmap=roadmap,
        name="Interim Coordination Structure",
        defaults={
            "description": "Representatives of the ICRC, the IFRC and the IFRC PS Centre who "
            "coordinate the working groups and organise the co-leads workshops."
        },
    )
    if not body.organisations.exists():
        body.organisations.set(orgs.values())

    groups = {}
    for number, name, areas, description in GROUPS:
        group, new = _group(roadmap, number, name, areas, description)
        groups[(number, False)] = group
        created["groups"] += new
    number, name, areas, description = SUBGROUP
    group, new = _group(roadmap, number, name, areas, description, parent=groups[(4, False)])
    groups[(4, True)] = group
    created["groups"] += new

    results = {r.code: r for r in ExpectedResult.objects.filter(area__roadmap=roadmap)}
    for number, sub, year, kind, title, code, description, milestones in DELIVERABLES:
        group = groups[(number, sub)]
        workplan, new = Workplan.objects.get_or_create(working_group=group, year=year)
        created["workplans"] += new
        # A deliverable a co-lead renamed or archived is not created again beside it.
        new = not ever_existed(Deliverable, workplan=workplan, title=title)
        if new:
            deliverable = Deliverable.objects.create(
                workplan=workplan,
                title=title,
                kind=kind,
                description=description,
                expected_result=results.get(code),
                due_date=datetime.date(year, 12, 31),
            )
        created["deliverables"] += new
        if new:
            for milestone_title, date in milestones:
                Milestone.objects.create(
                    deliverable=deliverable,
                    title=milestone_title,
                    date=datetime.date.fromisoformat(date),
                )
                created["milestones"] += 1
    _say(stdout, "Working groups: " + ", ".join(f"{v} {k} created" for k, v in created.items()))
    translated = load_content_translations(roadmap)
    if translated.created:
        _say(stdout, f"Working groups: {translated}.")
    return created


def load_content_translations(roadmap, counter: Counter | None = None) -> Counter:
    """The shipped French, Spanish and Arabic names and descriptions of the groups (fills only
    empty fields, while the English is unchanged: roadmap.seed.fill_shipped_translations)."""
    counter = counter or Counter()
    groups = WorkingGroup.objects.filter(roadmap=roadmap)
    sources = {
        str(number): {"name": name, "description": description}
        for number, name, _areas, description in GROUPS
    }
    sources["subgroup"] = {"name": SUBGROUP[1], "description": SUBGROUP[3]}
    objects = {
        **{str(g.number): g for g in groups.filter(parent__isnull=True)},
        "subgroup": groups.filter(parent__isnull=False, name=SUBGROUP[1]).first(),
    }
    fill_shipped_translations("working_groups", objects, sources, counter)
    return counter
