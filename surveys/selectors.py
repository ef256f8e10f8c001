"""Reads of the survey that span relations, each in a fixed number of queries."""

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from accounts.models import Organisation, Region, User
from core.choices import yes_no
from core.translated import active_language

from . import answers as answer_rules
from . import form_logic
from .models import (
    Answer,
    Choice,
    MessageLog,
    Question,
    Questionnaire,
    Response,
    Section,
    SurveyRound,
    deadline_in_force,
    progress_of,
)


def questionnaire_sections(questionnaire: Questionnaire) -> list[Section]:
    """Sections with their questions and choices prefetched (three queries)."""
    return list(
        questionnaire.sections.order_by("order", "id").prefetch_related(
            Prefetch(
                "questions",
                queryset=Question.objects.order_by("order", "id").prefetch_related(
                    Prefetch("choices", queryset=Choice.objects.order_by("order", "id"))
                ),
            )
        )
    )


def questionnaire_outline(questionnaire_id: int, response_id: int | None) -> list[Section]:
    """Sections (titles only) with their questions' names, conditions and required flags, and
    each question's stored answer as `stored_value` and `stored_version` (None if unanswered):
    what visibility and progress need, without labels, help texts or choices (two queries).
    Other fields of these questions are deferred: read them and each costs a query."""
    answered = Question.objects.annotate(
        answer=FilteredRelation("answers", condition=Q(answers__response_id=response_id))
    ).annotate(stored_value=F("answer__value"), stored_version=F("answer__version"))
    return list(
        Section.objects.filter(questionnaire_id=questionnaire_id)
        .order_by("order", "id")
        .only(
            "id",
            "questionnaire_id",
            "order",
            "title_en",
            "title_fr",
            "title_es",
            "title_ar",
            "condition",
        )
        .prefetch_related(
            Prefetch(
                "questions",
                queryset=answered.order_by("order", "id").only(
                    "id",
                    "section_id",
                    "order",
                    "name",
                    "kind",
                    "required",
                    "relevant",
                    "choice_filter",
                ),
            )
        )
    )


def answer_values(response: Response | None) -> dict[str, str]:
    if response is None or response.pk is None:
        return {}
    return dict(response.answers.values_list("question__name", "value"))


def answers_by_question(response: Response | None) -> dict[int, Answer]:
    if response is None or response.pk is None:
        return {}
    return {a.question_id: a for a in response.answers.select_related("updated_by")}


def submitted_values(survey_round: SurveyRound) -> dict[int, dict[str, str]]:
    """{response id: {question name: value}} for submitted responses, without the answers to
    questions not asked (their condition is false given the response's other answers).

    Four queries: sections, questions and choices (for the conditions), then the answers."""
    questions = [
        q for s in questionnaire_sections(survey_round.questionnaire) for q in s.questions.all()
    ]
    rows: dict[int, dict[str, str]] = {
        pk: {}
        for pk in Response.objects.filter(
            round=survey_round, state=Response.State.SUBMITTED
        ).values_list("pk", flat=True)
    }
    for rid, name, value in Answer.objects.filter(response_id__in=list(rows)).values_list(
        "response_id", "question__name", "value"
    ):
        rows[rid][name] = value
    for rid, values in rows.items():
        shown = answer_rules.visible_questions(questions, values)
        asked = {q.name for q in questions if q.pk in shown}
        rows[rid] = {name: value for name, value in values.items() if name in asked}
    return rows


