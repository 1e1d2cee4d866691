"""Demo data for the embedded default: a live cycle, staff, a company manager, applicants (idempotent).

Wiring: it goes through every app's services, as the pages do. `manage.py seed_demo` runs it.
"""

import datetime as dt
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from applicants import services as applicant_services
from applicants.forms import ENTRY_STEPS
from applicants.models import Application, ApplicationStatus
from companies import services as company_services
from companies.models import CompanyManager, HostCompany, ReviewStatus
from jip import clock, services
from jip.models import ProgramCycle, User

DEMO_PASSWORD = "jip-demo-2026!"  # noqa: S105 — printed for the demo, never used in production

DEMO_COMPANY = {
    "name_ja": "株式会社サンプル精工",
    "name_en": "Sample Seiko Co., Ltd.",
    "organisation_type": "kabushiki_kaisha",
    "industry": "manufacturing",
    "business_description": "Precision parts for medical devices; exports to Southeast Asia.",
    "capital_jpy": 30_000_000,
    "regular_employees": 85,
    "head_office_prefecture": "23",
    "head_office_city": "Nagoya",
    "main_business_in_japan": True,
    "main_business_prefecture": "23",
    "main_business_city": "Nagoya",
    "overseas_plans": "A sales office in Viet Nam within three years.",
    "contact_name": "Sato Kenji",
    "contact_email": "manager@sample-seiko.example",
    "contact_phone": "+81 52 000 0000",
}

DEMO_POSITION = {
    "title": "Overseas sales assistant (Southeast Asia)",
    "role_and_goals": (
        "Research the market for precision medical parts in Viet Nam and Thailand with the export team, "
        "meet distributors online, and draft a sales plan for the company's first office abroad."
    ),
    "course": "both",
    "place_prefecture": "23",
    "place_city": "Nagoya",
    "hours_per_week": 35,
    "skills": "Market research; spreadsheets; an interest in manufacturing.",
    "japanese_level": None,
    "english_level": "B2",
    "conditions": "Able to join weekly meetings at 10:00 JST.",
    "interns": 1,
    "mentor_name": "Suzuki Hanako",
    "mentor_title": "Export manager",
}

DEMO_USERS = [
    # email, first, last, language, verified, role
    ("office@jip.example", "Aiko", "Tanaka", "ja", True, "staff"),
    ("manager@sample-seiko.example", "Kenji", "Sato", "ja", True, "company"),
    ("amina@applicant.example", "Amina", "Njoroge", "en", True, "applicant"),
    ("linh@applicant.example", "Linh", "Nguyen", "ja", True, "applicant"),
    ("ravi@applicant.example", "Ravi", "Perera", "en", False, "applicant"),
    ("juan@applicant.example", "Juan", "Mamani", "en", True, "applicant"),
    ("sara@applicant.example", "Sara", "Tesfaye", "en", True, "applicant"),
    ("aung@applicant.example", "Aung", "Kyaw", "en", True, "applicant"),
]


