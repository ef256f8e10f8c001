"""The administration: roadmap admins only, every model listed, no hard delete, imports."""

from pathlib import Path

import pytest
import tablib
from django.contrib import admin
from django.urls import reverse

from accounts.models import Organisation
from accounts.resources import OrganisationResource
from tests import factories
from tests.helpers import with_version

ROOT = Path(__file__).resolve().parents[2]
MODELS = [
    "accounts.organisation",
    "accounts.user",
    "roadmap.commitment",
    "roadmap.operativeparagraph",
    "roadmap.roadmap",
    "roadmap.priorityactionarea",
    "roadmap.expectedresult",
    "roadmap.indicator",
    "roadmap.indicatorvalue",
    "roadmap.progressupdate",
    "roadmap.evidence",
    "roadmap.publicsummary",
]


def _admin_url(model: str, action: str, *args) -> str:
    app, name = model.split(".")
    return reverse(f"admin:{app}_{name}_{action}", args=args)


@pytest.fixture
def staff_reader(db):
    """A reader somebody flagged as staff by mistake: still no way in."""
    return factories.ReaderFactory(is_staff=True)


@pytest.mark.parametrize("model", MODELS)
def test_every_model_is_registered(model):
    app, name = model.split(".")
    assert any(
        m._meta.app_label == app and m._meta.model_name == name for m in admin.site._registry
    )


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize(
    "role, expected",
    [
        ("anonymous", 302),
        ("admin_user", 200),
        ("reader", 302),
        ("staff", 302),
        ("staff_reader", 403),
    ],
)
def test_changelist_and_add_by_role(db, client, request, model, role, expected):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    for action in ("changelist", "add"):
        response = client.get(_admin_url(model, action))
        assert response.status_code == expected, (model, action)


def test_nothing_is_deleted_from_the_admin(client, admin_user, kenya):
    client.force_login(admin_user)
    response = client.post(_admin_url("accounts.organisation", "delete", kenya.pk), {"post": "yes"})
    assert response.status_code == 403
    assert Organisation.objects.filter(pk=kenya.pk).exists()


def test_change_needs_a_reason(client, admin_user, kenya):
    client.force_login(admin_user)
    url = _admin_url("accounts.organisation", "change", kenya.pk)
    data = {
        "name": "Kenya Red Cross",
        "short_name": "",
        "kind": "national_society",
        "country": "KE",
        "region": "africa",
        "default_language": "en",
        "is_active": "on",
        "change_reason": "",
    }
    data = with_version(kenya, data, admin=True)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Say why you change this." in response.content.decode()
    kenya.refresh_from_db()
    assert kenya.name == "Kenya Red Cross Society"
    response = client.post(url, data | {"change_reason": "official name"})
    assert response.status_code == 302
    kenya.refresh_from_db()
    assert kenya.name == "Kenya Red Cross"
    assert kenya.history.first().history_change_reason == "official name"


class TestNationalSocietiesImport:
    CSV = (
        "name,short_name,country,region,default_language\n"
        "Kenya Red Cross Society,KRCS,KE,africa,en\n"
        "Lebanese Red Cross,LRC,LB,Middle East and North Africa,ar\n"
    )

    def _import(self, text, dry_run=False):
        dataset = tablib.Dataset().load(text, format="csv")
        return OrganisationResource().import_data(
            dataset, dry_run=dry_run, rollback_on_validation_errors=True
        )

    def test_import_twice_updates_instead_of_duplicating(self, db):
        result = self._import(self.CSV)
        assert not result.has_errors() and not result.has_validation_errors()
        assert Organisation.objects.national_societies().count() == 2
        lebanon = Organisation.objects.get(country="LB")
        assert (lebanon.kind, lebanon.region, lebanon.default_language) == (
            "national_society",
            "mena",
            "ar",
        )
        result = self._import(self.CSV.replace("KRCS", "Kenya RC"))
        assert not result.has_errors() and not result.has_validation_errors()
        assert Organisation.objects.count() == 2
        assert Organisation.objects.get(country="KE").short_name == "Kenya RC"

    def test_bad_row_is_reported_and_nothing_saved(self, db):
        result = self._import(self.CSV + "Nowhere Red Cross,,,nowhere,en\n")
        assert result.has_validation_errors()
        assert Organisation.objects.count() == 0

    def test_export_has_the_columns(self, kenya):
        dataset = OrganisationResource().export()
        assert dataset.headers == [
            "name",
            "short_name",
            "kind",
            "country",
            "region",
            "default_language",
            "name_fr",
            "name_es",
            "name_ar",
        ]
        assert dataset[0][0] == "Kenya Red Cross Society"
        assert dataset[0][3] == "KE"

    def test_the_fixture_imports_cleanly_twice(self, db):
        # The fixture ships with the code: a missing file fails here rather than skipping.
        text = (ROOT / "fixtures/national_societies.csv").read_text(encoding="utf-8")
        rows = len(text.strip().splitlines()) - 1
        for _ in range(2):
            result = self._import(text)
            assert not result.has_errors()
            assert not result.has_validation_errors(), result.invalid_rows[:1]
        assert Organisation.objects.national_societies().count() == rows
