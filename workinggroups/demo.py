"""Demo data of working groups: fictional co-leads and members, meetings, updates, resources.

Called by ``manage.py load_demo`` after the demo accounts exist; safe to run twice. Every person
here is fictional.
"""

import datetime

from django.db import transaction
from django.utils.text import slugify

from accounts.models import Organisation, User
from roadmap.models import ProgressStatus, ProgressUpdate
from roadmap.seed import ever_existed, reference_roadmap

from .models import (
    ActionItem,
    Deliverable,
    FrameworkLayer,
    Meeting,
    Membership,
    Resource,
    WorkingGroup,
)
from .seed import load_reference_data, movement_organisations

PASSWORD = "roadmap-demo"
MEMBER_COUNTRIES = ["KE", "LB", "CO", "SN", "DK", "NO", "GB", "PH"]

# Second co-lead of each group: (group number, e-mail, name, organisation kind or country).
SECOND_CO_LEADS = [
    (1, "colead2-wg1@example.org", "Amina Demo", "ifrc"),
    (2, "colead2-wg2@example.org", "Jonas Example", "icrc"),
    (3, "colead2-wg3@example.org", "Sofía Ejemplo", "CO"),
    (4, "colead2-wg4@example.org", "Karim Fictif", "icrc"),
    (5, "colead2-wg5@example.org", "Ingrid Sample", "NO"),
]

R = Resource.Kind
L = FrameworkLayer
RESOURCES = [
    # (group, kind, title, countries, regions, languages, layer)
    (1, R.PSS_COURSE, "Basic psychosocial support course (demo)", "", "africa", "English, French", L.BASIC_PSS),
    (1, R.PSS_COURSE, "Psychological first aid for volunteers (demo)", "KE", "", "English, Swahili", L.BASIC_PSS),
    (1, R.PSS_COURSE, "PFA for children: half-day training (demo)", "LB", "", "Arabic, English", L.BASIC_PSS),
    (1, R.PSS_COURSE, "Community-based psychosocial support refresher (demo)", "CO", "", "Spanish", L.BASIC_PSS),
    (1, R.PSS_COURSE, "Caring for volunteers: facilitator guide (demo)", "", "europe_central_asia", "English", L.FOCUSED_PSS),
    (1, R.PSS_COURSE, "Psychosocial support in emergencies (demo)", "PH", "", "English, Tagalog", L.BASIC_PSS),
    (1, R.PSS_COURSE, "Group support sessions for camps (demo)", "SN", "", "French", L.FOCUSED_PSS),
    (1, R.ME_TOOL, "Simple MHPSS activity log (demo)", "", "americas", "Spanish, English", ""),
    (1, R.ME_TOOL, "Well-being scale short form (demo)", "", "mena", "Arabic", L.PSYCHOLOGICAL),
    (1, R.ME_TOOL, "Session attendance template (demo)", "", "", "English, French, Spanish, Arabic", ""),
    (1, R.ME_TOOL, "Post-training knowledge check (demo)", "DK", "", "English, Danish", L.BASIC_PSS),
    (1, R.CONTACT, "Education sector MHPSS network (demo)", "", "africa", "English", ""),
    (1, R.CONTACT, "Health cluster MHPSS working group (demo)", "", "mena", "Arabic, English", ""),
    (1, R.CONTACT, "Protection sector contacts (demo)", "", "asia_pacific", "English", ""),
    (1, R.STIGMA, "Talking about mental health without stigma (demo)", "GB", "", "English", L.BASIC_PSS),
    (1, R.STIGMA, "Anti-stigma poster set (demo)", "", "europe_central_asia", "English, French", L.BASIC_PSS),
    (1, R.STIGMA, "Radio spots on mental health (demo)", "SN", "", "French, Wolof", L.BASIC_PSS),
    (4, R.DIGITAL, "Peer support chat line (demo)", "NO", "", "Norwegian, English", L.FOCUSED_PSS),
    (4, R.DIGITAL, "Self-help app for volunteers (demo)", "DK", "", "Danish, English", L.BASIC_PSS),
    (4, R.DIGITAL, "Remote PFA by phone (demo)", "LB", "", "Arabic", L.BASIC_PSS),
    (4, R.DIGITAL, "Online group sessions for young people (demo)", "CO", "", "Spanish", L.FOCUSED_PSS),
    (4, R.DIGITAL, "Text-message check-ins after disasters (demo)", "PH", "", "English, Tagalog", L.BASIC_PSS),
    (4, R.ME_TOOL, "Digital survey template for MHPSS outcomes (demo)", "", "", "English, French", ""),
    (4, R.OTHER, "Guide to cultural adaptation of tools (demo)", "", "", "English", L.PSYCHOLOGICAL),
    (5, R.DONOR, "Government humanitarian fund (demo)", "NO", "", "English", ""),
    (5, R.DONOR, "Private foundation for mental health (demo)", "GB", "", "English", ""),
    (5, R.DONOR, "Regional development bank (demo)", "", "asia_pacific", "English", ""),
    (5, R.DONOR, "Pooled emergency fund (demo)", "", "", "English, French", ""),
    (3, R.OTHER, "Staff care policy template (demo)", "", "", "English, Spanish", L.FOCUSED_PSS),
    (2, R.OTHER, "Partnership checklist for MHPSS projects (demo)", "", "", "English, French", ""),
]  # fmt: skip


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _societies() -> dict:
    real = Organisation.objects.national_societies().real()  # demo societies share countries
    return {o.country.code: o for o in real.filter(country__in=MEMBER_COUNTRIES)}