class Command(BaseCommand):
    help = "Loads the FY2024 cycle, a live demo cycle and demo accounts, and prints the logins."

    def handle(self, *args, **options):
        # The demo's own mails (submission, status) are not printed; new sign-ups' mails are, by the server.
        quiet_mail = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
        with quiet_mail, transaction.atomic():
            self.seed()
        self.report()

    def seed(self):
        call_command("load_program_data", stdout=self.stdout)
        call_command("agreement_templates_load", stdout=self.stdout)
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
            # Open from today, so the entry form can be tried at once.
            demo.application_opens_on = min(demo.application_opens_on, today)
            demo.save(update_fields=["name_en", "name_ja", "application_opens_on"])

        company = HostCompany.objects.filter(corporate_number="8700110005901").first()
        if company is None:
            company = HostCompany(corporate_number="8700110005901", **DEMO_COMPANY)
            company_services._evaluate(company)
            company.status = ReviewStatus.APPROVED
            company.save()
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

        demo_applications_create(cycle=demo)
        if not company.positions.filter(cycle=demo).exists():
            office = User.objects.get(email="office@jip.example")
            manager = User.objects.get(email="manager@sample-seiko.example")
            position = company_services.position_create(
                company=company, cycle=demo, data=DEMO_POSITION, by=manager
            )
            company_services.position_review(position=position, approve=True, by=office)
        demo_referral_create(cycle=demo, company=company)
        demo_schedule_create(cycle=demo)
        demo_placement_create(cycle=demo, company=company)
        demo_daily_reports_create(cycle=demo)

    def report(self):
        company = HostCompany.objects.get(corporate_number="8700110005901")
        cycles = ProgramCycle.objects.order_by("fiscal_year")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        notes = {
            "staff": "JIP office staff; the admin asks to set up an authenticator app first",
            "company": f"company manager of {company.name_en}",
            "applicant": "applicant",
        }
        states = {
            "amina@applicant.example": "application: documents requested",
            "linh@applicant.example": "application: draft, three steps done",
            "juan@applicant.example": "in the pool, referred to Sample Seiko, two interview times to choose",
            "sara@applicant.example": "application: submitted",
            "aung@applicant.example": (
                "placed at Sample Seiko (in person), under way: agreement to sign, a week of daily reports"
            ),
            "ravi@applicant.example": "no application",
        }
        for email, _f, _l, language, verified, role in DEMO_USERS:
            state = "" if verified else ", e-mail not verified yet (log in to get a new link)"
            what = f"{notes[role]}, {states[email]}" if email in states else notes[role]
            self.stdout.write(f"  {email:30} {what} [{language}]{state}")
        self.stdout.write("Cycles: " + "; ".join(c.name_en for c in cycles))


def _answers(
    nationality: str, residence: str, birth: str, jlpt: int | None, english: str, score=None
) -> dict:
    return {
        "family_name": "", "given_names": "", "name_ja": "", "birth_date": dt.date.fromisoformat(birth),
        "nationality": nationality, "residence_country": residence, "phone": "+1 555 0100", "city": "",
        "education_status": "graduate", "institution": "National University", "field_of_study": "Engineering",
        "degree": "bachelor", "graduation_date": dt.date(2023, 3, 31),
        "jlpt_level": jlpt, "english_evidence": english, "english_score": score, "cefr_level": "",
        "course_preference": "both",
        "motivation": "I want to learn how Japanese small manufacturers build quality into every step, "
        "and help a company prepare its expansion to my region.",
        "skills": "Mechanical design (CAD), data analysis with Python, two years of work in a factory.",
        "participated_before": False, "participated_fiscal_year": None, "agrees_with_purpose": True,
        "can_dedicate": True, "follows_timetable": True, "can_submit_documents": True,
        "information_is_true": True,
    }  # fmt: skip


DEMO_APPLICATIONS = {
    # email: (answers, steps to fill, final status)
    "amina@applicant.example": (_answers("KE", "KE", "1998-04-12", None, "ielts", Decimal("7.0")), 6,
                                ApplicationStatus.DOCUMENTS_REQUESTED),
    "linh@applicant.example": (_answers("VN", "VN", "2001-09-30", 2, "none"), 3, ApplicationStatus.DRAFT),
    "juan@applicant.example": (_answers("BO", "AR", "1995-01-20", None, "studied_in_english"), 6,
                               ApplicationStatus.POOL),
    "sara@applicant.example": (_answers("ET", "ET", "2000-11-02", 3, "none"), 6, ApplicationStatus.SUBMITTED),
    "aung@applicant.example": (_answers("MM", "MM", "1999-06-15", 3, "ielts", Decimal("6.5")), 6,
                               ApplicationStatus.POOL),
}  # fmt: skip

PATH_TO = {
    ApplicationStatus.SUBMITTED: [],
    ApplicationStatus.DOCUMENTS_REQUESTED: ["document_review", "documents_requested"],
    ApplicationStatus.POOL: ["document_review", "office_interview", "pool"],
}  # fmt: skip


def demo_applications_create(*, cycle: ProgramCycle) -> None:
    """Applications in several states, made through the same services the pages use."""
    office = User.objects.get(email="office@jip.example")
    for email, (answers, steps, final) in DEMO_APPLICATIONS.items():
        user = User.objects.get(email=email)
        if Application.objects.filter(cycle=cycle, applicant=user).exists():
            continue
        answers = {**answers, "family_name": user.last_name, "given_names": user.first_name}
        application = applicant_services.application_start(applicant=user, cycle=cycle)
        for step in ENTRY_STEPS[:steps]:
            data = {name: answers[name] for name in step.form.Meta.fields}
            application = applicant_services.application_draft_save(
                application=application, data=data, step=step.slug, by=user
            )
        if final == ApplicationStatus.DRAFT:
            continue
        application = applicant_services.application_submit(application=application, by=user)
        for status in PATH_TO[final]:
            application = applicant_services.application_status_set(
                application=application, status=status, by=office
            )


