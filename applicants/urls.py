from django.urls import path

from . import views

app_name = "applicants"

urlpatterns = [
    path("apply/", views.entry_start, name="entry_start"),
    path("apply/review/", views.entry_review, name="entry_review"),
    path("apply/submit/", views.entry_submit, name="entry_submit"),
    path("apply/<slug:step>/", views.entry_step, name="entry_step"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path(
        "applications/<int:pk>/documents/<int:document_pk>/upload/",
        views.document_upload,
        name="document_upload",
    ),
    path("documents/<int:pk>/file/", views.document_file, name="document_file"),
]
