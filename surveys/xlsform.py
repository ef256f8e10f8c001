"""XLSForm import and export, read with pyxform (the reader of KoboToolbox and ODK).

pyxform reads `.xlsx` and `.xls`, resolves header aliases (`list name`, `bind::relevant`,
`label::English (en)`), question type aliases and reports its errors; `read_xlsform` maps its
normalised form onto our models and lists, with sheet, row and column, what is refused and what
is ignored, before anything is written. `docs/xlsform.md` has the table of supported features.
The export writes the questionnaire back as an XLSForm that pyxform converts without errors.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from pyxform.errors import PyXFormError
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform

from core.choices import YesNo, yes_no_labels
from jobs.uploads import check_spreadsheet
from roadmap.models import Indicator

from . import xpath
from .models import LANGUAGE_CODES, Choice, Question, Questionnaire, Section

LANGUAGE_NAMES = {"en": "English", "fr": "French", "es": "Spanish", "ar": "Arabic"}
# Language names as authors write them, lower-cased, for the four languages we hold in fields.
_LANGUAGE_WORDS = {
    "en": {"english", "anglais", "inglés", "ingles", "en", "eng", "الإنجليزية"},
    "fr": {"french", "français", "francais", "fr", "fra", "fre", "francés", "frances"},
    "es": {"spanish", "español", "espanol", "castellano", "es", "spa", "espagnol"},
    "ar": {"arabic", "العربية", "عربي", "ar", "ara", "arabe", "árabe"},
}
# The columns that take a language suffix, and the message columns stored in `translations`.
_TRANSLATABLE = ("label", "hint", "constraint_message", "required_message", "guidance_hint")
_MESSAGES = {"constraint_message": "jr:constraintMsg", "required_message": "jr:requiredMsg"}
_METADATA = {
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "email",
    "simserial",
    "subscriberid",
    "phonenumber",
    "audit",
    "start-geopoint",
    "background-audio",
}
_KINDS = {
    "text": Question.Kind.TEXT,
    "integer": Question.Kind.INTEGER,
    "decimal": Question.Kind.DECIMAL,
    "date": Question.Kind.DATE,
    "note": Question.Kind.NOTE,
    "calculate": Question.Kind.CALCULATE,
    "select one": Question.Kind.SINGLE,
    "select all that apply": Question.Kind.MULTIPLE,
}
# Survey columns we read; anything else with a value is listed as ignored (except our own).
_SURVEY_COLUMNS = {
    "type",
    "name",
    "label",
    "hint",
    "required",
    "required_message",
    "relevant",
    "constraint",
    "constraint_message",
    "calculation",
    "choice_filter",
    "default",
    "appearance",
    "indicator",
    # pyxform's aliases of the same columns
    "relevance",
    "caption",
    "calculate",
    "constraining_message",
    "requiredmsg",
    "command",
    "tag",
    "value",
}
_CHOICE_RESERVED = {"list_name", "name", "label", "indicator"}
_LIMIT = re.compile(r"^\.\s*(>=|<=)\s*(-?\d+(?:\.\d+)?)$")
_ROW = re.compile(r"\[row\s*:\s*(\d+)\]")
_SHEET = re.compile(r"'(survey|choices|settings)' sheet")
_COLUMN = re.compile(r"the '([^']+)' value")

# Bounds checked before the database (same on SQLite and PostgreSQL).
MAX_ROWS = 3000
MAX_TEXT = 10000
MAX_EXPRESSION = 5000
MAX_NAME = 100
MAX_APPEARANCE = 200
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_ZIP_RATIO = 200

GENERAL_TITLES = {"en": "General", "fr": "Général", "es": "General", "ar": "عام"}
OTHER_LABELS = {"en": "Other", "fr": "Autre", "es": "Otro", "ar": "أخرى"}
SPECIFY_LABELS = {
    "en": "Specify other.",
    "fr": "Précisez « autre ».",
    "es": "Especifique «otro».",
    "ar": "حدّد «أخرى».",
}


@dataclass
class Problem:
    sheet: str
    row: int
    reason: str
    column: str = ""

    def __str__(self) -> str:
        where = f"{self.sheet}, row {self.row}" if self.row else self.sheet
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.reason}"


class XLSFormError(ValueError):
    def __init__(self, errors: list[Problem]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


# ---------------------------------------------------------------- reading


@dataclass
class _Choice:
    name: str
    texts: dict  # {column: {language as written: text}}
    properties: dict
    indicator: str


@dataclass
class _Question:
    row: int
    name: str
    kind: str
    texts: dict
    required: bool
    relevant: str = ""
    constraint: str = ""
    calculation: str = ""
    choice_filter: str = ""
    default: str = ""
    appearance: str = ""
    list_name: str = ""
    or_other: bool = False
    indicator: str = ""
    choices: list = field(default_factory=list)
    order: int = 0


@dataclass
class _Section:
    name: str
    texts: dict
    is_group: bool = True
    relevant: str = ""
    condition: str = ""
    appearance: str = ""
    parent: "_Section | None" = None
    questions: list = field(default_factory=list)
    order: int = 0
    row: int = 0


@dataclass
class ImportPlan:
    """What an XLSForm would create, with what is ignored; nothing is written yet."""

    title: str
    form_id: str
    version: str
    default_language: str
    languages: list  # [[language as written, our code or None], ...]
    settings: dict
    sections: list[_Section]
    warnings: list[Problem]

    @property
    def questions(self) -> list[_Question]:
        return [q for s in self.sections for q in s.questions]

    @property
    def extra_languages(self) -> list[str]:
        return [key for key, code in self.languages if code is None]

    @property
    def choice_count(self) -> int:
        return sum(len(q.choices) for q in self.questions)


def check_upload(upload) -> int:
    """Refuse, in well under a second, a file too large or a zip that inflates too much, or a
    sheet of too many rows (streamed, stopping past the limit); the rows of its first sheet
    (0 for an .xls, which the reader checks)."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    upload.seek(0)
    if size > django_settings.MAX_UPLOAD_SIZE:
        raise XLSFormError([Problem("workbook", 0, _("The file is too large."))])
    head = upload.read(4)
    upload.seek(0)
    if head != b"PK\x03\x04":
        return 0  # Not a zip (an .xls, or not a workbook: the reader says so).
    rows = 0
    try:
        # The shared guard of spreadsheet uploads: zip directory and row count, streamed.
        rows = check_spreadsheet(
            upload,
            max_bytes=django_settings.MAX_UPLOAD_SIZE,
            max_uncompressed=MAX_UNCOMPRESSED,
            max_rows=MAX_ROWS,
        )
    except ValidationError as error:
        raise XLSFormError([Problem("workbook", 0, error.messages[0])]) from None
    except Exception:  # a broken zip: the checks below and the reader say so
        upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise XLSFormError(
            [Problem("workbook", 0, _("This is not a readable .xlsx or .xls file."))]
        ) from None
    finally:
        upload.seek(0)
    inflated = sum(m.file_size for m in members)
    if (
        len(members) > 1000
        or inflated > MAX_UNCOMPRESSED
        or inflated > MAX_ZIP_RATIO * max(size, 1)
    ):
        raise XLSFormError(
            [Problem("workbook", 0, _("The workbook unpacks to too much data to be a form."))]
        )
    return rows


