"""URLs of the evaluations app (namespace ``evaluations``): assessment campaigns and the gap analysis runs."""

from django.urls import include, path

from evaluations import views, views_campaigns

app_name = "evaluations"

urlpatterns = [
    path("gaps/", include("evaluations.gaps.urls")),
    path("assessment-campaigns/", views.campaign_list, name="campaign_list"),
    path("assessment-campaigns/new/", views.campaign_create, name="campaign_create"),
    path("assessment-campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("assessment-campaigns/<int:pk>/open/", views.campaign_open, name="campaign_open"),
    path("assessment-campaigns/<int:pk>/edit/", views_campaigns.campaign_edit, name="campaign_edit"),
    path("assessment-campaigns/<int:pk>/close/", views_campaigns.campaign_close, name="campaign_close"),
    path("assessment-campaigns/<int:pk>/units/", views_campaigns.campaign_units, name="campaign_units"),
    path("assessment-campaigns/<int:pk>/peers/", views_campaigns.campaign_peers, name="campaign_peers"),
    path("assessment-campaigns/<int:pk>/peers/<int:employee_id>/", views_campaigns.peers_choose,
         name="peers_choose"),
    path("assessments/", views.my_assessments, name="my_assessments"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/validate/", views.assessment_validate, name="assessment_validate"),
    path("assessments/results/<int:employee_id>/", views.employee_results, name="employee_results"),
]
