from .views import agreements, preparation

app_name = "internships"

# Each views module carries its own routes: agreements (signing, PDFs) and preparation (schedule, checklist).
urlpatterns = [*agreements.urlpatterns, *preparation.urlpatterns]
