"""A placement is made once, when both sides accept a match; its internship record starts with it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jip.audit import audit_record
from jip.models import User

from ..models import Internship, Placement
from .preparation import internship_checklist_create


@transaction.atomic
def placement_create(*, match, by: User | None) -> Placement:
    """Mutual agreement makes the placement final (docs/program.md §10); the internship starts as "preparing".

    Called by the matching service when the second side accepts; one placement per application.
    """
    application = match.application
    if Placement.objects.filter(application=application).exists():
        raise ValidationError(_("This applicant has a placement already."), code="placed")
    position = match.position
    placement = Placement.objects.create(
        match=match, cycle_id=application.cycle_id, application=application, position=position,
        course=match.course,
    )  # fmt: skip
    internship = Internship.objects.create(
        placement=placement, starts_on=position.starts_on, ends_on=position.ends_on,
        mentor_name=position.mentor_name, mentor_title=position.mentor_title,
    )  # fmt: skip
    internship_checklist_create(internship=internship, by=by)
    audit_record(actor=by, action="placement.create", target=placement, data={"match": match.pk})
    return placement
