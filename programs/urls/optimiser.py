"""URLs of the annual-plan optimiser (learning office only)."""

from django.urls import path

from programs.views import optimiser as views

urlpatterns = [
    path("plan-optimiser/", views.proposal_list, name="proposal_list"),
    path("plan-optimiser/compare/", views.proposal_compare, name="proposal_compare"),
    path("plan-optimiser/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("plan-optimiser/<int:pk>/cancel/", views.proposal_cancel, name="proposal_cancel"),
    path("plan-optimiser/<int:pk>/accept/", views.proposal_accept, name="proposal_accept"),
]
