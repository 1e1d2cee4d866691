"""Reads for applicants' pages; every query is scoped to the applicant who asks."""

from django.db.models import QuerySet

from jip.models import ProgramCycle

from .models import Application, Document


def applications_of(*, applicant) -> QuerySet[Application]:
    return (
        Application.objects.filter(applicant=applicant)
        .select_related("cycle")
        .order_by("-cycle__fiscal_year")
    )


def one_or_none(queryset: QuerySet[Application]) -> Application | None:
    """The row of a query on a unique key, or None. Unordered (`order_by()` drops the model's default
    ordering) and without the LIMIT of `first()`: compiling the ORDER BY cost more than PostgreSQL takes to
    find the row, on every call of these hot reads."""
    return next(iter(queryset.order_by()), None)


def application_for(*, applicant, cycle: ProgramCycle) -> Application | None:
    """The applicant's application in the cycle (there is at most one)."""
    application = one_or_none(Application.objects.filter(applicant_id=applicant.pk, cycle_id=cycle.pk))
    if application is not None:
        application.cycle = cycle  # the cycle in hand, rather than joined again
    return application


def application_detail(
    *, applicant, pk: int, current_cycle: ProgramCycle | None = None
) -> Application | None:
    """The applicant's own application; another applicant's id finds nothing.

    Its cycle is `current_cycle` when it is that one (the page's header has read it already); another cycle
    is read when first used.
    """
    application = one_or_none(Application.objects.filter(applicant_id=applicant.pk, pk=pk))
    if application is not None and current_cycle is not None and application.cycle_id == current_cycle.pk:
        application.cycle = current_cycle
    return application


def application_documents(*, application: Application) -> list[Document]:
    return list(Document.objects.filter(application=application).order_by("kind"))
