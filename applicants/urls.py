from django.urls import path

from .views import applications, entry

app_name = "applicants"

urlpatterns = [
    path("apply/", entry.entry_start, name="entry_start"),
    path("apply/review/", entry.entry_review, name="entry_review"),
    path("apply/submit/", entry.entry_submit, name="entry_submit"),
    path("apply/<slug:step>/", entry.entry_step, name="entry_step"),
    path("applications/<int:pk>/", applications.application_detail, name="application_detail"),
    path("applications/<int:pk>/withdraw/", applications.application_withdraw, name="application_withdraw"),
    path(
        "applications/<int:pk>/documents/<int:document_pk>/upload/",
        applications.document_upload,
        name="document_upload",
    ),
    path("documents/<int:pk>/file/", applications.document_file, name="document_file"),
]
