from django.urls import path

from clo.core.imports import views

app_name = "imports"

urlpatterns = [
    path("imports/", views.index, name="index"),
    path("imports/jobs/<int:job_id>/", views.job_detail, name="job"),
    path("imports/jobs/<int:job_id>/confirm/", views.job_confirm, name="confirm"),
    path("imports/jobs/<int:job_id>/undo/", views.job_undo, name="undo"),
    path("imports/templates/<slug:kind>.<str:fmt>", views.template_download, name="template"),
]