def demo_referral_create(*, cycle: ProgramCycle, company: HostCompany) -> None:
    """Juan, in the pool, referred to the demo position, with two interview times to choose from."""
    from matching import services as matching_services
    from matching.models import Referral

    application = Application.objects.filter(cycle=cycle, applicant__email="juan@applicant.example").first()
    position = company.positions.filter(cycle=cycle).first()
    if application is None or position is None or Referral.objects.filter(application=application).exists():
        return
    office = User.objects.get(email="office@jip.example")
    manager = User.objects.get(email="manager@sample-seiko.example")
    referral = matching_services.referral_create(
        application=application,
        position=position,
        by=office,
        note="Strong field research.",
    )
    start = clock.now().astimezone(clock.JST).replace(hour=10, minute=0, second=0, microsecond=0)
    matching_services.interview_propose(
        referral=referral, mode="online", place="https://meet.example.org/jip-demo", duration_minutes=45,
        slots=[start + dt.timedelta(days=3), start + dt.timedelta(days=4, hours=5)], by=manager,
    )  # fmt: skip


def demo_schedule_create(*, cycle: ProgramCycle) -> None:
    """Dates for the demo cycle's first terms and milestones, and the program events made from them."""
    from internships.services.preparation import events_schedule_default
    from jip.models import CourseTerm, Milestone

    if cycle.events.exists():
        return
    today = clock.today_jst()
    days = dt.timedelta
    terms = CourseTerm.objects.filter(course__cycle=cycle, number=1)
    terms.filter(course__kind="in_person").update(starts_on=today + days(60), ends_on=today + days(120))
    terms.filter(course__kind="online").update(starts_on=today + days(65), ends_on=today + days(110))
    for kind, offset in (("pre_training", 45), ("follow_up_training", 180), ("wrap_up_presentation", 190)):
        Milestone.objects.filter(cycle=cycle, kind=kind).update(starts_on=today + days(offset))
    events_schedule_default(cycle=cycle, by=User.objects.get(email="office@jip.example"))


DEMO_SECOND_POSITION = {
    **DEMO_POSITION,
    "title": "Production engineering assistant",
    "role_and_goals": (
        "Join the production engineering team: measure a machining line, find the causes of rework with "
        "the team, and propose improvements in a short report."
    ),
    "course": "in_person",
    "skills": "CAD; data analysis; an interest in quality control.",
    "english_level": "B1",
    "conditions": "",
}


def demo_placement_create(*, cycle: ProgramCycle, company: HostCompany) -> None:
    """Aung, referred, ranked by both sides, matched in a published round, accepted by both: placed,
    with the two agreements generated for signing."""
    from internships.models import AgreementKind
    from internships.services.agreements import agreement_generate
    from matching import services as matching_services
    from matching.models import Placement

    application = Application.objects.filter(cycle=cycle, applicant__email="aung@applicant.example").first()
    if application is None or Placement.objects.filter(application=application).exists():
        return
    office = User.objects.get(email="office@jip.example")
    manager = User.objects.get(email="manager@sample-seiko.example")
    position = company_services.position_create(
        company=company, cycle=cycle, data=DEMO_SECOND_POSITION, by=manager
    )
    company_services.position_review(position=position, approve=True, by=office)
    referral = matching_services.referral_create(application=application, position=position, by=office)
    matching_services.company_ranking_set(position=position, order=[referral.pk], by=manager)
    matching_services.applicant_ranking_set(
        application=application, order=[referral.pk], by=application.applicant
    )
    matching_round = matching_services.round_run(cycle=cycle, by=office)
    matching_services.round_approve(
        matching_round=matching_round, note="Screening committee (demo)", by=office
    )
    matching_services.round_publish(matching_round=matching_round, by=office)
    match = matching_round.matches.get(application=application)
    matching_services.match_respond(match=match, party="applicant", accept=True, by=application.applicant)
    matching_services.match_respond(match=match, party="company", accept=True, by=manager)
    placement = Placement.objects.get(application=application)
    for kind in (AgreementKind.INTERN, AgreementKind.COMPANY):
        agreement_generate(placement=placement, kind=kind, by=office)


