"""Reads for applicants' pages; every query is scoped to the applicant who asks."""

from django.db.models import Prefetch, QuerySet

from jip.models import ProgramCycle

from .models import Application, Document


def applications_of(*, applicant) -> QuerySet[Application]:
    return (
        Application.objects.filter(applicant=applicant)
        .select_related("cycle")
        .order_by("-cycle__fiscal_year")
    )


def application_for(*, applicant, cycle: ProgramCycle) -> Application | None:
    return Application.objects.filter(applicant=applicant, cycle=cycle).select_related("cycle").first()


def application_detail(*, applicant, pk: int) -> Application | None:
    """The applicant's own application with its documents; another applicant's id finds nothing."""
    return (
        Application.objects.filter(applicant=applicant, pk=pk)
        .select_related("cycle", "cycle__country_list")
        .prefetch_related(Prefetch("documents", queryset=Document.objects.order_by("kind")))
        .first()
    )
