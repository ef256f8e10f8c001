"""The reference data and demo accounts load once, and loading again changes and loses nothing."""

from django.core.management import call_command

from accounts.models import Organisation, User
from roadmap.models import Indicator, IndicatorValue, PriorityActionArea, Roadmap


def _load():
    call_command("load_roadmap", stdout=open("/dev/null", "w"))
    call_command("load_demo", stdout=open("/dev/null", "w"))


def test_load_creates_roadmap_societies_and_demo_accounts(db):
    _load()
    roadmap = Roadmap.objects.get(name="Roadmap for implementation 2020–2023")
    assert roadmap.start_year == 2020 and roadmap.end_year == 2023
    assert PriorityActionArea.objects.filter(roadmap=roadmap).count() == 6
    # The demo adds the fictional successor, current as it is for the tracker's users today.
    successor = Roadmap.objects.current()
    assert successor.follows == roadmap and "fictional demo" in successor.name
    # In every interface language, with its new area: no English left in the roadmap menu.
    from django.utils import translation

    from core.translated import is_english_fallback

    new_area = successor.areas.get(number=successor.areas.count())
    for language in ("fr", "es", "ar"):
        with translation.override(language):
            for shown in (
                successor.display_name,
                successor.display_description,
                new_area.display_title,
            ):
                assert shown and not is_english_fallback(shown), (language, shown)
                assert "fictional" not in shown, (language, shown)
    societies = Organisation.objects.national_societies()
    assert societies.count() >= 190
    assert societies.get(country="LB").region == "mena"
    assert societies.get(country="CO").region == "americas"
    pfa = Indicator.objects.get(code="PFA", area__roadmap=roadmap)
    assert pfa.baseline_value == 74 and pfa.baseline_year == 2019
    assert IndicatorValue.objects.get(indicator=pfa, year=2021).value == 79
    emails = set(User.objects.values_list("email", flat=True))
    for email in [
        "admin@example.org",
        "colead-wg1@example.org",
        "member-wg1@example.org",
        "colead-wg4@example.org",
        "focal-kenya@example.org",
        "focal-lebanon@example.org",
        "focal-colombia@example.org",
        "focal-senegal@example.org",
        "reader@example.org",
    ]:
        assert email in emails
    focal = User.objects.get(email="focal-lebanon@example.org")
    assert focal.focal_point_society_id == societies.get(country="LB").pk
    assert focal.check_password("roadmap-demo")
    assert User.objects.get(email="admin@example.org").is_roadmap_admin


def test_loading_twice_changes_nothing_and_keeps_edits(db):
    _load()
    area = PriorityActionArea.objects.get(number=1, roadmap__follows=None)
    area.title = "Edited by an admin"
    area.save()
    admin = User.objects.get(email="admin@example.org")
    admin.set_password("a-new-secret-passphrase")
    admin.save()
    counts = [m.objects.count() for m in (Organisation, User, Indicator, IndicatorValue)]

    _load()

    assert [m.objects.count() for m in (Organisation, User, Indicator, IndicatorValue)] == counts
    assert PriorityActionArea.objects.get(pk=area.pk).title == "Edited by an admin"
    assert User.objects.get(email="admin@example.org").check_password("a-new-secret-passphrase")
