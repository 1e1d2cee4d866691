"""An agreement's PDF: the template's text rendered with the version's snapshot, laid out in English and
Japanese clause by clause, and written by WeasyPrint with the fonts the project ships (internships/fonts/).

The fonts are embedded in every PDF, so Japanese shows on any reader's machine, and they come from this
repository, so the PDF looks the same whichever machine renders it (see agreement_fonts_build).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.template import Context, Engine
from django.template.loader import render_to_string

from jip.memo import kept

FONT_DIR = Path(__file__).resolve().parent / "fonts"
JAPANESE_FAMILY = "JIP Sans JP"
LATIN_FAMILY = "JIP Sans Latin"
WEIGHTS = {"Regular": 400, "Bold": 700}

# Staff write the template's text; it sees only the snapshot (no tags that load files or other templates).
TEXT_ENGINE = Engine(dirs=[], app_dirs=False, loaders=[], libraries={}, autoescape=False, debug=False)


def font_file_name(family: str, weight: str) -> str:
    # Noto CJK's outlines are CFF (an .otf); DejaVu's are TrueType.
    extension = "otf" if family == JAPANESE_FAMILY else "ttf"
    return f"{family.replace(' ', '')}-{weight}.{extension}"


def font_faces_css() -> str:
    """@font-face rules for the shipped fonts, by file:// URL (WeasyPrint reads them from disk)."""
    rules = []
    for family in (JAPANESE_FAMILY, LATIN_FAMILY):
        for weight, number in WEIGHTS.items():
            url = (FONT_DIR / font_file_name(family, weight)).as_uri()
            rules.append(
                f'@font-face {{ font-family: "{family}"; src: url("{url}"); font-weight: {number}; '
                "font-style: normal; }"
            )
    return "\n".join(rules)


# --- The template's text: clauses in both languages ------------------------------------------------


@dataclass
class Clause:
    """A heading ("## …" in the text) and its blocks: paragraphs, and lists of "- " lines."""

    heading: str = ""
    blocks: list[list] = field(default_factory=list)  # ["p", text] or ["ul", [items]]


def text_render(source: str, data: dict) -> str:
    """The template's text with the snapshot's values filled in ({{ company.name_en }}, {% if … %})."""
    return TEXT_ENGINE.from_string(source).render(Context(data, autoescape=False))


def clauses_parse(text: str) -> list[Clause]:
    """Splits a rendered text into clauses ("## " starts one; what comes before is the preamble). In a
    clause, consecutive lines make a paragraph, consecutive "- " lines a list; a blank line ends either."""
    clauses = [Clause()]
    open_block: list | None = None  # [tag, content] of the paragraph or list a next line continues
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            open_block = None
        elif line.startswith("## "):
            clauses.append(Clause(heading=line[3:].strip()))
            open_block = None
        elif line.startswith("- "):
            if open_block is None or open_block[0] != "ul":
                open_block = ["ul", []]
                clauses[-1].blocks.append(open_block)
            open_block[1].append(line[2:].strip())
        elif open_block is not None and open_block[0] == "p":
            open_block[1] += " " + line
        else:
            open_block = ["p", line]
            clauses[-1].blocks.append(open_block)
    if not clauses[0].blocks:
        clauses.pop(0)
    return clauses


def clause_counts(body_en: str, body_ja: str) -> tuple[int, int]:
    """How many clauses each language has; both must have the same to stand side by side."""
    count = lambda text: sum(1 for line in text.splitlines() if line.startswith("## "))  # noqa: E731
    return count(body_en), count(body_ja)


def clauses_paired(body_en: str, body_ja: str, data: dict) -> list[tuple[Clause, Clause]]:
    english = clauses_parse(text_render(body_en, data))
    japanese = clauses_parse(text_render(body_ja, data))
    missing = Clause()
    return [
        (english[i] if i < len(english) else missing, japanese[i] if i < len(japanese) else missing)
        for i in range(max(len(english), len(japanese)))
    ]


# --- HTML and PDF ---------------------------------------------------------------------------------------


def agreement_html(*, snapshot: dict, number: int, created_on: str) -> str:
    """The whole document as HTML, from a version's snapshot (which carries the template's text)."""
    text = snapshot["text"]
    return render_to_string(
        "internships/pdf/agreement.html",
        {
            "data": snapshot,
            "title_en": text_render(text["title_en"], snapshot),
            "title_ja": text_render(text["title_ja"], snapshot),
            "clauses": clauses_paired(text["body_en"], text["body_ja"], snapshot),
            "number": number,
            "created_on": created_on,
            "font_faces": font_faces_css(),
            "families": f'"{JAPANESE_FAMILY}", "{LATIN_FAMILY}"',
        },
    )


def pdf_write(html: str) -> bytes:
    """HTML to PDF bytes with the shipped fonts embedded (subset to the glyphs used)."""
    from weasyprint import HTML

    font_config = _font_config()
    return HTML(string=html, base_url=str(FONT_DIR)).write_pdf(font_config=font_config)


@kept(maxsize=1)
def _font_config():
    """One font configuration per process (jip.memo): the shipped fonts are read once, not at every render."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()
