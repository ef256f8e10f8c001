"""Pages of the survey: answering for a National Society, and running a round."""

import rules
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Organisation
from accounts.security import rate_limited
from core.choices import YesNo
from core.formatting import format_percent
from core.hygiene import clean_text
from jobs.views import offer as job_offer
from roadmap.forms import ProposalReviewForm

from . import answers as answer_rules
from . import conditions, exports, form_logic, result_charts, selectors, services
from . import jobs as survey_jobs
from .forms import (
    ExportForm,
    ExtendDeadlineForm,
    ReasonForm,
    RoundOpenForm,
)
from .models import (
    Choice,
    Question,
    Questionnaire,
    Response,
    SurveyRound,
    is_editable,
    round_deadline,
)

# ---------------------------------------------------------------- scoped look-ups


def _get_round(user, round_pk: int) -> SurveyRound:
    return get_object_or_404(selectors.rounds_for_user(user), pk=round_pk)


def _require_admin(user, obj=None) -> None:
    """``surveys.run_round``: readers may look but not act (403); everybody else must not know
    the page exists (404)."""
    if user.has_perm("surveys.run_round", obj):
        return
    if user.has_perm("surveys.view_results", obj):
        raise PermissionDenied
    raise Http404


def _require_admin_or_reader(user, obj=None) -> None:
    """``surveys.view_results``, else 404."""
    if not user.has_perm("surveys.view_results", obj):
        raise Http404


def _get_society(user, society_pk: int, *, write: bool = False) -> Organisation:
    """The society whose response this person may see (``surveys.view_response``, else 404);
    with ``write``, one whose answers they may change (``surveys.change_answers``, else 403)."""
    society = get_object_or_404(Organisation.objects.national_societies(), pk=society_pk)
    if not user.has_perm("surveys.view_response", society):
        raise Http404
    if write and not _may_answer(user, society):
        raise PermissionDenied
    return society


def _may_answer(user, society) -> bool:
    """``surveys.change_answers``, asked of the rule itself: ``user.has_perm`` lets a superuser
    do anything, but only the society's own focal points answer for it."""
    return rules.has_perm("surveys.change_answers", user, society)


def _response_for(survey_round: SurveyRound, society) -> Response | None:
    return Response.objects.filter(round=survey_round, society=society).first()


# ---------------------------------------------------------------- landing


@require_GET
def index(request):
    user = request.user
    rounds = selectors.rounds_for_user(user)
    society_rows = []
    if user.focal_point_society_id:
        responses = {
            r.round_id: r
            for r in Response.objects.visible_to(user).filter(
                society_id=user.focal_point_society_id
            )
        }
        for survey_round in rounds.exclude(state=SurveyRound.State.DRAFT):
            response = responses.get(survey_round.pk)
            # The date in force: the society's own extension, else the round's closing date.
            deadline = round_deadline(survey_round, response)
            society_rows.append((survey_round, response, deadline))
    return render(
        request,
        "surveys/index.html",
        {
            "society_rows": society_rows,
            "society": user.organisation if user.focal_point_society_id else None,
            "can_run": user.has_perm("surveys.view_results"),
        },
    )


# ---------------------------------------------------------------- answering


