"""Exports of answers: one society's answers (XLSX, PDF), and every response (XLSX, CSV).

Rows are streamed from the database (`iterator()`), written with openpyxl's write-only mode
or the csv module, so nothing is truncated and memory stays flat; the query count does not
depend on the number of societies. Text cells that a spreadsheet would run as a formula are
prefixed with a single quote.

Answers to questions that were not asked (their condition is false given the society's other
answers, `answers.visible_questions`) are kept in the database but exported nowhere: blank
cells in the wide layout, no row in the long one, left out of one society's answers. The XLSX
files say so on an "About" sheet (`NOT_ASKED_NOTE`); the round page says it beside the CSV.
"""

import csv
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence

from django.conf import settings
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.choices import YesNo, yes_no, yes_no_labels
from core.hygiene import export_cell, export_text
from core.resources import csv_cell, data_value, xlsx_cell

from .answers import visible_questions
from .models import Answer, Choice, Question, Response, SurveyRound
from .selectors import answers_by_question, questionnaire_sections

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _typed(question: Question, value: str):
    """Numbers as numbers, so spreadsheets can sum them; everything else as text."""
    if value and question.kind in (Question.Kind.INTEGER, Question.Kind.DECIMAL):
        try:
            return int(value) if question.kind == Question.Kind.INTEGER else float(value)
        except ValueError:
            return value
    return value


def value_label(question: Question, value: str) -> str:
    """The answer in words in the active language (choice labels, yes/no)."""
    if not value:
        return ""
    if question.kind == Question.Kind.YES_NO:
        return yes_no(value)
    if question.has_choices:
        labels = {c.name: c.label for c in question.choices.all()}
        return "; ".join(labels.get(name, name) for name in value.split())
    return value


class _Echo:
    def write(self, value):
        return value


