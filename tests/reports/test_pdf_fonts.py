"""The report's PDF looks the same and reads back as words whether or not the server has Noto fonts.

The report embeds its own fonts. When their CSS family names were those of Debian's
fonts-noto-core ("Noto Naskh Arabic"), a server with that package shaped the text with one font and
embedded the other: wrong, overlapping glyphs. Each PDF here is laid out in a fresh process (fontconfig
reads its configuration once per process), once with the system fonts and once with a fontconfig
file that hides them, then both are rasterised with poppler and ghostscript and compared.
"""

import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image, ImageChops

from reports.demo_texts import CHALLENGES_TRANSLATIONS, EXECUTIVE_SUMMARY_TRANSLATIONS
from tests.helpers import pdf_objects
from tests.reports.factories import EditionFactory, build_roadmap

pytestmark = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdftoppm") and shutil.which("gs")),
    reason="poppler-utils and ghostscript are needed to read and rasterise PDFs",
)

# Sentences of the Arabic texts that pdftotext must give back, as words. (Phrases that a line
# break can split are avoided: pdftotext may order the two parts of a justified line differently.)
ARABIC_SENTENCES = [
    "اعتمد مجلس المندوبين سياسة الحركة",
    "غير أن التقدم المحرز متفاوت",
    "ويقوم الطريق إلى الأمام على البناء",
    "ونماذج لمذكرات التفاهم",
]
# Words that came back wrong when a glyph took its whole cluster's text: a hamza on or under
# alef (drawn as alef + mark), a damma after a hamza (the mark then gave "أُ" everywhere after),
# a madda.
ARABIC_WORDS = ["أجريت", "تقاس", "إغلاقه", "تآكل", "إنسانية", "لأنشطة"]
ENGLISH_SENTENCES = ["The Movement made steady progress.", "Funding remains the main obstacle."]
PAGES = 3  # cover, contents and the first chapter: every font, weight, figures and a chart
# Share of pixels allowed to differ (anti-aliasing noise); wrong glyphs change several percent.
MAX_DIFFERENT_PIXELS = 0.001

BIDI_CONTROLS = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

_LAYOUT = """
import sys
import django
django.setup()
from reports.rendering import html_to_pdf
html = open(sys.argv[1], encoding="utf-8").read()
open(sys.argv[2], "wb").write(html_to_pdf(html))
"""


