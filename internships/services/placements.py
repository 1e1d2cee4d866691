"""An internship starts with its placement: the record of its term and mentor, and its course's checklist."""

from django.db import transaction

from jip.audit import audit_record
from jip.models import User
from matching.models import Placement

from ..models import Internship
from .preparation import internship_checklist_create


@transaction.atomic
def internship_start(*, placement: Placement, by: User | None) -> Internship:
    """The internship of a final placement starts as "preparing", with the position's term and mentor, and
    the checklist of its course (docs/program.md §12).

    Run when matching makes a placement final (`matching.signals.placement_created`), in its transaction.
    """
    position = placement.position
    internship = Internship.objects.create(
        placement=placement, starts_on=position.starts_on, ends_on=position.ends_on,
        mentor_name=position.mentor_name, mentor_title=position.mentor_title,
    )  # fmt: skip
    audit_record(actor=by, action="internship.start", target=internship, data={"placement": placement.pk})
    internship_checklist_create(internship=internship, by=by)
    return internship
