from django.urls import path

from .views import company, managers, positions

app_name = "companies"

urlpatterns = [
    path("", company.company_home, name="home"),
    path("register/", company.company_register, name="register"),
    path("edit/", company.company_edit, name="edit"),
    path("managers/invite/", managers.manager_invite, name="manager_invite"),
    path("managers/<int:pk>/remove/", managers.manager_remove, name="manager_remove"),
    path("invitations/<int:pk>/revoke/", managers.invitation_revoke, name="invitation_revoke"),
    path("invitations/<str:token>/", managers.invitation_accept, name="invitation_accept"),
    path("positions/", positions.position_list, name="position_list"),
    path("positions/new/", positions.position_create, name="position_create"),
    path("positions/<int:pk>/", positions.position_detail, name="position_detail"),
    path("positions/<int:pk>/edit/", positions.position_edit, name="position_edit"),
    path("positions/<int:pk>/withdraw/", positions.position_withdraw, name="position_withdraw"),
]
