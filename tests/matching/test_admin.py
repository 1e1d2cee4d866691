"""The office's matching workplace in the admin: referring with the fit shown, running, approving and
publishing a round, fixed pairs; and that only staff reach any of it."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from matching.models import MatchingRound, PairConstraint, Referral, RoundStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client, staff_with_mfa):
    client.force_login(staff_with_mfa)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _refer(client, applications, positions, **extra):
    return client.post(
        reverse("admin:applicants_application_changelist"),
        {"action": "refer_to_positions", "_selected_action": [a.pk for a in applications],
         "positions": [p.pk for p in positions], **extra},
    )  # fmt: skip


def test_refer_shows_the_fit_of_each_pair_then_refers(
    office, make_pool_application, position, other_position
):
    ready = make_pool_application(jlpt_level=5)
    preview = _refer(office, [ready], [position, other_position], preview="1")
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "JLPT N5 is below the N3 asked for." in text
    assert "The company&#x27;s own conditions, to check by hand: Able to join meetings at 10:00 JST." in text
    assert not Referral.objects.exists()

    done = _refer(office, [ready], [position, other_position], confirm="1")
    assert done.status_code == 302
    assert set(Referral.objects.values_list("position_id", flat=True)) == {position.pk, other_position.pk}
    assert "2 referrals made." in messages_of(done)


def test_refer_needs_a_position_and_an_application_in_the_pool(office, make_pool_application, cycle):
    from applicants.models import ApplicationStatus

    from ..factories import ApplicationFactory

    no_position = _refer(office, [make_pool_application()], [], preview="1")
    assert "Choose at least one position." in no_position.content.decode()
    submitted = ApplicationFactory(cycle=cycle, status=ApplicationStatus.SUBMITTED)
    response = _refer(office, [submitted], [], preview="1")
    assert response.status_code == 302
    assert "Only applications in the pool can be referred." in messages_of(response)


def test_run_approve_publish_through_the_admin(office, referral, cycle):
    referral.applicant_rank = referral.company_rank = 1
    referral.save()
    run = office.post(reverse("admin:matching_matchinground_run"), {"cycle": cycle.pk})
    matching_round = MatchingRound.objects.get()
    assert run["Location"] == reverse("admin:matching_matchinground_change", args=[matching_round.pk])
    page = office.get(run["Location"]).content.decode()
    assert "Matched to Overseas sales assistant (In-person internship in Japan), their choice no. 1." in page
    assert "Stable" in page

    empty = office.post(
        reverse("admin:matching_matchinground_approve", args=[matching_round.pk]), {}, follow=True
    )
    assert "Record the committee&#x27;s decision." in empty.content.decode()
    office.post(
        reverse("admin:matching_matchinground_approve", args=[matching_round.pk]),
        {"committee_note": "Screening committee, 1 August 2090, ref. JIP-90-7"},
    )
    matching_round.refresh_from_db()
    assert matching_round.status == RoundStatus.APPROVED
    office.post(reverse("admin:matching_matchinground_publish", args=[matching_round.pk]))
    matching_round.refresh_from_db()
    assert matching_round.status == RoundStatus.PUBLISHED


def test_unmatched_applicants_are_explained(office, referral, staff, cycle):
    from matching import services

    referral.applicant_rank = 1
    referral.save()
    matching_round = services.round_run(cycle=cycle, by=staff)
    page = office.get(
        reverse("admin:matching_matchinground_change", args=[matching_round.pk])
    ).content.decode()
    assert "the company did not rank this candidate" in page or "no position that both sides ranked" in page
    assert referral.application.number in page


def test_a_fixed_pair_is_made_through_the_service(office, referral, staff):
    response = office.post(
        reverse("admin:matching_pairconstraint_add"),
        {"application": referral.application_id, "position": referral.position_id, "kind": "lock",
         "course": "", "reason": "The committee asked"},
    )  # fmt: skip
    assert response.status_code == 302
    constraint = PairConstraint.objects.get()
    assert (constraint.kind, constraint.created_by_id) == ("lock", staff.pk)


def test_round_page_query_count_is_fixed(
    office, referral, make_pool_application, refer, staff, cycle, django_assert_num_queries
):
    from matching import services

    from ..factories import PositionFactory

    def round_page():
        Referral.objects.update(applicant_rank=1, company_rank=1)
        matching_round = services.round_run(cycle=cycle, by=staff)
        url = reverse("admin:matching_matchinground_change", args=[matching_round.pk])
        with django_assert_num_queries(ROUND_PAGE_QUERIES):
            assert office.get(url).status_code == 200

    refer(make_pool_application(), referral.position)  # one matched, one not, from the start
    round_page()
    for _ in range(4):
        position = PositionFactory(company=referral.position.company, cycle=cycle, status="approved")
        refer(make_pool_application(), position)
        refer(make_pool_application(), position)  # one matched, one not
    round_page()


ROUND_PAGE_QUERIES = 10


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:matching_matchinground_changelist"),
        reverse("admin:matching_referral_changelist"),
        reverse("admin:matching_pairconstraint_changelist"),
    ],
)
def test_lists_open_for_staff_only(office, client, referral, url, manager):
    assert office.get(url).status_code == 200
    client.force_login(manager)
    assert client.get(url).status_code in (302, 403)


def test_run_is_refused_to_a_company_manager(client, manager, cycle):
    client.force_login(manager)
    response = client.post(reverse("admin:matching_matchinground_run"), {"cycle": cycle.pk})
    assert response.status_code in (302, 403)
    assert not MatchingRound.objects.exists()
