from django.urls import path

from .views import applicant, company

app_name = "matching"

urlpatterns = [
    # The applicant's side: referrals, interviews and matches.
    path("referrals/", applicant.referrals, name="referrals"),
    path("referrals/ranking/", applicant.ranking_save, name="ranking_save"),
    path("referrals/<int:pk>/decline/", applicant.referral_decline, name="referral_decline"),
    path("interviews/<int:pk>/choose/", applicant.interview_choose, name="interview_choose"),
    path("interviews/<int:pk>/calendar.ics", applicant.interview_ics, name="interview_ics"),
    path("matches/<int:pk>/answer/", applicant.match_answer, name="match_answer"),
    # The company's side: candidates, interviews, ranking and matches.
    path("company/candidates/", company.candidate_list, name="company_candidates"),
    path("company/candidates/<int:pk>/", company.candidate_detail, name="company_candidate"),
    path("company/candidates/<int:pk>/cv/", company.candidate_cv, name="company_candidate_cv"),
    path("company/candidates/<int:pk>/score/", company.candidate_score, name="company_candidate_score"),
    path(
        "company/candidates/<int:pk>/interview/", company.interview_propose, name="company_interview_propose"
    ),
    path("company/candidates/<int:pk>/outcome/", company.interview_outcome, name="company_interview_outcome"),
    path("company/positions/<int:pk>/ranking/", company.ranking, name="company_ranking"),
    path("company/matches/", company.match_list, name="company_matches"),
    path("company/matches/<int:pk>/answer/", company.match_answer, name="company_match_answer"),
]