def _stream_csv(rows: Iterator[list], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    # A byte-order mark lets Excel open Arabic and accented labels correctly.
    body = (writer.writerow([csv_cell(export_cell(c)) for c in row]) for row in rows)
    response = StreamingHttpResponse(
        _prefixed("\ufeff", body), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _prefixed(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def not_asked_note() -> str:
    """What the exports do with answers to questions not asked (the About sheet, the round
    page beside the CSV export)."""
    return _(
        "Answers to questions that were not asked are left out: a question is not asked when "
        "its condition (for example “only if the National Society provides MHPSS services”) "
        "is false given the society's other answers. Those answers are kept, and come back if "
        "the condition becomes true again, but they are counted nowhere: their cells are "
        "blank in the one-row-per-society layout, they have no row in the one-row-per-answer "
        "layout, and the results and indicators leave them out too."
    )


def _xlsx(
    rows: Iterator[list],
    filename: str,
    title: str,
    about: list[list] | None = None,
    sheets: Sequence[tuple[str, Iterable[list]]] = (),
) -> FileResponse:
    workbook = Workbook(write_only=True)
    # Excel refuses these characters in sheet titles, and titles longer than 31.
    sheet = workbook.create_sheet(
        title=re.sub(r"[\[\]:*?/\\\n]", "-", export_text(title))[:31] or "answers"
    )
    for row in rows:
        # Dates and times as real dates, with a date format (core.resources).
        sheet.append([xlsx_cell(sheet, export_cell(c)) for c in row])
    for name, extra in sheets:
        other = workbook.create_sheet(title=name[:31])
        for row in extra:
            other.append([export_cell(c) for c in row])
    if about:
        notes = workbook.create_sheet(title=_("About")[:31])
        for row in about:
            notes.append([export_cell(c) for c in row])
    handle = tempfile.TemporaryFile()
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX)


def _split_choices(question: Question) -> list[str]:
    """The options of a multiple-choice question, each exported as its own 0/1 column."""
    if question.kind != Question.Kind.MULTIPLE:
        return []
    return [c.name for c in question.choices.all()]


def _wide_header(questions: list[Question], codes: bool) -> list[str]:
    """Headers as KoboToolbox writes them: `name` (codes) or `name: label` (labels), and for
    each option of a multiple choice `name/option` (codes) or `name/option: option label`."""
    if codes:
        header = ["society", "country", "region", "state", "submitted"]
    else:
        header = [_("National Society"), _("Country"), _("Region"), _("State"), _("Submitted")]
    for q in questions:
        header.append(q.name if codes else f"{q.name}: {q.label}")
        labels = {c.name: c.label for c in q.choices.all()}
        for option in _split_choices(q):
            column = f"{q.name}/{option}"
            header.append(column if codes else f"{column}: {labels.get(option, option)}")
    return header


def _wide_cells(question: Question, value: str, asked: bool, codes: bool) -> list:
    """The answer's cell, then a multiple choice's 0/1 cells (1 selected, 0 not; all blank
    when the question was not asked or not answered)."""
    if not asked:
        return [""] * (1 + len(_split_choices(question)))
    shown = value if codes else value_label(question, value)
    cells = [_typed(question, shown)]
    selected = set(value.split())
    cells += [
        (1 if option in selected else 0) if value else "" for option in _split_choices(question)
    ]
    return cells


def _wide_rows(
    survey_round: SurveyRound, questions: list[Question], codes: bool = False
) -> Iterator[list]:
    yield _wide_header(questions, codes)
    responses = Response.objects.filter(round=survey_round).select_related("society")
    by_id = {r.pk: r for r in responses}
    current, values = None, {}
    answers = _round_answers(sorted(by_id), ("response_id", "question_id", "value"))

    def row(response, values):
        asked = visible_questions(
            questions, {q.name: values[q.pk] for q in questions if q.pk in values}
        )
        society = response.society
        cells = [
            society.name,
            society.country.code,
            society.region if codes else society.get_region_display(),
            response.state if codes else response.get_state_display(),
            # A real date and time (local, naive: spreadsheets have no time zones).
            data_value(response.submitted_at) if response.submitted_at else "",
        ]
        for q in questions:
            cells += _wide_cells(q, values.get(q.pk, ""), q.pk in asked, codes)
        return cells

    seen = set()
    for response_id, question_id, value in answers:
        if response_id != current:
            if current is not None:
                yield row(by_id[current], values)
                seen.add(current)
            current, values = response_id, {}
        values[question_id] = value
    if current is not None:
        yield row(by_id[current], values)
        seen.add(current)
    for pk, response in sorted(by_id.items(), key=lambda item: item[1].society.name):
        if pk not in seen:  # Responses without answers still show up, empty.
            yield row(response, {})


CODEBOOK_LANGUAGES = (("en", "English"), ("fr", "French"), ("es", "Spanish"), ("ar", "Arabic"))


def _codebook_rows(questions: list[Question]) -> Iterator[list]:
    """The codebook: a row per question, then a row per option (code and labels in the four
    languages); `column` names the column of the one-row-per-society layout with codes.

    Headers are XLSForm's column names, the same whatever the export's language."""
    yield [
        "column",
        "name",
        "option",
        "type",
        "type_label",
        "required",
        *[f"label::{name} ({code})" for code, name in CODEBOOK_LANGUAGES],
        "relevant",
        "constraint",
        "choice_filter",
        "section",
    ]
    for q in questions:
        yield [
            q.name,
            q.name,
            "",
            q.kind,
            q.get_kind_display(),
            yes_no(q.required),
            *[getattr(q, f"label_{code}") for code, _name in CODEBOOK_LANGUAGES],
            q.relevant,
            q.constraint,
            q.choice_filter,
            q.section.title,
        ]
        split = set(_split_choices(q))
        options: list[tuple[str, Choice | None]] = [(c.name, c) for c in q.choices.all()]
        if q.kind == Question.Kind.YES_NO and not options:
            options = [(value, None) for value in YesNo.values]
        for name, choice in options:
            if choice is not None:
                labels = [getattr(choice, f"label_{code}") for code, _n in CODEBOOK_LANGUAGES]
            else:  # yes/no without choice rows: the app's own words
                labels = [yes_no_labels(code)[name] for code, _n in CODEBOOK_LANGUAGES]
            yield [
                f"{q.name}/{name}" if name in split else "",
                q.name,
                name,
                "option",
                _("Option"),
                "",
                *labels,
                "",
                "",
                "",
                q.section.title,
            ]


# Responses whose answers are read per query: the IN list stays short, each query an index scan.
ANSWER_BATCH = 200


def _round_answers(response_ids: list[int], columns: tuple) -> Iterator[tuple]:
    """The answers of these responses, response by response in the order given.

    Filtering on the response ids (index one_answer_per_question, response first) reads only
    this round's answers; a join on the round made PostgreSQL read every round's.
    """
    for start in range(0, len(response_ids), ANSWER_BATCH):
        ids = response_ids[start : start + ANSWER_BATCH]
        order = {pk: n for n, pk in enumerate(ids)}
        # order_by(): no Meta.ordering, whose joins (round, society, section) and sort would
        # undo the point; rows are put in order here, a response's few hundred at a time.
        rows = list(Answer.objects.filter(response_id__in=ids).order_by().values_list(*columns))
        rows.sort(key=lambda row: order[row[0]])
        yield from rows


def _long_rows(
    survey_round: SurveyRound, questions: list[Question], codes: bool = False
) -> Iterator[list]:
    yield [
        _("National Society"),
        _("Country"),
        _("Region"),
        _("Section"),
        _("Question name"),
        _("Question"),
        _("Value"),
        _("Answer"),
    ]
    by_pk = {q.pk: q for q in questions}
    position = {q.pk: n for n, q in enumerate(questions)}  # questionnaire order
    responses = (
        Response.objects.filter(round=survey_round)
        .order_by("society__name", "pk")
        .values_list("pk", "society__name", "society__country", "society__region")
    )
    society = {pk: (name, country, region) for pk, name, country, region in responses}

    def ordered_answers():
        # Societies by name, then each response's answers in questionnaire order; sorting one
        # response's few hundred answers here replaces a sort of the whole round on disk.
        batch: list[tuple] = []
        for response_id, question_id, value in _round_answers(
            list(society), ("response_id", "question_id", "value")
        ):
            if batch and batch[0][0] != response_id:
                yield from sorted(batch, key=lambda a: position.get(a[1], len(position)))
                batch = []
            batch.append((response_id, question_id, value))
        yield from sorted(batch, key=lambda a: position.get(a[1], len(position)))

    answers = (
        (rid, *society[rid], qid, value) for rid, qid, value in ordered_answers() if qid in by_pk
    )
    from accounts.models import Region

    regions = dict(Region.choices)

    def rows_of(batch):
        # One response's answers at a time: which questions it was asked needs all of them.
        asked = visible_questions(questions, {by_pk[qid].name: value for *_, qid, value in batch})
        for _rid, name, country, region, question_id, value in batch:
            if question_id not in asked:
                continue
            question = by_pk[question_id]
            yield [
                name,
                country,
                region if codes else str(regions.get(region, region)),
                question.section.name if codes else question.section.title,
                question.name,
                question.label,
                _typed(question, value),
                value_label(question, value),
            ]

    batch: list[tuple] = []
    for answer in answers:
        if batch and answer[0] != batch[0][0]:
            yield from rows_of(batch)
            batch = []
        batch.append(answer)
    if batch:
        yield from rows_of(batch)


def _about(survey_round: SurveyRound, codes: bool | None = None) -> list[list]:
    rows = [
        [_("About this export")],
        [_("Survey round"), survey_round.display_name],
        [_("Exported"), data_value(timezone.now())],
        [_("Answers not asked"), not_asked_note()],
    ]
    if codes is not None:
        rows.append(
            [
                _("Answers as"),
                _(
                    "Codes: headers and answers are the questionnaire's names (multiple "
                    "choices separated by spaces)."
                )
                if codes
                else _("Labels: headers and answers in words, in the export's language."),
            ]
        )
        rows.append([_("Multiple choice"), multiple_choice_note()])
        rows.append([_("Codebook"), _("The Codebook sheet lists every question and option.")])
    return rows


def multiple_choice_note() -> str:
    return _(
        "A multiple-choice question has its answer in one column, then one column per option "
        "(headed question/option): 1 when the option was chosen, 0 when not, blank when the "
        "question was not asked or not answered."
    )


def _questions_of(survey_round: SurveyRound) -> list[Question]:
    questions = []
    for section in questionnaire_sections(survey_round.questionnaire):
        for question in section.questions.all():
            question.section = section  # Avoid one query per row for the section title.
            questions.append(question)
    return questions


def round_export(
    survey_round: SurveyRound,
    *,
    fmt: str,
    layout: str,
    language: str,
    values: str = "labels",
    progress=None,
):
    """Every response of the round (layout "wide" or "long"), or the codebook alone
    ("codebook"); labels in `language`, answers as labels or codes (`values`, the wide
    layout: the long one has both). XLSX files carry the codebook on their own sheet.
    `progress(rows)` hears rows written."""
    questions = _questions_of(survey_round)
    codes = values == "codes"
    filename = f"{slugify(survey_round.name)}-{layout}-{language}" + ("-codes" if codes else "")

    def build():
        if layout == "codebook":
            return _codebook_rows(questions)
        if layout == "wide":
            return _wide_rows(survey_round, questions, codes)
        return _long_rows(survey_round, questions, codes)

    def rows():
        # Generators run while the response streams: keep the language switched on for them.
        with translation.override(language):
            for count, row in enumerate(build()):
                if progress and count % 500 == 0:
                    progress(count)
                yield row

    def codebook():
        with translation.override(language):
            yield from _codebook_rows(questions)

    if fmt == "csv":
        return _stream_csv(rows(), filename)
    with translation.override(language):
        about = _about(survey_round, codes)
        sheets = [] if layout == "codebook" else [(_("Codebook"), codebook())]
        title = _("Codebook") if layout == "codebook" else survey_round.name
    return _xlsx(rows(), filename, title, about, sheets)


def _response_rows(response: Response) -> Iterator[list]:
    """One society's answers, question by question, without the questions it was not asked."""
    answers = answers_by_question(response)
    yield [_("Section"), _("Question"), _("Answer")]
    sections = questionnaire_sections(response.round.questionnaire)
    questions = [q for section in sections for q in section.questions.all()]
    asked = visible_questions(
        questions, {q.name: answers[q.pk].value for q in questions if q.pk in answers}
    )
    for section in sections:
        for question in section.questions.all():
            if question.pk not in asked:
                continue
            answer = answers.get(question.pk)
            value = answer.value if answer else ""
            yield [section.title, question.label, _typed(question, value_label(question, value))]


def response_xlsx(response: Response) -> FileResponse:
    filename = slugify(f"{response.round.name}-{response.society.name}")
    return _xlsx(_response_rows(response), filename, response.round.name, _about(response.round))


def response_pdf_html(response: Response, request=None) -> str:
    """The answers as the HTML of their PDF, in the active language and the report's fonts."""
    from core.pdf import FONTS_CSS

    rows = list(_response_rows(response))
    return render_to_string(
        "surveys/response_pdf.html",
        {
            "response": response,
            "header": rows[0],
            "rows": rows[1:],
            "fonts_href": FONTS_CSS.as_uri(),
        },
        request=request,
    )


def response_pdf(request, response: Response) -> HttpResponse:
    """A plain PDF of the answers, in the report's own fonts, tagged (PDF/UA-1)."""
    from core.pdf import html_to_pdf

    pdf = html_to_pdf(response_pdf_html(response, request), base_url=str(settings.BASE_DIR))
    result = HttpResponse(pdf, content_type="application/pdf")
    filename = slugify(f"{response.round.name}-{response.society.name}")
    result["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return result
