from . import views_applicant, views_company

app_name = "matching"

# Each side's views module carries its routes: the applicant's (referrals/, interviews/, matches/) and the
# company's (company/candidates/, company/positions/…/ranking/, company/matches/).
urlpatterns = [*views_applicant.urlpatterns, *views_company.urlpatterns]