def _form_context(request, survey_round, society, *, section_pk=None, states=None):
    response = _response_for(survey_round, society)
    # A group holding only groups (or only calculations) has no page of its own.
    sections = [
        s
        for s in selectors.questionnaire_sections(survey_round.questionnaire)
        if any(q.kind != Question.Kind.CALCULATE for q in s.questions.all())
    ]
    if not sections:
        raise Http404
    answers = selectors.answers_by_question(response)
    values = {
        q.name: answers[q.pk].value for s in sections for q in s.questions.all() if q.pk in answers
    }
    questions = [q for s in sections for q in s.questions.all()]
    shown = answer_rules.visible_questions(questions, values)
    current = next((s for s in sections if str(s.pk) == str(section_pk)), sections[0])
    editable = is_editable(survey_round, response) and _may_answer(request.user, society)
    states = states or {}
    items = [
        {
            "question": q,
            "answer": answers.get(q.pk),
            **_shown_values(q, answers[q.pk].value if q.pk in answers else "", states.get(q.pk)),
            **_default_shown(q, q.pk in answers, states.get(q.pk)),
            "selected": (answers[q.pk].value.split() if q.pk in answers else q.default.split()),
            "shown": q.pk in shown,
            "options": _options(q, values),
            "error": states.get(q.pk, {}).get("error"),
            "conflict": states.get(q.pk, {}).get("conflict"),
            "saved": states.get(q.pk, {}).get("saved"),
        }
        for q in current.questions.all()
        if q.kind != Question.Kind.CALCULATE  # computed and stored, never drawn
    ]
    index = sections.index(current)
    return {
        "round": survey_round,
        "society": society,
        "response": response,
        "sections": sections,
        "section": current,
        "next_section": sections[index + 1] if index + 1 < len(sections) else None,
        "items": items,
        "progress": answer_rules.progress(sections, values),
        "editable": editable,
        "deadline": round_deadline(survey_round, response),
        "is_admin": request.user.has_perm("surveys.run_round"),
        "extend_form": ExtendDeadlineForm(),
        "reason_form": ReasonForm(),
    }


def _shown_values(question: Question, stored: str, state: dict | None) -> dict:
    """What a question's fields show: the stored number written as the person reads and
    types it ("12\u00a0500", "12,5"), so they see what was kept and sending the form again
    keeps the same number; after an error, what they typed.

    `original` (the o_ field) is the stored value as shown: unchanged fields are recognised
    by it, in the browser and in `section_save`. `kept` is the autosave's echo of a number."""
    state = state or {}
    shown = answer_rules.format_answer(question, stored)
    kept = ""
    if state.get("saved") and question.kind in NUMBER_KINDS and state.get("answer") is not None:
        kept = answer_rules.format_answer(question, _stored_value(state["answer"]))
    limits = {
        "min_shown": answer_rules.format_answer(question, str(question.min_value))
        if question.kind in NUMBER_KINDS and question.min_value is not None
        else "",
        "max_shown": answer_rules.format_answer(question, str(question.max_value))
        if question.kind in NUMBER_KINDS and question.max_value is not None
        else "",
    }
    return {"value": state.get("value", shown), "original": shown, "kept": kept, **limits}


def _stored_value(answer) -> str:
    return answer["value"] if isinstance(answer, dict) else answer.value


def _default_shown(question: Question, answered: bool, state: dict | None) -> dict:
    """An unanswered question shows the XLSForm default, saved with the section (the o_
    field stays empty so the default counts as a change)."""
    if answered or (state or {}).get("value") or not question.default:
        return {}
    return {"value": question.default}


def _options(question: Question, values: dict | None = None) -> list:
    options = list(question.choices.all())
    if values is not None and question.choice_filter:
        # Cascading select: only the choices the earlier answers allow (works without JS;
        # with JS the autosave redraws this question when an answer it reads changes).
        options = form_logic.filtered_choices(question, options, values)
    if question.kind == Question.Kind.YES_NO and not options:
        # Yes/no questions made by hand have no choice rows; XLSForm ones do.
        options = [Choice(name=c.value, label_en=c.label) for c in YesNo]
    return options


@require_GET
def response_form(request, round_pk: int, society_pk: int):
    survey_round = _get_round(request.user, round_pk)
    society = _get_society(request.user, society_pk)
    context = _form_context(request, survey_round, society, section_pk=request.GET.get("section"))
    return render(request, "surveys/response_form.html", context)


def _posted(request, question: Question):
    key = f"q_{question.pk}"
    if question.kind == Question.Kind.MULTIPLE:
        return request.POST.getlist(key)
    return request.POST.get(key, "")


def _version(request, question: Question) -> int:
    try:
        return int(request.POST.get(f"v_{question.pk}", "0"))
    except ValueError:
        return 0


