"""Every message in the French, Spanish and Arabic catalogues is translated, and none is fuzzy."""

import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ["fr", "es", "ar"]


def _entries(po: Path):
    """Yield (flags, msgid, [msgstr forms]) for each entry but the header."""
    blocks = re.split(r"\n\s*\n", po.read_text(encoding="utf-8"))
    for block in blocks:
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields: dict[str, str] = {}
        current = None
        for line in lines:
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if "msgid" not in fields or fields["msgid"] == "":
            continue
        forms = [v for k, v in fields.items() if k.startswith("msgstr")]
        yield flags, fields["msgid"], forms


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete_and_not_fuzzy(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    assert po.exists(), f"missing catalogue {po}"
    entries = list(_entries(po))
    assert len(entries) > 500
    untranslated = [msgid for _, msgid, forms in entries if not forms or not all(forms)]
    fuzzy = [msgid for flags, msgid, _ in entries if "fuzzy" in flags]
    assert not untranslated, (
        f"{language}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    )
    assert not fuzzy, f"{language}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    placeholder = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
    wrong = []
    for _, msgid, forms in _entries(po):
        expected = sorted(set(placeholder.findall(msgid)))
        for form in forms:
            if expected and sorted(set(placeholder.findall(form))) != expected:
                wrong.append((msgid, form))
    assert not wrong, wrong[:5]


def _untranslated_labels(form_classes) -> list[str]:
    """Fields of these model forms whose label is the model field's bare name (a foreign key
    without a verbose_name): the label then stays in English in every language."""
    from django.utils.functional import Promise

    found = []
    for form in form_classes:
        labels = form._meta.labels or {}
        for name in form.base_fields:
            if name in labels or name in form.declared_fields:
                continue
            field = form._meta.model._meta.get_field(name)
            if not isinstance(field.verbose_name, Promise):
                found.append(f"{form.__module__}.{form.__name__}.{name}: {field.verbose_name!r}")
    return found


def test_every_model_form_label_is_translatable():
    import importlib
    import inspect

    from django import forms
    from django.apps import apps
    from django.conf import settings

    forms_of_the_project = []
    for config in apps.get_app_configs():
        if (
            not Path(config.path).is_relative_to(settings.BASE_DIR)
            or not (Path(config.path) / "forms.py").exists()
        ):
            continue
        module = importlib.import_module(f"{config.name}.forms")
        forms_of_the_project += [
            cls
            for _name, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, forms.ModelForm)
            and cls.__module__ == module.__name__
            and cls._meta.model is not None
        ]
    assert len(forms_of_the_project) > 10
    assert not _untranslated_labels(forms_of_the_project)


def test_the_label_check_finds_a_bare_foreign_key():
    from django import forms

    from workinggroups.models import Milestone  # its deliverable has no verbose_name

    class Sample(forms.ModelForm):
        class Meta:
            model = Milestone
            fields = ["deliverable", "title"]

    assert _untranslated_labels([Sample]) == [f"{__name__}.Sample.deliverable: 'deliverable'"]
