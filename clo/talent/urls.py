"""The talent pages, grouped by sub-domain."""

from django.urls import path

from clo.talent.views import expertise

app_name = "talent"

urlpatterns: list = [
    path("expertise/", expertise.directory, name="expertise_directory"),
    path("expertise/me/", expertise.my_listing, name="expertise_me"),
    path("expertise/<int:employee_id>/contact/", expertise.contact, name="expertise_contact"),
]