def _save_one(request, survey_round, society, question) -> dict:
    """Save one posted answer; returns the state to show beside the question."""
    raw = _posted(request, question)
    try:
        # The same text rules as every form (core.hygiene): pasted line breaks are kept as
        # newlines, other control characters are a message and nothing is saved.
        raw = [clean_text(v) for v in raw] if isinstance(raw, list) else clean_text(raw)
    except ValidationError as error:
        return {"error": error.messages[0], "value": raw if isinstance(raw, str) else " ".join(raw)}
    try:
        answer = services.answer_save(
            survey_round=survey_round,
            society=society,
            question=question,
            raw=raw,
            expected_version=_version(request, question),
            user=request.user,
        )
    except answer_rules.InvalidAnswer as error:
        return {"error": str(error), "value": raw if isinstance(raw, str) else " ".join(raw)}
    except services.AnswerConflict as conflict:
        mine = raw if isinstance(raw, str) else " ".join(raw)
        theirs = (
            exports.value_label(
                question, answer_rules.format_answer(question, conflict.answer.value)
            )
            if conflict.answer
            else ""
        )
        return {"conflict": {"answer": conflict.answer, "mine": mine, "theirs": theirs}}
    return {"saved": True, "answer": answer}


_CHOICES = Prefetch("choices", queryset=Choice.objects.order_by("order", "id"))
CHOICE_KINDS = (Question.Kind.YES_NO, Question.Kind.SINGLE, Question.Kind.MULTIPLE)
NUMBER_KINDS = (Question.Kind.INTEGER, Question.Kind.DECIMAL)


def _question_in_round(survey_round, question_pk) -> Question:
    question = get_object_or_404(
        Question.objects.select_related("section"),
        pk=question_pk,
        questionnaire_id=survey_round.questionnaire_id,
    )
    if question.kind in CHOICE_KINDS:
        # Read once for checking the value and for drawing the options.
        prefetch_related_objects([question], _CHOICES)
    return question


def _depending_on(question: Question, questions: list[Question]) -> set[str]:
    """Names of the questions whose visibility depends on `question`, directly or through
    another question (a hidden question counts as unanswered in the conditions)."""
    refs = {
        q.name: conditions.references(conditions.parse(q.relevant))
        | form_logic.group_references(q)
        | form_logic.choice_filter_references(q)
        for q in questions
    }
    found = {question.name}
    while True:
        more = {name for name, uses in refs.items() if uses & found} - found
        if not more:
            return found - {question.name}
        found |= more


def _autosave_context(request, survey_round, society, question, state) -> dict:
    """What the autosave partial draws: the saved question, the questions of its section whose
    visibility depends on it, and the progress of every section.

    Built from the questionnaire's outline (names, conditions, required flags) and the
    response's stored values; labels and choices are read only for the questions drawn.
    """
    answer = state.get("answer")
    if answer is not None:
        # Saved: the service found the response editable, and only its focal points write.
        response_id, editable = answer.response_id, True
    else:
        response = _response_for(survey_round, society)
        response_id = response.pk if response else None
        editable = is_editable(survey_round, response) and _may_answer(request.user, society)
    sections = selectors.questionnaire_outline(survey_round.questionnaire_id, response_id)
    questions = [q for s in sections for q in s.questions.all()]
    stored = {
        q.pk: (q.stored_value, q.stored_version) for q in questions if q.stored_version is not None
    }
    values = {q.name: value for q in questions if (value := q.stored_value) is not None}
    shown = answer_rules.visible_questions(questions, values)
    depending = _depending_on(question, questions)
    drawn = [question]
    if depending:
        drawn += list(
            Question.objects.filter(section_id=question.section_id, name__in=depending)
            .exclude(kind=Question.Kind.CALCULATE)
            .order_by("order", "id")
            .prefetch_related(_CHOICES)
        )

    def item(q: Question, state: dict) -> dict:
        value, version = stored.get(q.pk, ("", 0))
        return {
            "question": q,
            "answer": {"value": value, "version": version} if q.pk in stored else None,
            **_shown_values(q, value, state),
            "selected": value.split(),
            "shown": q.pk in shown,
            "options": _options(q, values) if q.kind in CHOICE_KINDS else [],
            "error": state.get("error"),
            "conflict": state.get("conflict"),
            "saved": state.get("saved"),
        }

    return {
        "round": survey_round,
        "society": society,
        "section": question.section,
        "items": [item(q, state if q.pk == question.pk else {}) for q in drawn],
        "saved_question": question,
        "progress": answer_rules.progress(sections, values),
        "editable": editable,
    }