def language_code(key: str) -> str | None:
    """`English (en)`, `english`, `Français (fr)`, `ar` → our code; other languages → None."""
    text = key.strip().lower()
    match = re.search(r"\(\s*([a-z]{2,3})(?:[-_][a-z0-9]+)?\s*\)\s*$", text)
    if match:
        code = match.group(1)
        for ours, words in _LANGUAGE_WORDS.items():
            if code == ours or code in words:
                return ours
        return None
    text = re.sub(r"[-_].*$", "", text) if re.fullmatch(r"[a-z]{2,3}[-_]\w+", text) else text
    for ours, words in _LANGUAGE_WORDS.items():
        if text in words:
            return ours
    return None


def _normalise_headers(rows, header, spellings: dict):
    """pyxform reads `label::English`; many sheets say `label:English` or spell one language
    two ways (`English`, `english`): read them alike, with the first spelling met."""

    def fix(key):
        if not isinstance(key, str):
            return key
        if key.strip().lower() in _SURVEY_COLUMNS | {"list_name", "list name"}:
            return key.strip().lower()  # `Type`, `NAME`: pyxform reads any case, so do we
        if "::" in key:
            base, _sep, lang = key.partition("::")
        else:
            base, sep, lang = key.partition(":")
            if not sep:
                return key
        if base.strip().lower() not in _TRANSLATABLE or not lang.strip():
            return key
        lang = spellings.setdefault(re.sub(r"\s+", " ", lang.strip().lower()), lang.strip())
        return f"{base.strip().lower()}::{lang}"

    rows = [{fix(k): v for k, v in row.items()} for row in rows or []]
    header = [{fix(k): v for k, v in h.items()} for h in header or []]
    return rows, header


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _columns_languages(headers: list[dict]) -> list[str]:
    """Languages in the order their columns first appear; `default` for unsuffixed columns
    when the form also has suffixed ones."""
    found, plain = [], False
    for header in headers:
        for column in header:
            base, sep, lang = str(column).partition("::")
            if base.strip().lower() not in _TRANSLATABLE:
                continue
            if sep:
                lang = lang.strip()
                if lang and lang not in found:
                    found.append(lang)
            else:
                plain = True
    if plain and found:
        found.insert(0, "default")
    return found or ["default"]


