"""The HTML of the pages the caching touches, from a fixed data set, to compare before and after a change.

    .venv/bin/python scripts/html_snapshot.py var/html-before
    (change the code)
    .venv/bin/python scripts/html_snapshot.py var/html-after --compare var/html-before

Builds a fresh in-memory SQLite database with the test settings, loads FY2024, adds a few users (an
applicant with a draft half done, one with every step done, one with a submitted application whose documents
were requested, a company manager, an office staff member), moves the clock to 20 June 2024 12:00 JST, and
fetches each page with Django's test client, logged out and as each of them, in English and Japanese: the
layout and navbar on public pages and My page, the six entry steps, the review page, the status page. Each
page is fetched twice, so a page whose cached parts come out differently from its first rendering is
reported. CSRF tokens are masked. Writes one file per page; `--compare DIR` prints the differences to an
earlier run and exits non-zero if there are any.

Not part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import os
import re
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

NOW = dt.datetime(2024, 6, 20, 3, 0, tzinfo=dt.UTC)  # 12:00 JST, inside the FY2024 window
LANGUAGES = ("en", "ja")
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')

ANSWERS = {
    "personal": {
        "family_name": "Nguyen",
        "given_names": 'Van <An> & "Co"',
        "name_ja": "グエン",
        "birth_date": dt.date(1998, 3, 15),
        "nationality": "VN",
        "residence_country": "VN",
        "phone": "+84 90 123 4567",
        "city": "Hanoi",
    },
    "education": {
        "education_status": "student",
        "institution": "Vietnam National University",
        "field_of_study": "Computer science",
        "degree": "bachelor",
        "graduation_date": dt.date(2025, 6, 30),
    },
    "languages": {"jlpt_level": 3, "english_evidence": "", "english_score": None, "cefr_level": ""},
    "course": {"course_preference": "both"},
    "motivation": {
        "motivation": "I want to work with a Japanese SME.\nSecond line: <b>bold</b> & more",
        "skills": "Python, Django's ORM",
    },
    "declarations": {
        "participated_before": False,
        "participated_fiscal_year": None,
        "agrees_with_purpose": True,
        "can_dedicate": True,
        "follows_timetable": True,
        "can_submit_documents": True,
        "information_is_true": True,
    },
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="directory for the pages (created)")
    parser.add_argument("--compare", type=Path, help="an earlier run's directory to compare with")
    return parser.parse_args()


def setup():
    os.environ["DJANGO_SETTINGS_MODULE"] = "jip.settings.test"
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)


def user(email: str, *, language: str = "en", staff: bool = False):
    from allauth.account.models import EmailAddress

    from jip.models import User

    person = User.objects.create_user(email=email, password=None, first_name="Test", last_name="Person")
    person.preferred_language = language
    person.is_staff = staff
    person.save()
    EmailAddress.objects.create(user=person, email=email, verified=True, primary=True)
    return person


def seed() -> dict:
    """The fixed data set, made through the services as the site makes it."""
    from applicants import services as applicant_services
    from companies.models import CompanyManager, HostCompany
    from jip import services as jip_services

    cycle = jip_services.cycle_load_file(name="fy2024")
    staff = user("office@jip.example", staff=True)
    staff.groups.add(jip_services.staff_group_sync())

    def entry(person, steps):
        application = applicant_services.application_start(applicant=person, cycle=cycle)
        for step in steps:
            application = applicant_services.application_draft_save(
                application=application, data=ANSWERS[step], step=step, by=person
            )
        return application

    half = user("amina@applicant.example")
    entry(half, ["personal", "education"])
    complete = user("linh@applicant.example", language="ja")
    entry(complete, list(ANSWERS))
    submitted = user("ravi@applicant.example")
    application = entry(submitted, list(ANSWERS))
    applicant_services.application_submit(application=application, by=submitted)
    for status in ("document_review", "documents_requested"):
        application = applicant_services.application_status_set(
            application=application, status=status, by=staff
        )

    manager = user("manager@sample-seiko.example", language="ja")
    company = HostCompany.objects.create(
        name_en="Sample Seiko Co., Ltd.",
        name_ja="サンプル精工株式会社",
        corporate_number="8000000000001",
        organisation_type="kabushiki_kaisha",
        industry="manufacturing",
        capital_jpy=30_000_000,
        regular_employees=45,
        head_office_prefecture="23",
        head_office_city="Nagoya",
        main_business_in_japan=True,
        main_business_prefecture="23",
        main_business_city="Nagoya",
        contact_name="Sato Kenji",
        contact_email="contact@sample-seiko.example",
        status="approved",
    )
    CompanyManager.objects.create(company=company, user=manager)
    return {
        "anonymous": (None, ["home", "cycle", "login", "signup"]),
        "applicant-half": (half, ["home", "dashboard", *(f"step-{s}" for s in ANSWERS), "review"]),
        "applicant-complete": (complete, ["home", "step-personal", "review"]),
        "applicant-submitted": (submitted, ["dashboard", "status"]),
        "manager": (manager, ["home", "dashboard", "company"]),
        "staff": (staff, ["home", "dashboard"]),
        "_status_pk": application.pk,
    }


def address(page: str, status_pk: int) -> str:
    from django.urls import reverse

    if page.startswith("step-"):
        return reverse("applicants:entry_step", args=[page.removeprefix("step-")])
    return {
        "home": lambda: reverse("home"),
        "cycle": lambda: reverse("cycle_detail", args=[2024]),
        "login": lambda: reverse("account_login"),
        "signup": lambda: reverse("account_signup"),
        "dashboard": lambda: reverse("dashboard"),
        "review": lambda: reverse("applicants:entry_review"),
        "status": lambda: reverse("applicants:application_detail", args=[status_pk]),
        "company": lambda: reverse("companies:home"),
    }[page]()


def capture(out: Path) -> int:
    import time_machine
    from django.conf import settings
    from django.test import Client

    out.mkdir(parents=True, exist_ok=True)
    unstable = 0
    with time_machine.travel(NOW, tick=False):
        data = seed()
        status_pk = data.pop("_status_pk")
        for language in LANGUAGES:
            for who, (person, pages) in data.items():
                client = Client()
                if person is not None:
                    client.force_login(person)
                client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
                for page in pages:
                    url = address(page, status_pk)
                    first, again = (client.get(url) for _ in range(2))
                    if first.status_code != 200:
                        raise SystemExit(f"{who} {page} {language}: {first.status_code}")
                    html, html_again = (CSRF.sub(r"\1…\2", r.content.decode()) for r in (first, again))
                    if html != html_again:
                        unstable += 1
                        print(f"{who}/{page}/{language}: the second rendering differs", file=sys.stderr)
                    (out / f"{who}--{page}--{language}.html").write_text(html, encoding="utf-8")
    return unstable


def compare(out: Path, earlier: Path) -> int:
    names = sorted({p.name for p in out.glob("*.html")} | {p.name for p in earlier.glob("*.html")})
    differing = 0
    for name in names:
        a, b = earlier / name, out / name
        if not a.exists() or not b.exists():
            print(f"{name}: only in {b.parent if b.exists() else a.parent}")
            differing += 1
            continue
        before, after = a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8")
        if before != after:
            differing += 1
            sys.stdout.writelines(
                difflib.unified_diff(
                    before.splitlines(keepends=True), after.splitlines(keepends=True), str(a), str(b)
                )
            )
    print(f"{len(names)} pages compared, {differing} differ")
    return differing


def main() -> int:
    args = parse_args()
    setup()
    unstable = capture(args.out)
    print(f"{len(list(args.out.glob('*.html')))} pages written to {args.out}, {unstable} unstable")
    differing = compare(args.out, args.compare) if args.compare else 0
    return 1 if unstable or differing else 0


if __name__ == "__main__":
    sys.exit(main())
