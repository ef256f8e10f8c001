"""Every form of the corpus (tests/surveys/forms/, written by make_forms.py) is imported through
the two-step upload (a check job, then a write job), answered by a focal point through the response form (plain POSTs, as
without JavaScript) and submitted, exported, converted by pyxform, and re-imported to an
identical questionnaire. The repeat form is refused by row."""

import html
import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from pyxform.xls2xform import convert

from surveys import xlsform
from surveys.models import Answer, Questionnaire, Response
from tests.helpers import questionnaire_structure, xlsform_import
from tests.surveys import factories as f

FORMS = Path(__file__).parent / "forms"
CORPUS = sorted(p for p in FORMS.glob("*.xls*") if not p.stem.startswith("9"))
REFUSED = sorted(p for p in FORMS.glob("9*.xls*"))
# Answers a generic value would not satisfy (a constraint asks for them).
ANSWERS = {"code": "NAI01", "full_name": "Amina", "who": "Focal point"}


def test_the_corpus_is_large_enough():
    assert len(CORPUS) >= 25
    assert any(p.suffix == ".xls" for p in CORPUS)


def _import(client, path: Path, name: str) -> Questionnaire:
    """Through the pages: the upload, the check job, the confirmation and the write job."""
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    page, check, _write = xlsform_import(client, upload, name, confirm=False)
    assert page.status_code == 302, page.content.decode()[:2000]
    assert check.summary.get("valid"), check.errors
    assert not Questionnaire.objects.filter(name=name).exists()  # only after confirmation
    with TestCase.captureOnCommitCallbacks(execute=True):
        done = client.post(reverse("surveys:questionnaire-import-confirm"), {"job": check.pk})
    assert done.status_code == 302
    return Questionnaire.objects.get(name=name)


_FIELDSET = re.compile(
    r'<fieldset id="q-(?P<name>[^"]+)" class="[^"]*"(?P<hidden> hidden)?(?P<body>.*?)</fieldset>',
    re.S,
)


def _value_for(question, body: str) -> list[str] | str | None:
    """A valid answer, chosen among the options the page offers (so cascades are honoured)."""
    if question.name in ANSWERS:
        return ANSWERS[question.name]
    kind = question.kind
    if kind in ("note", "calculate"):
        return None
    if question.has_choices or kind == "yes_no":
        options = [html.unescape(v) for v in re.findall(r'(?:value|option value)="([^"]+)"', body)]
        names = {c.name for c in question.choices.all()} or {"yes", "no"}
        options = [o for o in options if o in names]
        if not options:
            return None  # a cascade before the answer it reads: next pass

        preferred = "yes" if "yes" in options else options[0]
        return [preferred] if kind == "multiple" else preferred
    return {
        "integer": "20",
        "decimal": "2.5",
        "date": "2024-01-15",
    }.get(kind, "Answer")


def _answer_everything(client, survey_round, society, questionnaire):
    form_url = reverse("surveys:response-form", args=[survey_round.pk, society.pk])
    questions = {q.name: q for q in questionnaire.questions.prefetch_related("choices")}
    answered: set[str] = set()
    sections = [
        s
        for s in questionnaire.sections.order_by("order")
        if s.questions.exclude(kind="calculate").exists()  # the pages the form draws
    ]
    for section in sections:
        for _attempt in range(4):  # an answer may show more questions of the same page
            page = client.get(form_url, {"section": section.pk})
            assert page.status_code == 200
            content = page.content.decode()
            data, new = {}, False
            for match in _FIELDSET.finditer(content):
                question = questions[match["name"]]
                if match["hidden"] or question.section_id != section.pk:
                    continue
                value = _value_for(question, match["body"])
                if value is None:
                    continue
                version = re.search(rf'name="v_{question.pk}" value="(\d+)"', match["body"])
                data[f"v_{question.pk}"] = version.group(1) if version else "0"
                data[f"q_{question.pk}"] = value
                if question.name not in answered:  # something new on this page
                    answered.add(question.name)
                    new = True
            if not new:
                break
            saved = client.post(
                reverse("surveys:section-save", args=[survey_round.pk, society.pk, section.pk]),
                data,
            )
            assert saved.status_code == 302, saved.content.decode()[:3000]
    submitted = client.post(reverse("surveys:response-submit", args=[survey_round.pk, society.pk]))
    assert submitted.status_code == 302, re.findall(
        r'<div class="alert alert-danger".*?</div>', submitted.content.decode(), re.S
    )
    return answered


