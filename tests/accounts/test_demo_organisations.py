"""Synthetic demo organisations (`is_demo`): many per country, never mistaken for real ones."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import Organisation
from accounts.resources import OrganisationResource
from roadmap.seed import load_national_societies
from tests import factories
from tests.conftest import client_for


def _demo_society(number: int, country: str = "KE") -> Organisation:
    return factories.NationalSocietyFactory(
        name=f"[demo] Society {number:05d} ({country})", country=country, is_demo=True
    )


def test_two_real_societies_for_one_country_are_refused(kenya):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.NationalSocietyFactory(name="Another Kenyan society", country="KE")


def test_demo_societies_may_share_a_real_country(kenya):
    _demo_society(1)
    _demo_society(2)
    societies = Organisation.objects.national_societies()
    assert societies.filter(country="KE").count() == 3
    assert list(societies.real().filter(country="KE")) == [kenya]
    # Still one real society per country, whatever the demo ones.
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.NationalSocietyFactory(name="Another Kenyan society", country="KE")


def test_the_reference_list_matches_real_societies_only(db, tmp_path):
    _demo_society(1, "KE")
    csv_file = tmp_path / "national_societies.csv"
    csv_file.write_text(
        "name,short_name,country,region,default_language\n"
        "Kenya Red Cross Society,KRCS,KE,africa,en\n",
        encoding="utf-8",
    )
    counter = load_national_societies(csv_file)
    assert counter.created == {"National Societies": 1}
    kenya = Organisation.objects.national_societies().real().get(country="KE")
    assert (kenya.name, kenya.is_demo) == ("Kenya Red Cross Society", False)
    # Loading again matches the real society by its country: nothing new.
    assert load_national_societies(csv_file).created == {}
    assert Organisation.objects.filter(country="KE").count() == 2


def test_the_export_leaves_out_demo_organisations(kenya):
    _demo_society(1)
    dataset = OrganisationResource().export()
    assert [row[0] for row in dataset] == ["Kenya Red Cross Society"]


def test_the_admin_shows_and_filters_demo_organisations(client, admin_user, kenya):
    _demo_society(1)
    client = client_for(client, admin_user)
    url = reverse("admin:accounts_organisation_changelist")
    page = client.get(url).content.decode()
    assert "demo data" in page  # the column and the filter
    page = client.get(url, {"is_demo__exact": "1"}).content.decode()
    assert "[demo] Society 00001 (KE)" in page
    assert "Kenya Red Cross Society" not in page