class _Reader:
    """Walks pyxform's JSON, building sections and questions and collecting problems."""

    def __init__(self, data, survey_rows, choice_rows, errors, warnings, title=""):
        self.data = data
        self.title = title  # of the page holding questions outside any group
        self.errors = errors
        self.warnings = warnings
        self.rows = survey_rows
        self.choice_rows = choice_rows
        self.sections: list[_Section] = []
        self.names: dict[str, int] = {}
        self.position = 0
        self.top_count = 0
        self.generated: set[str] = set()  # the "_other" text questions we add ourselves
        # Row numbers by name: pyxform's JSON has no row numbers (names are unique).
        self.row_of: dict[str, int] = {}
        self.cursor = 0
        for index, row in enumerate(survey_rows, start=2):
            name = _text(row.get("name"))
            if name and name not in self.row_of:
                self.row_of[name] = index

    def row_for(self, name: str, fallback: int) -> int:
        """The sheet row of the next element called `name` (elements come in sheet order)."""
        for index in range(self.cursor, len(self.rows)):
            if _text(self.rows[index].get("name")) == name:
                self.cursor = index + 1
                return index + 2
        return self.row_of.get(name, fallback)

    def refuse(self, row, reason, column="", sheet="survey"):
        self.errors.append(Problem(sheet, row, reason, column))

    def warn(self, row, reason, column="", sheet="survey"):
        self.warnings.append(Problem(sheet, row, reason, column))

    # Languages: {language as written: text} for every translatable key of an element.
    def texts(self, element: dict) -> dict:
        found = {}
        for column in ("label", "hint"):
            value = element.get(column)
            if isinstance(value, dict):
                found[column] = {k: _text(v) for k, v in value.items() if _text(v)}
            elif _text(value):
                found[column] = {"default": _text(value)}
        bind = element.get("bind") or {}
        for column, key in _MESSAGES.items():
            value = bind.get(key)
            if isinstance(value, dict):
                found[column] = {k: _text(v) for k, v in value.items() if _text(v)}
            elif _text(value):
                found[column] = {"default": _text(value)}
        return found

    def expression(self, row, column, text) -> str:
        text = _text(text)
        if not text:
            return ""
        if len(text) > MAX_EXPRESSION:
            self.refuse(
                row,
                _("The %(column)s is %(n)s characters long; keep it under %(max)s.")
                % {"column": column, "n": len(text), "max": MAX_EXPRESSION},
                column,
            )
            return ""
        try:
            node = xpath.parse(text)
        except xpath.ExpressionError as error:
            self.refuse(
                row,
                _(
                    "The %(column)s %(text)s cannot be used: %(error)s. Write it with ${name}, "
                    "quoted values, and, or, not(), selected() and the functions in the guide."
                )
                % {"column": column, "text": repr(text), "error": error},
                column,
            )
            return ""
        if column != "choice_filter" and xpath.fields(node):
            names = ", ".join(sorted(xpath.fields(node)))
            self.refuse(
                row,
                _("The %(column)s refers to %(names)s without ${…}: write ${name} for a question.")
                % {"column": column, "names": names},
                column,
            )
        for ref in sorted(xpath.references(node)):
            if ref not in self.names and ref not in self.row_of:
                self.refuse(
                    row,
                    _("The %(column)s refers to ${%(ref)s}, which is not a question of this form.")
                    % {"column": column, "ref": ref},
                    column,
                )
        return text

    def walk(self, children, parent: _Section | None, group_row: int = 0):
        for element in children:
            kind = element.get("type", "")
            name = _text(element.get("name"))
            row = self.row_for(name, group_row)
            if name in self.generated:
                continue  # pyxform's "specify other" question: ours replaces it
            if (
                name == "meta"
                and kind == "group"
                and (element.get("control") or {}).get("bodyless")
            ):
                continue  # pyxform's own instanceID block.
            if kind in _METADATA:
                self.warn(
                    row,
                    _(
                        "The metadata %(type)s is recorded by KoboToolbox and ODK, not here: "
                        "ignored."
                    )
                    % {"type": kind},
                    "type",
                )
                continue
            if kind in ("repeat",):
                self.refuse(
                    row,
                    _(
                        "The repeat %(name)s cannot be answered here: a National Society gives "
                        "one answer per question. Replace the repeat with a group, or with "
                        "numbered questions."
                    )
                    % {"name": name},
                    "type",
                )
                continue
            if len(name) > MAX_NAME:
                self.refuse(
                    row,
                    _("The name is %(n)s characters long; keep it under %(max)s.")
                    % {"n": len(name), "max": MAX_NAME},
                    "name",
                )
                continue
            if name in self.names:
                self.refuse(
                    row,
                    _(
                        "The name %(name)s is already used on row %(other)s; names must be "
                        "unique across groups and questions, so rename one."
                    )
                    % {"name": name, "other": self.names[name]},
                    "name",
                )
                continue
            self.names[name] = row
            self.position += 1
            if kind == "group":
                self.group(element, name, row, parent)
                continue
            if kind not in _KINDS:
                self.refuse(
                    row,
                    _(
                        "The type %(type)s is not supported here. Use text, integer, decimal, "
                        "date, select_one, select_multiple, note or calculate."
                    )
                    % {"type": kind},
                    "type",
                )
                continue
            self.question(element, name, row, kind, parent)

    def group(self, element, name, row, parent):
        bind = element.get("bind") or {}
        relevant = self.expression(row, "relevant", bind.get("relevant"))
        conditions = [c for c in ((parent.condition if parent else ""), relevant) if c]
        section = _Section(
            name=name,
            texts=self.texts(element),
            relevant=relevant,
            condition=" and ".join(f"({c})" for c in conditions)
            if len(conditions) > 1
            else (conditions[0] if conditions else ""),
            appearance=_text((element.get("control") or {}).get("appearance")),
            parent=parent,
            order=self.position,
            row=row,
        )
        if not section.texts.get("label"):
            section.texts["label"] = {"default": name}
        self.sections.append(section)
        self.walk(element.get("children") or [], section, row)

    def target(self, parent: _Section | None) -> _Section:
        if parent is not None:
            return parent
        last = self.sections[-1] if self.sections else None
        if last is None or last.is_group:
            self.top_count += 1
            last = _Section(
                name=f"-top-{self.top_count}",
                # The form's title, else "General" in each language (see `_labels`).
                texts={"label": {"=general": self.title}},
                is_group=False,
                order=self.position,
            )
            self.sections.append(last)
        return last

    def question(self, element, name, row, kind_word, parent):
        raw = self.rows[row - 2] if 2 <= row < len(self.rows) + 2 else {}
        raw_type = re.sub(r"\s+", " ", _text(raw.get("type"))).lower()
        bind = element.get("bind") or {}
        control = element.get("control") or {}
        kind = _KINDS[kind_word]
        question = _Question(
            row=row,
            name=name,
            kind=kind,
            texts=self.texts(element),
            required=False,
            appearance=_text(control.get("appearance")),
            default=_text(element.get("default")),
            indicator=_text(element.get("indicator")) or _text(raw.get("indicator")),
            order=self.position,
        )
        required = _text(bind.get("required")).lower()
        if required in ("yes", "true", "true()", "1"):
            question.required = True
        elif required not in ("", "no", "false", "false()", "0"):
            self.refuse(
                row,
                _(
                    "required is %(value)s: write yes or no (a condition in required is not "
                    "supported; put it in relevant instead)."
                )
                % {"value": repr(required)},
                "required",
            )
        question.relevant = self.expression(row, "relevant", bind.get("relevant"))
        question.constraint = self.expression(row, "constraint", bind.get("constraint"))
        question.calculation = self.expression(row, "calculation", bind.get("calculate"))
        question.choice_filter = self.expression(row, "choice_filter", element.get("choice_filter"))
        if len(question.appearance) > MAX_APPEARANCE:
            self.refuse(row, _("The appearance is too long."), "appearance")
        if kind == Question.Kind.CALCULATE and not question.calculation:
            self.refuse(row, _("A calculate row needs a calculation."), "calculation")
        if kind == Question.Kind.NOTE and not question.texts.get("label"):
            self.refuse(row, _("A note needs a label."), "label")
        if kind == Question.Kind.TEXT and "multiline" in question.appearance.split():
            question.kind = Question.Kind.LONG_TEXT
        if question.choice_filter and kind not in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            self.refuse(row, _("choice_filter is only for select questions."), "choice_filter")
        target = self.target(parent)
        if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            question.list_name = _text(element.get("list_name") or element.get("itemset"))
            question.or_other = "or_other" in raw_type.split()
            choices = element.get("choices") or self.data.get("choices", {}).get(
                question.list_name, []
            )
            question.choices = self.choices(choices, question)
            if not question.choices:
                self.refuse(
                    row,
                    _("The list %(list)s has no choices on the choices sheet.")
                    % {"list": question.list_name},
                    "type",
                )
            names = sorted(c.name for c in question.choices)
            if kind == Question.Kind.SINGLE and names == ["no", "yes"] and not question.or_other:
                question.kind = Question.Kind.YES_NO
        target.questions.append(question)
        if question.or_other:
            self.other_text(question, target)

    def choices(self, items, question) -> list[_Choice]:
        found = []
        for item in items:
            name = _text(item.get("name"))
            if question.or_other and name == "other":
                continue  # pyxform's generated "other": ours has the four languages.
            if len(name) > MAX_NAME:
                self.refuse(
                    question.row,
                    _("The choice %(name)s of list %(list)s has a name over %(max)s characters.")
                    % {"name": name[:20], "list": question.list_name, "max": MAX_NAME},
                    "name",
                    "choices",
                )
                continue
            label = item.get("label")
            texts = (
                {"label": {k: _text(v) for k, v in label.items() if _text(v)}}
                if isinstance(label, dict)
                else ({"label": {"default": _text(label)}} if _text(label) else {})
            )
            properties = {
                k: _text(v)
                for k, v in item.items()
                if k not in _CHOICE_RESERVED and not k.startswith("media") and _text(v)
            }
            found.append(_Choice(name, texts, properties, _text(item.get("indicator"))))
        if question.or_other:
            found.append(
                _Choice("other", {"label": {"=": ""}}, {}, "")  # labels filled in `_labels`
            )
        return found

    def other_text(self, question: _Question, target: _Section):
        name = f"{question.name}_other"
        self.position += 1
        target.questions.append(
            _Question(
                row=question.row,
                name=name,
                kind=Question.Kind.TEXT,
                texts={"label": {"=": ""}},
                required=False,
                relevant=f"selected(${{{question.name}}}, 'other')",
                order=self.position,
            )
        )
        self.names[name] = question.row
        self.generated.add(name)