def _no_system_fonts(tmp_path: Path) -> Path:
    """A fontconfig file without any font directory: only the report's own fonts exist."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>\n"
    )
    return conf


def _layout(html_file: Path, pdf_file: Path, fontconfig: Path | None) -> None:
    """The PDF laid out with the system's fonts (here, in this process, whose fontconfig reads
    the system configuration) or with `fontconfig` (in a fresh process)."""
    if fontconfig is None:
        from reports.rendering import html_to_pdf

        pdf_file.write_bytes(html_to_pdf(html_file.read_text(encoding="utf-8")))
        return
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.test")
    env["FONTCONFIG_FILE"] = str(fontconfig)
    subprocess.run(
        [sys.executable, "-c", _LAYOUT, str(html_file), str(pdf_file)],
        check=True,
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
    )


def _raster(pdf: Path, out: Path, tool: str) -> list[Path]:
    if tool == "poppler":
        cmd = ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", str(PAGES), str(pdf), str(out)]
    else:
        cmd = ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=png16m", "-r50"]
        cmd += ["-dFirstPage=1", f"-dLastPage={PAGES}", f"-sOutputFile={out}-%d.png", str(pdf)]
    subprocess.run(cmd, check=True, capture_output=True)
    return sorted(out.parent.glob(f"{out.name}-*.png"))


def _different_share(a: Path, b: Path) -> float:
    one, two = Image.open(a).convert("L"), Image.open(b).convert("L")
    assert one.size == two.size
    changed = ImageChops.difference(one, two).point(lambda v: 255 if v > 48 else 0)
    return sum(changed.histogram()[255:]) / (one.size[0] * one.size[1])


def _plain(text: str) -> str:
    """Text without Arabic vowel marks, bidi controls and line breaks, to compare words."""
    # pdftotext wraps digits in bidi embeddings that touch the next word: they become spaces.
    text = "".join(" " if ch in BIDI_CONTROLS else ch for ch in text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Mn", "Cf"))
    return re.sub(r"\s+", " ", text)


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", _plain(text)))


def _alt_text(raw: bytes) -> str:
    """A PDF string: (literal) or <hex UTF-16BE with BOM>."""
    if raw.startswith(b"<"):
        return bytes.fromhex(raw[1:-1].decode()).decode("utf-16")
    return raw[1:-1].decode("latin-1")


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    ("language", "sentences"), [("ar", ARABIC_SENTENCES), ("en", ENGLISH_SENTENCES)]
)
def test_pdf_is_the_same_with_and_without_system_noto(db, tmp_path, language, sentences):
    from reports.rendering import report_html

    build_roadmap(areas=2, outputs_per_area=2)
    edition = EditionFactory(
        sections=["executive_summary", "at_a_glance", "challenges"],
        title_ar="تقرير التقدم المقدَّم إلى مجلس المندوبين لعام 2025",
        executive_summary_ar=EXECUTIVE_SUMMARY_TRANSLATIONS["ar"],
        challenges_ar=CHALLENGES_TRANSLATIONS["ar"],
    )
    html_file = tmp_path / "report.html"
    html_file.write_text(report_html(edition, language, for_pdf=True), encoding="utf-8")
    with_system, without_system = tmp_path / "system.pdf", tmp_path / "own.pdf"
    _layout(html_file, with_system, None)
    _layout(html_file, without_system, _no_system_fonts(tmp_path))

    for tool in ("poppler", "ghostscript"):
        seen = _raster(with_system, tmp_path / f"system-{tool}", tool)
        own = _raster(without_system, tmp_path / f"own-{tool}", tool)
        assert len(seen) == len(own) == PAGES
        for number, (a, b) in enumerate(zip(seen, own, strict=True), start=1):
            share = _different_share(a, b)
            assert share < MAX_DIFFERENT_PIXELS, f"{tool}, page {number}: {share:.2%} differ"

    # A tagged PDF/UA file in the report's language, every chart's alternative text with figures.
    objects = pdf_objects(with_system.read_bytes())
    assert b"/StructTreeRoot" in objects and b"pdfuaid" in objects
    assert f"/Lang ({language})".encode() in objects
    alts = re.findall(rb"/Alt\s*(\((?:[^()\\]|\\.)*\)|<[0-9a-fA-F]+>)", objects)
    assert alts and all(_alt_text(alt).count(":") >= 1 for alt in alts), alts
    assert any(re.search(r"\d", _alt_text(alt)) for alt in alts)

    summary = edition.executive_summary_ar if language == "ar" else edition.executive_summary
    for pdf in (with_system, without_system):
        text = _pdf_text(pdf)
        for sentence in sentences:
            assert _plain(sentence) in _plain(text), f"{pdf.name}: {sentence!r} not read back"
        if language == "ar":
            missing = [word for word in ARABIC_WORDS if word not in _words(text)]
            assert not missing, f"{pdf.name}: {missing} not read back"
        # Nearly every word of the summary comes back whole (junk text gives scattered letters).
        missing = _words(summary) - _words(text)
        assert len(missing) <= len(_words(summary)) // 50, f"{pdf.name}: {sorted(missing)}"


# A survey response in Arabic: section, question and choice labels, and a typed answer.
RESPONSE_TEXTS = [
    "أنشطة الصحة النفسية",
    "هل تقدم الجمعية الإسعافات الأولية النفسية؟",
    "إحالة إلى الرعاية المتخصصة",
    "نعم في أغلب المناطق",
]


def test_survey_response_pdf_uses_the_report_fonts(db, tmp_path):
    from django.utils import translation

    from accounts.models import Organisation
    from surveys.exports import response_pdf_html
    from surveys.models import Question
    from tests.surveys.factories import (
        AnswerFactory,
        ChoiceFactory,
        QuestionFactory,
        ResponseFactory,
        SectionFactory,
    )

    section = SectionFactory(title_ar=RESPONSE_TEXTS[0])
    yes_no = QuestionFactory(section=section, label_ar=RESPONSE_TEXTS[1])
    single = QuestionFactory(section=section, kind=Question.Kind.SINGLE, label_ar="نوع الخدمة")
    ChoiceFactory(question=single, name="referral", label_ar=RESPONSE_TEXTS[2])
    text = QuestionFactory(section=section, kind=Question.Kind.TEXT, label_ar="أين؟")
    society = Organisation.objects.create(
        name="Lebanese Red Cross", name_ar="الصليب الأحمر اللبناني", country="LB"
    )
    response = ResponseFactory(round__questionnaire=section.questionnaire, society=society)
    AnswerFactory(response=response, question=yes_no, value="yes")
    AnswerFactory(response=response, question=single, value="referral")
    AnswerFactory(response=response, question=text, value=RESPONSE_TEXTS[3])

    with translation.override("ar"):
        html = response_pdf_html(response)
    assert "MHPSS Report Naskh" in html and "report-fonts.css" in html
    html_file = tmp_path / "response.html"
    html_file.write_text(html, encoding="utf-8")
    with_system, without_system = tmp_path / "system.pdf", tmp_path / "own.pdf"
    _layout(html_file, with_system, None)
    _layout(html_file, without_system, _no_system_fonts(tmp_path))

    for tool in ("poppler", "ghostscript"):
        seen = _raster(with_system, tmp_path / f"system-{tool}", tool)
        own = _raster(without_system, tmp_path / f"own-{tool}", tool)
        assert seen and len(seen) == len(own)
        for number, (a, b) in enumerate(zip(seen, own, strict=True), start=1):
            share = _different_share(a, b)
            assert share < MAX_DIFFERENT_PIXELS, f"{tool}, page {number}: {share:.2%} differ"
    # The embedded fonts are the report's, never a system font.
    objects = pdf_objects(with_system.read_bytes())
    fonts = set(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([\w-]+)", objects))
    assert fonts and all(name.startswith(b"MHPSS-Report") for name in fonts), fonts
    assert b"/Lang (ar)" in objects
    for pdf in (with_system, without_system):
        text_layer = _plain(_pdf_text(pdf))
        for sentence in RESPONSE_TEXTS:
            assert _plain(sentence) in text_layer, f"{pdf.name}: {sentence!r} not read back"