@require_POST
def answer_save(request, round_pk: int, society_pk: int, question_pk: int):
    """Autosave of one answer (htmx); answers with the question, progress and conditions."""
    survey_round = _get_round(request.user, round_pk)
    society = _get_society(request.user, society_pk, write=True)
    question = _question_in_round(survey_round, question_pk)
    try:
        state = _save_one(request, survey_round, society, question)
    except services.NotEditable as error:
        messages.error(request, str(error))
        return redirect(_form_url(survey_round, society, question.section_id))
    if request.htmx:
        context = _autosave_context(request, survey_round, society, question, state)
        return render(request, "surveys/response_form.html#autosave", context)
    if state.get("saved"):
        return redirect(_form_url(survey_round, society, question.section_id))
    context = _form_context(
        request,
        survey_round,
        society,
        section_pk=question.section_id,
        states={question.pk: state},
    )
    context["saved_question"] = question
    return render(request, "surveys/response_form.html", context)


def _form_url(survey_round, society, section_pk=None) -> str:
    url = reverse("surveys:response-form", args=[survey_round.pk, society.pk])
    return f"{url}?section={section_pk}" if section_pk else url


@require_POST
def section_save(request, round_pk: int, society_pk: int, section_pk: int):
    """Plain POST of a whole section: works without JavaScript."""
    survey_round = _get_round(request.user, round_pk)
    society = _get_society(request.user, society_pk, write=True)
    section = get_object_or_404(
        survey_round.questionnaire.sections.prefetch_related("questions__choices"), pk=section_pk
    )
    states = {}
    try:
        for question in section.questions.all():
            if f"v_{question.pk}" not in request.POST:
                continue
            original = request.POST.get(f"o_{question.pk}", "")
            raw = _posted(request, question)
            try:
                # Unchanged fields are skipped so a colleague's newer answer is not reported
                # as a conflict for a question this person did not touch.
                # `original` is the stored value as the page showed it ("12 500"), so it
                # is read like the answer itself.
                if answer_rules.clean_value(question, raw) == answer_rules.clean_value(
                    question, original
                ):
                    continue
            except answer_rules.InvalidAnswer:
                pass
            states[question.pk] = _save_one(request, survey_round, society, question)
    except services.NotEditable as error:
        messages.error(request, str(error))
        return redirect(_form_url(survey_round, society, section.pk))
    trouble = {pk: s for pk, s in states.items() if not s.get("saved")}
    if trouble:
        context = _form_context(
            request, survey_round, society, section_pk=section.pk, states=trouble
        )
        messages.warning(request, _("Some answers were not saved; see the messages below."))
        return render(request, "surveys/response_form.html", context)
    messages.success(request, _("Section saved."))
    target = section.pk
    if "next" in request.POST:
        following = (
            survey_round.questionnaire.sections.filter(order__gt=section.order)
            .order_by("order", "id")
            .first()
        )
        target = following.pk if following else section.pk
    return redirect(_form_url(survey_round, society, target))


@require_POST
def response_submit(request, round_pk: int, society_pk: int):
    survey_round = _get_round(request.user, round_pk)
    society = _get_society(request.user, society_pk, write=True)
    try:
        services.response_submit(survey_round=survey_round, society=society, user=request.user)
    except services.SubmitProblems as error:
        context = _form_context(request, survey_round, society)
        context["problems"] = error.problems
        return render(request, "surveys/response_form.html", context, status=422)
    except services.NotEditable as error:
        messages.error(request, str(error))
        return redirect(_form_url(survey_round, society))
    messages.success(request, _("Thank you: the response is submitted."))
    return redirect(_form_url(survey_round, society))


@require_POST
def response_reopen(request, round_pk: int, society_pk: int):
    survey_round = _get_round(request.user, round_pk)
    _require_admin(request.user)
    society = _get_society(request.user, society_pk)
    response = get_object_or_404(Response, round=survey_round, society=society)
    form = ReasonForm(request.POST)
    if form.is_valid():
        services.response_reopen(
            response=response, user=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("The response is open again."))
    else:
        messages.error(request, _("Give a reason to reopen the response."))
    return redirect(_form_url(survey_round, society))