def _person(email: str, name: str, organisation) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=PASSWORD, full_name=name, organisation=organisation
        )
    return user


def _membership(group, *, role, person=None, organisation=None, joined=None) -> None:
    """Add a membership unless the person or organisation is, or ever was, in the group: a
    membership someone ended stays ended (the ended row is kept, so it is found here)."""
    ever = Membership.objects.filter(working_group=group)
    if person is not None and ever.filter(person=person).exists():
        return
    if person is None and ever.filter(organisation=organisation, person=None).exists():
        return
    active = Membership.objects.active().filter(working_group=group)
    slot = None
    if role == Membership.Role.CO_LEAD:
        taken = set(active.co_leads().values_list("slot", flat=True))
        free = [s for s in (1, 2) if s not in taken]
        if not free:
            return
        slot = free[0]
    Membership.objects.create(
        working_group=group,
        role=role,
        slot=slot,
        person=person,
        organisation=organisation or (person.organisation if person else None),
        joined_on=joined or datetime.date(2021, 3, 1),
    )


@transaction.atomic
def load(stdout=None) -> None:
    roadmap = reference_roadmap()
    if roadmap is None:
        _say(stdout, "Working groups demo: no roadmap loaded, nothing to do.")
        return
    if not WorkingGroup.objects.filter(roadmap=roadmap).exists():
        load_reference_data(stdout=stdout)
    groups = {g.number: g for g in WorkingGroup.objects.top_level().filter(roadmap=roadmap)}
    movement = movement_organisations()
    societies = _societies()

    def org_for(key):
        if key in societies:
            return societies[key]
        return movement.get(key) or movement[Organisation.Kind.IFRC]

    # The demo accounts the lead's load_demo created.
    for email, number, role in [
        ("colead-wg1@example.org", 1, Membership.Role.CO_LEAD),
        ("colead-wg4@example.org", 4, Membership.Role.CO_LEAD),
        ("member-wg1@example.org", 1, Membership.Role.MEMBER),
    ]:
        user = User.objects.filter(email=email).first()
        if user is None or number not in groups:
            continue
        if user.organisation_id is None:
            user.organisation = societies.get("KE") or movement[Organisation.Kind.IFRC]
            user.save(update_fields=["organisation"])
        _membership(groups[number], role=role, person=user)

    for number, email, name, org_key in SECOND_CO_LEADS:
        if number in groups:
            person = _person(email, name, org_for(org_key))
            _membership(groups[number], role=Membership.Role.CO_LEAD, person=person)

    # Member National Societies, spread over the groups.
    codes = [c for c in MEMBER_COUNTRIES if c in societies]
    for i, code in enumerate(codes):
        for number in (1 + i % 5, 1 + (i + 2) % 5):
            if number in groups:
                _membership(
                    groups[number],
                    role=Membership.Role.MEMBER,
                    organisation=societies[code],
                )

    _meetings(groups)
    _updates(groups)
    _resources(groups, societies, movement)
    _say(stdout, "Working groups demo data loaded.")


