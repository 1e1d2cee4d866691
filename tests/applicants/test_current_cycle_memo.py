"""Each process keeps the current cycle for a few seconds (jip.selectors.cycle_current).

The rest of the suite runs with the memo off (tests/conftest.py); here it is on, as in production.
"""

import datetime as dt

import pytest
from django.urls import reverse

from jip import selectors
from jip.models import ProgramCycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def memo(monkeypatch):
    monkeypatch.setattr(selectors, "CURRENT_CYCLE_SECONDS", 5.0)
    selectors.cycle_current_forget()
    yield
    selectors.cycle_current_forget()


def test_the_current_cycle_is_read_once_then_kept(fy2024, memo, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = selectors.cycle_current()
    with django_assert_num_queries(0):
        again = selectors.cycle_current()
        assert again.country_list.code  # the list comes with it
    assert first.pk == fy2024.pk
    assert again is first


def test_saving_a_cycle_or_its_list_forgets_it_at_once(fy2024, memo):
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


def test_a_change_made_elsewhere_shows_within_the_seconds_kept(fy2024, memo, django_assert_num_queries):
    selectors.cycle_current()
    # As another process would change it: no signal reaches this one.
    ProgramCycle.objects.filter(pk=fy2024.pk).update(name_en="Changed elsewhere")
    assert selectors.cycle_current().name_en != "Changed elsewhere"
    read_at, cycle = selectors._current_cycle
    selectors._current_cycle = (read_at - selectors.CURRENT_CYCLE_SECONDS, cycle)
    with django_assert_num_queries(1):
        assert selectors.cycle_current().name_en == "Changed elsewhere"


def test_pages_read_it_once_per_process(client, fy2024, memo, django_assert_num_queries):
    client.get(reverse("home"))
    with django_assert_num_queries(4):  # 5 with the cycle read (tests/jip/test_pages.py)
        assert client.get(reverse("home")).status_code == 200


def test_the_deadline_of_a_submission_is_the_cycles_own_not_the_kept_copy(
    client, applicant, draft, in_window, memo
):
    client.force_login(applicant)
    assert client.get(reverse("applicants:entry_review")).status_code == 200  # the memo holds the cycle
    # The office moves the deadline to yesterday from another process: this one still holds the old copy.
    yesterday = in_window.date() - dt.timedelta(days=1)
    ProgramCycle.objects.filter(pk=draft.cycle_id).update(application_deadline=yesterday)
    response = client.post(reverse("applicants:entry_submit"))
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("deadline has passed" in m for m in messages)


def test_a_cycle_withdrawn_elsewhere_takes_no_more_submissions(client, applicant, draft, in_window, memo):
    client.force_login(applicant)
    assert client.get(reverse("applicants:entry_review")).status_code == 200  # the memo holds the cycle
    ProgramCycle.objects.filter(pk=draft.cycle_id).update(is_published=False)  # no signal reaches here
    response = client.post(reverse("applicants:entry_submit"))
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert any("not open" in str(m) for m in response.wsgi_request._messages)