def _pyxform_problem(message: str) -> Problem:
    """pyxform's messages start with the row and name the sheet and column: keep them."""
    row = _ROW.search(message)
    sheet = _SHEET.search(message)
    column = _COLUMN.search(message)
    text = _ROW.sub("", message).strip()
    text = re.sub(r"\s*Learn more: \S+", "", text)
    return Problem(
        sheet.group(1) if sheet else "survey",
        int(row.group(1)) if row else 0,
        text,
        column.group(1) if column else "",
    )


def _check_cells(sheet: str, rows, errors) -> None:
    for number, row in enumerate(rows or [], start=2):
        for column, value in row.items():
            text = _text(value)
            if "\x00" in text:
                errors.append(
                    Problem(
                        sheet, number, _("The cell holds a null character; retype it."), str(column)
                    )
                )
            elif len(text) > MAX_TEXT:
                errors.append(
                    Problem(
                        sheet,
                        number,
                        _("The cell is %(n)s characters long; keep it under %(max)s.")
                        % {"n": len(text), "max": MAX_TEXT},
                        str(column),
                    )
                )


def read_xlsform(upload, *, name: str = "") -> ImportPlan:
    """Read and check an XLSForm (.xlsx or .xls); raises XLSFormError. Writes nothing."""
    check_upload(upload)
    content = upload.read()
    upload.seek(0)
    unreadable = _(
        "This is not a readable .xlsx or .xls file; save it from Excel or "
        "LibreOffice as .xlsx and upload it again."
    )
    try:
        workbook = get_xlsform(content)
    except Exception:  # pyxform and its readers raise many types for a broken file.
        raise XLSFormError([Problem("workbook", 0, unreadable)]) from None
    if not workbook.survey:
        raise XLSFormError(
            [Problem("survey", 1, _("The workbook has no survey sheet, or it is empty."))]
        )
    errors: list[Problem] = []
    warnings: list[Problem] = []
    _check_cells("survey", workbook.survey, errors)
    _check_cells("choices", workbook.choices, errors)
    _check_cells("settings", workbook.settings, errors)
    spellings: dict[str, str] = {}
    survey_rows, survey_header = _normalise_headers(
        workbook.survey, workbook.survey_header, spellings
    )
    choice_rows, choices_header = _normalise_headers(
        workbook.choices, workbook.choices_header, spellings
    )
    workbook.survey, workbook.survey_header = survey_rows, survey_header
    workbook.choices, workbook.choices_header = choice_rows, choices_header
    if len(survey_rows) > MAX_ROWS or len(choice_rows) > MAX_ROWS * 5:
        raise XLSFormError(
            [
                Problem(
                    "survey",
                    0,
                    _("The form has too many rows (at most %(n)s questions).") % {"n": MAX_ROWS},
                )
            ]
        )
    # Repeats are refused by name and row before pyxform flattens anything.
    for number, row in enumerate(survey_rows, start=2):
        kind = re.sub(r"[\s_]+", " ", _text(row.get("type"))).lower()
        if kind == "begin repeat":
            errors.append(
                Problem(
                    "survey",
                    number,
                    _(
                        "The repeat %(name)s cannot be answered here: a National Society gives "
                        "one answer per question. Replace it with a group, or with numbered "
                        "questions."
                    )
                    % {"name": _text(row.get("name"))},
                    "type",
                )
            )
        for column, value in row.items():
            base = str(column).split("::")[0].strip().lower()
            if base in ("bind", "control", "body", "media", "instance") or base in _SURVEY_COLUMNS:
                continue
            if _text(value) and kind.split(" ")[0] not in _METADATA:
                warnings.append(
                    Problem(
                        "survey", number, _("This column is not used here: ignored."), str(column)
                    )
                )
    if errors:
        raise XLSFormError(errors)
    pyxform_warnings: list[str] = []
    try:
        data = workbook_to_json(
            workbook_dict=workbook,
            form_name="data",
            fallback_form_name="form",
            default_language=None,
            warnings=pyxform_warnings,
        )
    except PyXFormError as error:
        raise XLSFormError([_pyxform_problem(str(error))]) from None
    except Exception as error:  # a pyxform bug on odd input must not become a 500
        raise XLSFormError([Problem("survey", 0, f"{unreadable} ({error})")]) from None
    for message in pyxform_warnings:
        if "or_other" in message or "is missing the survey columns" in message:
            continue  # We give "other" four languages; the preview lists the languages.
        warnings.append(_pyxform_problem(message))

    settings_row = (workbook.settings or [{}])[0] if workbook.settings else {}
    settings_row = {str(k): _text(v) for k, v in settings_row.items() if _text(v)}
    reader = _Reader(
        data, survey_rows, choice_rows, errors, warnings, settings_row.get("form_title") or name
    )
    reader.walk(data.get("children") or [], None)
    if not any(q.kind != Question.Kind.CALCULATE for s in reader.sections for q in s.questions):
        errors.append(Problem("survey", 0, _("The form has no questions.")))

    languages = _map_languages(
        _columns_languages(survey_header + choices_header), settings_row.get("default_language")
    )
    for key, code in languages:
        if code is None and key != "default":
            warnings.append(
                Problem(
                    "survey",
                    1,
                    _(
                        "The language %(language)s is kept and exported again; the tracker "
                        "shows English, French, Spanish and Arabic."
                    )
                    % {"language": key},
                    f"label::{key}",
                )
            )
    title = settings_row.get("form_title") or _text(data.get("title")) or name
    form_id = settings_row.get("form_id", "")
    version = settings_row.get("version", "")
    if form_id and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", form_id):
        errors.append(
            Problem(
                "settings",
                2,
                _("The form_id %(id)s must be one word of letters, digits, _ . or -.")
                % {"id": repr(form_id[:40])},
                "form_id",
            )
        )
    if len(form_id) > 100 or len(version) > 50:
        errors.append(
            Problem("settings", 2, _("form_id keeps under 100 characters and version under 50."))
        )
    if not name:
        name = title
    if len(name) > 200:
        errors.append(
            Problem("settings", 2, _("The form title keeps under 200 characters."), "form_title")
        )
    if name and Questionnaire.objects.filter(name=name).exists():
        errors.append(
            Problem(
                "settings",
                0,
                _("A questionnaire called %(name)s already exists; choose another name.")
                % {"name": name},
            )
        )
    if errors:
        raise XLSFormError(errors)
    default = _default_language(languages, settings_row.get("default_language"))
    # form_title is kept as written (the questionnaire's name may differ) for the export.
    extra_settings = {k: v for k, v in settings_row.items() if k not in ("form_id", "version")}
    return ImportPlan(
        title=name,
        form_id=form_id,
        version=version,
        default_language=dict(languages).get(default) or "en",
        languages=[[k, c] for k, c in languages],
        settings=extra_settings,
        sections=reader.sections,
        warnings=warnings,
    )


