"""URLs of the catalogue: the programs, a program's page and editing, and a person's interest in a program."""

from django.urls import path

from programs.views import catalogue as views

urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/new/", views.program_create, name="program_create"),
    path("catalogue/<int:pk>/", views.program_detail, name="program_detail"),
    path("catalogue/<int:pk>/edit/", views.program_edit, name="program_edit"),
    path("catalogue/<int:pk>/interest/", views.program_interest, name="program_interest"),
]
