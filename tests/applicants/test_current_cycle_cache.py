"""The current cycle goes through the cache framework (jip.selectors.cycle_current), one copy per request.

The suite runs with this caching on, as in production; each test starts with the caches empty
(tests/conftest.py).
"""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from jip import selectors
from jip.models import ProgramCycle

pytestmark = pytest.mark.django_db


def test_the_current_cycle_is_read_once_then_kept(fy2024, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = selectors.cycle_current()
    with django_assert_num_queries(0):
        again = selectors.cycle_current()
        assert again.country_list.code == first.country_list.code  # the list comes with it
    assert first.pk == again.pk == fy2024.pk
    assert again is not first  # a copy for each reader: no request changes another's


def test_no_current_cycle_is_kept_too(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert selectors.cycle_current() is None
    with django_assert_num_queries(0):
        assert selectors.cycle_current() is None


def test_a_request_reads_it_once_and_keeps_its_own_copy(rf, fy2024, django_assert_num_queries):
    first_request, second_request = rf.get("/"), rf.get("/")
    with django_assert_num_queries(1):
        cycle = selectors.cycle_current_for(first_request)
        assert selectors.cycle_current_for(first_request) is cycle
    with django_assert_num_queries(0):
        other = selectors.cycle_current_for(second_request)
        assert selectors.cycle_current_for(second_request) is other
    assert other.pk == cycle.pk
    assert other is not cycle


def test_pages_read_it_from_the_cache(client, fy2024, django_assert_num_queries):
    with django_assert_num_queries(5):  # the header and the page share one read
        assert client.get(reverse("home")).status_code == 200
    with django_assert_num_queries(4):
        assert client.get(reverse("home")).status_code == 200


def test_saving_a_cycle_or_its_list_forgets_it_at_once(fy2024):
    selectors.cycle_current()
    fy2024.name_en = "Renamed program"
    fy2024.save()
    assert selectors.cycle_current().name_en == "Renamed program"
    country_list = fy2024.country_list
    country_list.name = "Renamed list"
    country_list.save()
    assert selectors.cycle_current().country_list.name == "Renamed list"
    fy2024.is_published = False
    fy2024.save()
    assert selectors.cycle_current() is None


def test_what_a_page_kept_while_the_change_was_not_committed_is_dropped_on_commit(
    fy2024, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        fy2024.name_en = "Renamed program"
        fy2024.save()
        # Meanwhile another request, which still sees the committed row, reads and keeps the old cycle.
        cache.set(selectors.CURRENT_CYCLE_KEY, (ProgramCycle(pk=fy2024.pk, name_en="Old name"),))
        assert selectors.cycle_current().name_en == "Old name"
    assert selectors.cycle_current().name_en == "Renamed program"


def test_a_change_made_without_signals_shows_within_the_seconds_kept(
    fy2024, time_machine, django_assert_num_queries
):
    start = dt.datetime(2024, 6, 20, 3, 0, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    selectors.cycle_current()
    ProgramCycle.objects.filter(pk=fy2024.pk).update(name_en="Changed elsewhere")  # no signal
    time_machine.move_to(start + dt.timedelta(seconds=selectors.CURRENT_CYCLE_SECONDS - 1), tick=False)
    assert selectors.cycle_current().name_en != "Changed elsewhere"
    time_machine.move_to(start + dt.timedelta(seconds=selectors.CURRENT_CYCLE_SECONDS + 1), tick=False)
    with django_assert_num_queries(1):
        assert selectors.cycle_current().name_en == "Changed elsewhere"


def test_the_deadline_of_a_submission_is_the_cycles_own_not_the_kept_copy(
    client, applicant, draft, in_window
):
    client.force_login(applicant)
    assert client.get(reverse("applicants:entry_review")).status_code == 200  # the cache holds the cycle
    # The office moves the deadline to yesterday without the signal (as a direct update would).
    yesterday = in_window.date() - dt.timedelta(days=1)
    ProgramCycle.objects.filter(pk=draft.cycle_id).update(application_deadline=yesterday)
    response = client.post(reverse("applicants:entry_submit"))
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("deadline has passed" in m for m in messages)


def test_a_cycle_withdrawn_elsewhere_takes_no_more_submissions(client, applicant, draft, in_window):
    client.force_login(applicant)
    assert client.get(reverse("applicants:entry_review")).status_code == 200  # the cache holds the cycle
    ProgramCycle.objects.filter(pk=draft.cycle_id).update(is_published=False)  # no signal reaches here
    response = client.post(reverse("applicants:entry_submit"))
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert any("not open" in str(m) for m in response.wsgi_request._messages)
