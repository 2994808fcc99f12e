"""URLs of the programs app (namespace ``programs``): each part of the cycle keeps its own list."""

from django.urls import include, path

app_name = "programs"

urlpatterns = [
    path("", include("programs.urls_needs")),
    path("", include("programs.urls_delivery")),
    path("", include("programs.urls_plans")),
    path("", include("programs.urls_feedback")),
    path("", include("programs.urls_optimiser")),
]
