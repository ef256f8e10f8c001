"""XLSForm import and export with openpyxl (the format of KoboToolbox and ODK).

Supported: sheets `survey`, `choices`, `settings`; types `select_one`, `select_multiple`,
`integer`, `decimal`, `text` (`appearance: multiline` for long text), `begin_group`/`end_group`
(one level; each group is a section); columns `label::Language (xx)`, `hint::…`, `required`,
`relevant` (see surveys.conditions), `constraint` (`. >= a and . <= b`), and our own
`indicator` column (a roadmap indicator code, on questions and choices). A `select_one` whose
list is exactly yes/no becomes a yes/no question. Metadata types (start, end, today, …) are
skipped. Anything else is refused with its sheet, row and reason, and nothing is created.
"""

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from openpyxl import Workbook, load_workbook

from roadmap.models import Indicator

from . import conditions
from .models import LANGUAGE_CODES, Choice, Question, Questionnaire, Section

LANGUAGE_NAMES = {"en": "English", "fr": "French", "es": "Spanish", "ar": "Arabic"}
_NAME_TO_CODE = {
    "english": "en",
    "french": "fr",
    "français": "fr",
    "francais": "fr",
    "spanish": "es",
    "español": "es",
    "espanol": "es",
    "arabic": "ar",
    "العربية": "ar",
}
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_LIMIT = re.compile(r"^\.\s*(>=|<=)\s*(-?\d+(?:\.\d+)?)$")
_METADATA = {
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "simserial",
    "subscriberid",
    "phonenumber",
    "audit",
}
_UNSUPPORTED_COLUMNS = {
    "calculation",
    "choice_filter",
    "repeat_count",
    "default",
    "read_only",
    "trigger",
}


@dataclass
class Problem:
    sheet: str
    row: int
    reason: str

    def __str__(self) -> str:
        return f"{self.sheet}, row {self.row}: {self.reason}"


