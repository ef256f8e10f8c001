"""The rules match the table of roles × actions in docs/permissions.md, cell by cell.

The table is read from the document, and each cell asks its permission of the rule itself
(``rules.has_perm``: the rule, not Django's shortcut that lets superusers pass) with a real
object, so changing a rule without the table (or the table without the rule) fails here.
"""

from pathlib import Path
from types import SimpleNamespace

import pytest
import rules
from django.db import transaction

from api.services import token_create
from tests import factories as f
from tests.reports.factories import EditionFactory
from tests.surveys.factories import RoundFactory
from tests.workinggroups import factories as wf

DOC = Path(__file__).resolve().parent.parent / "docs" / "permissions.md"
ROLES = [
    "admin",
    "reader",
    "co-lead",
    "member",
    "other co-lead",
    "focal point",
    "other focal point",
    "no role",
]


def _table() -> list[dict]:
    """The rows of the table whose header starts with "action", as dicts by column name."""
    rows, header = [], None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if "|" in line else None
        if not cells:
            header = None
            continue
        if cells[0] == "action":
            header = cells
        elif header and not set(cells[0]) <= {"-"}:
            rows.append(dict(zip(header, cells, strict=True)))
    return rows


ROWS = _table()
CELLS = [(row, role) for row in ROWS for role in ROLES]


def test_the_table_is_read_whole():
    assert [c for c in ROWS[0] if c in ROLES] == ROLES
    assert len(ROWS) >= 20


@pytest.fixture(scope="module")
def people(django_db_setup, django_db_blocker):
    """Built once for the module in a transaction rolled back at the end (the rules only read)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _people()
        transaction.set_rollback(True)


def _people():
    roadmap = f.RoadmapFactory(is_current=True)
    area1 = f.AreaFactory(roadmap=roadmap, number=1)
    area2 = f.AreaFactory(roadmap=roadmap, number=2)
    result1 = f.OutputFactory(area=area1, code="1.1")
    wg1 = wf.WorkingGroupFactory(roadmap=roadmap, number=1)
    wg1.areas.set([area1])
    wg2 = wf.WorkingGroupFactory(roadmap=roadmap, number=2)
    wg2.areas.set([area2])
    kenya = f.NationalSocietyFactory(country="KE")
    users = {
        "admin": f.AdminFactory(is_superuser=True),
        "reader": f.ReaderFactory(),
        "co-lead": f.UserFactory(),
        "member": f.UserFactory(),
        "other co-lead": f.UserFactory(),
        "focal point": f.FocalPointFactory(organisation=kenya),
        "other focal point": f.FocalPointFactory(),
        "no role": f.UserFactory(),
    }
    wf.CoLeadFactory(working_group=wg1, person=users["co-lead"], slot=1)
    wf.MembershipFactory(working_group=wg1, person=users["member"])
    wf.CoLeadFactory(working_group=wg2, person=users["other co-lead"], slot=1)
    deliverable = wf.DeliverableFactory(workplan=wf.WorkplanFactory(working_group=wg1))
    update = f.ProgressUpdateFactory
    result_update = update(subject=result1, author=users["member"])
    indicator = f.IndicatorFactory(area=area1)
    objects = {
        "evidence": SimpleNamespace(pk=1),
        "group 1": wg1,
        "group 1's result": result1,
        "group 1's deliverable": deliverable,
        "the member's update on group 1's result": result_update,
        "the co-lead's update on group 1's result": update(
            subject=result1, author=users["co-lead"]
        ),
        "the member's update on group 1's deliverable": update(
            subject=deliverable, author=users["member"]
        ),
        "the co-lead's update on group 1's deliverable": update(
            subject=deliverable, author=users["co-lead"]
        ),
        "indicator, value": indicator,
        "the society": kenya,
        "the round": RoundFactory(roadmap=roadmap),
        "the edition": EditionFactory(),
        "the member's token": token_create(user=users["member"], name="Dashboard")[0],
        "none": None,
    }
    return users, objects


@pytest.mark.parametrize(
    ("row", "role"), CELLS, ids=[f"{row['action']}-{role}" for row, role in CELLS]
)
def test_rule_matches_the_table(people, db, row, role):
    users, objects = people
    obj = objects[row["object"]]
    want = {"✓": True, "—": False}[row[role]]
    for perm in (p.strip().strip("`") for p in row["permission"].split(",")):
        assert rules.has_perm(perm, users[role], obj) is want, f"{perm} for {role}: not {want}"