def _map_languages(keys: list[str], default_setting: str | None) -> list[tuple[str, str | None]]:
    """Each language as written, with our code (each code used once) or None."""
    codes, used = {}, set()
    for key in keys:
        code = language_code(key) if key != "default" else None
        if code in used:
            code = None  # the same language twice: the second is kept as written
        codes[key] = code
        used.add(code)
    if "default" in keys:
        # Unsuffixed columns are in the form's default language, else English if free.
        code = language_code(default_setting) if default_setting else None
        codes["default"] = (
            code
            if code and code not in used
            else ("en" if "en" not in used and not default_setting else None)
        )
    return [(key, codes[key]) for key in keys]


def _default_language(languages, setting: str | None) -> str:
    """The language written as the form's default (for English fields when there is none)."""
    keys = [k for k, _c in languages]
    if setting and setting in keys:
        return setting
    if "default" in keys:
        return "default"
    return keys[0] if keys else "default"


# ---------------------------------------------------------------- creating


def _labels(texts: dict, column: str, languages, default_key: str, prefix: str) -> dict:
    """Our four fields of one column, from {language as written: text}."""
    values = texts.get(column) or {}
    if "=general" in values:
        title = values["=general"]
        return {f"{prefix}_{code}": title or GENERAL_TITLES[code] for code in LANGUAGE_CODES}
    if "=" in values:  # generated rows ("other"): our own wording in four languages
        table = OTHER_LABELS if prefix == "label" and column == "label" else SPECIFY_LABELS
        return {f"{prefix}_{code}": table[code] for code in LANGUAGE_CODES}
    result = {f"{prefix}_{code}": "" for code in LANGUAGE_CODES}
    for key, code in languages:
        if code and values.get(key):
            result[f"{prefix}_{code}"] = values[key]
    if not result[f"{prefix}_en"]:
        # A form without English shows its default language where English would be.
        result[f"{prefix}_en"] = values.get(default_key) or next(iter(values.values()), "")
    return result


