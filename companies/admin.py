from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CompanyManager, HostCompany


class CompanyManagerInline(admin.TabularInline):
    model = CompanyManager
    extra = 0
    autocomplete_fields = ("user",)
    readonly_fields = ("added_at",)


@admin.register(HostCompany)
class HostCompanyAdmin(SimpleHistoryAdmin):
    list_display = ("name_en", "name_ja", "corporate_number")
    search_fields = ("name_en", "name_ja", "corporate_number")
    inlines = [CompanyManagerInline]