def tracker(survey_round: SurveyRound) -> dict:
    """Every active National Society with its response state, grouped by region.

    Three queries whatever the number of societies: societies, responses with answer counts,
    and the questionnaire's question count. Used by the report; the tracker page shows one
    region at a time (`tracker_summary`, `tracker_rows`).
    """
    total_questions = Question.objects.filter(questionnaire=survey_round.questionnaire).count()
    responses = {
        r.society_id: r
        for r in Response.objects.filter(round=survey_round).annotate(answered=_answer_count())
    }
    regions: dict[str, dict] = {
        value: {"code": value, "label": label, "rows": [], "submitted": 0, "in_progress": 0}
        for value, label in Region.choices
    }
    totals = {"societies": 0, "submitted": 0, "in_progress": 0, "not_started": 0}
    for society in survey_round.invited().order_by("name"):
        response = responses.get(society.pk)
        if response is None or (not response.is_submitted and not response.answered):
            status = "not_started"
        else:
            status = response.state
        share = (
            round(100 * response.answered / total_questions)
            if response is not None and total_questions
            else 0
        )
        region = regions.setdefault(
            society.region,
            {"code": society.region, "label": society.region, "rows": [], "submitted": 0},
        )
        region["rows"].append(
            {"society": society, "response": response, "status": status, "share": share}
        )
        region.setdefault(status, 0)
        region[status] = region.get(status, 0) + 1
        totals["societies"] += 1
        totals[status] += 1
    for region in regions.values():
        count = len(region["rows"])
        region["rate"] = round(100 * region["submitted"] / count) if count else 0
    totals["rate"] = (
        round(100 * totals["submitted"] / totals["societies"]) if totals["societies"] else 0
    )
    return {"regions": [r for r in regions.values() if r["rows"]], "totals": totals}


def _answer_count(response_ref: str = "pk"):
    """Answers of the response `response_ref` (an outer column), as a grouped subquery: counts
    from the answer index instead of joining every answer to the outer rows."""
    return Coalesce(
        Subquery(
            Answer.objects.filter(response_id=OuterRef(response_ref))
            .order_by()
            .values("response_id")
            .annotate(n=Count("id"))
            .values("n")
        ),
        0,
    )


def _societies_with_response(survey_round: SurveyRound):
    """Invited National Societies, each joined (LEFT) to its response to the round, if any."""
    return survey_round.invited().annotate(
        response=FilteredRelation(
            "survey_responses", condition=Q(survey_responses__round=survey_round)
        )
    )


