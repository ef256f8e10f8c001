"""One set of yes/no labels (core.choices), the same in every place that says yes or no."""

import io

from django.utils import translation
from openpyxl import load_workbook

from core.choices import YesNo, yes_no, yes_no_labels
from core.history import history_diffs
from surveys import xlsform
from tests import factories
from tests.surveys import factories as survey_factories


def test_yes_no_in_the_active_language():
    assert (yes_no(True), yes_no("yes"), yes_no(False), yes_no("no")) == ("Yes", "Yes", "No", "No")
    with translation.override("fr"):
        assert (yes_no(True), yes_no(False)) == ("Oui", "Non")
    assert yes_no_labels("ar") == {"yes": "نعم", "no": "لا"}
    assert list(YesNo.values) == ["yes", "no"]


def test_a_hand_made_yes_no_question_is_written_out_in_every_language(db):
    question = survey_factories.QuestionFactory(kind="yes_no", name="consent")
    assert not question.choices.exists()
    workbook = load_workbook(io.BytesIO(xlsform.export_xlsform(question.questionnaire)))
    rows = list(workbook["choices"].iter_rows(values_only=True))
    cells = {cell for row in rows[1:] for cell in row}
    assert {"yes", "no", "Yes", "No", "Oui", "Non", "Sí", "نعم", "لا"} <= cells


def test_history_says_a_boolean_with_the_same_labels(db):
    result = factories.OutputFactory(is_archived=False)
    result.is_archived = True
    result._change_reason = "merged"
    result.save()
    change = history_diffs(result)[0].changes[0]
    assert (change.old, change.new) == ("No", "Yes")
