"""Puts the project's default agreement texts (internships/data/agreement_templates/) in use.

Without --force, only a kind that has no template in use gets one (safe to run at every deploy); with
--force, a kind whose template in use differs from the default text gets the default as its next version.
"""

from django.core.management.base import BaseCommand

from internships.services.agreements import agreement_templates_load_defaults


class Command(BaseCommand):
    help = "Puts the default agreement templates in use where a kind has none (--force: where they differ)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Also replace templates that differ.")

    def handle(self, *args, force: bool = False, **options):
        made = agreement_templates_load_defaults(force=force)
        for template in made:
            self.stdout.write(f"{template.get_kind_display()}: version {template.version} in use")
        if not made:
            self.stdout.write("Every kind has its template in use already.")
