"""Creates the default events of a cycle (pre-training, kick-off, mid-term interview, follow-up training,
wrap-up presentation) from the dates its milestones and course terms carry; idempotent."""

from django.core.management.base import BaseCommand, CommandError

from internships.services.preparation import events_schedule_default
from jip.models import ProgramCycle


class Command(BaseCommand):
    help = "Creates the events of a cycle from its milestones and course terms (existing ones are kept)."

    def add_arguments(self, parser):
        parser.add_argument("fiscal_year", type=int, help="The cycle's fiscal year, e.g. 2024.")

    def handle(self, *args, fiscal_year: int, **options):
        cycle = ProgramCycle.objects.filter(fiscal_year=fiscal_year).first()
        if cycle is None:
            raise CommandError(f"No cycle for FY{fiscal_year}.")
        made = events_schedule_default(cycle=cycle, by=None)
        for event in made:
            self.stdout.write(f"  {event.starts_at:%Y-%m-%d %H:%M} {event.course or '-':10} {event.summary}")
        self.stdout.write(self.style.SUCCESS(f"{len(made)} event(s) created for {cycle.name_en}."))