def _meetings(groups) -> None:
    today = datetime.date.today()
    plans = [
        (1, today - datetime.timedelta(days=40), "Monthly meeting: stigma resources",
         "Reviewed the mapping spreadsheet; agreed the stigma focus.",
         "Collect stigma resources from member National Societies.",
         [("Share the stigma resources template", -10), ("Contact the education network", 20)]),
        (1, today - datetime.timedelta(days=10), "Monthly meeting: networks",
         "Discussed which networks to reach first.", "Prioritise three networks.",
         [("Draft the outreach e-mail", 14)]),
        (4, today - datetime.timedelta(days=30), "Planning the webinar series",
         "Agreed speakers for the first two webinars.", "Webinar 1 on assessment goes ahead.",
         [("Confirm the speakers for webinar 2", -5), ("Book the webinar platform", 10)]),
    ]  # fmt: skip
    for number, date, title, minutes, decisions, actions in plans:
        group = groups.get(number)
        if group is None:
            continue
        if ever_existed(Meeting, working_group=group, title=title):
            continue  # also when someone renamed it since
        meeting = Meeting.objects.create(
            working_group=group, title=title, date=date, minutes=minutes, decisions=decisions
        )
        people = list(
            User.objects.filter(
                wg_memberships__working_group=group, wg_memberships__left_on__isnull=True
            ).distinct()
        )
        meeting.attendees.set(people)
        for description, days in actions:
            ActionItem.objects.create(
                meeting=meeting,
                description=description,
                owner=people[0] if people else None,
                due_date=today + datetime.timedelta(days=days),
            )


def _updates(groups) -> None:
    author = (
        Membership.objects.active()
        .co_leads()
        .filter(working_group=groups.get(1))
        .select_related("person")
        .first()
    )
    if author is None:
        return
    today = datetime.date.today()
    plans = [
        ("Mapping of basic psychosocial support courses", ProgressStatus.ON_TRACK, 40, 60),
        ("Stigma resources", ProgressStatus.ON_TRACK, 10, 45),
        ("Reaching the prioritised networks", ProgressStatus.AT_RISK, 0, 40),
        ("Webinar series on good practice", ProgressStatus.ON_TRACK, 25, 30),
    ]
    for title, status, percent, days_ago in plans:
        deliverable = Deliverable.objects.filter(title=title).first()
        if deliverable is None or deliverable.progress_updates.exists():
            continue
        update = ProgressUpdate(
            subject=deliverable,
            author=author.person,
            date=today - datetime.timedelta(days=days_ago),
            status=status,
            percent_complete=percent,
            narrative="Work is under way; see the latest meeting for details.",
        )
        update._change_reason = "demo data"
        update.save()


def _resources(groups, societies, movement) -> None:
    for number, kind, title, country, regions, languages, layer in RESOURCES:
        group = groups.get(number)
        if group is None or ever_existed(Resource, title=title, working_group=group):
            continue
        Resource.objects.create(
            title=title,
            kind=kind,
            organisation=societies.get(country) or movement[Organisation.Kind.PS_CENTRE],
            countries=[country] if country else [],
            regions=regions,
            languages=languages,
            layer=layer,
            link="https://example.org/resources/" + slugify(title),
            notes="Demo entry: replace with a real resource.",
            working_group=group,
        )
