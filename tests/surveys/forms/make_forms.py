"""Write the XLSForm corpus of tests/surveys/test_xlsform_corpus.py (run from the repository root:
`.venv/bin/python tests/surveys/forms/make_forms.py`; the files are committed).

Each form is written as authors write them for KoboToolbox and ODK: their header spellings,
languages, metadata rows, cascades, nested groups. `REFUSED` forms must be refused by name.
"""

from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent

YES_NO = [["yes_no", "yes", "Yes"], ["yes_no", "no", "No"]]
YES_NO_4 = [
    ["yes_no", "yes", "Yes", "Oui", "Sí", "نعم"],
    ["yes_no", "no", "No", "Non", "No", "لا"],
]
L4 = ["label::English (en)", "label::French (fr)", "label::Spanish (es)", "label::Arabic (ar)"]

FORMS: dict[str, dict] = {}


def form(name, survey, choices=None, settings=None):
    FORMS[name] = {"survey": survey, "choices": choices, "settings": settings}


form(
    "01_basic_types",
    [
        ["type", "name", "label", "hint", "required"],
        ["text", "full_name", "Your name", "As on your ID", "yes"],
        ["integer", "age", "Age", "", "yes"],
        ["decimal", "weight", "Weight (kg)"],
        ["date", "visit_date", "Date of the visit"],
        ["text", "comments", "Comments"],
    ],
    settings=[["form_title", "form_id"], ["Basic types", "basic_types"]],
)

form(
    "02_kobo_headers",
    [
        [
            "type",
            "name",
            "label:English",
            "hint:English",
            "bind::relevant",
            "bind::constraint",
            "required",
        ],
        ["select_one yes_no", "consent", "Do you agree to take part?", "", "", "", "true"],
        [
            "integer",
            "household_size",
            "People in the household",
            "Including you",
            "${consent} = 'yes'",
            ". > 0 and . < 50",
            "true",
        ],
        ["text", "village", "Village", "", "${consent} = 'yes'"],
    ],
    [["list name", "name", "label:English"], *YES_NO],
    [
        ["form_title", "form_id", "version", "default_language"],
        ["Kobo headers", "kobo_headers", "2024010101", "English"],
    ],
)

form(
    "03_four_languages",
    [
        ["type", "name", *L4, "hint::English (en)", "hint::French (fr)", "required"],
        [
            "select_one yes_no",
            "pss",
            "Do you provide PSS?",
            "Fournissez-vous un SPS ?",
            "¿Brinda APS?",
            "هل تقدمون الدعم النفسي؟",
            "Last year",
            "L'an dernier",
            "yes",
        ],
        [
            "integer",
            "volunteers",
            "Volunteers trained",
            "Volontaires formés",
            "Voluntarios capacitados",
            "المتطوعون المدربون",
            "",
            "",
            "no",
        ],
    ],
    [["list_name", "name", *L4], *YES_NO_4],
    [
        ["form_title", "form_id", "default_language"],
        ["Four languages", "four_lang", "English (en)"],
    ],
)

form(
    "04_metadata_rows",
    [
        ["type", "name", "label"],
        ["start", "start"],
        ["end", "end"],
        ["today", "today"],
        ["deviceid", "deviceid"],
        ["username", "username"],
        ["phonenumber", "phonenumber"],
        ["audit", "audit"],
        ["text", "site", "Site name"],
    ],
)

form(
    "05_other_languages",
    [
        ["type", "name", "label::English (en)", "label::Kiswahili (sw)", "label::Português (pt)"],
        [
            "select_one yes_no",
            "water",
            "Is there clean water?",
            "Kuna maji safi?",
            "Há água potável?",
        ],
        ["text", "notes", "Notes", "Maelezo", "Notas"],
    ],
    [
        [
            "list_name",
            "name",
            "label::English (en)",
            "label::Kiswahili (sw)",
            "label::Português (pt)",
        ],
        ["yes_no", "yes", "Yes", "Ndiyo", "Sim"],
        ["yes_no", "no", "No", "Hapana", "Não"],
    ],
)

form(
    "06_french_only",
    [
        ["type", "name", "label::Français (fr)", "hint::Français (fr)"],
        ["text", "nom", "Nom de la Société nationale", "En toutes lettres"],
        ["integer", "volontaires", "Nombre de volontaires"],
    ],
    settings=[
        ["form_title", "form_id", "default_language"],
        ["Formulaire en français", "fr_only", "Français (fr)"],
    ],
)

