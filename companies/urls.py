from django.urls import path

from . import views

app_name = "companies"

urlpatterns = [
    path("", views.company_home, name="home"),
    path("register/", views.company_register, name="register"),
    path("edit/", views.company_edit, name="edit"),
    path("managers/invite/", views.manager_invite, name="manager_invite"),
    path("managers/<int:pk>/remove/", views.manager_remove, name="manager_remove"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("positions/", views.position_list, name="position_list"),
    path("positions/new/", views.position_create, name="position_create"),
    path("positions/<int:pk>/", views.position_detail, name="position_detail"),
    path("positions/<int:pk>/edit/", views.position_edit, name="position_edit"),
    path("positions/<int:pk>/withdraw/", views.position_withdraw, name="position_withdraw"),
]
