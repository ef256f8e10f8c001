"""core.pdf: the glyphs of the report's Arabic font map back to their own letters."""

from django.conf import settings

from core.pdf import arabic_glyph_texts

NASKH = settings.BASE_DIR / "static" / "fonts" / "NotoNaskhArabic-Regular.ttf"


def test_arabic_glyphs_map_to_their_letters_and_marks():
    from fontTools.ttLib import TTFont

    font = TTFont(NASKH)
    texts = arabic_glyph_texts(NASKH.read_bytes())
    glyph = {name: font.getGlyphID(name) for name in font.getGlyphOrder()}
    cmap = font.getBestCmap()
    # The hamza mark of a decomposed أ gives the mark, not the cluster's letter.
    assert texts[glyph[cmap[0x0654]]] == "\u0654"
    assert texts[glyph[cmap[0x064F]]] == "\u064f"  # damma
    assert texts[glyph[cmap[0x0627]]] == "ا"
    # Presentation forms and the lam-alef ligatures give their letters.
    assert texts[glyph[cmap[0xFE84]]] == "أ"
    assert texts[glyph[cmap[0xFEFB]]] == "لا"
    # Other glyphs (digits, punctuation) are left to WeasyPrint's own map.
    assert glyph[cmap[ord("1")]] not in texts