def _translations(texts: dict, languages) -> dict:
    """Texts that have no field of their own: other languages, and the messages."""
    codes = dict(languages)
    found = {}
    for column, values in texts.items():
        if "=" in values or "=general" in values:
            continue
        if column in _MESSAGES:
            kept = {(codes.get(k) or k): v for k, v in values.items()}
        else:
            kept = {k: v for k, v in values.items() if not codes.get(k)}
        if kept:
            found[column] = kept
    return found


def _limits(constraint: str) -> tuple[Decimal | None, Decimal | None]:
    """`. >= 0 and . <= 100` also fills the minimum and maximum (shown beside the field)."""
    low = high = None
    if not constraint:
        return None, None
    for part in re.split(r"\s+and\s+", constraint.strip()):
        match = _LIMIT.match(part.strip())
        if not match:
            return None, None
        try:
            number = Decimal(match.group(2))
        except InvalidOperation:
            return None, None
        exponent = number.as_tuple().exponent
        if not isinstance(exponent, int) or abs(number) >= Decimal("1e10") or -exponent > 4:
            return None, None  # would not fit the columns; the constraint still applies
        if match.group(1) == ">=":
            low = number
        else:
            high = number
    return low, high


@transaction.atomic
def questionnaire_create(*, plan: ImportPlan) -> Questionnaire:
    """Create the questionnaire of a checked plan, all rows or none."""
    languages = [tuple(pair) for pair in plan.languages]
    default_key = _default_language(languages, plan.settings.get("default_language"))
    codes = {q.indicator for q in plan.questions if q.indicator} | {
        c.indicator for q in plan.questions for c in q.choices if c.indicator
    }
    # Codes repeat across roadmaps (a carried-over indicator keeps its code): the current
    # roadmap's indicator wins, else the latest roadmap's that has the code.
    indicators = {
        i.code: i
        for i in Indicator.objects.filter(code__in=codes).order_by(
            "area__roadmap__is_current", "area__roadmap__start_year"
        )
    }
    questionnaire = Questionnaire.objects.create(
        name=plan.title,
        form_id=plan.form_id,
        version=plan.version,
        default_language=plan.default_language,
        languages=plan.languages,
        settings=plan.settings,
    )
    created: dict[int, Section] = {}
    for parsed in plan.sections:
        section = Section.objects.create(
            questionnaire=questionnaire,
            parent=created.get(id(parsed.parent)) if parsed.parent else None,
            is_group=parsed.is_group,
            order=parsed.order,
            name=parsed.name,
            relevant=parsed.relevant,
            condition=parsed.condition,
            appearance=parsed.appearance,
            translations=_translations(parsed.texts, languages),
            **_labels(parsed.texts, "label", languages, default_key, "title"),
        )
        created[id(parsed)] = section
        for pq in parsed.questions:
            low, high = _limits(pq.constraint)
            question = Question.objects.create(
                questionnaire=questionnaire,
                section=section,
                order=pq.order,
                name=pq.name,
                kind=pq.kind,
                required=pq.required,
                relevant=pq.relevant,
                constraint=pq.constraint,
                calculation=pq.calculation,
                choice_filter=pq.choice_filter,
                default=pq.default,
                appearance=pq.appearance,
                list_name=pq.list_name,
                or_other=pq.or_other,
                min_value=low,
                max_value=high,
                translations=_translations(pq.texts, languages),
                indicator=indicators.get(pq.indicator),
                **_labels(pq.texts, "label", languages, default_key, "label"),
                **_labels(pq.texts, "hint", languages, default_key, "help"),
            )
            Choice.objects.bulk_create(
                Choice(
                    question=question,
                    order=c_order,
                    name=pc.name,
                    properties=pc.properties,
                    translations=_translations(pc.texts, languages),
                    indicator=indicators.get(pc.indicator),
                    **_labels(pc.texts, "label", languages, default_key, "label"),
                )
                for c_order, pc in enumerate(pq.choices)
            )
    return questionnaire


