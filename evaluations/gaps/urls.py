"""URLs of the gap analysis runs (the learning office's "recalculate now")."""

from django.urls import path

from evaluations.gaps import views

urlpatterns = [
    path("runs/", views.run_list, name="gap_runs"),
    path("runs/recalculate/", views.run_request, name="gap_run_request"),
]