@pytest.fixture(autouse=True)
def english_interface(client):
    client.cookies["django_language"] = "en"


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_form_imports_answers_exports_and_round_trips(
    client, admin_user, focal_lebanon, lebanon, path
):
    client.force_login(admin_user)
    questionnaire = _import(client, path, path.stem)
    survey_round = f.RoundFactory(questionnaire=questionnaire)

    client.force_login(focal_lebanon)
    answered = _answer_everything(client, survey_round, lebanon, questionnaire)
    response = Response.objects.get(round=survey_round, society=lebanon)
    assert response.is_submitted
    stored = dict(Answer.objects.filter(response=response).values_list("question__name", "value"))
    assert answered <= set(stored), answered - set(stored)
    for question in questionnaire.questions.filter(kind="calculate"):
        assert question.name in stored  # computed and stored with the response

    client.force_login(admin_user)
    exported = client.get(reverse("surveys:questionnaire-export", args=[questionnaire.pk]))
    assert exported.status_code == 200
    result = convert(xlsform=exported.content, warnings=[])
    assert "<h:html" in result.xform
    again = xlsform.import_xlsform(io.BytesIO(exported.content), name=f"{path.stem} again")
    assert questionnaire_structure(again) == questionnaire_structure(questionnaire)


@pytest.mark.parametrize("path", REFUSED, ids=lambda p: p.name)
def test_corpus_refusals_name_the_row(client, admin_user, path):
    client.force_login(admin_user)
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    page, check, _write = xlsform_import(client, upload, "X")
    assert page.status_code == 302 and check.summary == {"valid": False}
    report = client.get(page.url).content.decode()
    assert "survey: type" in report and "The repeat member" in report
    assert [(e["row"], e["column"]) for e in check.errors][:1] == [(3, "survey: type")]
    assert not Questionnaire.objects.exists()


def test_cascade_offers_only_the_choices_of_the_saved_answer(
    client, admin_user, focal_lebanon, lebanon
):
    client.force_login(admin_user)
    questionnaire = _import(client, FORMS / "09_cascade_state_county.xlsx", "Cascade")
    survey_round = f.RoundFactory(questionnaire=questionnaire)
    state = questionnaire.questions.get(name="state")
    client.force_login(focal_lebanon)
    section = state.section
    client.post(
        reverse("surveys:section-save", args=[survey_round.pk, lebanon.pk, section.pk]),
        {f"q_{state.pk}": "texas", f"v_{state.pk}": "0"},
    )
    page = client.get(reverse("surveys:response-form", args=[survey_round.pk, lebanon.pk]))
    body = page.content.decode()
    assert 'value="harris"' in body and 'value="travis"' in body
    assert 'value="king"' not in body and 'value="pierce"' not in body


