"""The applicant's side of matching: referrals, interview times in two zones, iCal, ranking, answering."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from jip import clock
from matching import services
from matching.models import InterviewStatus, MatchDecision, Placement, ReferralStatus

from ..factories import UserFactory

pytestmark = pytest.mark.django_db
PAGE = reverse("matching:referrals")


@pytest.fixture
def applicant_client(client, pool_application):
    client.force_login(pool_application.applicant)
    return client


@pytest.fixture
def interview(referral, manager):
    start = (clock.now() + dt.timedelta(days=3)).astimezone(clock.JST).replace(hour=10, minute=0, second=0,
                                                                             microsecond=0)  # fmt: skip
    return services.interview_propose(
        referral=referral, mode="online", place="https://meet.example/x", duration_minutes=45,
        slots=[start, start + dt.timedelta(days=1)], by=manager,
    )  # fmt: skip


def test_the_page_shows_referrals_and_times_in_two_zones(applicant_client, interview):
    response = applicant_client.get(PAGE)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Overseas sales assistant" in text
    # The applicant lives in Thailand (UTC+7): 10:00 JST is 08:00 in Bangkok.
    assert "Asia/Bangkok" in text
    assert "08:00" in text and "10:00 JST" in text


def test_choosing_a_time_then_the_calendar_file(applicant_client, interview):
    slot = interview.slots.all()[1]
    response = applicant_client.post(
        reverse("matching:interview_choose", args=[interview.pk]), {"slot": slot.pk}
    )
    assert response.status_code == 302
    interview.refresh_from_db()
    assert (interview.status, interview.chosen_slot_id) == (InterviewStatus.SCHEDULED, slot.pk)
    ics = applicant_client.get(reverse("matching:interview_ics", args=[interview.pk]))
    assert ics["Content-Type"] == "text/calendar; charset=utf-8"
    event = next(c for c in Calendar.from_ical(ics.content).walk() if c.name == "VEVENT")
    assert event.decoded("dtstart") == slot.starts_at.astimezone(dt.UTC)
    assert event.decoded("dtend") - event.decoded("dtstart") == dt.timedelta(minutes=45)
    assert "Overseas sales assistant" in str(event["summary"])


@pytest.mark.parametrize("slot", ["", "abc", "999999"])
def test_a_bad_slot_is_refused_with_a_message(applicant_client, interview, slot):
    response = applicant_client.post(
        reverse("matching:interview_choose", args=[interview.pk]), {"slot": slot}, follow=True
    )
    assert response.status_code == 200
    assert "Choose one of the proposed times." in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.PROPOSED


def test_ranking_is_saved_and_bad_ranks_are_refused_beside_the_field(
    applicant_client, referral, other_referral
):
    url = reverse("matching:ranking_save")
    bad = applicant_client.post(
        url, {f"ranking-rank_{referral.pk}": "1", f"ranking-rank_{other_referral.pk}": "1"}
    )
    assert bad.status_code == 400
    assert "Two positions cannot share rank 1." in bad.content.decode()
    for value, message in (("0", "Use 1 for your first choice."), ("x", "Enter a whole number.")):
        response = applicant_client.post(url, {f"ranking-rank_{referral.pk}": value})
        assert response.status_code == 400
        assert message in response.content.decode()
    ok = applicant_client.post(
        url, {f"ranking-rank_{referral.pk}": "2", f"ranking-rank_{other_referral.pk}": "1"}
    )
    assert ok.status_code == 302
    referral.refresh_from_db()
    other_referral.refresh_from_db()
    assert (referral.applicant_rank, other_referral.applicant_rank) == (2, 1)


def test_declining_a_referral(applicant_client, referral):
    url = reverse("matching:referral_decline", args=[referral.pk])
    assert applicant_client.get(url).status_code == 200
    response = applicant_client.post(url, {"reason": "I took another offer"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    assert applicant_client.get(url).status_code == 404


def test_answering_a_published_match_makes_the_placement(applicant_client, referral, staff, manager, cycle):
    referral.applicant_rank = referral.company_rank = 1
    referral.save()
    matching_round = services.round_run(cycle=cycle, by=staff)
    services.round_approve(matching_round=matching_round, note="Committee", by=staff)
    services.round_publish(matching_round=matching_round, by=staff)
    match = matching_round.matches.get()
    services.match_respond(match=match, party="company", accept=True, by=manager)
    page = applicant_client.get(PAGE).content.decode()
    assert "Accept the match" in page
    bad = applicant_client.post(
        reverse("matching:match_answer", args=[match.pk]), {"answer": "maybe"}, follow=True
    )
    assert "Choose accept or decline." in bad.content.decode()
    applicant_client.post(reverse("matching:match_answer", args=[match.pk]), {"answer": "accept"})
    match.refresh_from_db()
    assert match.applicant_decision == MatchDecision.ACCEPTED
    assert Placement.objects.filter(match=match).exists()
    assert "Placement final" in applicant_client.get(PAGE).content.decode()


def test_another_applicant_reaches_nothing(client, referral, interview, staff, cycle):
    client.force_login(UserFactory())
    assert "Overseas sales assistant" not in client.get(PAGE).content.decode()
    for url in (
        reverse("matching:referral_decline", args=[referral.pk]),
        reverse("matching:interview_ics", args=[interview.pk]),
    ):
        assert client.get(url).status_code == 404
    slot = interview.slots.first()
    assert (
        client.post(reverse("matching:interview_choose", args=[interview.pk]), {"slot": slot.pk}).status_code
        == 404
    )
    referral.applicant_rank = referral.company_rank = 1
    referral.save()
    matching_round = services.round_run(cycle=cycle, by=staff)
    services.round_approve(matching_round=matching_round, note="Committee", by=staff)
    services.round_publish(matching_round=matching_round, by=staff)
    match = matching_round.matches.get()
    assert (
        client.post(reverse("matching:match_answer", args=[match.pk]), {"answer": "accept"}).status_code
        == 404
    )


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_page_query_count_is_fixed(
    applicant_client, referral, interview, refer, manager, django_assert_num_queries, cycle
):
    from ..factories import PositionFactory

    def page_queries():
        applicant_client.get(PAGE)  # the first request keeps the current cycle in the cache
        with django_assert_num_queries(QUERIES):
            assert applicant_client.get(PAGE).status_code == 200

    page_queries()
    for _ in range(4):
        position = PositionFactory(company=referral.position.company, cycle=cycle, status="approved")
        new = refer(referral.application, position)
        services.interview_propose(
            referral=new, mode="on_site", place="Nagoya", duration_minutes=30,
            slots=[clock.now() + dt.timedelta(days=2), clock.now() + dt.timedelta(days=3)], by=manager,
        )  # fmt: skip
    page_queries()


QUERIES = 5
