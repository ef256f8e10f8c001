"""Content admins write (areas, results, indicators, group names) in four languages, with fallback."""

import pytest
import tablib
from django.urls import reverse
from django.utils import translation

from core.translated import in_language, missing_translations
from roadmap.models import PriorityActionArea
from roadmap.resources import PriorityActionAreaResource
from workinggroups.models import WorkingGroup
from workinggroups.resources import WorkingGroupResource


def _get(client, user, url, language):
    client.force_login(user)
    client.cookies["django_language"] = language
    return client.get(url).content.decode()


def test_active_language_with_english_fallback(area):
    area.title_fr = "Soutien psychosocial de base"
    area.save()
    with translation.override("fr"):
        assert area.display_title == "Soutien psychosocial de base"
        assert str(area).startswith("Domaine 1") and str(area).endswith("psychosocial de base")
    with translation.override("es"):
        assert area.display_title == "Basic psychosocial support"  # no Spanish: English
    assert in_language(area, "title", "fr") == "Soutien psychosocial de base"
    assert missing_translations(area, ["title"]) == ["title (es)", "title (ar)"]
    assert missing_translations(area, ["title", "description"], "fr") == []


def test_area_page_in_french_shows_french_text(client, reader, area, output, indicator):
    area.title_fr = "Soutien psychosocial de base"
    area.save()
    output.title_fr = "Les formations sont cartographiées"
    output.save()
    indicator.name_fr = "Sociétés nationales qui offrent un soutien"
    indicator.save()
    html = _get(client, reader, reverse("roadmap:area", args=[1]), "fr")
    assert "Soutien psychosocial de base" in html
    assert "Les formations sont cartographiées" in html
    assert "Sociétés nationales qui offrent un soutien" in html
    assert "Courses are mapped" not in html


def test_fallback_hint_is_for_editors_only(client, admin_user, reader, area):
    url = reverse("roadmap:area", args=[1])
    html = _get(client, admin_user, url, "ar")
    assert "translation-hint" in html
    assert reverse("admin:roadmap_priorityactionarea_change", args=[area.pk]) in html
    assert "Basic psychosocial support" in html  # the English, shown meanwhile
    client.logout()
    assert "translation-hint" not in _get(client, reader, url, "ar")
    # In English nothing is missing.
    assert "translation-hint" not in _get(client, admin_user, url, "en")
    area.title_ar = "الدعم النفسي الاجتماعي الأساسي"
    area.save()
    assert "translation-hint" not in _get(client, admin_user, url, "ar")


def test_working_group_name_in_arabic(client, reader, roadmap):
    group = WorkingGroup.objects.create(
        roadmap=roadmap, number=3, name="Well-being of staff and volunteers"
    )
    group.name_ar = "رفاه الموظفين والمتطوعين"
    group.save()
    html = _get(client, reader, group.get_absolute_url(), "ar")
    assert "رفاه الموظفين والمتطوعين" in html and 'dir="rtl"' in html
    html = _get(client, reader, reverse("workinggroups:list"), "ar")
    assert "رفاه الموظفين والمتطوعين" in html


def test_admin_lists_missing_translations(client, admin_user, area):
    client.force_login(admin_user)
    html = client.get(reverse("admin:roadmap_priorityactionarea_changelist")).content.decode()
    assert "title (fr)" in html
    html = client.get(
        reverse("admin:roadmap_priorityactionarea_change", args=[area.pk])
    ).content.decode()
    assert 'name="title_ar"' in html and "title (ar)" in html


def test_area_sheet_imports_translations_and_records_history(area):
    dataset = PriorityActionAreaResource().export()
    assert "title_ar" in dataset.headers and "description_es" in dataset.headers
    row = list(dataset[0])
    row[dataset.headers.index("title_es")] = "Apoyo psicosocial básico"
    edited = tablib.Dataset(row, headers=dataset.headers)
    result = PriorityActionAreaResource().import_data(edited)
    assert not result.has_errors() and not result.has_validation_errors()
    area.refresh_from_db()
    assert area.title_es == "Apoyo psicosocial básico"
    assert area.history.first().history_change_reason == "spreadsheet import"


def test_bad_area_sheet_changes_nothing(area):
    dataset = PriorityActionAreaResource().export()
    row = list(dataset[0])
    row[dataset.headers.index("title_fr")] = "x" * 301  # longer than the column allows
    result = PriorityActionAreaResource().import_data(
        tablib.Dataset(row, headers=dataset.headers), raise_errors=False
    )
    assert result.has_validation_errors()
    area.refresh_from_db()
    assert area.title_fr == ""


def test_group_sheet_and_exports_carry_every_language(roadmap, area):
    WorkingGroup.objects.create(roadmap=roadmap, number=1, name="Basic PSS", name_fr="SPS de base")
    for data_export in (False, True):  # the admin's round trip and the data export alike
        headers = WorkingGroupResource(data_export=data_export).export().headers
        assert {"name_fr", "name_es", "name_ar", "description_ar"} <= set(headers)
        area_headers = PriorityActionAreaResource(data_export=data_export).export().headers
        assert {"title_fr", "short_title_ar"} <= set(area_headers)


@pytest.mark.django_db
def test_shipped_translations_fill_only_what_is_empty_and_unchanged():
    from roadmap import seed
    from workinggroups import seed as group_seed

    seed.load_all()
    group_seed.load_reference_data()
    seed.load_content_translations()
    area = PriorityActionArea.objects.get(number=1)
    assert area.title_fr and area.title_es and area.title_ar
    assert area.roadmap.name_ar and area.roadmap.description_es
    group = WorkingGroup.objects.get(number=4, parent__isnull=True)
    assert group.name_ar and group.subgroups.get().name_fr
    # An editor's own translation stays; a changed English title gets no stale translation.
    area.title_fr = "Titre revu par un éditeur"
    area.save()
    area2 = PriorityActionArea.objects.get(number=2)
    area2.title = "A new English title"
    area2.title_es = ""
    area2.save()
    seed.load_content_translations()
    area.refresh_from_db()
    area2.refresh_from_db()
    assert area.title_fr == "Titre revu par un éditeur"
    assert area2.title_es == ""
    # Every shipped field is present: nothing is left in English only.
    for model_area in PriorityActionArea.objects.exclude(pk=area2.pk):
        assert missing_translations(model_area, model_area.translated_fields) == []


def test_hint_links_to_the_admin_of_each_kind_of_content(
    client, admin_user, roadmap, output, indicator
):
    group = WorkingGroup.objects.create(roadmap=roadmap, number=2, name="Holistic approach")
    pages = {
        reverse("roadmap:result", args=[output.pk]): "admin:roadmap_expectedresult_change",
        reverse("roadmap:indicator", args=[indicator.pk]): "admin:roadmap_indicator_change",
        group.get_absolute_url(): "admin:workinggroups_workinggroup_change",
    }
    for (url, admin_name), obj in zip(pages.items(), [output, indicator, group], strict=True):
        html = _get(client, admin_user, url, "fr")
        assert "translation-hint" in html, url
        assert reverse(admin_name, args=[obj.pk]) in html