class XLSFormError(ValueError):
    def __init__(self, errors: list[Problem]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def _language(column: str, default: str) -> str | None:
    """`label::English (en)` → en; `label::French` → fr; `label` → the form's default."""
    if "::" not in column:
        return default
    spec = column.split("::", 1)[1].strip()
    match = re.search(r"\(([A-Za-z-]+)\)\s*$", spec)
    if match:
        code = match.group(1).lower().split("-")[0]
    else:
        code = _NAME_TO_CODE.get(spec.lower(), "")
    return code if code in LANGUAGE_CODES else None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _rows(sheet):
    """(row number, {column: text}) for each non-empty row under the header."""
    iterator = sheet.iter_rows(values_only=True)
    header = next(iterator, None) or ()
    columns = [_text(c) for c in header]
    for number, values in enumerate(iterator, start=2):
        row = {
            columns[i]: _text(v) for i, v in enumerate(values) if i < len(columns) and columns[i]
        }
        if any(row.values()):
            yield number, row


def _translations(row: dict, prefix: str, default: str, sheet: str, number: int, problems):
    found = {}
    for column, value in row.items():
        if column != prefix and not column.startswith(prefix + "::"):
            continue
        code = _language(column, default)
        if code is None:
            problems.append(Problem(sheet, number, f"unsupported language in column {column!r}"))
        elif value:
            found[code] = value
    return found


def _bool(value: str) -> bool | None:
    lowered = value.strip().lower()
    if lowered in ("", "no", "false", "false()", "0"):
        return False
    if lowered in ("yes", "true", "true()", "1"):
        return True
    return None


@dataclass
class _Choice:
    name: str
    labels: dict
    indicator: str
    row: int


@dataclass
class _Question:
    row: int
    name: str
    kind: str
    labels: dict
    hints: dict
    required: bool
    relevant: str
    min_value: Decimal | None
    max_value: Decimal | None
    indicator: str
    choices: list = field(default_factory=list)


@dataclass
class _Section:
    name: str
    labels: dict
    questions: list = field(default_factory=list)


def _parse(workbook) -> tuple[dict, list[_Section], list[Problem]]:
    problems: list[Problem] = []
    if "survey" not in workbook.sheetnames:
        return {}, [], [Problem("survey", 1, "the workbook has no 'survey' sheet")]
    settings = {}
    if "settings" in workbook.sheetnames:
        for _number, row in _rows(workbook["settings"]):
            settings = row
            break
    default = settings.get("default_language", "")
    default = _language("x::" + default, "en") if default else "en"
    default = default or "en"

    lists: dict[str, list[_Choice]] = {}
    if "choices" in workbook.sheetnames:
        for number, row in _rows(workbook["choices"]):
            list_name, name = row.get("list_name", ""), row.get("name", "")
            if not list_name or not name:
                problems.append(Problem("choices", number, "list_name and name are required"))
                continue
            labels = _translations(row, "label", default, "choices", number, problems)
            if "en" not in labels:
                problems.append(Problem("choices", number, "an English label is required"))
            if any(c.name == name for c in lists.get(list_name, [])):
                problems.append(
                    Problem("choices", number, f"choice {name!r} twice in list {list_name!r}")
                )
            lists.setdefault(list_name, []).append(
                _Choice(name, labels, row.get("indicator", ""), number)
            )

    sections: list[_Section] = []
    current: _Section | None = None
    group_relevant = ""
    names: set[str] = set()
    for number, row in _rows(workbook["survey"]):
        raw_type = re.sub(r"\s+", " ", row.get("type", "")).strip()
        kind_word = raw_type.split(" ")[0].lower() if raw_type else ""
        kind_word = {"begin": "begin_group", "end": "end_group"}.get(kind_word, kind_word)
        if raw_type.lower() in ("begin group", "end group"):
            kind_word = raw_type.lower().replace(" ", "_")

        def refuse(reason, number=number):
            problems.append(Problem("survey", number, reason))

        for column in _UNSUPPORTED_COLUMNS:
            if row.get(column):
                refuse(f"the column {column!r} is not supported")
        if kind_word in _METADATA:
            continue
        name = row.get("name", "")
        if kind_word == "begin_group":
            if current is not None:
                refuse("groups inside groups are not supported")
                continue
            if not _NAME.match(name):
                refuse(f"the group name {name!r} is not a valid name")
            current = _Section(
                name, _translations(row, "label", default, "survey", number, problems)
            )
            if "en" not in current.labels:
                current.labels["en"] = name
            group_relevant = row.get("relevant", "")
            sections.append(current)
            continue
        if kind_word == "end_group":
            if current is None:
                refuse("end_group without begin_group")
            current, group_relevant = None, ""
            continue
        if kind_word == "begin_repeat" or kind_word == "end_repeat":
            refuse("repeats are not supported")
            continue
        if not name or not _NAME.match(name):
            refuse(f"the name {name!r} is not a valid name")
            continue
        if name in names:
            refuse(f"the name {name!r} is used twice")
            continue
        labels = _translations(row, "label", default, "survey", number, problems)
        hints = _translations(row, "hint", default, "survey", number, problems)
        if "en" not in labels:
            refuse("an English label is required")
        appearance = row.get("appearance", "").lower()
        choices: list[_Choice] = []
        if kind_word in ("select_one", "select_multiple"):
            parts = raw_type.split(" ")
            if len(parts) != 2:
                refuse(f"{kind_word} needs a list name")
                continue
            if parts[1] not in lists:
                refuse(f"the choice list {parts[1]!r} is not on the choices sheet")
                continue
            choices = lists[parts[1]]
            if kind_word == "select_multiple":
                kind = Question.Kind.MULTIPLE
            elif sorted(c.name for c in choices) == ["no", "yes"]:
                kind = Question.Kind.YES_NO
            else:
                kind = Question.Kind.SINGLE
        elif kind_word == "integer":
            kind = Question.Kind.INTEGER
        elif kind_word == "decimal":
            kind = Question.Kind.DECIMAL
        elif kind_word == "text":
            kind = Question.Kind.LONG_TEXT if "multiline" in appearance else Question.Kind.TEXT
        else:
            refuse(f"the type {raw_type!r} is not supported")
            continue
        required = _bool(row.get("required", ""))
        if required is None:
            refuse(f"required must be yes or no, not {row.get('required')!r}")
            required = False
        relevant = row.get("relevant", "")
        if group_relevant:
            relevant = f"({group_relevant}) and ({relevant})" if relevant else group_relevant
        try:
            node = conditions.parse(relevant)
        except conditions.ConditionError as error:
            refuse(f"relevant {relevant!r}: {error}")
            node = None
        for ref in sorted(conditions.references(node)):
            if ref not in names:
                refuse(f"relevant refers to ${{{ref}}}, which is not an earlier question")
        min_value = max_value = None
        constraint = row.get("constraint", "")
        if constraint:
            if kind not in (Question.Kind.INTEGER, Question.Kind.DECIMAL):
                refuse("constraint is only supported on integer and decimal questions")
            for part in re.split(r"\s+and\s+", constraint.strip()):
                match = _LIMIT.match(part.strip())
                if not match:
                    refuse(f"constraint {constraint!r}: only '. >= n' and '. <= n' are supported")
                    break
                if match.group(1) == ">=":
                    min_value = Decimal(match.group(2))
                else:
                    max_value = Decimal(match.group(2))
        names.add(name)
        if current is None:
            # Questions outside any group share one section named after the form.
            if not sections or sections[-1].name != "general":
                sections.append(
                    _Section("general", {"en": settings.get("form_title") or "General"})
                )
            target = sections[-1]
        else:
            target = current
        target.questions.append(
            _Question(
                number,
                name,
                kind,
                labels,
                hints,
                required,
                relevant,
                min_value,
                max_value,
                row.get("indicator", ""),
                choices,
            )
        )
    if current is not None:
        problems.append(Problem("survey", 0, f"the group {current.name!r} is never closed"))
    seen_sections = set()
    for section in sections:
        if section.name in seen_sections:
            problems.append(Problem("survey", 0, f"the group name {section.name!r} is used twice"))
        seen_sections.add(section.name)
    if not any(s.questions for s in sections):
        problems.append(Problem("survey", 1, "the form has no questions"))
    return settings, sections, problems


def _labelled(prefix: str, labels: dict) -> dict:
    return {f"{prefix}_{code}": labels.get(code, "") for code in LANGUAGE_CODES}


@transaction.atomic
def import_xlsform(file, *, name: str) -> Questionnaire:
    """Create a questionnaire from an XLSForm workbook, or raise XLSFormError (nothing saved)."""
    try:
        workbook = load_workbook(file, data_only=True)
    except Exception as error:  # openpyxl raises many types for a broken file.
        raise XLSFormError(
            [Problem("workbook", 0, f"not a readable .xlsx file ({error})")]
        ) from None
    settings, sections, problems = _parse(workbook)
    if Questionnaire.objects.filter(name=name).exists():
        problems.append(Problem("settings", 0, f"a questionnaire called {name!r} already exists"))
    if problems:
        raise XLSFormError(problems)
    codes = {q.indicator for s in sections for q in s.questions if q.indicator} | {
        c.indicator for s in sections for q in s.questions for c in q.choices if c.indicator
    }
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    questionnaire = Questionnaire.objects.create(
        name=name,
        form_id=settings.get("form_id", "")[:100],
        version=settings.get("version", "")[:50],
        default_language=_language("x::" + settings.get("default_language", "en"), "en") or "en",
    )
    for s_order, parsed in enumerate(sections):
        section = Section.objects.create(
            questionnaire=questionnaire,
            order=s_order,
            name=parsed.name,
            **_labelled("title", parsed.labels),
        )
        for q_order, pq in enumerate(parsed.questions):
            question = Question.objects.create(
                questionnaire=questionnaire,
                section=section,
                order=q_order,
                name=pq.name,
                kind=pq.kind,
                required=pq.required,
                relevant=pq.relevant,
                min_value=pq.min_value,
                max_value=pq.max_value,
                indicator=indicators.get(pq.indicator),
                **_labelled("label", pq.labels),
                **_labelled("help", pq.hints),
            )
            Choice.objects.bulk_create(
                Choice(
                    question=question,
                    order=c_order,
                    name=pc.name,
                    indicator=indicators.get(pc.indicator),
                    **_labelled("label", pc.labels),
                )
                for c_order, pc in enumerate(pq.choices)
            )
    return questionnaire


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def export_xlsform(questionnaire: Questionnaire) -> bytes:
    """An XLSForm equivalent to the questionnaire (each select gets a list named after it)."""
    from .selectors import questionnaire_sections

    languages = [f"{LANGUAGE_NAMES[c]} ({c})" for c in LANGUAGE_CODES]
    survey_header = [
        "type",
        "name",
        *[f"label::{lang}" for lang in languages],
        *[f"hint::{lang}" for lang in languages],
        "required",
        "relevant",
        "constraint",
        "appearance",
        "indicator",
    ]
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(survey_header)
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", *[f"label::{lang}" for lang in languages], "indicator"])
    sections = questionnaire_sections(questionnaire)
    indicator_codes = dict(Indicator.objects.values_list("pk", "code"))
    for section in sections:
        survey.append(
            ["begin_group", section.name, *[getattr(section, f"title_{c}") for c in LANGUAGE_CODES]]
        )
        for q in section.questions.all():
            kind_type = {
                Question.Kind.YES_NO: f"select_one {q.name}",
                Question.Kind.SINGLE: f"select_one {q.name}",
                Question.Kind.MULTIPLE: f"select_multiple {q.name}",
                Question.Kind.INTEGER: "integer",
                Question.Kind.DECIMAL: "decimal",
                Question.Kind.TEXT: "text",
                Question.Kind.LONG_TEXT: "text",
            }[q.kind]
            limits = []
            if q.min_value is not None:
                limits.append(f". >= {_number(q.min_value)}")
            if q.max_value is not None:
                limits.append(f". <= {_number(q.max_value)}")
            survey.append(
                [
                    kind_type,
                    q.name,
                    *[getattr(q, f"label_{c}") for c in LANGUAGE_CODES],
                    *[getattr(q, f"help_{c}") for c in LANGUAGE_CODES],
                    "yes" if q.required else "",
                    q.relevant,
                    " and ".join(limits),
                    "multiline" if q.kind == Question.Kind.LONG_TEXT else "",
                    indicator_codes.get(q.indicator_id, ""),
                ]
            )
            options = list(q.choices.all())
            if q.kind == Question.Kind.YES_NO and not options:
                options = [
                    Choice(
                        name="yes", label_en="Yes", label_fr="Oui", label_es="Sí", label_ar="نعم"
                    ),
                    Choice(name="no", label_en="No", label_fr="Non", label_es="No", label_ar="لا"),
                ]
            for choice in options:
                choices.append(
                    [
                        q.name,
                        choice.name,
                        *[getattr(choice, f"label_{c}") for c in LANGUAGE_CODES],
                        indicator_codes.get(choice.indicator_id, ""),
                    ]
                )
        survey.append(["end_group", ""])
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append(
        [
            questionnaire.name,
            questionnaire.form_id or f"questionnaire_{questionnaire.pk}",
            questionnaire.version,
            f"{LANGUAGE_NAMES.get(questionnaire.default_language, 'English')} "
            f"({questionnaire.default_language})",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