form(
    "07_spanish_plain_label",
    [
        ["type", "name", "label"],
        ["select_one sino", "apoyo", "¿Brinda apoyo psicosocial?"],
        ["text", "detalle", "Detalle"],
    ],
    [["list_name", "name", "label"], ["sino", "si", "Sí"], ["sino", "no", "No"]],
    [["form_title", "form_id", "default_language"], ["Solo español", "es_only", "Español (es)"]],
)

form(
    "08_arabic_only",
    [
        ["type", "name", "label::العربية (ar)"],
        ["text", "ism", "اسم الجمعية الوطنية"],
        ["integer", "adad", "عدد المتطوعين"],
    ],
    settings=[
        ["form_title", "form_id", "default_language"],
        ["استمارة عربية", "ar_only", "العربية (ar)"],
    ],
)

form(
    "09_cascade_state_county",
    [
        ["type", "name", "label", "choice_filter", "required"],
        ["select_one state", "state", "State", "", "yes"],
        ["select_one county", "county", "County", "state=${state}", "yes"],
    ],
    [
        ["list_name", "name", "label", "state"],
        ["state", "texas", "Texas"],
        ["state", "washington", "Washington"],
        ["county", "harris", "Harris", "texas"],
        ["county", "travis", "Travis", "texas"],
        ["county", "king", "King", "washington"],
        ["county", "pierce", "Pierce", "washington"],
    ],
)

form(
    "10_cascade_three_levels",
    [
        ["type", "name", "label", "choice_filter"],
        ["select_one country", "country", "Country"],
        ["select_one region", "region", "Region", "country=${country}"],
        ["select_one district", "district", "District", "country=${country} and region=${region}"],
    ],
    [
        ["list_name", "name", "label", "country", "region"],
        ["country", "ke", "Kenya"],
        ["country", "lb", "Lebanon"],
        ["region", "coast", "Coast", "ke"],
        ["region", "rift", "Rift Valley", "ke"],
        ["region", "beirut", "Beirut", "lb"],
        ["district", "mombasa", "Mombasa", "ke", "coast"],
        ["district", "kilifi", "Kilifi", "ke", "coast"],
        ["district", "nakuru", "Nakuru", "ke", "rift"],
        ["district", "achrafieh", "Achrafieh", "lb", "beirut"],
    ],
)

form(
    "11_nested_groups",
    [
        ["type", "name", "label", "relevant"],
        ["select_one yes_no", "has_programme", "Do you run an MHPSS programme?"],
        ["begin_group", "programme", "Programme", "${has_programme} = 'yes'"],
        ["integer", "staff", "Staff"],
        ["begin_group", "training", "Training"],
        ["integer", "trained", "Staff trained"],
        ["begin_group", "supervision", "Supervision", "${trained} > 0"],
        ["select_one yes_no", "supervised", "Are they supervised?"],
        ["end_group"],
        ["end_group"],
        ["text", "programme_notes", "Notes on the programme"],
        ["end_group"],
    ],
    [["list_name", "name", "label"], *YES_NO],
)

form(
    "12_group_relevant",
    [
        ["type", "name", "label", "relevant", "required"],
        ["select_one yes_no", "emergency", "Did you respond to an emergency?", "", "yes"],
        ["begin group", "emergency_details", "Emergency", "${emergency} = 'yes'"],
        ["text", "emergency_type", "Which emergency?", "", "yes"],
        ["integer", "people", "People reached", "", "yes"],
        ["end group"],
        ["text", "lessons", "Lessons learned"],
    ],
    [["list_name", "name", "label"], *YES_NO],
)

form(
    "13_or_other_single",
    [
        ["type", "name", "label", "required"],
        ["select_one role or_other", "role", "Your role", "yes"],
    ],
    [
        ["list_name", "name", "label"],
        ["role", "staff", "Staff"],
        ["role", "volunteer", "Volunteer"],
    ],
)

form(
    "14_or_other_multiple",
    [
        ["type", "name", "label::English (en)", "label::French (fr)"],
        ["select_multiple services or_other", "services", "Services", "Services"],
        ["text", "more", "Anything else?", "Autre chose ?"],
    ],
    [
        ["list_name", "name", "label::English (en)", "label::French (fr)"],
        ["services", "pfa", "Psychological first aid", "Premiers secours psychologiques"],
        ["services", "rfl", "Restoring family links", "Rétablissement des liens familiaux"],
    ],
)