@require_POST
def response_extend(request, round_pk: int, society_pk: int):
    survey_round = _get_round(request.user, round_pk)
    _require_admin(request.user)
    society = _get_society(request.user, society_pk)
    form = ExtendDeadlineForm(request.POST)
    if form.is_valid():
        services.response_extend_deadline(
            survey_round=survey_round,
            society=society,
            deadline=form.cleaned_data["deadline"],
            user=request.user,
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("The deadline is extended for this society."))
    else:
        messages.error(request, _("Give a future date and a reason."))
    return redirect(_form_url(survey_round, society))


@require_GET
@rate_limited("export")
def response_download(request, round_pk: int, society_pk: int, fmt: str):
    """The society's own answers as XLSX or PDF, once submitted (admins and readers any time)."""
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    survey_round = _get_round(request.user, round_pk)
    society = _get_society(request.user, society_pk)
    response = _response_for(survey_round, society)
    if response is None:
        raise Http404
    if not response.is_submitted and not request.user.has_perm("surveys.view_results"):
        raise Http404
    if fmt == "xlsx":
        return exports.response_xlsx(response)
    return exports.response_pdf(request, response)


# ---------------------------------------------------------------- running a round


@require_GET
def round_list(request):
    _require_admin_or_reader(request.user)
    rounds = SurveyRound.objects.select_related("questionnaire", "roadmap").order_by(
        "-year", "name"
    )
    return render(
        request,
        "surveys/round_list.html",
        {
            "rounds": rounds,
            "open_form": RoundOpenForm(),
            "questionnaires": Questionnaire.objects.order_by("name"),
            "is_admin": request.user.has_perm("surveys.run_round"),
        },
    )


def _with_region_cells(data: dict) -> dict:
    """Each answer row's share and region cells as ready text ("3 (50%)"), for the template to
    put in cells: a filter per cell in the template was most of the page's rendering time.
    Counts and percentages repeat, so each is formatted once per page. The markup stays in
    templates/surveys/results.html."""
    data["region_labels"] = [label for _code, label in data["regions"]]
    counts: dict = {}  # count -> its text
    percents: dict = {}  # share -> its text
    cells: dict = {}  # (count, share) -> "3 (50 %)"
    for item in data["questions"]:
        for row in item["rows"]:
            if row["share"] not in percents:
                percents[row["share"]] = format_percent(row["share"])
            row["share_text"] = percents[row["share"]]
            if row["count"] not in counts:
                counts[row["count"]] = formats.localize(row["count"])
            row["count_text"] = counts[row["count"]]
            texts = []
            for region in row["regions"]:
                key = count, share = region["count"], region["share"]
                if key not in cells:
                    if count not in counts:
                        counts[count] = formats.localize(count)
                    text = counts[count]
                    if share is not None:
                        if share not in percents:
                            percents[share] = format_percent(share)
                        text = f"{text} ({percents[share]})"
                    cells[key] = text
                texts.append(cells[key])
            row["region_texts"] = texts
    return data


def _results_questions(survey_round: SurveyRound) -> tuple[str, dict]:
    """The questions of the results page (figures, charts, tables) as HTML, and the
    respondents they count: rendered once per state of the results and language, then read
    from the cache (the same for every reader, and most of the page's cost). Not kept when
    the counts may mix two states of the round (it changed while they were counted)."""
    inputs = selectors.results_inputs(survey_round)
    key = f"surveys:results-html:{survey_round.pk}:{inputs.state}:{get_language()}"
    found = cache.get(key)
    if found is not None:
        return found
    data = result_charts.with_charts(_with_region_cells(selectors.results(survey_round, inputs)))
    html = render_to_string(
        "surveys/includes/results_questions.html", {"round": survey_round, **data}
    )
    if inputs.consistent:
        cache.set(key, (html, data["respondents"]), timeout=settings.RESULTS_CACHE_SECONDS)
    return html, data["respondents"]


