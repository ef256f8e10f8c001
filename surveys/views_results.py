"""The text answers of a round, with their National Society, one question and region at a time
(the charts and tables of the other questions are on the results page, `views.round_results`)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.translated import active_language

from . import selectors
from .forms_results import TextAnswersFilterForm
from .views import _get_round, _require_admin_or_reader

TEXT_ANSWERS_PER_PAGE = 50


@require_GET
def round_text_answers(request, round_pk: int):
    """Admins and readers; everybody else 404. Paginated: the queries stay the same for any
    number of societies (round, questionnaire, the conditions' answers, a count and a page)."""
    _require_admin_or_reader(request.user)
    survey_round = _get_round(request.user, round_pk)
    sections = selectors.questionnaire_sections(survey_round.questionnaire)
    questions = [q for s in sections for q in s.questions.all()]
    texts = [q for q in questions if q.kind in selectors.TEXT_KINDS]
    data = request.GET.copy()
    if texts and not data.get("question"):
        data["question"] = texts[0].name
    form = TextAnswersFilterForm(data, questions=texts)
    page = question = None
    status = 200
    if not texts:
        pass  # the page says there is no text question
    elif form.is_valid():
        question = next(q for q in texts if q.name == form.cleaned_data["question"])
        answers = selectors.text_answers(
            survey_round, questions, question, region=form.cleaned_data["region"]
        )
        page = Paginator(answers, TEXT_ANSWERS_PER_PAGE).get_page(request.GET.get("page"))
        language = active_language()
        page.object_list = [
            {
                "society": row[f"response__society__name_{language}"]
                if language != "en" and row[f"response__society__name_{language}"]
                else row["response__society__name"],
                "region": row["response__society__region"],
                "value": row["value"],
            }
            for row in page.object_list
        ]
    else:
        status = 400
    query = request.GET.copy()
    query.pop("page", None)
    regions = dict(form.fields["region"].choices)
    if page is not None:
        for row in page.object_list:
            row["region_label"] = regions.get(row["region"], row["region"])
    return render(
        request,
        "surveys/results_text_answers.html",
        {
            "round": survey_round,
            "form": form,
            "question": question,
            "page": page,
            "query": query.urlencode(),
            "has_texts": bool(texts),
        },
        status=status,
    )
