from django.contrib import admin
from django.urls import include, path

from . import views
from .site import dashboard

urlpatterns = [
    path("", views.home, name="home"),
    path("cycles/<int:fiscal_year>/", views.cycle_detail, name="cycle_detail"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("", include("applicants.urls")),
    path("company/", include("companies.urls")),
    path("", include("matching.urls")),
    path("internship/", include("internships.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