def test_group_relevant_hides_the_whole_group_and_calculation_is_stored(
    client, admin_user, focal_lebanon, lebanon
):
    client.force_login(admin_user)
    groups = _import(client, FORMS / "12_group_relevant.xlsx", "Groups")
    calc = _import(client, FORMS / "15_calculate.xlsx", "Calc")
    client.force_login(focal_lebanon)
    # "no" to the emergency: its group's required questions are not asked, submit succeeds.
    survey_round = f.RoundFactory(questionnaire=groups)
    emergency = groups.questions.get(name="emergency")
    first = emergency.section
    client.post(
        reverse("surveys:section-save", args=[survey_round.pk, lebanon.pk, first.pk]),
        {f"q_{emergency.pk}": "no", f"v_{emergency.pk}": "0"},
    )
    page = client.get(
        reverse("surveys:response-form", args=[survey_round.pk, lebanon.pk]),
        {"section": groups.sections.get(name="emergency_details").pk},
    )
    assert re.search(r'id="q-emergency_type" class="[^"]*" hidden', page.content.decode())
    done = client.post(reverse("surveys:response-submit", args=[survey_round.pk, lebanon.pk]))
    assert done.status_code == 302
    # Calculations: women + men, and a share.
    calc_round = f.RoundFactory(questionnaire=calc)
    women, men = calc.questions.get(name="women"), calc.questions.get(name="men")
    client.post(
        reverse("surveys:section-save", args=[calc_round.pk, lebanon.pk, women.section_id]),
        {f"q_{women.pk}": "30", f"v_{women.pk}": "0", f"q_{men.pk}": "10", f"v_{men.pk}": "0"},
    )
    client.post(reverse("surveys:response-submit", args=[calc_round.pk, lebanon.pk]))
    stored = dict(
        Answer.objects.filter(response__round=calc_round).values_list("question__name", "value")
    )
    assert (stored["total"], stored["share_women"]) == ("40", "75")


def test_constraint_message_of_the_form_is_shown_at_submit(
    client, admin_user, focal_lebanon, lebanon
):
    client.force_login(admin_user)
    questionnaire = _import(client, FORMS / "16_constraints.xlsx", "Constraints")
    survey_round = f.RoundFactory(questionnaire=questionnaire)
    client.force_login(focal_lebanon)
    q = {x.name: x for x in questionnaire.questions.all()}
    client.post(
        reverse("surveys:section-save", args=[survey_round.pk, lebanon.pk, q["age"].section_id]),
        {
            f"q_{q['age'].pk}": "30",
            f"v_{q['age'].pk}": "0",
            f"q_{q['code'].pk}": "nairobi",
            f"v_{q['code'].pk}": "0",
        },
    )
    page = client.post(reverse("surveys:response-submit", args=[survey_round.pk, lebanon.pk]))
    assert page.status_code == 422
    assert "Three capitals then two digits, e.g. NAI01" in page.content.decode()


def test_cascade_is_redrawn_by_the_autosave(client, admin_user, focal_lebanon, lebanon):
    """With JavaScript: saving the state sends back the county question with its choices."""
    client.force_login(admin_user)
    questionnaire = _import(client, FORMS / "09_cascade_state_county.xlsx", "Cascade JS")
    survey_round = f.RoundFactory(questionnaire=questionnaire)
    state = questionnaire.questions.get(name="state")
    client.force_login(focal_lebanon)
    fragment = client.post(
        reverse("surveys:answer-save", args=[survey_round.pk, lebanon.pk, state.pk]),
        {f"q_{state.pk}": "washington", f"v_{state.pk}": "0"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    county = next(m["body"] for m in _FIELDSET.finditer(fragment) if m["name"] == "county")
    assert 'value="king"' in county and 'value="pierce"' in county
    assert 'value="harris"' not in county


def test_a_choice_the_cascade_no_longer_offers_stops_the_submit(
    client, admin_user, focal_lebanon, lebanon
):
    client.force_login(admin_user)
    questionnaire = _import(client, FORMS / "09_cascade_state_county.xlsx", "Cascade stale")
    survey_round = f.RoundFactory(questionnaire=questionnaire)
    state = questionnaire.questions.get(name="state")
    county = questionnaire.questions.get(name="county")
    client.force_login(focal_lebanon)
    url = reverse("surveys:section-save", args=[survey_round.pk, lebanon.pk, state.section_id])
    client.post(
        url,
        {
            f"q_{state.pk}": "texas",
            f"v_{state.pk}": "0",
            f"q_{county.pk}": "harris",
            f"v_{county.pk}": "0",
        },
    )
    client.post(url, {f"q_{state.pk}": "washington", f"v_{state.pk}": "1"})
    page = client.post(reverse("surveys:response-submit", args=[survey_round.pk, lebanon.pk]))
    assert page.status_code == 422
    assert "Choose among the listed options." in page.content.decode()
