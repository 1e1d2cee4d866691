import datetime
import decimal

import factory
from allauth.account.models import EmailAddress

from applicants import eligibility
from applicants.models import (
    Application,
    ApplicationStatus,
    CoursePreference,
    Degree,
    Document,
    DocumentKind,
    DocumentStatus,
    EducationStatus,
    EnglishEvidence,
)
from companies.models import CompanyManager, HostCompany
from jip import services as jip_services
from jip.models import JLPTLevel, ProgramCycle, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", "a-Long-Password-4-tests")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        self.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


def valid_corporate_number(base: int) -> str:
    from companies.corporate_number import check_digit

    digits = f"{base:012d}"
    return f"{check_digit(digits)}{digits}"


class HostCompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HostCompany
        skip_postgeneration_save = True

    name_en = factory.Sequence(lambda n: f"Company {n} Co., Ltd.")
    name_ja = factory.Sequence(lambda n: f"株式会社カンパニー{n}")
    corporate_number = factory.Sequence(lambda n: valid_corporate_number(100_000_000_000 + n))
    organisation_type = "kabushiki_kaisha"
    industry = "manufacturing"
    capital_jpy = 30_000_000
    regular_employees = 45
    head_office_prefecture = "23"
    head_office_city = "Nagoya"
    main_business_in_japan = True
    main_business_prefecture = "23"
    main_business_city = "Nagoya"
    contact_name = "Sato Kenji"
    contact_email = factory.Sequence(lambda n: f"contact{n}@company.example")
    status = "approved"

    @factory.post_generation
    def evaluated(self, create, extracted, **kwargs):
        """Stores the SME outcome as the services would (pass evaluated=False to leave it empty)."""
        if extracted is False:
            return
        from companies.services import _evaluate

        _evaluate(self)
        if create:
            self.save()


class CompanyManagerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompanyManager

    company = factory.SubFactory(HostCompanyFactory)
    user = factory.SubFactory(UserFactory)


def _fy2024_cycle() -> ProgramCycle:
    existing = ProgramCycle.objects.filter(fiscal_year=2024).first()
    return existing or jip_services.cycle_load_file(name="fy2024")


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A submitted FY2024 application of an eligible applicant, built directly (not through the services,
    which refuse submissions outside the cycle's window)."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    cycle = factory.LazyFunction(_fy2024_cycle)
    applicant = factory.SubFactory(UserFactory)
    number = factory.Sequence(lambda n: f"JIP24-{n + 1:06d}")
    status = ApplicationStatus.SUBMITTED
    family_name = factory.Faker("last_name")
    given_names = factory.Faker("first_name")
    birth_date = datetime.date(2000, 5, 17)
    nationality = "VN"
    residence_country = "VN"
    phone = "+84 24 3826 1234"
    city = "Hanoi"
    education_status = EducationStatus.STUDENT
    institution = "Vietnam National University, Hanoi"
    field_of_study = "Computer science"
    degree = Degree.BACHELOR
    graduation_date = datetime.date(2025, 6, 30)
    jlpt_level = JLPTLevel.N2
    english_evidence = EnglishEvidence.IELTS
    english_score = decimal.Decimal("6.5")
    course_preference = CoursePreference.BOTH
    motivation = "To work with a small Japanese manufacturer on its software."
    skills = "Python, Django, data analysis."
    participated_before = False
    agrees_with_purpose = True
    can_dedicate = True
    follows_timetable = True
    can_submit_documents = True
    information_is_true = True
    submitted_at = datetime.datetime(2024, 6, 10, 9, 30, tzinfo=datetime.UTC)
    status_changed_at = factory.SelfAttribute("submitted_at")

    @factory.post_generation
    def evaluated(self, create, extracted, **kwargs):
        """Stores the eligibility outcomes of the answers, as submission does (evaluated=False skips it)."""
        if extracted is False:
            return
        outcomes = eligibility.evaluate(self)
        self.eligibility = eligibility.as_json(outcomes)
        self.is_eligible = eligibility.is_eligible(outcomes)
        if create:
            self.save(update_fields=["eligibility", "is_eligible"])


class DocumentFactory(factory.django.DjangoModelFactory):
    """A document the applicant has uploaded (the file itself is not stored unless `file` is given)."""

    class Meta:
        model = Document

    application = factory.SubFactory(ApplicationFactory)
    kind = DocumentKind.CV
    status = DocumentStatus.UPLOADED
    original_name = "cv.pdf"
    content_type = "application/pdf"
    size = 48213
    sha256 = factory.Faker("sha256")
    uploaded_at = datetime.datetime(2024, 7, 5, 3, 0, tzinfo=datetime.UTC)


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "companies.Position"

    company = factory.SubFactory(HostCompanyFactory)
    cycle = None  # give the cycle
    title = factory.Sequence(lambda n: f"Overseas sales assistant {n}")
    role_and_goals = "Research a market in Southeast Asia and prepare a sales plan with the export team."
    course = "in_person"
    place_prefecture = "23"
    place_city = "Nagoya"
    hours_per_week = 35
    interns = 1
    mentor_name = "Suzuki Hanako"
    status = "submitted"


class MatchingRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "matching.MatchingRound"

    cycle = factory.LazyFunction(_fy2024_cycle)
    number = factory.Sequence(lambda n: n + 1)
    status = "published"


class MatchFactory(factory.django.DjangoModelFactory):
    """A published match; give `application` and `position` of the same cycle, or let both be made."""

    class Meta:
        model = "matching.Match"

    application = factory.SubFactory(ApplicationFactory, status="pool")
    round = factory.SubFactory(MatchingRoundFactory, cycle=factory.SelfAttribute("..application.cycle"))
    position = factory.SubFactory(
        PositionFactory, cycle=factory.SelfAttribute("..application.cycle"), status="approved",
        company__status="approved",
    )  # fmt: skip
    course = "in_person"
    applicant_decision = "accepted"
    company_decision = "accepted"


def placement_for(match=None, **match_fields):
    """A final placement, made by matching's service; internships starts its internship on the signal."""
    from matching.services import placement_create

    return placement_create(match=match or MatchFactory(**match_fields), by=None)