def _rate(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def tracker_summary(survey_round: SurveyRound) -> dict:
    """Per region and overall: societies, submitted, in progress and not started (one query).

    A response counts as started once it has an answer; submitted ones always count as
    submitted. Same figures as `tracker`, without a row per society.
    """
    started = Exists(Answer.objects.filter(response_id=OuterRef("response__id")))
    per_region = {
        row["region"]: row
        for row in _societies_with_response(survey_round)
        .values("region")
        .annotate(
            societies=Count("id"),
            submitted=Count("id", filter=Q(response__state=Response.State.SUBMITTED)),
            in_progress=Count(
                "id", filter=Q(response__state=Response.State.IN_PROGRESS) & Q(started)
            ),
        )
        .order_by()
    }
    labels = dict(Region.choices)
    # Known regions in their usual order, then any other value the data holds.
    codes = [c for c in labels if c in per_region] + sorted(set(per_region) - set(labels))
    regions = []
    totals = {"societies": 0, "submitted": 0, "in_progress": 0, "not_started": 0}
    for code in codes:
        row = per_region[code]
        region = {
            "code": code,
            "label": labels.get(code, code),
            "societies": row["societies"],
            "submitted": row["submitted"],
            "in_progress": row["in_progress"],
            "not_started": row["societies"] - row["submitted"] - row["in_progress"],
            "rate": _rate(row["submitted"], row["societies"]),
        }
        regions.append(region)
        for key in totals:
            totals[key] += region[key]
    totals["rate"] = _rate(totals["submitted"], totals["societies"])
    return {"regions": regions, "totals": totals}


def _tracker_query(survey_round: SurveyRound, *, regions: list[str] | None, search: str):
    """The tracker's rows as `values()` (unordered): the invited National Societies of
    `regions` (every region if None) whose name in any language, or short name, contains
    `search`, each with its response's state and dates, answers, focal points and last
    message (subqueries, so a slice computes them for its rows only)."""
    societies = _societies_with_response(survey_round)
    if regions is not None:
        societies = societies.filter(region__in=regions)
    if search:
        societies = societies.filter(
            Q(name__icontains=search)
            | Q(name_fr__icontains=search)
            | Q(name_es__icontains=search)
            | Q(name_ar__icontains=search)
            | Q(short_name__icontains=search)
        )
    focal_points = (
        User.objects.filter(organisation=OuterRef("pk"), is_focal_point=True, is_active=True)
        .order_by()
        .values("organisation")
        .annotate(n=Count("id"))
        .values("n")
    )
    last_message = MessageLog.objects.filter(round=survey_round, society=OuterRef("pk")).order_by(
        "-sent_at", "-id"
    )
    return societies.annotate(
        answered=_answer_count("response__id"),
        focal_points=Coalesce(Subquery(focal_points), 0),
        message_kind=Subquery(last_message.values("kind")[:1]),
        message_status=Subquery(last_message.values("status")[:1]),
        message_at=Subquery(last_message.values("sent_at")[:1]),
    ).values(
        "id",
        "name",
        "name_fr",
        "name_es",
        "name_ar",
        "region",
        "response__state",
        "response__reopened_at",
        "response__deadline",
        "response__last_activity_at",
        "answered",
        "focal_points",
        "message_kind",
        "message_status",
        "message_at",
    )


def _tracker_row(survey_round: SurveyRound, row: dict, total_questions: int) -> dict:
    """A plain dict of one tracker row (see `tracker_rows`)."""
    state = row["response__state"]
    return {
        "id": row["id"],
        "name": row.get(f"name_{active_language()}") or row["name"],
        "region": row["region"],
        "status": progress_of(state, row["answered"], row["response__reopened_at"]),
        "last_activity_at": row["response__last_activity_at"],
        "deadline": deadline_in_force(survey_round.closes, row["response__deadline"]),
        "share": _rate(row["answered"], total_questions) if state is not None else 0,
        "focal_points": row["focal_points"],
        "message_kind": row["message_kind"],
        "message_status": row["message_status"],
        "message_at": row["message_at"],
    }


def tracker_rows(
    survey_round: SurveyRound,
    *,
    regions: list[str] | None = None,
    search: str = "",
    statuses: list[str] | None = None,
) -> dict[str, list[dict]]:
    """{region code: rows} of invited National Societies, by name, in one query: the societies
    of `regions` (every region if None) whose name in any language, or short name, contains
    `search`, and whose progress (`models.Progress`) is one of `statuses` (any if empty).

    A row is a plain dict (society id and name in the active language, progress, last
    activity, share answered, focal points, last message): no model instances, so hundreds
    of rows stay cheap to build and to render.
    """
    total_questions = Question.objects.filter(questionnaire=survey_round.questionnaire).count()
    rows: dict[str, list[dict]] = defaultdict(list)
    for values in _tracker_query(survey_round, regions=regions, search=search).order_by("name"):
        row = _tracker_row(survey_round, values, total_questions)
        if statuses and row["status"] not in statuses:
            continue
        rows[row["region"]].append(row)
    return rows


def tracker_page(
    survey_round: SurveyRound,
    *,
    region_order: list[str],
    number,
    size: int,
    regions: list[str] | None = None,
    search: str = "",
    statuses: list[str] | None = None,
) -> Page:
    """Page `number` of the rows of `tracker_rows` (same filters), in one sequence: region by
    region in `region_order` (others last), by name within each. Without a status filter the
    database counts the rows and computes the subqueries for this page's rows only (two
    queries); a status is known only once a row is read, so with one every row is read."""
    total_questions = Question.objects.filter(questionnaire=survey_round.questionnaire).count()
    position = Case(
        *(When(region=code, then=Value(i)) for i, code in enumerate(region_order)),
        default=Value(len(region_order)),
    )
    query = _tracker_query(survey_round, regions=regions, search=search).order_by(
        position, "name", "id"
    )
    if statuses:
        rows = (_tracker_row(survey_round, values, total_questions) for values in query)
        return Paginator([r for r in rows if r["status"] in statuses], size).get_page(number)
    # The page's ids (a LIMIT/OFFSET on the societies alone) as a subquery: PostgreSQL would
    # otherwise compute the subqueries of every row it skips.
    ids = query.values_list("id", flat=True)
    page = Paginator(ids, size).get_page(number)
    page.object_list = [
        _tracker_row(survey_round, values, total_questions)
        for values in query.filter(pk__in=page.object_list)
    ]
    return page


CHOICE_KINDS = (Question.Kind.YES_NO, Question.Kind.SINGLE, Question.Kind.MULTIPLE)
NUMBER_KINDS = (Question.Kind.INTEGER, Question.Kind.DECIMAL)
TEXT_KINDS = (Question.Kind.TEXT, Question.Kind.LONG_TEXT)


def _tally_key(questions: list[Question], kept_extra: frozenset[int] | set[int] = frozenset()):
    """What an answer counts as: its value for choice and number questions (and for the
    questions in `kept_extra`), else "*" (answered) or "" (empty)."""
    kept = [q.pk for q in questions if q.kind in CHOICE_KINDS or q.kind in NUMBER_KINDS]
    return Case(
        When(question_id__in=[*kept, *kept_extra], then=F("value")),
        When(value="", then=Value("")),
        default=Value("*"),
        output_field=TextField(),
    )


def _answer_tallies(
    survey_round: SurveyRound,
    questions: list[Question],
    exclude: frozenset[int] | set[int] = frozenset(),
) -> list[tuple]:
    """Submitted answers counted in the database (one query), grouped by question, region and
    value: [(question id, region, value, count)], leaving out the questions in `exclude`.

    Choice and number questions keep their value (choice names, or a number: short, and few
    distinct ones); text questions count as "*" (answered) or "" (empty). So the rows grow
    with questions × regions × distinct values, not with societies, and the grouping sorts
    short keys, never the texts people wrote.
    """
    # The submitted responses as a subquery (IN), not as a filter on the join: with it
    # PostgreSQL reads each response's answers by index and hashes the groups, about twice as
    # fast as sorting every answer (with or without table statistics).
    submitted = Response.objects.filter(round=survey_round, state=Response.State.SUBMITTED)
    answers = Answer.objects.filter(response__in=submitted.values("pk"))
    if exclude:
        answers = answers.exclude(question_id__in=exclude)
    return list(
        answers.annotate(key=_tally_key(questions))
        .values("question_id", "response__society__region", "key")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("question_id", "response__society__region", "key", "n")
    )


def _conditional_tallies(
    survey_round: SurveyRound, questions: list[Question], respondents: int
) -> tuple[list[tuple], dict[int, int]]:
    """The answers of conditional questions that were asked, as tally rows, and for every
    question how many submitted responses were not asked it: ([(question id, region, value,
    1)], {question id: responses not asked}).

    One query: the submitted answers of the conditional questions and of the questions their
    conditions read, one row each (rows grow with responses × those questions, not with the
    whole questionnaire); each response's conditions are then evaluated in Python with the
    same rule as the form (`answers.visible_questions`).
    """
    conditional = {q.pk for q in questions if answer_rules.is_conditional(q)}
    if not conditional:
        return [], {}
    read = answer_rules.condition_references(questions)
    read_ids = {q.pk for q in questions if q.name in read}
    names = {q.pk: q.name for q in questions}
    submitted = Response.objects.filter(round=survey_round, state=Response.State.SUBMITTED)
    per_response: dict[int, tuple[str, dict[int, str]]] = {}
    for rid, region, qid, key in (
        Answer.objects.filter(
            response__in=submitted.values("pk"), question_id__in=conditional | read_ids
        )
        .annotate(key=_tally_key(questions, read_ids))
        .values_list("response_id", "response__society__region", "question_id", "key")
        .order_by()
    ):
        per_response.setdefault(rid, (region, {}))[1][qid] = key
    rows: list[tuple] = []
    not_asked: dict[int, int] = defaultdict(int)
    # What a response is asked depends only on its answers to the questions the conditions
    # read: responses with the same such answers share one evaluation of the rule.
    shown_for: dict[tuple, set[int]] = {}
    for region, keys in per_response.values():
        signature = tuple(sorted((q, v) for q, v in keys.items() if q in read_ids))
        shown = shown_for.get(signature)
        if shown is None:
            shown = answer_rules.visible_questions(questions, {names[q]: v for q, v in signature})
            shown_for[signature] = shown
        for qid in conditional - shown:
            not_asked[qid] += 1
        rows.extend(
            (qid, region, key, 1) for qid, key in keys.items() if qid in conditional & shown
        )
    # Submitted responses without any of these answers are all asked the same questions.
    empty = respondents - len(per_response)
    if empty > 0:
        for qid in conditional - answer_rules.visible_questions(questions, {}):
            not_asked[qid] += empty
    return rows, not_asked


def _submitted_fingerprint(survey_round: SurveyRound, questions: list[Question]) -> str:
    """What the round's counts are computed from, in one small query: its submitted responses
    (how many, which, when last changed, and when their societies last changed: a region) and
    the questions as the rule "asked" reads them (names, kinds, conditions, their groups').

    Submitted answers are locked: they change only through a reopened response, which leaves
    the submitted ones and comes back with a newer `updated_at` when submitted again (the
    admin shows answers read-only and deletes none)."""
    row = Response.objects.filter(round=survey_round, state=Response.State.SUBMITTED).aggregate(
        n=Count("id"),
        ids=Sum("id"),
        changed=Max("updated_at"),
        societies=Max("society__updated_at"),
    )
    outline = [(q.pk, q.name, q.kind, q.relevant, form_logic.group_condition(q)) for q in questions]
    text = repr((RESULTS_FORMAT, survey_round.pk, sorted(row.items()), outline))
    return hashlib.sha256(text.encode()).hexdigest()


# Part of the cache key: change it when the shape of `submitted_counts` changes.
RESULTS_FORMAT = 1


def submitted_counts(
    survey_round: SurveyRound, questions: list[Question], fingerprint: str | None = None
) -> dict:
    """The counts every figure of `results` is made of, computed once per change of the round
    (`_submitted_fingerprint`) and kept in the cache (`RESULTS_CACHE_SECONDS`):

    - `respondents`: submitted responses, overall ("all") and per region;
    - `tallies`: [(question id, region, value, answers)] of the answers to questions asked
      (`_answer_tallies` for unconditional questions, `_conditional_tallies` for the others);
    - `not_asked`: {question id: submitted responses not asked it}.

    The key is read from the database on every call (one small query, unless the caller has
    just read it: `fingerprint`), so every process sees a submit, a reopening or an edited
    questionnaire at once; nothing to invalidate.
    """
    return _submitted_counts(survey_round, questions, fingerprint)[0]


def _submitted_counts(
    survey_round: SurveyRound, questions: list[Question], fingerprint: str | None
) -> tuple[dict, bool]:
    """`submitted_counts`, and whether they are those of the state `fingerprint` names (found
    in the cache, or counted while nothing changed)."""
    if fingerprint is None:
        fingerprint = _submitted_fingerprint(survey_round, questions)
    key = f"surveys:results:{survey_round.pk}:{fingerprint}"
    found = cache.get(key)
    if found is not None:
        return found, True
    respondents = {"all": 0, **{value: 0 for value, _label in Region.choices}}
    for region, n in (
        Response.objects.filter(round=survey_round, state=Response.State.SUBMITTED)
        .values("society__region")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("society__region", "n")
    ):
        respondents["all"] += n
        respondents[region] = respondents.get(region, 0) + n
    # Answers to questions not asked (condition false given the response's other answers)
    # are kept but not counted: conditional questions are tallied per response.
    conditional_rows, not_asked = _conditional_tallies(survey_round, questions, respondents["all"])
    conditional = {q.pk for q in questions if answer_rules.is_conditional(q)}
    grouped: Counter = Counter()
    for qid, region, value, n in conditional_rows:
        grouped[qid, region, value] += n
    tallies = [
        *_answer_tallies(survey_round, questions, exclude=conditional),
        *((qid, region, value, n) for (qid, region, value), n in grouped.items()),
    ]
    found = {"respondents": respondents, "tallies": tallies, "not_asked": dict(not_asked)}
    # Kept only if nothing was submitted or reopened while these queries ran (each query sees
    # the data as committed when it starts): else the counts could mix two states of the round.
    kept = _submitted_fingerprint(survey_round, questions) == fingerprint
    if kept:
        cache.set(key, found, timeout=settings.RESULTS_CACHE_SECONDS)
    return found, kept


@dataclass
class ResultsInputs:
    """What the figures of `results` are made of (`results_inputs`), and `state`: a digest of
    all of it (the round's fingerprint, the questions as stored, their indicators' values).
    The counts are read only when asked for (`counted`)."""

    survey_round: SurveyRound
    sections: list[Section]
    questions: list[Question]
    fingerprint: str
    earlier: dict[int | None, list]  # indicator id -> its published values
    state: str

    @cached_property
    def counted(self) -> dict:
        """`submitted_counts` of the round."""
        return self._counts[0]

    @property
    def consistent(self) -> bool:
        """Whether the counts are those of `state` (False: the round changed while they were
        counted, and they may mix two states of it)."""
        return self._counts[1]

    @cached_property
    def _counts(self) -> tuple[dict, bool]:
        return _submitted_counts(self.survey_round, self.questions, self.fingerprint)


def _row_state(obj) -> tuple:
    """Every stored field of a row (its labels in every language too), for a digest."""
    return tuple(getattr(obj, field.attname) for field in obj._meta.concrete_fields)


def results_inputs(survey_round: SurveyRound) -> ResultsInputs:
    """The inputs of `results`, in a fixed number of queries: sections, questions, choices,
    the round's fingerprint, indicator values (then, when `counted` is read, the counts from
    the cache, or their own queries when the round changed since they were last cached).
    Their `state` changes with anything a figure, a label or an earlier value of the results
    shows: what is rendered from them can be kept under it."""
    from roadmap.models import IndicatorValue

    sections = questionnaire_sections(survey_round.questionnaire)
    questions = [q for s in sections for q in s.questions.all()]
    fingerprint = _submitted_fingerprint(survey_round, questions)
    indicator_ids = set()
    for question in questions:
        if question.indicator_id:
            indicator_ids.add(question.indicator_id)
        indicator_ids.update(c.indicator_id for c in question.choices.all() if c.indicator_id)
    earlier = defaultdict(list)
    # Only values that count (published): proposed, withdrawn and discarded ones never show.
    for value in (
        IndicatorValue.objects.counted()
        .filter(indicator_id__in=indicator_ids)
        .select_related("indicator")
    ):
        earlier[value.indicator_id].append(value)
    content = (
        RESULTS_FORMAT,
        fingerprint,
        [_row_state(s) for s in sections],
        [(_row_state(q), [_row_state(c) for c in q.choices.all()]) for q in questions],
        [(_row_state(v), _row_state(v.indicator)) for vs in earlier.values() for v in vs],
    )
    state = hashlib.sha256(repr(content).encode()).hexdigest()
    return ResultsInputs(survey_round, sections, questions, fingerprint, dict(earlier), state)


def results(survey_round: SurveyRound, inputs: ResultsInputs | None = None) -> dict:
    """Per question: counts and shares of submitted answers, overall and by region.

    Only answers to questions asked count: an answer kept for a question whose condition is
    false (given the response's other answers) is left out everywhere, here and so in the
    indicators computed from these results. `answered` is a question's number of answers
    (the base of its shares), `asked` the submitted responses that were asked it.

    Queries: sections, questions, choices, the round's fingerprint, indicator values; when
    the round changed since the counts were last cached (`submitted_counts`), also submitted
    responses per region, answer tallies grouped in the database (`_answer_tallies`), the
    answers of conditional questions and of the questions their conditions read
    (`_conditional_tallies`, only if there are conditions); independent of the number of
    societies. Python then loops over the grouped rows, not over every answer.
    """
    inputs = inputs or results_inputs(survey_round)
    sections, questions, counted = inputs.sections, inputs.questions, inputs.counted
    regions = [value for value, _label in Region.choices]
    respondents, not_asked = counted["respondents"], counted["not_asked"]
    # A non-empty answer counts once for the question and its region, and once for every
    # distinct choice name in its value (multiple choices are space-separated names).
    # A number question's values add up exactly (as decimals), then become a float.
    choice_ids = {q.pk for q in questions if q.kind in CHOICE_KINDS}
    number_ids = {q.pk for q in questions if q.kind in NUMBER_KINDS}
    answered = defaultdict(int)  # question id -> answers
    answered_in = defaultdict(int)  # (question id, region) -> answers
    hits = defaultdict(int)  # (question id, name) -> answers selecting it
    hits_in = defaultdict(int)  # (question id, name, region) -> answers selecting it
    totals = defaultdict(Decimal)  # question id -> sum of a number question's values
    totals_in = defaultdict(Decimal)  # (question id, region) -> the same, in the region
    # question id -> {value: answers}: a number question's distribution (few distinct values).
    number_values: dict[int, dict[Decimal, int]] = defaultdict(lambda: defaultdict(int))
    for qid, region, value, n in counted["tallies"]:
        if not value:
            continue
        answered[qid] += n
        answered_in[qid, region] += n
        if qid in number_ids:
            totals[qid] += Decimal(value) * n
            totals_in[qid, region] += Decimal(value) * n
            number_values[qid][Decimal(value)] += n
        elif qid in choice_ids:
            for name in set(value.split()):
                hits[qid, name] += n
                hits_in[qid, name, region] += n
    earlier = inputs.earlier

    def share(n, d):
        return round(100 * n / d) if d else None

    out = []
    for section in sections:
        for question in section.questions.all():
            qid = question.pk
            given = answered[qid]
            options = []
            if question.kind == Question.Kind.YES_NO:
                options = [("yes", None), ("no", None)]
            elif question.has_choices:
                options = [(c.name, c) for c in question.choices.all()]
            rows = []
            for name, choice in options:
                per_region = [
                    {
                        "count": hits_in[qid, name, r],
                        "share": share(hits_in[qid, name, r], answered_in[qid, r]),
                    }
                    for r in regions
                ]
                indicator_id = choice.indicator_id if choice else question.indicator_id
                rows.append(
                    {
                        "name": name,
                        "label": choice.label if choice else yes_no(name),
                        "count": hits[qid, name],
                        "share": share(hits[qid, name], given),
                        "regions": per_region,
                        "earlier": [
                            (v.year, v.indicator.format_value(v.value), v.source)
                            for v in earlier.get(indicator_id, [])
                        ],
                    }
                )
            numbers = None
            if question.kind in NUMBER_KINDS and given:
                total = float(totals[qid])
                numbers = {"sum": total, "mean": total / given}
            out.append(
                {
                    "section": section,
                    "question": question,
                    "answered": given,
                    # The base of every figure of the question: submitted responses that were
                    # asked it (all of them, unless a condition hid it from some).
                    "asked": respondents["all"] - not_asked.get(qid, 0),
                    "not_asked": not_asked.get(qid, 0),
                    "rows": rows,
                    "numbers": numbers,
                    # {value: answers} of a number question, for its distribution.
                    "values": dict(number_values[qid]) if qid in number_ids else {},
                    # The base per region: (answers, submitted responses of the region).
                    "region_bases": [(answered_in[qid, r], respondents.get(r, 0)) for r in regions],
                    # A number question's average per region (None where nobody answered).
                    "region_means": [
                        float(totals_in[qid, r]) / answered_in[qid, r]
                        if answered_in[qid, r]
                        else None
                        for r in regions
                    ]
                    if qid in number_ids
                    else [],
                    "is_text": question.kind in TEXT_KINDS,
                }
            )
    return {"questions": out, "respondents": respondents, "regions": Region.choices}


def rounds_for_user(user):
    """Rounds a person may see: admins and readers all, focal points the open and closed ones
    their society is invited to (every society, its region, or a list naming it)."""
    qs = SurveyRound.objects.select_related("questionnaire", "roadmap")
    if user.is_roadmap_admin or user.is_reader:
        return qs
    society_id = user.focal_point_society_id
    if society_id:
        region = Organisation.objects.filter(pk=society_id).values("region")[:1]
        listed = SurveyRound.invited_societies.through.objects.filter(
            surveyround_id=OuterRef("pk"), organisation_id=society_id
        )
        return qs.exclude(state=SurveyRound.State.DRAFT).filter(
            Q(invitation=SurveyRound.Invitation.ALL)
            | Q(invitation=SurveyRound.Invitation.REGION, invited_region=Subquery(region))
            | Q(Exists(listed), invitation=SurveyRound.Invitation.LIST)
        )
    return qs.none()


def asked_response_ids(survey_round: SurveyRound, questions: list[Question], question: Question):
    """The submitted responses of the round that were asked `question`, or None when every
    submitted response was (the question has no condition, nor have its groups).

    One query: the answers of the questions the conditions read (`answers.visible_questions`
    decides, as for the form and the results)."""
    if not answer_rules.is_conditional(question):
        return None
    conditional = [q for q in questions if answer_rules.is_conditional(q)]
    read = answer_rules.condition_references(conditional)
    read_ids = {q.pk: q.name for q in questions if q.name in read}
    values: dict[int, dict[str, str]] = {
        pk: {}
        for pk in Response.objects.filter(
            round=survey_round, state=Response.State.SUBMITTED
        ).values_list("pk", flat=True)
    }
    for rid, qid, value in (
        Answer.objects.filter(response_id__in=list(values), question_id__in=list(read_ids))
        .order_by()
        .values_list("response_id", "question_id", "value")
    ):
        values[rid][read_ids[qid]] = value
    return {
        rid
        for rid, given in values.items()
        if question.pk in answer_rules.visible_questions(questions, given)
    }


def text_answers(
    survey_round: SurveyRound,
    questions: list[Question],
    question: Question,
    *,
    region: str = "",
):
    """The non-empty submitted answers to a text question, with their society's name (in every
    language) and region, by society name; only the responses that were asked it, and only
    one region's when `region` is given. A queryset of dicts, for a paginator (a count and a
    page: two queries, plus one when the question has a condition)."""
    answers = Answer.objects.filter(
        question=question,
        response__round=survey_round,
        response__state=Response.State.SUBMITTED,
    ).exclude(value="")
    asked = asked_response_ids(survey_round, questions, question)
    if asked is not None:
        answers = answers.filter(response_id__in=sorted(asked))
    if region:
        answers = answers.filter(response__society__region=region)
    return answers.order_by("response__society__name", "id").values(
        "id",
        "value",
        "response__society_id",
        "response__society__name",
        "response__society__name_fr",
        "response__society__name_es",
        "response__society__name_ar",
        "response__society__region",
    )
