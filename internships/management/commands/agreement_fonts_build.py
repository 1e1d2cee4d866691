"""Builds the fonts the agreement PDFs embed, as committed under internships/fonts/ (a maintainer's tool).

The PDFs must show Japanese on any machine, whatever fonts it has, so the project ships its own: subsets of
Noto Sans CJK JP (SIL Open Font License 1.1) covering every character of Windows-31J (JIS X 0208 with the
NEC and IBM extensions, so 髙 and 﨑 are there) and the Latin letters Noto CJK has, and of DejaVu Sans
(Bitstream Vera licence, changes public domain) for the Latin letters Noto CJK lacks (Ł, Ş, Ṣ …). Both are
renamed, as their licences ask of modified versions. Run once where Debian's fonts-noto-cjk and
fonts-dejavu-core are installed; the output is reproducible from the same sources.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from internships import pdf

NOTO = "/usr/share/fonts/opentype/noto/NotoSansCJK-{weight}.ttc"
DEJAVU = {
    "Regular": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "Bold": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
}

LATIN_RANGES = [(0x20, 0x7F), (0xA0, 0x250), (0x250, 0x2B0), (0x2B0, 0x370), (0x1E00, 0x1F00)]
SYMBOL_RANGES = [(0x2000, 0x2070), (0x20A0, 0x20C0), (0x2100, 0x2200), (0x3000, 0x3100), (0xFF00, 0xFFF0)]


def windows_31j() -> set[str]:
    """Every character of Windows-31J (cp932): what Japanese users type, names of people and companies."""
    chars: set[str] = set()
    for lead in [*range(0x81, 0xA0), *range(0xE0, 0xFD)]:
        for trail in [*range(0x40, 0x7F), *range(0x80, 0xFD)]:
            try:
                chars.update(bytes([lead, trail]).decode("cp932"))
            except UnicodeDecodeError:
                continue
    return chars


def in_ranges(ranges) -> set[str]:
    return {chr(code) for low, high in ranges for code in range(low, high)}


def renamed(font, *, family: str, weight: str, note: str) -> None:
    """The subset's own names: a modified version must not pass for the original (OFL §3, Vera licence)."""
    postscript = f"{family.replace(' ', '')}-{weight}"
    table = font["name"]
    for record in list(table.names):
        if record.nameID in (1, 2, 3, 4, 6, 16, 17, 21, 22):
            table.removeNames(nameID=record.nameID)
    for name_id, value in {
        1: family,
        2: weight,
        3: f"{postscript};{note}",
        4: f"{family} {weight}",
        6: postscript,
    }.items():
        table.setName(value, name_id, 3, 1, 0x409)
        table.setName(value, name_id, 1, 0, 0)
    if "CFF " in font:
        cff = font["CFF "].cff
        top = cff[cff.fontNames[0]]
        cff.fontNames = [postscript]
        top.FullName, top.FamilyName = f"{family} {weight}", family
        cff.topDictIndex[0] = top


class Command(BaseCommand):
    help = "Builds the subset fonts of the agreement PDFs into internships/fonts/ (needs fonts-noto-cjk)."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(pdf.FONT_DIR), help="Folder to write the fonts to.")

    def handle(self, *args, output: str, **options):
        from fontTools import subset

        out = Path(output)
        out.mkdir(parents=True, exist_ok=True)
        japanese = windows_31j() | in_ranges(LATIN_RANGES) | in_ranges(SYMBOL_RANGES)
        latin = in_ranges(LATIN_RANGES) | in_ranges([(0x300, 0x370), (0x2000, 0x2070), (0x20A0, 0x20C0)])
        jobs = [
            (NOTO, 0, pdf.JAPANESE_FAMILY, japanese, "subset of Noto Sans CJK JP 2.004 for JIP Admin"),
            (DEJAVU, None, pdf.LATIN_FAMILY, latin, "subset of DejaVu Sans 2.37 for JIP Admin"),
        ]
        for source, number, family, chars, note in jobs:
            for weight in ("Regular", "Bold"):
                path = source.format(weight=weight) if isinstance(source, str) else source[weight]
                if not Path(path).exists():
                    raise CommandError(f"{path} is missing: apt-get install fonts-noto-cjk fonts-dejavu-core")
                options = subset.Options()
                options.font_number = number or 0
                # Horizontal text only: kerning, proportional widths and marks; no vertical forms.
                options.layout_features = ["kern", "palt", "mark", "mkmk", "ccmp"]
                options.name_IDs = ["*"]
                options.name_languages = ["*"]
                options.notdef_outline = True
                options.hinting = False
                font = subset.load_font(path, options)
                subsetter = subset.Subsetter(options)
                subsetter.populate(unicodes=[ord(c) for c in chars])
                subsetter.subset(font)
                renamed(font, family=family, weight=weight, note=note)
                target = out / pdf.font_file_name(family, weight)
                subset.save_font(font, str(target), options)
                glyphs = len(font.getGlyphOrder())
                self.stdout.write(f"{target.name}: {glyphs} glyphs, {target.stat().st_size:,} bytes")