DEMO_REPORT = {
    "hours": "7.5",
    "mode": "in_person",
    "activities": "Measured the machining line with the production engineering team; logged rework by cause.",
    "learned": "How the team traces rework to its cause, and the 5S checks before each shift.",
    "questions": "",
    "next_plan": "Draw a Pareto chart of the causes of rework and discuss it with the mentor.",
}


def demo_daily_reports_create(*, cycle: ProgramCycle) -> None:
    """Aung's internship under way: a term from two Mondays ago, the office's year-end closure, a week's
    late-writing limit (so the last two days stay writable whatever weekday the demo starts on), and the days
    so far reported in every state (approved, returned, submitted, a draft, one late and one missing)."""
    from internships.models import (
        ClosurePeriod,
        DailyReport,
        DailyReportSettings,
        Internship,
        InternshipStatus,
    )
    from internships.selectors import daily_reports as selectors
    from internships.services import daily_reports as reports
    from internships.services.preparation import internship_details_update, internship_status_set

    internship = Internship.objects.filter(
        placement__cycle=cycle, placement__application__applicant__email="aung@applicant.example"
    ).first()
    if internship is None or DailyReport.objects.filter(internship=internship).exists():
        return
    office = User.objects.get(email="office@jip.example")
    manager = User.objects.get(email="manager@sample-seiko.example")
    intern = internship.placement.application.applicant
    today = clock.today_jst()
    starts_on = today - dt.timedelta(days=today.weekday() + 14)
    internship_details_update(
        internship=internship, starts_on=starts_on, ends_on=starts_on + dt.timedelta(weeks=10, days=4),
        mentor_name=internship.mentor_name, mentor_title=internship.mentor_title, by=office,
    )  # fmt: skip
    internship.refresh_from_db()
    if internship.status == InternshipStatus.PREPARING:
        internship = internship_status_set(
            internship=internship, status=InternshipStatus.IN_PROGRESS, by=office
        )
    reports.daily_report_settings_save(
        settings=DailyReportSettings(cycle=cycle, late_limit_days=7), by=office
    )
    year = today.year if today.month >= 4 else today.year - 1
    reports.closure_period_save(
        period=ClosurePeriod(
            cycle=cycle, starts_on=dt.date(year, 12, 29), ends_on=dt.date(year + 1, 1, 3),
            name_en="Year-end and New Year holidays", name_ja="年末年始休業",
        ),
        by=office,
    )  # fmt: skip

    def evening(day: dt.date, hour: int = 18) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour), tzinfo=clock.JST)

    def submit(day: dt.date, **changes) -> DailyReport:
        return reports.daily_report_submit(
            internship=internship, day=day, data={**DEMO_REPORT, **changes}, by=intern, now=evening(day)
        )

    calendar = selectors.work_calendar_for(internship=internship)
    days = calendar.activity_days(starts_on, today - dt.timedelta(days=1))
    company = internship.placement.position.company
    earlier, week = days[:-5], days[-5:]
    for index, day in enumerate(earlier):
        if index == len(earlier) - 4:
            continue  # a missing day: past the late-writing limit, only the office can reopen it
        report = submit(day)
        reports.daily_reports_approve(
            report_ids=[report.pk], company=company, by=manager, now=evening(day, 19)
        )
    if len(week) == 5:
        reports.daily_reports_approve(report_ids=[submit(week[0]).pk], company=company, by=manager)
        reports.daily_report_return(
            report=submit(week[1], learned="A lot."),
            comment="Please write what you learned in two or three sentences: which causes, which checks.",
            by=manager,
        )
        submit(week[2], questions="May I join the supplier meeting on Friday?")
        reports.daily_report_draft_save(
            internship=internship, day=week[3], data={"activities": "Pareto chart of the causes of rework."},
            by=intern, now=evening(week[3], 12),
        )  # fmt: skip
        # week[4], yesterday's, is not written yet: late, and still writable.