form(
    "15_calculate",
    [
        ["type", "name", "label", "calculation", "constraint"],
        ["integer", "women", "Women reached", "", ". >= 0"],
        ["integer", "men", "Men reached", "", ". >= 0"],
        ["calculate", "total", "", "${women} + ${men}"],
        [
            "calculate",
            "share_women",
            "",
            "if(${total} > 0, round(${women} div ${total} * 100, 1), 0)",
        ],
        ["note", "total_note", "Total reached: ${total}"],
    ],
)

form(
    "16_constraints",
    [
        ["type", "name", "label", "constraint", "constraint_message", "required"],
        ["integer", "age", "Age", ". >= 18 and . <= 99", "Between 18 and 99", "yes"],
        [
            "text",
            "code",
            "Branch code",
            "regex(., '^[A-Z]{3}[0-9]{2}$')",
            "Three capitals then two digits, e.g. NAI01",
            "yes",
        ],
        ["decimal", "budget", "Budget", ". > 0", "Above zero"],
        ["integer", "beneficiaries", "Beneficiaries", ". >= ${age}", "At least the age"],
    ],
)

form(
    "17_required_messages",
    [
        [
            "type",
            "name",
            "label::English (en)",
            "label::French (fr)",
            "required",
            "required_message::English (en)",
            "required_message::French (fr)",
        ],
        [
            "text",
            "society",
            "National Society",
            "Société nationale",
            "yes",
            "Give the name",
            "Donnez le nom",
        ],
        [
            "integer",
            "branches",
            "Branches",
            "Sections",
            "yes",
            "How many branches?",
            "Combien de sections ?",
        ],
    ],
)

form(
    "18_defaults",
    [
        ["type", "name", "label", "default"],
        ["text", "country", "Country", "Kenya"],
        ["integer", "year", "Year", "2024"],
        ["select_one yes_no", "active", "Active?", "yes"],
    ],
    [["list_name", "name", "label"], *YES_NO],
)

form(
    "19_appearance",
    [
        ["type", "name", "label", "appearance"],
        ["begin_group", "page", "One page", "field-list"],
        ["select_one colour", "colour", "Colour", "minimal"],
        ["select_multiple colour", "colours", "Colours", "minimal"],
        ["text", "story", "Tell us more", "multiline"],
        ["end_group"],
    ],
    [
        ["list_name", "name", "label"],
        ["colour", "red", "Red"],
        ["colour", "blue", "Blue"],
        ["colour", "green", "Green"],
    ],
)

form(
    "20_dates",
    [
        ["type", "name", "label", "constraint", "constraint_message", "relevant"],
        ["date", "started", "Programme start", ". <= today()", "Not in the future"],
        [
            "date",
            "ended",
            "Programme end",
            ". >= ${started}",
            "After the start",
            "${started} != ''",
        ],
    ],
)

form(
    "21_type_aliases",
    [
        ["type", "name", "label"],
        ["select one yes_no", "a", "Select one with a space"],
        ["select all that apply fruit", "b", "Select all that apply"],
        ["select_one yes_no", "c", "Underscore spelling"],
        ["select_multiple fruit", "d", "Multiple"],
    ],
    [
        ["list_name", "name", "label"],
        *YES_NO,
        ["fruit", "mango", "Mango"],
        ["fruit", "banana", "Banana"],
    ],
)

form(
    "22_mixed_top_level",
    [
        ["type", "name", "label"],
        ["text", "intro_name", "Name"],
        ["begin_group", "middle", "Middle"],
        ["integer", "count", "Count"],
        ["end_group"],
        ["text", "closing", "Closing remark"],
    ],
)

form(
    "23_notes",
    [
        ["type", "name", "label", "hint"],
        ["note", "welcome", "Welcome to the survey", "It takes ten minutes"],
        ["select_one yes_no", "ready", "Ready to start?"],
        ["note", "thanks", "Thank you", ""],
    ],
    [["list_name", "name", "label"], *YES_NO],
)

form(
    "24_indicator_column",
    [
        ["type", "name", "label", "indicator"],
        ["select_one yes_no", "focal", "Is there a focal point?", "FOCAL-POINT"],
        ["select_multiple svc", "svc", "Services"],
    ],
    [
        ["list_name", "name", "label", "indicator"],
        *YES_NO,
        ["svc", "pfa", "PFA", "PFA"],
        ["svc", "rfl", "RFL", "RFL"],
    ],
)

form(
    "25_unused_columns",
    [
        ["type", "name", "label", "image", "read_only", "parameters"],
        ["text", "q1", "Question with a picture", "pic.png"],
        ["integer", "q2", "Read-only number", "", "yes"],
        ["text", "q3", "Plain"],
    ],
)

