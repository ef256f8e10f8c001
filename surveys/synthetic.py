"""Synthetic survey data for ``roadmap.synthetic.generate``: responses of every society to the
reference rounds (and, with ``Sizes.rounds``, closed demo rounds of the years before them), with
answers that respect the questionnaire's display conditions."""

from __future__ import annotations

import datetime

from django.db import connection
from django.utils import timezone

from roadmap.synthetic import DEMO, Batch

from .answers import visible_questions
from .models import Answer, Question, Response, SurveyRound


def generate(batch: Batch) -> None:
    _surveys(batch.sizes, batch.scale, batch.roadmap, batch.societies, batch.focal_by_society)


def _sample(question: Question, choices: list[str], variant: int) -> str:
    """A plausible answer of the question's type; `variant` varies it between societies."""
    kind, seed = question.kind, variant + question.pk
    if kind == Question.Kind.YES_NO:
        return "no" if seed % 8 == 0 else "yes"
    if kind == Question.Kind.SINGLE:
        return choices[seed % len(choices)] if choices else ""
    if kind == Question.Kind.MULTIPLE:
        picked = [c for c in choices if c != "other"][variant % 3 :: 2]
        return " ".join(picked or choices[:1])
    if kind in (Question.Kind.INTEGER, Question.Kind.DECIMAL):
        low = int(question.min_value) if question.min_value is not None else 0
        high = int(question.max_value) if question.max_value is not None else low + 500
        return str(low + seed % max(high - low + 1, 1))
    if kind == Question.Kind.TEXT:
        return f"{DEMO} short answer {variant}"
    return f"{DEMO} A longer answer written for the demonstration, variant {variant}."


def _answer_profiles(questions: list[Question], count: int = 7) -> list[list[tuple[int, str]]]:
    """A few sets of answers, each respecting the questionnaire's display conditions."""
    profiles = []
    for variant in range(count):
        values = {q.name: _sample(q, [c.name for c in q.choices.all()], variant) for q in questions}
        shown = visible_questions(questions, values)
        profiles.append([(q.pk, values[q.name]) for q in questions if q.pk in shown])
    return profiles


def _insert_answers(rows) -> int:
    """Insert (response_id, question_id, value, updated_by_id, updated_at) rows as fast as the
    database can."""
    table = Answer._meta.db_table
    columns = "response_id, question_id, value, version, updated_at, updated_by_id"
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is an order of magnitude faster than INSERT for hundreds of thousands of rows.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for response_id, question_id, value, by, when in rows:
                    copy.write_row((response_id, question_id, value, 1, when, by))
                    count += 1
            return count
        adapt = connection.ops.adapt_datetimefield_value
        # Table and column names are constants of this module, never user input.
        sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, 1, %s, %s)"  # noqa: S608
        batch = []
        for response_id, question_id, value, by, when in rows:
            batch.append((response_id, question_id, value, adapt(when), by))
            if len(batch) >= 5000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _closing_time(survey_round: SurveyRound, now: datetime.datetime) -> datetime.datetime:
    """When the answers of a closed round were last touched: its closing day (or the end of
    its year), so that years of rounds leave years of history; now for an open round."""
    if survey_round.state == SurveyRound.State.OPEN:
        return now
    day = survey_round.closes or datetime.date(survey_round.year, 12, 1)
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


def _demo_rounds(wanted: int | None, roadmap, rounds: list[SurveyRound]) -> list[SurveyRound]:
    """The rounds to answer: those of the roadmap, and up to `wanted` in all closed demo rounds
    (one a year, the years before the earliest round) on the latest round's questionnaire."""
    if wanted is None or wanted <= len(rounds):
        if wanted is not None and wanted < len(rounds):
            raise RuntimeError(
                f"The roadmap has {len(rounds)} survey rounds already: ask for {len(rounds)} "
                "rounds or more."
            )
        return rounds
    questionnaire = rounds[-1].questionnaire
    year = min(r.year for r in rounds)
    new = []
    for _n in range(wanted - len(rounds)):
        year -= 1
        new.append(
            SurveyRound(
                roadmap=roadmap,
                name=f"{DEMO} Round {year}",
                year=year,
                questionnaire=questionnaire,
                opens=datetime.date(year, 3, 1),
                closes=datetime.date(year, 6, 30),
                state=SurveyRound.State.CLOSED,
            )
        )
    SurveyRound.objects.bulk_create(new)
    return sorted([*rounds, *new], key=lambda r: (r.year, r.pk))


def _surveys(sizes, scale, roadmap, societies, focal_by_society) -> None:
    rounds = list(SurveyRound.objects.filter(roadmap=roadmap).order_by("year", "id"))
    if not rounds:
        return
    # The reference rounds (2019, 2021, endline), the demo rounds of an earlier batch, and as
    # many new demo rounds as `sizes.rounds` asks: the societies grow with the scale.
    rounds = _demo_rounds(sizes.rounds, roadmap, rounds)
    questionnaire = rounds[-1].questionnaire
    # Real societies the demo people answer for themselves stay unanswered in an open round.
    kept_open = {"KE", "LB", "CO", "SN"}
    now = timezone.now()
    existing = set(Response.objects.filter(round__in=rounds).values_list("round_id", "society_id"))
    responses = []
    for survey_round in rounds:
        is_open = survey_round.state == SurveyRound.State.OPEN
        for i, society in enumerate(societies):
            if (survey_round.pk, society.pk) in existing:
                continue
            if is_open and not society.is_demo and society.country.code in kept_open:
                continue
            # In an open round a quarter of the societies are still answering.
            submitted = not is_open or i % 4 != 3
            by = focal_by_society.get(society.pk)
            when = _closing_time(survey_round, now)
            responses.append(
                Response(
                    round=survey_round,
                    society=society,
                    state=Response.State.SUBMITTED if submitted else Response.State.IN_PROGRESS,
                    submitted_at=when if submitted else None,
                    submitted_by_id=by if submitted else None,
                    last_activity_at=when,
                )
            )
    Response.objects.bulk_create(responses, batch_size=2000)
    questions = list(
        Question.objects.filter(questionnaire=questionnaire)
        .order_by("section__order", "section_id", "order", "id")
        .prefetch_related("choices")
    )
    profiles = _answer_profiles(questions)
    when_by_round = {r.pk: _closing_time(r, now) for r in rounds}

    def rows():
        for n, response in enumerate(responses):
            profile = profiles[n % len(profiles)]
            if response.state == Response.State.IN_PROGRESS:
                profile = profile[: len(profile) // 2]
            by = focal_by_society.get(response.society_id)
            when = when_by_round[response.round_id]
            for question_id, value in profile:
                yield response.pk, question_id, value, by, when

    sizes.counts.update(
        {
            "survey rounds": len(rounds),
            "responses": len(responses),
            "answers": _insert_answers(rows()),
        }
    )
