from django.urls import path

from .views import agreements, daily_reports, funds, preparation

app_name = "internships"

urlpatterns = [
    # Agreements: the parties' list, reading and signing, and the PDFs.
    path("agreements/", agreements.agreement_list, name="agreement_list"),
    path("agreements/<int:pk>/", agreements.agreement_detail, name="agreement_detail"),
    path(
        "agreements/versions/<int:pk>/file/", agreements.agreement_version_file, name="agreement_version_file"
    ),
    # Preparation: the internship's page, its schedule and its checklist.
    path("", preparation.my_internship, name="my_internship"),
    path("schedule.ics", preparation.my_schedule_ics, name="my_schedule_ics"),
    path("events/<int:pk>.ics", preparation.my_event_ics, name="my_event_ics"),
    path("pc/request/", preparation.pc_request, name="pc_request"),
    path("interns/<int:pk>/", preparation.internship_detail, name="internship_detail"),
    path("company/", preparation.company_internships, name="company_internships"),
    path("company/schedule.ics", preparation.company_schedule_ics, name="company_schedule_ics"),
    path("company/events/<int:pk>.ics", preparation.company_event_ics, name="company_event_ics"),
    path("company/interns/<int:pk>/pc/", preparation.company_pc_update, name="company_pc_update"),
    # Daily reports: the intern's calendar and days, the company's inbox and interns.
    path("reports/", daily_reports.my_daily_reports, name="my_daily_reports"),
    path("reports/<str:day>/", daily_reports.my_daily_report, name="my_daily_report"),
    path("company/reports/", daily_reports.company_daily_reports, name="company_daily_reports"),
    path(
        "company/reports/approve/",
        daily_reports.company_daily_reports_approve,
        name="company_daily_reports_approve",
    ),
    path(
        "company/reports/<int:pk>/return/",
        daily_reports.company_daily_report_return,
        name="company_daily_report_return",
    ),
    path(
        "company/interns/<int:pk>/reports/",
        daily_reports.company_intern_reports,
        name="company_intern_reports",
    ),
    path("company/interns/<int:pk>/mentor/", daily_reports.company_mentor_set, name="company_mentor_set"),
    path(
        "company/interns/<int:pk>/extra-days/",
        daily_reports.company_extra_day_add,
        name="company_extra_day_add",
    ),
    # Activity-support funds: the intern's statements.
    path("funds/", funds.my_statements, name="my_statements"),
    path("funds/<int:pk>/", funds.my_statement, name="my_statement"),
]
