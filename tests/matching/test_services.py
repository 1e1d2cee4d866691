"""Matching's services: referrals, interviews, rankings, rounds and answers, each change audited."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from applicants.models import ApplicationStatus
from internships.models import Internship
from jip import clock
from jip.models import AuditEntry
from matching import rounds, services
from matching.models import (
    InterviewStatus,
    MatchDecision,
    PairConstraintKind,
    Placement,
    ReferralStatus,
    RoundStatus,
)

from ..factories import (
    ApplicationFactory,
    CompanyManagerFactory,
    HostCompanyFactory,
    PositionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _future(hours: int) -> dt.datetime:
    return clock.now().replace(microsecond=0) + dt.timedelta(hours=hours)


def _rank_both(referral, company_rank=1, applicant_rank=1):
    referral.company_rank, referral.applicant_rank = company_rank, applicant_rank
    referral.save(update_fields=["company_rank", "applicant_rank"])


def _run_and_publish(cycle, staff):
    matching_round = services.round_run(cycle=cycle, by=staff)
    services.round_approve(matching_round=matching_round, note="Committee of 1 August, ref. 12", by=staff)
    return services.round_publish(matching_round=matching_round, by=staff)


# --- Referrals ---------------------------------------------------------------------------------------


def test_a_referral_keeps_the_fit_and_tells_both_sides(
    refer, pool_application, position, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = refer(pool_application, position)
    assert referral.status == ReferralStatus.REFERRED
    assert referral.fits is True
    assert [item["criterion"] for item in referral.fit] == [
        "course",
        "japanese",
        "english",
        "skills",
        "conditions",
    ]
    assert AuditEntry.objects.filter(action="referral.create", target_id=str(referral.pk)).count() == 1
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == ["an.nguyen@applicant.example", "manager@seiko.example"]


def test_a_pair_that_does_not_fit_is_referred_with_its_warning(make_pool_application, position, refer):
    application = make_pool_application(jlpt_level=5, course_preference="online")
    referral = refer(application, position)
    assert referral.fits is False
    warnings = {item["criterion"] for item in referral.fit if item["outcome"] == "warning"}
    assert warnings == {"course", "japanese"}


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"application_status": ApplicationStatus.SUBMITTED}, "not_in_pool"),
        ({"position_status": "submitted"}, "position"),
        ({"company_status": "pending"}, "position"),
    ],
)
def test_referral_refusals(pool_application, position, staff, change, code):
    if "application_status" in change:
        pool_application.status = change["application_status"]
        pool_application.save()
    if "position_status" in change:
        position.status = change["position_status"]
        position.save()
    if "company_status" in change:
        position.company.status = change["company_status"]
        position.company.save()
    with pytest.raises(ValidationError) as error:
        services.referral_create(application=pool_application, position=position, by=staff)
    assert error.value.code == code


def test_a_pair_is_referred_once_and_again_after_a_withdrawal(referral, staff):
    with pytest.raises(ValidationError) as error:
        services.referral_create(application=referral.application, position=referral.position, by=staff)
    assert error.value.code == "duplicate"
    services.referral_withdraw(referral=referral, by=staff, reason="Wrong position")
    again = services.referral_create(application=referral.application, position=referral.position, by=staff)
    assert again.pk == referral.pk
    assert again.status == ReferralStatus.REFERRED


def test_bulk_referral_lists_each_refusal(make_pool_application, position, other_position, staff, cycle):
    ready = make_pool_application()
    not_ready = ApplicationFactory(cycle=cycle, status=ApplicationStatus.SUBMITTED)
    outcome = services.referrals_create(
        applications=[ready, not_ready], positions=[position, other_position], by=staff
    )
    assert len(outcome.created) == 2
    assert [(a.pk, p.pk) for a, p, _reason in outcome.refused] == [
        (not_ready.pk, position.pk),
        (not_ready.pk, other_position.pk),
    ]


# --- Interviews --------------------------------------------------------------------------------------


def test_an_interview_from_proposal_to_outcome(referral, manager):
    slots = [_future(48), _future(72)]
    interview = services.interview_propose(
        referral=referral, mode="online", place="https://meet.example/abc", slots=slots, duration_minutes=45,
        by=manager,
    )  # fmt: skip
    assert interview.status == InterviewStatus.PROPOSED
    assert [s.starts_at for s in interview.slots.all()] == slots
    chosen = interview.slots.all()[1]
    services.interview_slot_choose(interview=interview, slot=chosen, by=referral.application.applicant)
    interview.refresh_from_db()
    assert (interview.status, interview.chosen_slot_id) == (InterviewStatus.SCHEDULED, chosen.pk)
    with pytest.raises(ValidationError) as early:
        services.interview_outcome_record(interview=interview, outcome="would_host", note="", by=manager)
    assert early.value.code == "not_yet"
    with time_machine.travel(chosen.starts_at + dt.timedelta(minutes=50)):
        services.interview_outcome_record(interview=interview, outcome="would_host", note="Good", by=manager)
    interview.refresh_from_db()
    assert (interview.status, interview.outcome) == (InterviewStatus.COMPLETED, "would_host")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"slots": []}, "slots"),
        ({"slots": [_future(-1)]}, "slots"),
        ({"slots": [_future(24 + i) for i in range(6)]}, "slots"),
        ({"place": " "}, "place"),
        ({"mode": "telepathy"}, "mode"),
        ({"duration_minutes": 5}, "duration_minutes"),
    ],
)
def test_interview_proposals_refused_beside_the_field(referral, manager, kwargs, field):
    values = {"mode": "on_site", "place": "Nagoya office", "slots": [_future(30)], "duration_minutes": 30}
    values.update(kwargs)
    with pytest.raises(ValidationError) as error:
        services.interview_propose(referral=referral, by=manager, **values)
    assert field in error.value.message_dict


def test_a_past_slot_cannot_be_chosen(referral, manager):
    interview = services.interview_propose(
        referral=referral, mode="on_site", place="Nagoya", slots=[_future(2)], duration_minutes=30, by=manager
    )
    with time_machine.travel(clock.now() + dt.timedelta(hours=3)), pytest.raises(ValidationError):
        services.interview_slot_choose(
            interview=interview, slot=interview.slots.get(), by=referral.application.applicant
        )


def test_declining_a_referral_cancels_its_interview(referral, manager):
    interview = services.interview_propose(
        referral=referral,
        mode="on_site",
        place="Nagoya",
        slots=[_future(30)],
        duration_minutes=30,
        by=manager,
    )
    services.referral_decline(referral=referral, by=referral.application.applicant, reason="Found another")
    interview.refresh_from_db()
    referral.refresh_from_db()
    assert (referral.status, interview.status) == (ReferralStatus.DECLINED, InterviewStatus.DECLINED)


# --- Rankings ----------------------------------------------------------------------------------------


def test_rankings_are_stored_and_refused_when_repeated(referral, other_referral, manager):
    application = referral.application
    services.applicant_ranking_set(
        application=application, order=[other_referral.pk, referral.pk], by=application.applicant
    )
    referral.refresh_from_db()
    other_referral.refresh_from_db()
    assert (other_referral.applicant_rank, referral.applicant_rank) == (1, 2)
    with pytest.raises(ValidationError):
        services.applicant_ranking_set(application=application, order=[referral.pk, referral.pk], by=manager)


def test_a_candidate_the_company_would_not_host_cannot_be_ranked(referral, manager):
    interview = services.interview_propose(
        referral=referral,
        mode="on_site",
        place="Nagoya",
        slots=[_future(30)],
        duration_minutes=30,
        by=manager,
    )
    services.interview_slot_choose(
        interview=interview, slot=interview.slots.get(), by=referral.application.applicant
    )
    with time_machine.travel(_future(31)):
        services.interview_outcome_record(interview=interview, outcome="would_not_host", note="", by=manager)
    with pytest.raises(ValidationError):
        services.company_ranking_set(position=referral.position, order=[referral.pk], by=manager)


# --- Rounds ------------------------------------------------------------------------------------------


def test_a_round_from_run_to_placement(referral, staff, manager, cycle, django_capture_on_commit_callbacks):
    _rank_both(referral)
    matching_round = services.round_run(cycle=cycle, by=staff)
    assert matching_round.status == RoundStatus.PROPOSED
    assert matching_round.is_stable is True
    match = matching_round.matches.get()
    assert (match.application_id, match.position_id, match.course) == (
        referral.application_id, referral.position_id, "in_person",
    )  # fmt: skip
    assert match.explanation == [{"code": "matched", "unit": [referral.position_id, "in_person"],
                                  "params": {"choice": 1}}]  # fmt: skip
    assert not Placement.objects.exists()  # a proposal is never applied directly

    with pytest.raises(ValidationError):
        services.round_publish(matching_round=matching_round, by=staff)  # not approved yet
    services.round_approve(matching_round=matching_round, note="Committee of 1 August", by=staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.round_publish(matching_round=matching_round, by=staff)
    assert sorted(a for m in mail.outbox for a in m.to) == [
        "an.nguyen@applicant.example",
        "manager@seiko.example",
    ]

    services.match_respond(match=match, party="applicant", accept=True, by=referral.application.applicant)
    assert not Placement.objects.exists()
    services.match_respond(match=match, party="company", accept=True, by=manager)
    placement = Placement.objects.get()
    assert (placement.application_id, placement.position_id, placement.course) == (
        referral.application_id, referral.position_id, "in_person",
    )  # fmt: skip
    assert Internship.objects.get(placement=placement).status == "preparing"
    with pytest.raises(ValidationError):
        services.match_respond(match=match, party="company", accept=False, by=manager)


def test_a_refusal_frees_the_place_for_the_next_round(
    referral, make_pool_application, refer, staff, manager, cycle
):
    second = refer(make_pool_application(), referral.position)
    _rank_both(referral, company_rank=1)
    _rank_both(second, company_rank=2)
    first_round = _run_and_publish(cycle, staff)
    match = first_round.matches.get()
    assert match.application_id == referral.application_id
    services.match_respond(match=match, party="applicant", accept=False, by=referral.application.applicant)

    next_round = services.round_run(cycle=cycle, by=staff)
    assert [m.application_id for m in next_round.matches.all()] == [second.application_id]
    assert next_round.number == first_round.number + 1


def test_an_unanswered_match_keeps_its_place_in_the_next_round(
    referral, make_pool_application, refer, staff, cycle
):
    second = refer(make_pool_application(), referral.position)
    _rank_both(referral, company_rank=1)
    _rank_both(second, company_rank=2)
    _run_and_publish(cycle, staff)
    next_round = services.round_run(cycle=cycle, by=staff)
    assert next_round.matches.count() == 0
    assert next_round.report["unmatched"][str(second.application_id)][0]["code"] in {
        "no_places",
        "no_preferences",
    }


def test_only_pairs_both_sides_ranked_are_matched(referral, staff, cycle):
    referral.applicant_rank = 1
    referral.save()
    matching_round = services.round_run(cycle=cycle, by=staff)
    assert matching_round.matches.count() == 0
    reasons = matching_round.report["unmatched"][str(referral.application_id)]
    assert {r["code"] for r in reasons} & {"not_ranked_by_unit", "no_preferences"}


def test_withdrawn_applicants_and_positions_leave_the_round(referral, other_referral, staff, manager, cycle):
    _rank_both(referral)
    _rank_both(other_referral, applicant_rank=2)
    referral.position.status = "withdrawn"
    referral.position.save()
    matching_round = services.round_run(cycle=cycle, by=staff)
    assert [m.position_id for m in matching_round.matches.all()] == [other_referral.position_id]
    application = referral.application
    application.status = ApplicationStatus.WITHDRAWN
    application.save()
    assert services.round_run(cycle=cycle, by=staff).matches.count() == 0


def test_ties_are_broken_by_referral_order_and_reported(make_pool_application, refer, position, staff, cycle):
    first, second = (refer(make_pool_application(), position) for _ in range(2))
    _rank_both(first, company_rank=1)
    _rank_both(second, company_rank=1)
    matching_round = services.round_run(cycle=cycle, by=staff)
    assert [m.application_id for m in matching_round.matches.all()] == [first.application_id]
    codes = [m["code"] for m in matching_round.report["messages"]]
    assert "tie_company" in codes
    text = rounds.describe_message(
        next(m for m in matching_round.report["messages"] if m["code"] == "tie_company")
    )
    assert "same rank" in text


def test_places_per_course_and_an_applicant_for_both(make_pool_application, refer, company, cycle, staff):
    both = PositionFactory(company=company, cycle=cycle, status="approved", course="both", interns=2,
                           interns_online=1)  # fmt: skip
    online_only = make_pool_application(course_preference="online")
    either = make_pool_application(course_preference="both")
    in_person = make_pool_application(course_preference="in_person")
    for rank, application in enumerate([online_only, either, in_person], start=1):
        _rank_both(refer(application, both), company_rank=rank)
    matching_round = services.round_run(cycle=cycle, by=staff)
    got = {m.application_id: m.course for m in matching_round.matches.all()}
    assert got == {online_only.pk: "online", either.pk: "in_person"}


def test_a_position_with_no_place_in_the_course(make_pool_application, refer, company, cycle, staff):
    position = PositionFactory(company=company, cycle=cycle, status="approved", course="both", interns=1,
                               interns_online=1)  # fmt: skip
    application = make_pool_application(course_preference="in_person")
    _rank_both(refer(application, position))
    matching_round = services.round_run(cycle=cycle, by=staff)
    assert matching_round.matches.count() == 0
    reasons = matching_round.report["unmatched"][str(application.pk)]
    assert [r["code"] for r in reasons] == ["no_preferences"]


def test_the_company_cap_leaves_later_companies_out(make_pool_application, refer, cycle, staff):
    cycle.company_cap = 1
    cycle.save()
    positions = []
    for day in (1, 2):
        company = HostCompanyFactory(status="approved")
        CompanyManagerFactory(company=company)
        positions.append(PositionFactory(
            company=company, cycle=cycle, status="approved",
            reviewed_at=dt.datetime(2090, 5, day, tzinfo=dt.UTC),
        ))  # fmt: skip
    for position in positions:
        _rank_both(refer(make_pool_application(), position))
    matching_round = services.round_run(cycle=cycle, by=staff)
    assert [m.position_id for m in matching_round.matches.all()] == [positions[0].pk]
    assert "company_over_cap" in [m["code"] for m in matching_round.report["messages"]]


def test_locked_and_excluded_pairs(referral, other_referral, staff, cycle):
    _rank_both(referral, applicant_rank=1)
    _rank_both(other_referral, applicant_rank=2)
    services.pair_constraint_set(
        application=referral.application, position=referral.position, kind=PairConstraintKind.EXCLUDE,
        reason="The company asked", by=staff,
    )  # fmt: skip
    matching_round = services.round_run(cycle=cycle, by=staff)
    assert [m.position_id for m in matching_round.matches.all()] == [other_referral.position_id]

    services.pair_constraint_set(
        application=referral.application, position=referral.position, kind=PairConstraintKind.LOCK,
        reason="Agreed at the committee", by=staff,
    )  # fmt: skip
    locked_round = services.round_run(cycle=cycle, by=staff)
    match = locked_round.matches.get()
    assert (match.position_id, match.locked) == (referral.position_id, True)
    matching_round.refresh_from_db()
    assert matching_round.status == RoundStatus.DISCARDED  # only the newest proposal counts


def test_a_lock_with_no_course_in_common_is_refused(make_pool_application, refer, position, staff):
    application = make_pool_application(course_preference="online")
    with pytest.raises(ValidationError) as error:
        services.pair_constraint_set(
            application=application, position=position, kind=PairConstraintKind.LOCK, reason="x", by=staff
        )
    assert "course" in error.value.message_dict


def test_an_empty_round_cannot_be_approved(staff, cycle):
    matching_round = services.round_run(cycle=cycle, by=staff)
    assert matching_round.report["figures"]["matched"] == 0
    with pytest.raises(ValidationError) as error:
        services.round_approve(matching_round=matching_round, note="x", by=staff)
    assert error.value.code == "empty"


def test_approval_needs_the_committee_note(referral, staff, cycle):
    _rank_both(referral)
    matching_round = services.round_run(cycle=cycle, by=staff)
    with pytest.raises(ValidationError) as error:
        services.round_approve(matching_round=matching_round, note="  ", by=staff)
    assert "committee_note" in error.value.message_dict


def test_a_match_is_answered_once_per_side(referral, staff, cycle, manager):
    _rank_both(referral)
    match = _run_and_publish(cycle, staff).matches.get()
    services.match_respond(match=match, party="company", accept=False, by=manager)
    match.refresh_from_db()
    assert match.company_decision == MatchDecision.DECLINED
    with pytest.raises(ValidationError):
        services.match_respond(match=match, party="applicant", accept=True, by=referral.application.applicant)
    assert not Placement.objects.exists()


def test_manager_of_another_company_is_not_a_party(referral, staff, cycle):
    _rank_both(referral)
    match = _run_and_publish(cycle, staff).matches.get()
    assert not UserFactory().has_perm("matching.answer_match_as_company", match)


def test_a_match_cannot_be_accepted_once_its_position_or_application_is_withdrawn(
    referral, staff, cycle, manager
):
    _rank_both(referral)
    match = _run_and_publish(cycle, staff).matches.get()
    referral.position.status = "withdrawn"
    referral.position.save()
    with pytest.raises(ValidationError) as error:
        services.match_respond(match=match, party="company", accept=True, by=manager)
    assert error.value.code == "position_withdrawn"
    referral.position.status = "approved"
    referral.position.save()
    referral.application.status = ApplicationStatus.WITHDRAWN
    referral.application.save()
    with pytest.raises(ValidationError) as error:
        services.match_respond(match=match, party="company", accept=True, by=manager)
    assert error.value.code == "application_withdrawn"
    services.match_respond(match=match, party="company", accept=False, by=manager)  # declining stays possible
    assert not Placement.objects.exists()
