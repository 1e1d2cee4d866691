from allauth.account.models import EmailAddress
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    AuditEntry,
    Course,
    CourseTerm,
    EligibleCountry,
    EligibleCountryList,
    Milestone,
    ProgramCycle,
    User,
)


class EmailAddressInline(admin.TabularInline):
    model = EmailAddress
    extra = 0
    fields = ("email", "verified", "primary")


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    ordering = ("email",)
    list_display = (
        "email",
        "first_name",
        "last_name",
        "preferred_language",
        "is_staff",
        "is_active",
        "date_joined",
    )
    list_filter = ("is_staff", "is_active", "preferred_language", "groups")
    search_fields = ("email", "first_name", "last_name")
    inlines = [EmailAddressInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "preferred_language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ("last_login", "date_joined")


class CourseTermInline(admin.TabularInline):
    model = CourseTerm
    extra = 0


@admin.register(Course)
class CourseAdmin(SimpleHistoryAdmin):
    list_display = ("cycle", "kind", "support_rate_jpy_per_day", "paid_in_local_currency")
    list_filter = ("cycle", "kind")
    list_select_related = ("cycle",)
    inlines = [CourseTermInline]


class CourseInline(admin.TabularInline):
    model = Course
    extra = 0
    show_change_link = True
    fields = ("kind", "support_rate_jpy_per_day", "paid_in_local_currency")


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ("order", "kind", "starts_on", "ends_on", "note_en", "note_ja")


@admin.register(ProgramCycle)
class ProgramCycleAdmin(SimpleHistoryAdmin):
    list_display = (
        "fiscal_year",
        "name_en",
        "is_published",
        "application_deadline",
        "company_cap",
        "country_list",
    )
    list_filter = ("is_published",)
    list_select_related = ("country_list",)
    search_fields = ("name_en", "name_ja")
    inlines = [CourseInline, MilestoneInline]
    actions = ["copy_to_next_year"]
    fieldsets = (
        (None, {"fields": ("fiscal_year", "name_en", "name_ja", "is_published")}),
        (_("Application window"), {"fields": ("application_opens_on", "application_deadline")}),
        (
            _("Eligibility"),
            {
                "fields": (
                    ("age_min", "age_max", "age_reference_date"),
                    ("excluded_participation_from_fy", "excluded_participation_to_fy"),
                    "jlpt_minimum",
                    "country_list",
                    "excluded_countries",
                )
            },
        ),
        (_("Host companies"), {"fields": ("company_cap",)}),
    )

    @admin.action(description=_("Copy to the next fiscal year (unpublished)"))
    def copy_to_next_year(self, request, queryset):
        for cycle in queryset:
            try:
                new = services.cycle_copy(source=cycle, fiscal_year=cycle.fiscal_year + 1, by=request.user)
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(request, _("Created %(cycle)s.") % {"cycle": new.name_en}, messages.SUCCESS)


class EligibleCountryInline(admin.TabularInline):
    model = EligibleCountry
    extra = 0
    fields = ("country", "name_on_list", "category")


@admin.register(EligibleCountryList)
class EligibleCountryListAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name")
    inlines = [EligibleCountryInline]


@admin.register(EligibleCountry)
class EligibleCountryAdmin(SimpleHistoryAdmin):
    list_display = ("name_on_list", "country", "category", "country_list")
    list_filter = ("country_list", "category")
    list_select_related = ("country_list",)
    search_fields = ("name_on_list",)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "target_type", "target_id")
    list_filter = ("action", "target_type")
    list_select_related = ("actor",)
    search_fields = ("action", "target_id", "actor__email")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
