"""What internships does when matching tells it something: matching does not know internships exists."""

from django.dispatch import receiver

from matching.signals import placement_created

from .services.placements import internship_start


@receiver(placement_created, dispatch_uid="internships.internship_start")
def internship_start_with_placement(sender, *, placement, by, **kwargs) -> None:
    internship_start(placement=placement, by=by)