@require_GET
def round_results(request, round_pk: int):
    _require_admin_or_reader(request.user)
    survey_round = _get_round(request.user, round_pk)
    questions_html, respondents = _results_questions(survey_round)
    return render(
        request,
        "surveys/results.html",
        {
            "round": survey_round,
            "is_admin": request.user.has_perm("surveys.run_round"),
            "invited": survey_round.invited().count(),
            "respondents": respondents,
            "questions_html": questions_html,
        },
    )


@require_POST
def round_compute(request, round_pk: int):
    """Propose indicator values from the round's submitted answers; an admin reviews them."""
    _require_admin(request.user)
    survey_round = _get_round(request.user, round_pk)
    proposed = services.indicators_compute(survey_round=survey_round, by=request.user)
    messages.success(
        request,
        _("%(n)s indicator values proposed: review them before they count.") % {"n": len(proposed)},
    )
    return redirect("surveys:round-proposals", round_pk=survey_round.pk)


def _proposals_page(request, survey_round, proposals, status: int = 200):
    from .proposals import coverage_threshold_percent

    for proposal in proposals:
        if proposal.form is None:
            proposal.form = ProposalReviewForm(prefix=f"p{proposal.value.pk}")
    return render(
        request,
        "surveys/proposals.html",
        {
            "round": survey_round,
            "proposals": proposals,
            "is_admin": request.user.has_perm("surveys.run_round"),
            "threshold": coverage_threshold_percent(),
        },
        status=status,
    )


@require_GET
def round_proposals(request, round_pk: int):
    """The values a round proposes, with numerator, denominator and coverage, for review."""
    from .proposals import proposals_for_round

    _require_admin_or_reader(request.user)
    survey_round = _get_round(request.user, round_pk)
    return _proposals_page(request, survey_round, proposals_for_round(survey_round))


@require_POST
def proposal_review(request, round_pk: int, value_pk: int):
    """Publish or discard one proposed value (admins); readers 403, others 404."""
    from roadmap import services as roadmap_services
    from roadmap.models import IndicatorValue

    from .proposals import proposals_for_round

    _require_admin(request.user)
    survey_round = _get_round(request.user, round_pk)
    value = get_object_or_404(
        IndicatorValue.objects.proposed().filter(
            year=survey_round.year, source=survey_round.name, is_computed=True
        ),
        pk=value_pk,
    )
    if not request.user.has_perm("roadmap.review_indicatorvalue", value):
        raise PermissionDenied
    form = ProposalReviewForm(request.POST, prefix=f"p{value.pk}")
    if form.is_valid():
        decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
        try:
            if decision == ProposalReviewForm.Decision.DISCARD:
                roadmap_services.indicator_value_discard(
                    indicator_value=value, by=request.user, reason=reason
                )
                messages.success(request, _("The proposed value was discarded."))
            else:
                roadmap_services.indicator_value_publish(
                    indicator_value=value,
                    by=request.user,
                    replace_typed=decision == ProposalReviewForm.Decision.REPLACE,
                    reason=reason,
                )
                messages.success(request, _("The value was published; it counts now."))
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            return redirect("surveys:round-proposals", round_pk=survey_round.pk)
    proposals = proposals_for_round(survey_round)
    for proposal in proposals:
        if proposal.value.pk == value.pk:
            proposal.form = form
    return _proposals_page(request, survey_round, proposals, status=422)


@require_GET
@rate_limited("export")
def round_export(request, round_pk: int):
    _require_admin_or_reader(request.user)
    survey_round = _get_round(request.user, round_pk)
    form = ExportForm(request.GET)
    if not form.is_valid():
        return HttpResponse(_("Choose a format, layout and language."), status=400)
    data = form.cleaned_data
    if data["layout"] != "codebook" and survey_jobs.is_large(survey_round):
        # Too long for a request: a button starts it as a job (nothing changes on GET).
        return job_offer(
            request,
            kind="surveys.round_export",
            fields={"round": survey_round.pk, **data},
            title=_("Export the answers of %(round)s") % {"round": survey_round.display_name},
            explanation=_(
                "This round holds many answers: the export is prepared in the background."
            ),
        )
    return exports.round_export(
        survey_round,
        fmt=data["format"],
        layout=data["layout"],
        language=data["language"],
        values=data["values"],
    )
