"""Compiles every locale/*/LC_MESSAGES/django.po to .mo with Babel, so no system gettext is needed."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compiles the project's translation catalogues (.po to .mo) without GNU gettext."

    def handle(self, *args, **options):
        count = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                with po_path.open("rb") as fh:
                    catalog = read_po(fh, locale=po_path.parent.parent.name)
                problems = [m.id for m in catalog if m.id and m.fuzzy]
                if problems:
                    raise CommandError(f"{po_path}: {len(problems)} fuzzy entries, e.g. {problems[0]!r}")
                with po_path.with_suffix(".mo").open("wb") as fh:
                    write_mo(fh, catalog)
                count += 1
        self.stdout.write(f"Compiled {count} catalogue(s).")
