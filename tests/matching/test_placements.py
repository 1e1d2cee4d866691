"""Matching ends at the placement: it makes it final and tells the apps that follow, in one transaction."""

import pytest
from django.core.exceptions import ValidationError

from internships.models import Internship
from jip.models import AuditEntry
from matching import services, signals
from matching.models import MatchDecision, Placement

from ..factories import MatchFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def told():
    calls = []

    def listener(sender, *, placement, by, **kwargs):
        calls.append((sender, placement, by))

    signals.placement_created.connect(listener)
    yield calls
    signals.placement_created.disconnect(listener)


def test_a_placement_is_made_once_audited_and_announced(told):
    match = MatchFactory()
    by = UserFactory()

    placement = services.placement_create(match=match, by=by)

    assert (placement.match, placement.application, placement.position, placement.course) == (
        match, match.application, match.position, match.course,
    )  # fmt: skip
    assert placement.cycle_id == match.application.cycle_id
    assert told == [(Placement, placement, by)]
    [entry] = AuditEntry.objects.filter(action="placement.create")
    assert (entry.target_type, entry.target_id, entry.data) == ("matching.placement", str(placement.pk),
                                                                {"match": match.pk})  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.placement_create(match=MatchFactory(application=match.application), by=by)
    assert refused.value.code == "placed"
    assert len(told) == 1


def test_internships_starts_the_internship_and_its_checklist_with_the_placement():
    placement = services.placement_create(match=MatchFactory(course="in_person"), by=None)

    internship = Internship.objects.get(placement=placement)
    assert internship.status == "preparing"
    assert (internship.starts_on, internship.mentor_name) == (placement.position.starts_on,
                                                              placement.position.mentor_name)  # fmt: skip
    assert internship.logistics.count() == 5  # visa, flights, accommodation, insurance, PC
    assert list(
        AuditEntry.objects.filter(target_type="internships.internship")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["internship.start", "internship.checklist_created"]


def test_when_what_follows_fails_no_placement_is_made_and_the_answer_is_not_kept():
    match = MatchFactory(company_decision=MatchDecision.PENDING)
    manager = UserFactory()

    def failing(sender, **kwargs):
        raise RuntimeError("the internship could not start")

    signals.placement_created.connect(failing)
    try:
        with pytest.raises(RuntimeError):
            services.match_respond(match=match, party="company", accept=True, by=manager)
    finally:
        signals.placement_created.disconnect(failing)

    assert not Placement.objects.exists()
    assert not Internship.objects.exists()
    match.refresh_from_db()
    assert match.company_decision == MatchDecision.PENDING
    assert not AuditEntry.objects.filter(action__in=["match.respond", "placement.create"]).exists()
