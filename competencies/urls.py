"""The competency's page and its resources' documents."""

from django.urls import path

from competencies import views

app_name = "competencies"

urlpatterns = [
    path("competencies/<int:competency_id>/", views.competency_detail, name="competency_detail"),
    path("competencies/<int:competency_id>/resources/new/", views.resource_add, name="resource_add"),
    path("competencies/resources/<int:resource_id>/", views.resource_download, name="resource_download"),
    path("competencies/resources/<int:resource_id>/remove/", views.resource_remove, name="resource_remove"),
]