def import_xlsform(file, *, name: str = "") -> Questionnaire:
    """Read, check and create in one go (the seed and tests); raises XLSFormError."""
    return questionnaire_create(plan=read_xlsform(file, name=name))


# ---------------------------------------------------------------- export


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _export_languages(questionnaire: Questionnaire) -> list[tuple[str, str | None]]:
    if questionnaire.languages:
        return [tuple(pair) for pair in questionnaire.languages]
    return [(f"{LANGUAGE_NAMES[c]} ({c})", c) for c in LANGUAGE_CODES]


def _column(base: str, key: str) -> str:
    return base if key == "default" else f"{base}::{key}"


def _cells(obj, column: str, prefix: str, languages) -> list[str]:
    """One cell per language: our field for en/fr/es/ar, `translations` for the others."""
    extra = (obj.translations or {}).get(column) or {}
    cells = []
    for key, code in languages:
        if code and prefix:
            cells.append(getattr(obj, f"{prefix}_{code}", "") or "")
        else:
            cells.append(extra.get(code or key, ""))
    return cells


def export_xlsform(questionnaire: Questionnaire) -> bytes:
    """The questionnaire as an XLSForm: groups, questions, lists and languages as imported."""
    languages = _export_languages(questionnaire)
    keys = [k for k, _c in languages]
    header = [
        "type",
        "name",
        *[_column("label", k) for k in keys],
        *[_column("hint", k) for k in keys],
        "required",
        *[_column("required_message", k) for k in keys],
        "relevant",
        "constraint",
        *[_column("constraint_message", k) for k in keys],
        "calculation",
        "choice_filter",
        "default",
        "appearance",
        "indicator",
    ]
    sections = list(questionnaire.sections.order_by("order", "id"))
    questions = list(
        Question.objects.filter(questionnaire=questionnaire)
        .order_by("order", "id")
        .prefetch_related("choices")
    )
    indicator_codes = dict(Indicator.objects.values_list("pk", "code"))
    by_section: dict[int, list] = {}
    for question in questions:
        by_section.setdefault(question.section_id, []).append(question)
    children: dict[int | None, list] = {}
    for section in sections:
        key = section.parent_id if section.is_group else None
        if section.is_group:
            children.setdefault(key, []).append((section.order, 0, section.pk, section))
        else:
            for q in by_section.get(section.pk, []):
                children.setdefault(None, []).append((q.order, 1, q.pk, q))
        if section.is_group:
            for q in by_section.get(section.pk, []):
                children.setdefault(section.pk, []).append((q.order, 1, q.pk, q))
    generated = {f"{q.name}_other" for q in questions if q.or_other}
    lists: dict[str, list] = {}
    list_names = {q.list_name for q in questions if q.list_name}

    def list_for(q: Question) -> str:
        name = q.list_name or q.name
        while not q.list_name and name in list_names:
            name += "_list"
        if name not in lists:
            options = [c for c in q.choices.all() if not (q.or_other and c.name == "other")]
            if q.kind == Question.Kind.YES_NO and not options:
                labels = {lang: yes_no_labels(lang) for lang in LANGUAGE_CODES}
                options = [
                    Choice(
                        name=name,
                        **{f"label_{lang}": labels[lang][name] for lang in labels},
                    )
                    for name in YesNo.values
                ]
            lists[name] = options
        return name

    rows = []

    def question_row(q: Question) -> list:
        if q.kind in (Question.Kind.YES_NO, Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            word = "select_multiple" if q.kind == Question.Kind.MULTIPLE else "select_one"
            kind = f"{word} {list_for(q)}" + (" or_other" if q.or_other else "")
        else:
            kind = {str(Question.Kind.LONG_TEXT): "text"}.get(q.kind, q.kind)
        constraint = q.constraint
        if not constraint:
            limits = []
            if q.min_value is not None:
                limits.append(f". >= {_number(q.min_value)}")
            if q.max_value is not None:
                limits.append(f". <= {_number(q.max_value)}")
            constraint = " and ".join(limits)
        appearance = q.appearance
        if q.kind == Question.Kind.LONG_TEXT and "multiline" not in appearance.split():
            appearance = (appearance + " multiline").strip()
        return [
            kind,
            q.name,
            *_cells(q, "label", "label", languages),
            *_cells(q, "hint", "help", languages),
            "yes" if q.required else "",
            *_cells(q, "required_message", "", languages),
            q.relevant,
            constraint,
            *_cells(q, "constraint_message", "", languages),
            q.calculation,
            q.choice_filter,
            q.default,
            appearance,
            indicator_codes.get(q.indicator_id, "") if q.indicator_id else "",
        ]

    def emit(parent_key):
        for _order, is_question, _pk, item in sorted(children.get(parent_key, [])):
            if is_question:
                if item.name not in generated:
                    rows.append(question_row(item))
                continue
            group = ["begin_group", item.name, *_cells(item, "label", "title", languages)]
            group += [""] * (len(header) - len(group))
            group[header.index("relevant")] = item.relevant
            group[header.index("appearance")] = item.appearance
            rows.append(group)
            emit(item.pk)
            rows.append(["end_group", ""])

    emit(None)
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(header)
    for row in rows:
        survey.append(row)
    properties = sorted({k for options in lists.values() for c in options for k in c.properties})
    choices = workbook.create_sheet("choices")
    choices.append(
        ["list_name", "name", *[_column("label", k) for k in keys], *properties, "indicator"]
    )
    for list_name, options in lists.items():
        for choice in options:
            choices.append(
                [
                    list_name,
                    choice.name,
                    *_cells(choice, "label", "label", languages),
                    *[choice.properties.get(p, "") for p in properties],
                    indicator_codes.get(choice.indicator_id, ""),
                ]
            )
    settings_sheet = workbook.create_sheet("settings")
    extra = dict(questionnaire.settings or {})
    title = extra.pop("form_title", "") or questionnaire.name
    if "default_language" not in extra and not questionnaire.languages:
        code = questionnaire.default_language or "en"
        extra["default_language"] = f"{LANGUAGE_NAMES.get(code, 'English')} ({code})"
    settings_header = ["form_title", "form_id", "version", *extra]
    settings_sheet.append(settings_header)
    settings_sheet.append(
        [
            title,
            questionnaire.form_id or f"questionnaire_{questionnaire.pk}",
            questionnaire.version,
            *extra.values(),
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
