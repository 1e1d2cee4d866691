"""The program's rules are the repository's own: the code cites docs/program.md, by sections that exist."""

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = ROOT / "docs" / "program.md"

# Folders that are not the project's own text: tools, caches, uploads and local databases.
SKIPPED_DIRS = {
    ".git", ".venv", "venv", "node_modules", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache",
    "var", "media", "staticfiles", "htmlcov",
}  # fmt: skip
TEXT_SUFFIXES = {
    ".py", ".md", ".html", ".txt", ".json", ".toml", ".cfg", ".ini", ".yml", ".yaml", ".csv", ".po", ".js",
    ".css", ".sh", ".xml",
}  # fmt: skip
EXTENSIONLESS_TEXT = {"Makefile", "run", "test", "setup", "worker"}  # bin/*, .ci/run

# Written in two parts, so that this file does not cite what it forbids.
FORBIDDEN = ("PROGRAM" + ".md", "../" + "shared")
SECTION_HEADING = re.compile(r"^## (\d+)\. (\S.*)$", re.MULTILINE)
# A citation: "docs/program.md §4", "docs/program.md §3–5", "docs/program.md §4, §8".
CITATION = re.compile(r"docs/program\.md\s*§\s*([^\s,]+(?:,\s*§\s*[^\s,]+)*)")
SECTION_REF = re.compile(r"(\d+)(?:[–-](\d+))?(?![\w–-])")  # then punctuation: "8).", "3–5,"


def _project_files() -> list[Path]:
    """The project's text files, this one excepted (it spells out what it looks for)."""
    files = []
    for folder, dirs, names in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS]
        for name in names:
            path = Path(folder) / name
            if path.suffix in TEXT_SUFFIXES or (not path.suffix and name in EXTENSIONLESS_TEXT):
                files.append(path)
    return [path for path in files if path != Path(__file__).resolve()]


def _sections() -> dict[int, str]:
    return {int(number): title for number, title in SECTION_HEADING.findall(PROGRAM.read_text("utf-8"))}


def _citations(text: str) -> list[str]:
    """Each section reference of each citation in the text, as written ("4", "3–5", "Eligibility", …)."""
    refs = []
    for match in CITATION.finditer(text):
        refs.extend(part.strip().lstrip("§").strip() for part in match.group(1).split(","))
    return refs


def _cited_sections(ref: str) -> list[int] | None:
    """The section numbers a reference names, or None if it is not a number or a range of numbers."""
    match = SECTION_REF.match(ref)
    if match is None:
        return None
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) else first
    return list(range(first, last + 1)) if first <= last else None


def test_no_file_cites_rules_outside_the_repository():
    offenders = []
    for path in _project_files():
        text = path.read_text("utf-8", errors="replace")
        for forbidden in FORBIDDEN:
            for number, line in enumerate(text.splitlines(), start=1):
                if forbidden in line:
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {forbidden}")
    assert offenders == []


def test_program_sections_are_numbered_one_after_another():
    numbers = [int(n) for n, _title in SECTION_HEADING.findall(PROGRAM.read_text("utf-8"))]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) >= 10


def test_every_citation_names_a_section_that_exists():
    sections = _sections()
    problems, cited = [], 0
    for path in _project_files():
        text = path.read_text("utf-8", errors="replace")
        for ref in _citations(text):
            numbers = _cited_sections(ref)
            if numbers is None:
                problems.append(f"{path.relative_to(ROOT)}: §{ref} (cite a section by its number: §4, §3–5)")
                continue
            cited += 1
            problems.extend(
                f"{path.relative_to(ROOT)}: §{n} is not a section of docs/program.md"
                for n in numbers
                if n not in sections
            )
    assert problems == []
    assert cited >= 50  # the code does cite the rules: a broken pattern would find none


def test_citation_patterns_read_what_the_code_writes():
    # The helpers above must accept every form the code uses and reject what is not a section number.
    text = (
        "(docs/program.md §4) docs/program.md §3–5. (docs/program.md §4, §8) docs/program.md §10; "
        "docs/program.md § Eligibility"
    )
    refs = _citations(text)
    assert refs == ["4)", "3–5.", "4", "8)", "10;", "Eligibility"]
    assert [_cited_sections(ref) for ref in refs] == [[4], [3, 4, 5], [4], [8], [10], None]


def test_readme_links_the_program_rules():
    assert "(docs/program.md)" in (ROOT / "README.md").read_text("utf-8")
