"""URLs of the evaluations app (namespace ``evaluations``): assessment campaigns and the gap analysis runs."""

from django.urls import include, path

app_name = "evaluations"

urlpatterns = [
    path("gaps/", include("evaluations.gaps.urls")),
]
