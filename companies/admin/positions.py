"""Internship positions: the plan as the company's managers described it, the office's review, and the
cycle's company cap above the list (docs/program.md §7)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from jip import selectors
from jip.models import ProgramCycle

from .. import services
from ..models import Position, PositionStatus
from ..resources import PositionResource
from .review import ChoicesInUseFilter, ReviewAdmin, ReviewForm


def _titled(filter_class: type, title) -> type:
    """A list filter under a title of its own (a company's field seen from the list of positions)."""

    def __init__(self, *args, **kwargs):
        filter_class.__init__(self, *args, **kwargs)
        self.title = title

    return type(f"Titled{filter_class.__name__}", (filter_class,), {"__init__": __init__})


def cycles_with_hosting(cycles=None):
    """Cycles, each with `hosting`: how many host companies have an approved position in it (the cap's count,
    as `services.position_review` counts it), in one aggregate query."""
    cycles = ProgramCycle.objects.all() if cycles is None else cycles
    return cycles.annotate(
        hosting=Count(
            "positions__company", filter=Q(positions__status=PositionStatus.APPROVED), distinct=True
        )
    )


def cap_status(cycle: ProgramCycle) -> dict:
    return {
        "cycle": cycle,
        "hosting": cycle.hosting,
        "cap": cycle.company_cap,
        "reached": cycle.hosting >= cycle.company_cap,
        "text": _("%(cycle)s: %(hosting)s of %(cap)s host companies have an approved position.")
        % {"cycle": cycle.name, "hosting": cycle.hosting, "cap": cycle.company_cap},
    }


class PositionReviewForm(ReviewForm):
    missing_reason = _("Say why the position is not approved.")

    class Meta(ReviewForm.Meta):
        model = Position


class PositionChangeList(ChangeList):
    """The list of positions, with the company cap above it: of the filtered cycle, or the current one."""

    cap_status: dict | None = None

    def get_results(self, request):
        super().get_results(request)
        cycle_id = request.GET.get("cycle__id__exact", "")
        cycles = (
            ProgramCycle.objects.filter(pk=int(cycle_id))
            if cycle_id.isdigit()
            else selectors.cycles_published()
        )
        cycle = cycles_with_hosting(cycles).first()
        self.cap_status = cap_status(cycle) if cycle else None


POSITION_FIELDSETS = (
    (
        None,
        {
            "fields": (
                "title",
                "company",
                "company_qualifies",
                "cycle",
                "cycle_cap",
                "status",
                "review_reason",
                "reviewed_at",
            )
        },
    ),
    (
        _("Internship plan"),
        {
            "fields": (
                "role_and_goals",
                "course",
                "place_prefecture",
                "place_city",
                "starts_on",
                "ends_on",
                "hours_per_week",
                "interns",
                "mentor_name",
                "mentor_title",
            )
        },
    ),
    (_("What the company asks"), {"fields": ("skills", "japanese_level", "english_level", "conditions")}),
    (_("Review"), {"fields": ("decision", "reason")}),
    (_("Record"), {"fields": ("created_at",), "classes": ("collapse",)}),
)


@admin.register(Position)
class PositionAdmin(ReviewAdmin):
    form = PositionReviewForm
    change_list_template = "admin/companies/position/change_list.html"
    resource_classes = [PositionResource]
    statuses = {True: PositionStatus.APPROVED, False: PositionStatus.REJECTED}

    list_display = (
        "title",
        "company_name",
        "cycle",
        "course",
        "place_prefecture",
        "japanese_level",
        "english_level",
        "interns",
        "status",
    )
    list_filter = (
        "cycle",
        "status",
        "course",
        ("place_prefecture", ChoicesInUseFilter),
        "japanese_level",
        "english_level",
        ("company__industry", _titled(admin.ChoicesFieldListFilter, _("company's industry"))),
        ("company__is_eligible", _titled(admin.BooleanFieldListFilter, _("company qualifies (SME)"))),
    )
    list_select_related = ("company", "cycle")
    search_fields = ("title", "company__name_ja", "company__name_en")
    search_help_text = _("The position's title or the company's names.")
    fieldsets = POSITION_FIELDSETS

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("company", "cycle")

    def get_changelist(self, request, **kwargs):
        return PositionChangeList

    @admin.display(description=_("company"), ordering="company__name_en")
    def company_name(self, position: Position):
        url = reverse("admin:companies_hostcompany_change", args=[position.company_id])
        return format_html('<a href="{}">{}</a>', url, position.company.name)

    @admin.display(description=_("company qualifies (SME)"), boolean=True)
    def company_qualifies(self, position: Position) -> bool | None:
        return position.company.is_eligible

    @admin.display(description=_("company cap"))
    def cycle_cap(self, position: Position) -> str:
        cycle = cycles_with_hosting().get(pk=position.cycle_id)
        return cap_status(cycle)["text"]

    def review_call(self, position, *, approve, reason, by):
        services.position_review(position=position, approve=approve, reason=reason, by=by)

    def row_label(self, position: Position) -> str:
        return f"{position.title} ({position.company.name})"

    done_messages = {
        True: ngettext_lazy("%(count)d position approved.", "%(count)d positions approved.", "count"),
        False: ngettext_lazy(
            "%(count)d position not approved; the company's managers are told why.",
            "%(count)d positions not approved; the companies' managers are told why.",
            "count",
        ),
    }
    refused_message = ngettext_lazy(
        "%(count)d position could not be reviewed: %(details)s",
        "%(count)d positions could not be reviewed: %(details)s",
        "count",
    )
