"""Demo data for the embedded default: a live cycle, staff, a company manager, applicants (idempotent)."""

from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from companies.models import CompanyManager, HostCompany
from jip import clock, services
from jip.models import ProgramCycle, User

DEMO_PASSWORD = "jip-demo-2026!"  # noqa: S105 — printed for the demo, never used in production

DEMO_USERS = [
    # email, first, last, language, verified, role
    ("office@jip.example", "Aiko", "Tanaka", "ja", True, "staff"),
    ("manager@sample-seiko.example", "Kenji", "Sato", "ja", True, "company"),
    ("amina@applicant.example", "Amina", "Njoroge", "en", True, "applicant"),
    ("linh@applicant.example", "Linh", "Nguyen", "ja", True, "applicant"),
    ("ravi@applicant.example", "Ravi", "Perera", "en", False, "applicant"),
]


class Command(BaseCommand):
    help = "Loads the FY2024 cycle, a live demo cycle and demo accounts, and prints the logins."

    @transaction.atomic
    def handle(self, *args, **options):
        call_command("load_program_data", stdout=self.stdout)
        fy2024 = ProgramCycle.objects.get(fiscal_year=2024)
        # A live cycle, so the countdown and (later) the entry form have something to show: the next
        # application window after today, with FY2024's rules moved to that year.
        today = clock.today_jst()
        demo_year = (
            today.year if today <= fy2024.application_deadline.replace(year=today.year) else today.year + 1
        )
        demo = ProgramCycle.objects.filter(fiscal_year=demo_year).first()
        if demo is None:
            demo = services.cycle_copy(source=fy2024, fiscal_year=demo_year, publish=True)
            demo.name_en += " (demo)"
            demo.name_ja += "（デモ）"
            demo.save(update_fields=["name_en", "name_ja"])

        company, _ = HostCompany.objects.get_or_create(
            corporate_number="8700110005901",
            defaults={"name_ja": "株式会社サンプル精工", "name_en": "Sample Seiko Co., Ltd."},
        )
        for email, first, last, language, verified, role in DEMO_USERS:
            user = User.objects.filter(email=email).first()
            if user is None:
                if role == "staff":
                    user = services.staff_member_create(
                        email=email, password=DEMO_PASSWORD, first_name=first, last_name=last
                    )
                else:
                    user = User.objects.create_user(
                        email=email, password=DEMO_PASSWORD, first_name=first, last_name=last
                    )
                user.preferred_language = language
                user.save(update_fields=["preferred_language"])
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": verified, "primary": True}
            )
            if role == "company":
                CompanyManager.objects.get_or_create(company=company, user=user)

        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        notes = {
            "staff": "JIP office staff; the admin asks to set up an authenticator app first",
            "company": f"company manager of {company.name_en}",
            "applicant": "applicant",
        }
        for email, _f, _l, language, verified, role in DEMO_USERS:
            state = "" if verified else ", e-mail not verified yet (log in to get a new link)"
            self.stdout.write(f"  {email:32} {notes[role]} [{language}]{state}")
        self.stdout.write(f"Cycles: {fy2024.name_en} (FY2024, as published) and {demo.name_en}.")
