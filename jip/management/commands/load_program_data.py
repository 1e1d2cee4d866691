from django.core.management.base import BaseCommand

from jip import services


class Command(BaseCommand):
    help = "Loads the shipped eligible-country lists and the FY2024 program cycle (idempotent)."

    def handle(self, *args, **options):
        country_list = services.country_list_import(code="oecd-dac-2024-2025")
        cycle = services.cycle_load_file(name="fy2024")
        self.stdout.write(
            f"Loaded {country_list.countries.count()} countries ({country_list.code}) and {cycle.name_en}."
        )
