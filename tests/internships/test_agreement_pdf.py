"""The agreement PDF: its text in both languages, and the Japanese glyphs really in it (an embedded font of
the project's own, whose glyphs for the characters used have outlines: no tofu, whatever the machine)."""

# ruff: noqa: F811  (the shared fixtures are imported by name, and the tests take them as arguments)

import io
import re

import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from internships import pdf
from internships.models import AgreementKind

from .test_agreement_fixtures import (  # noqa: F401  (fixtures)
    COMPANY_JA,
    commit,
    generate,
    host_company,
    host_manager,
    intern_user,
    place,
    placement,
    private_storage,
    templates,
)

pytestmark = pytest.mark.django_db


def reader_of(version) -> PdfReader:
    with version.file.open("rb") as fh:
        return PdfReader(io.BytesIO(fh.read()))


def text_of(reader: PdfReader) -> str:
    return "".join(page.extract_text() for page in reader.pages)


def embedded_fonts(reader: PdfReader) -> dict[str, dict]:
    """Each font the pages use, by BaseFont: its font program (bytes, with its stream's key) and the
    character → glyph id map read from its ToUnicode CMap."""
    fonts = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            key = next(k for k in ("/FontFile3", "/FontFile2", "/FontFile") if k in descriptor)
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            glyphs = {}
            for gid, code in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", cmap):
                if len(code) % 4 == 0 and len(gid) == 4:
                    glyphs[bytes.fromhex(code).decode("utf-16-be")] = int(gid, 16)
            fonts[str(font["/BaseFont"])] = {
                "file": key,
                "program": descriptor[key].get_object().get_data(),
                "glyphs": glyphs,
                "subtype": str(descendant["/Subtype"]),
            }
    return fonts


def family_of(name: str) -> str:
    return name.split("+", 1)[1]  # "/ABCDEF+JIP-Sans-JP" → "JIP-Sans-JP" (a subset's tag, then the family)


def assert_glyphs_drawn(font: dict, characters: str) -> None:
    """Every character maps to a real glyph of the embedded program: not .notdef, and with an outline."""
    program = TTFont(io.BytesIO(font["program"]))
    order = program.getGlyphOrder()
    glyph_set = program.getGlyphSet()
    for character in characters:
        gid = font["glyphs"].get(character)
        assert gid is not None, f"{character!r} is not in the font's ToUnicode map"
        assert 0 < gid < len(order), f"{character!r} is drawn with glyph {gid}, the .notdef box or none"
        pen = BoundsPen(glyph_set)
        glyph_set[order[gid]].draw(pen)
        assert pen.bounds is not None, f"{character!r}: glyph {gid} has no outline"


def test_the_pdf_carries_both_languages_and_embeds_the_projects_japanese_font(placement, generate):
    version = generate(placement, AgreementKind.COMPANY)
    reader = reader_of(version)
    text = text_of(reader)
    for expected in (
        COMPANY_JA, "Sample Seiko Co., Ltd.", "インターンシップ受入契約書", "Internship Hosting Agreement",
        "第3条（雇用関係の不存在）", "Article 3 (Not employment)", "活動日1日あたり3,000円", "グエン・ヴァン・アン",
        "Van An Nguyen", "2024年10月1日～2024年11月29日", "個人情報の保護に関する法律",
    ):  # fmt: skip
        assert expected in text, expected
    assert "\ufffd" not in text

    fonts = embedded_fonts(reader)
    japanese = [f for name, f in fonts.items() if family_of(name).startswith("JIP-Sans-JP")]
    assert {family_of(name) for name in fonts} <= {"JIP-Sans-JP", "JIP-Sans-JP-Bold"}
    assert len(japanese) == 2  # the regular text and the bold headings
    for font in japanese:
        assert font["file"] == "/FontFile3"  # the CFF outlines, embedded
        program = TTFont(io.BytesIO(font["program"]))
        assert program["name"].getDebugName(1) == "JIP Sans JP"
    regular = fonts[next(n for n in fonts if family_of(n) == "JIP-Sans-JP")]
    assert_glyphs_drawn(regular, COMPANY_JA + "グエン・ヴァン・アン雇用関係個人情報")
    # A subset: the glyphs the document uses, not the thousands the shipped font has.
    assert len(regular["glyphs"]) < 600


def test_latin_letters_japanese_lacks_come_from_the_shipped_latin_font(
    fy2024, host_company, templates, private_storage, generate
):
    placement = place(company=host_company, fy2024=fy2024, family_name="Öztürk", given_names="Şükrü Łukasz")
    version = generate(placement, AgreementKind.INTERN)
    reader = reader_of(version)
    assert "Şükrü Łukasz Öztürk" in text_of(reader)
    fonts = embedded_fonts(reader)
    latin = fonts[next(n for n in fonts if family_of(n) == "JIP-Sans-Latin")]
    assert latin["file"] == "/FontFile2"
    assert_glyphs_drawn(latin, "ŞŁ")


def test_the_shipped_fonts_cover_windows_31j_and_are_renamed():
    for weight in ("Regular", "Bold"):
        font = TTFont(pdf.FONT_DIR / pdf.font_file_name(pdf.JAPANESE_FAMILY, weight))
        cmap = font.getBestCmap()
        for character in "株式会社髙﨑①㈱漢字ひらがなカタカナＡ１Nguyễn":
            assert ord(character) in cmap, character
        assert font["name"].getDebugName(6) == f"JIPSansJP-{weight}"
    for name in ("OFL.txt", "LICENSE-DejaVu.txt", "README.md"):
        assert (pdf.FONT_DIR / name).is_file()


def test_clauses_are_split_on_headings_with_paragraphs_and_lists():
    text = "Preamble line one\nand two.\n\n## Article 1\nIntro:\n- first\n- second\nAfter.\n\n## Article 2\n\nLast."
    clauses = pdf.clauses_parse(text)
    assert [(c.heading, c.blocks) for c in clauses] == [
        ("", [["p", "Preamble line one and two."]]),
        ("Article 1", [["p", "Intro:"], ["ul", ["first", "second"]], ["p", "After."]]),
        ("Article 2", [["p", "Last."]]),
    ]


def test_the_template_text_sees_only_the_snapshot():
    assert pdf.text_render("{{ company.name_ja }}{{ request.user }}{{ settings.SECRET_KEY }}", {
        "company": {"name_ja": "株式会社テスト"}
    }) == "株式会社テスト"  # fmt: skip