form(
    "26_conditions_functions",
    [
        ["type", "name", "label", "relevant"],
        ["select_multiple needs", "needs", "Needs"],
        ["text", "two_or_more", "Why several?", "count-selected(${needs}) >= 2"],
        [
            "text",
            "food_detail",
            "Which food?",
            "selected(${needs}, 'food') and not(selected(${needs}, 'water'))",
        ],
        ["text", "name", "Name", ""],
        ["text", "long_name", "Long name noted", "string-length(${name}) > 3"],
    ],
    [
        ["list_name", "name", "label"],
        ["needs", "food", "Food"],
        ["needs", "water", "Water"],
        ["needs", "shelter", "Shelter"],
    ],
)

form(
    "27_case_spelling",
    [
        ["Type", "Name", "Label::English (en)", "Hint::English (en)", "Required"],
        ["text", "who", "Who answers?", "Your role", "yes"],
        ["integer", "how_many", "How many?", "", "no"],
    ],
    settings=[["form_title", "form_id"], ["Case spelling", "case_spelling"]],
)

form(
    "28_mhpss_mini",
    [
        ["type", "name", *L4, "relevant", "required", "constraint"],
        ["start", "start"],
        ["begin_group", "respondent", "About you", "À propos de vous", "Sobre usted", "عنكم"],
        ["text", "respondent_name", "Name", "Nom", "Nombre", "الاسم", "", "yes"],
        ["end_group"],
        ["begin_group", "services_section", "Services", "Services", "Servicios", "الخدمات"],
        [
            "select_one yes_no",
            "provides",
            "Do you provide MHPSS?",
            "Fournissez-vous un SMSPS ?",
            "¿Brinda SMAPS?",
            "هل تقدمون الدعم؟",
            "",
            "yes",
        ],
        [
            "select_multiple services or_other",
            "services",
            "Which services?",
            "Quels services ?",
            "¿Qué servicios?",
            "ما الخدمات؟",
            "${provides} = 'yes'",
            "yes",
        ],
        [
            "integer",
            "people",
            "People reached",
            "Personnes atteintes",
            "Personas alcanzadas",
            "الأشخاص",
            "${provides} = 'yes'",
            "",
            ". >= 0 and . <= 10000000",
        ],
        ["end_group"],
    ],
    [
        ["list_name", "name", *L4],
        *YES_NO_4,
        ["services", "pfa", "PFA", "PSP", "PAP", "الإسعافات النفسية"],
        ["services", "counselling", "Counselling", "Conseil", "Consejería", "الإرشاد"],
    ],
    [
        ["form_title", "form_id", "version", "default_language", "style"],
        ["MHPSS mini", "mhpss_mini", "1", "English (en)", "pages"],
    ],
)

REFUSED = {
    "90_repeat_refused": {
        "survey": [
            ["type", "name", "label"],
            ["text", "household", "Household"],
            ["begin_repeat", "member", "Member"],
            ["text", "member_name", "Name"],
            ["end_repeat"],
        ],
        "choices": None,
        "settings": None,
    },
}

# Written as .xls (Excel 97-2003), the format of many older Kobo forms.
XLS = {
    "29_legacy_xls": {
        "survey": [
            ["type", "name", "label", "relevant"],
            ["select_one yes_no", "has_branch", "Do you have branches?"],
            ["integer", "branches", "How many?", "${has_branch} = 'yes'"],
        ],
        "choices": [["list_name", "name", "label"], *YES_NO],
        "settings": None,
    },
}


def write_xlsx(path: Path, spec: dict) -> None:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    for row in spec["survey"]:
        survey.append(row)
    if spec.get("choices"):
        sheet = book.create_sheet("choices")
        for row in spec["choices"]:
            sheet.append(row)
    if spec.get("settings"):
        sheet = book.create_sheet("settings")
        for row in spec["settings"]:
            sheet.append(row)
    book.save(path)


def write_xls(path: Path, spec: dict) -> None:
    import xlwt

    book = xlwt.Workbook()
    for sheet_name in ("survey", "choices", "settings"):
        rows = spec.get(sheet_name)
        if not rows:
            continue
        sheet = book.add_sheet(sheet_name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write(r, c, value)
    book.save(str(path))


def main() -> None:
    for name, spec in {**FORMS, **REFUSED}.items():
        write_xlsx(HERE / f"{name}.xlsx", spec)
    for name, spec in XLS.items():
        write_xls(HERE / f"{name}.xls", spec)


if __name__ == "__main__":
    main()
