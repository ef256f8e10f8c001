"""HTML to a tagged PDF/UA-1 file whose Arabic text layer reads back as the letters written.

WeasyPrint maps each glyph of the PDF to one text, the first time it draws that glyph, from the
cluster the glyph was shaped in. Arabic shaping gives clusters of several glyphs: Noto Naskh
Arabic draws أ and إ as an alef plus a hamza mark, and a vowel mark sits in its letter's cluster.
Whichever glyph comes first in such a cluster gets the whole cluster's text and the others get
nothing, for the rest of the document: pdftotext then dropped أ and إ ("غير ن" for "غير أن") and
repeated a letter at every later damma. `_arabic_text_layer` (a WeasyPrint finisher) maps each
Arabic glyph the font's cmap reaches back to its own letter or mark instead (a presentation form
or lam-alef ligature to its letters), so a reader composes alef + hamza into أ again.
"""

import io
import re
import unicodedata

from django.conf import settings

# The @font-face rules of every PDF the app lays out (the report's own fonts, family names
# "MHPSS Report Sans" and "MHPSS Report Naskh"); report.css imports the same file.
FONTS_CSS = settings.BASE_DIR / "static" / "css" / "report-fonts.css"

# Arabic, Arabic Supplement, Extended-A, Presentation Forms-A and -B.
ARABIC_BLOCKS = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x08A0, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)
_CMAP_LINE = re.compile(rb"^<([0-9a-f]{4})> <[0-9a-f]*>$")


def _is_arabic(codepoint: int) -> bool:
    return any(low <= codepoint <= high for low, high in ARABIC_BLOCKS)


def arabic_glyph_texts(font_file: bytes, index: int = 0) -> dict[int, str]:
    """{glyph id: text} for every Arabic glyph the font's cmap reaches: the letter or mark it
    stands for, presentation forms and ligatures as their letters (NFKC)."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(font_file), fontNumber=index, lazy=True)
    texts: dict[int, str] = {}
    # Letters and marks first (U+06xx), so a glyph reached by both keeps the plain letter.
    for codepoint, name in sorted(font.getBestCmap().items()):
        if _is_arabic(codepoint):
            texts.setdefault(font.getGlyphID(name), unicodedata.normalize("NFKC", chr(codepoint)))
    return texts


def _arabic_text_layer(document, pdf) -> None:
    """Rewrite the ToUnicode map of each embedded font: Arabic glyphs give their own letters."""
    import pydyf
    from weasyprint.text.fonts import get_hb_object_data

    fonts = {font.name: font for font in document.fonts.values()}
    for obj in pdf.objects:
        if not (isinstance(obj, pydyf.Dictionary) and obj.get("ToUnicode")):
            continue
        font = fonts.get(obj.get("BaseFont"))
        if font is None or font.bitmap:
            continue
        texts = arabic_glyph_texts(get_hb_object_data(font.hb_face), font.index)
        if not texts:
            continue
        to_unicode = pdf.objects[int(obj["ToUnicode"].split()[0])]
        for number, line in enumerate(to_unicode.stream):
            match = _CMAP_LINE.match(line)
            if match and int(match.group(1), 16) in texts:
                text = texts[int(match.group(1), 16)].encode("utf-16-be").hex()
                to_unicode.stream[number] = b"<%s> <%s>" % (match.group(1), text.encode())


def html_to_pdf(html: str, *, base_url: str) -> bytes:
    """Lay out HTML as a tagged PDF/UA-1 file (title, language and author come from the HTML),
    its Arabic text readable by pdftotext and screen readers."""
    from weasyprint import HTML  # imported late: it loads Pango, which is slow to start

    return HTML(string=html, base_url=base_url).write_pdf(
        pdf_variant="pdf/ua-1", finisher=_arabic_text_layer
    )
