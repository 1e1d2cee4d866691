import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from jip import clock, selectors, services
from jip.models import AuditEntry, CourseKind, MilestoneKind, ProgramCycle

JST = clock.JST


def test_fy2024_is_loaded_as_the_call_says(fy2024):
    assert fy2024.fiscal_year == 2024
    assert fy2024.application_deadline == dt.date(2024, 6, 30)
    assert (fy2024.age_min, fy2024.age_max, fy2024.age_reference_date) == (18, 40, dt.date(2024, 8, 1))
    assert (fy2024.excluded_participation_from_fy, fy2024.excluded_participation_to_fy) == (2016, 2023)
    assert fy2024.company_cap == 60
    assert fy2024.get_jlpt_minimum_display() == "N3"
    assert fy2024.country_list.code == "oecd-dac-2024-2025"
    courses = {c.kind: c for c in fy2024.courses.all()}
    assert courses[CourseKind.IN_PERSON].support_rate_jpy_per_day == 3000
    assert not courses[CourseKind.IN_PERSON].paid_in_local_currency
    assert courses[CourseKind.ONLINE].support_rate_jpy_per_day == 1000
    assert courses[CourseKind.ONLINE].paid_in_local_currency
    assert courses[CourseKind.IN_PERSON].terms.count() == 2
    assert list(fy2024.milestones.values_list("kind", flat=True))[:2] == [
        MilestoneKind.INFORMATION_SESSION,
        MilestoneKind.APPLICATION_DEADLINE,
    ]


def test_country_list_keeps_china_and_the_cycle_excludes_it(fy2024):
    assert fy2024.country_list.countries.count() == 141
    assert fy2024.country_list.countries.filter(country="CN").exists()
    assert not selectors.country_is_eligible(cycle=fy2024, country_code="CN")
    assert selectors.country_is_eligible(cycle=fy2024, country_code="VN")
    assert selectors.country_is_eligible(cycle=fy2024, country_code="XK")  # Kosovo, not in ISO 3166
    assert not selectors.country_is_eligible(cycle=fy2024, country_code="JP")
    excluded = [c.country.code for c in selectors.cycle_eligible_countries(cycle=fy2024) if c.excluded]
    assert excluded == ["CN"]


def test_another_list_or_exclusion_changes_the_outcome_without_code(fy2024):
    fy2024.excluded_countries = ["CN", "VN"]
    fy2024.save()
    assert not selectors.country_is_eligible(cycle=fy2024, country_code="VN")
    fy2024.excluded_countries = []
    fy2024.save()
    assert selectors.country_is_eligible(cycle=fy2024, country_code="CN")


def test_loading_twice_changes_nothing(fy2024):
    again = services.cycle_load_file(name="fy2024")
    assert again.pk == fy2024.pk
    assert ProgramCycle.objects.count() == 1
    assert again.courses.count() == 2
    assert again.milestones.count() == 9


@pytest.mark.parametrize(
    ("moment", "state"),
    [
        (dt.datetime(2024, 3, 31, 23, 59, 59, tzinfo=JST), "upcoming"),
        (dt.datetime(2024, 4, 1, 0, 0, tzinfo=JST), "open"),
        (dt.datetime(2024, 6, 30, 23, 59, 59, tzinfo=JST), "open"),
        (dt.datetime(2024, 7, 1, 0, 0, tzinfo=JST), "closed"),
        # 30 June 15:00 UTC is already 1 July in Japan: the deadline is JST, not the server's zone.
        (dt.datetime(2024, 6, 30, 15, 0, tzinfo=dt.UTC), "closed"),
        (dt.datetime(2024, 6, 30, 14, 59, tzinfo=dt.UTC), "open"),
    ],
)
def test_deadline_is_the_end_of_the_day_in_japan(fy2024, moment, state):
    with time_machine.travel(moment, tick=False):
        status = selectors.cycle_deadline_status(cycle=fy2024)
    assert status.state == state


def test_countdown_counts_to_the_end_of_the_deadline_day(fy2024):
    with time_machine.travel(dt.datetime(2024, 6, 28, 10, 30, tzinfo=JST), tick=False):
        status = selectors.cycle_deadline_status(cycle=fy2024)
    assert (status.days, status.hours, status.minutes) == (2, 13, 30)
    assert status.deadline_at == dt.datetime(2024, 7, 1, tzinfo=JST)


def test_copy_moves_every_date_and_keeps_the_rules(fy2024):
    copy = services.cycle_copy(source=fy2024, fiscal_year=2025)
    assert copy.application_deadline == dt.date(2025, 6, 30)
    assert copy.age_reference_date == dt.date(2025, 8, 1)
    assert copy.excluded_participation_to_fy == 2024
    assert copy.company_cap == 60 and not copy.is_published
    assert [c.code for c in copy.excluded_countries] == ["CN"]
    assert copy.courses.count() == 2 and copy.milestones.count() == 9
    assert AuditEntry.objects.filter(action="cycle.copied", target_id=str(copy.pk)).exists()
    with pytest.raises(ValidationError):
        services.cycle_copy(source=fy2024, fiscal_year=2025)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"application_deadline": dt.date(2024, 3, 1)}, "application_deadline"),
        ({"age_max": 17}, "age_max"),
        ({"excluded_participation_to_fy": 2010}, "excluded_participation_to_fy"),
        ({"excluded_participation_to_fy": None}, "excluded_participation_to_fy"),
    ],
)
def test_a_cycle_with_inconsistent_rules_is_refused(fy2024, changes, field):
    for key, value in changes.items():
        setattr(fy2024, key, value)
    with pytest.raises(ValidationError) as exc:
        fy2024.full_clean()
    assert field in exc.value.message_dict


def test_the_cached_country_list_follows_changes_to_its_rows(fy2024, django_assert_num_queries):
    list_id = fy2024.country_list_id
    assert "VN" in selectors.country_codes_on_list(country_list_id=list_id)
    with django_assert_num_queries(0):
        selectors.country_codes_on_list(country_list_id=list_id)
    fy2024.country_list.countries.get(country="VN").delete()
    assert "VN" not in selectors.country_codes_on_list(country_list_id=list_id)
