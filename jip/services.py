"""Writes of the program-cycle core and of user accounts. Each is one transaction with an audit entry."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any, overload

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction

from .audit import audit_record
from .models import (
    Course,
    CourseTerm,
    EligibleCountry,
    EligibleCountryList,
    Milestone,
    ProgramCycle,
    User,
)
from .rules import JIP_STAFF_GROUP

DATA_DIR = Path(__file__).resolve().parent / "data"

COUNTRY_LISTS = {
    "oecd-dac-2024-2025": {
        "name": "OECD DAC List of ODA Recipients, effective for reporting on 2024 and 2025 flows",
        "source": "OECD Development Assistance Committee",
        "file": "dac_list_2024_2025.csv",
    },
}

# Apps whose models the JIP office edits in the admin.
STAFF_APP_LABELS = (
    "jip",
    "applicants",
    "companies",
    "matching",
    "internships",
    "account",
    "mfa",
    "django_celery_beat",
)


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": "Unsupported language."})
    if user.preferred_language != language:
        previous = user.preferred_language
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
        audit_record(actor=user, action="user.language", target=user, data={"from": previous, "to": language})
    return user


@transaction.atomic
def staff_group_sync() -> Group:
    """The "JIP staff" group holds every permission on the program's models (the admin is their workplace;
    roles: docs/program.md §2)."""
    group, _ = Group.objects.get_or_create(name=JIP_STAFF_GROUP)
    perms = Permission.objects.filter(content_type__app_label__in=STAFF_APP_LABELS)
    group.permissions.set(
        list(perms)
        + list(Permission.objects.filter(content_type__app_label="auth", codename__in=["view_group"]))
    )
    return group


@transaction.atomic
def staff_member_create(
    *, email: str, password: str, first_name: str = "", last_name: str = "", by: User | None = None
) -> User:
    user = User.objects.create_user(
        email=email, password=password, first_name=first_name, last_name=last_name, is_staff=True
    )
    user.groups.add(staff_group_sync())
    audit_record(actor=by, action="user.staff_created", target=user)
    return user


@transaction.atomic
def country_list_import(*, code: str) -> EligibleCountryList:
    """Loads a list of eligible countries from the project's own data (idempotent). FY2024 call: the OECD DAC
    list for 2024 and 2025 flows, `jip/data/dac_list_2024_2025.csv` (docs/program.md §1, §4)."""
    spec = COUNTRY_LISTS[code]
    country_list, _ = EligibleCountryList.objects.update_or_create(
        code=code, defaults={"name": spec["name"], "source": spec["source"]}
    )
    with (DATA_DIR / spec["file"]).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        EligibleCountry.objects.update_or_create(
            country_list=country_list,
            country=row["iso2"],
            defaults={"name_on_list": row["name"], "category": row["dac_category"]},
        )
    return country_list


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@transaction.atomic
def cycle_load(*, spec: dict[str, Any], by: User | None = None) -> ProgramCycle:
    """Creates or refreshes a cycle, its courses, terms and milestones from a data file's spec (FY2024:
    `jip/data/cycles/fy2024.json`; every figure is cycle data, docs/program.md §1)."""
    country_list = EligibleCountryList.objects.filter(code=spec["country_list"]).first()
    if country_list is None:
        country_list = country_list_import(code=spec["country_list"])
    fields = {
        key: spec[key]
        for key in (
            "name_en",
            "name_ja",
            "is_published",
            "age_min",
            "age_max",
            "excluded_participation_from_fy",
            "excluded_participation_to_fy",
            "jlpt_minimum",
            "company_cap",
            "excluded_countries",
        )
    }
    fields |= {
        "application_opens_on": _date(spec["application_opens_on"]),
        "application_deadline": _date(spec["application_deadline"]),
        "age_reference_date": _date(spec["age_reference_date"]),
        "country_list": country_list,
    }
    cycle, created = ProgramCycle.objects.update_or_create(fiscal_year=spec["fiscal_year"], defaults=fields)
    cycle.full_clean()
    for course_spec in spec["courses"]:
        course, _ = Course.objects.update_or_create(
            cycle=cycle,
            kind=course_spec["kind"],
            defaults={
                key: course_spec[key]
                for key in (
                    "description_en",
                    "description_ja",
                    "support_rate_jpy_per_day",
                    "paid_in_local_currency",
                )
            },
        )
        for term_spec in course_spec["terms"]:
            CourseTerm.objects.update_or_create(
                course=course,
                number=term_spec["number"],
                defaults={
                    "starts_on": _date(term_spec.get("starts_on")),
                    "ends_on": _date(term_spec.get("ends_on")),
                    "activity_days": term_spec.get("activity_days"),
                    "hours_per_day": term_spec.get("hours_per_day"),
                },
            )
    cycle.milestones.all().delete()
    Milestone.objects.bulk_create(
        Milestone(
            cycle=cycle,
            kind=m["kind"],
            order=m["order"],
            starts_on=_date(m.get("starts_on")),
            ends_on=_date(m.get("ends_on")),
            note_en=m.get("note_en", ""),
            note_ja=m.get("note_ja", ""),
        )
        for m in spec["milestones"]
    )
    audit_record(actor=by, action="cycle.created" if created else "cycle.reloaded", target=cycle)
    return cycle


def cycle_load_file(*, name: str, by: User | None = None) -> ProgramCycle:
    spec = json.loads((DATA_DIR / "cycles" / f"{name}.json").read_text(encoding="utf-8"))
    return cycle_load(spec=spec, by=by)


@overload
def _shift_years(day: dt.date, years: int) -> dt.date: ...
@overload
def _shift_years(day: dt.date | None, years: int) -> dt.date | None: ...
def _shift_years(day: dt.date | None, years: int) -> dt.date | None:
    """The day `years` later (28 February for a 29th in a year that has none); a missing day stays missing."""
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def cycle_copy(
    *, source: ProgramCycle, fiscal_year: int, by: User | None = None, publish: bool = False
) -> ProgramCycle:
    """Starts a new cycle from an earlier one: every date moves by the years between them; unpublished
    (docs/program.md §1)."""
    if ProgramCycle.objects.filter(fiscal_year=fiscal_year).exists():
        raise ValidationError({"fiscal_year": f"A cycle for FY{fiscal_year} exists already."})
    years = fiscal_year - source.fiscal_year
    span = source.excluded_participation_to_fy
    cycle = ProgramCycle.objects.create(
        fiscal_year=fiscal_year,
        name_en=source.name_en.replace(str(source.fiscal_year), str(fiscal_year)),
        name_ja=source.name_ja.replace(str(source.fiscal_year), str(fiscal_year)),
        is_published=publish,
        application_opens_on=_shift_years(source.application_opens_on, years),
        application_deadline=_shift_years(source.application_deadline, years),
        age_min=source.age_min,
        age_max=source.age_max,
        age_reference_date=_shift_years(source.age_reference_date, years),
        excluded_participation_from_fy=source.excluded_participation_from_fy,
        excluded_participation_to_fy=span + years if span is not None else None,
        jlpt_minimum=source.jlpt_minimum,
        company_cap=source.company_cap,
        country_list=source.country_list,
        excluded_countries=source.excluded_countries,
    )
    for course in source.courses.prefetch_related("terms"):
        new_course = Course.objects.create(
            cycle=cycle,
            kind=course.kind,
            description_en=course.description_en,
            description_ja=course.description_ja,
            support_rate_jpy_per_day=course.support_rate_jpy_per_day,
            paid_in_local_currency=course.paid_in_local_currency,
        )
        CourseTerm.objects.bulk_create(
            CourseTerm(
                course=new_course,
                number=term.number,
                starts_on=_shift_years(term.starts_on, years),
                ends_on=_shift_years(term.ends_on, years),
                activity_days=term.activity_days,
                hours_per_day=term.hours_per_day,
            )
            for term in course.terms.all()
        )
    Milestone.objects.bulk_create(
        Milestone(
            cycle=cycle,
            kind=m.kind,
            order=m.order,
            starts_on=_shift_years(m.starts_on, years),
            ends_on=_shift_years(m.ends_on, years),
            note_en=m.note_en,
            note_ja=m.note_ja,
        )
        for m in source.milestones.all()
    )
    audit_record(actor=by, action="cycle.copied", target=cycle, data={"from": source.fiscal_year})
    return cycle
