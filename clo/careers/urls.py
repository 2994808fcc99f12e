"""The careers pages, grouped by sub-domain."""

from django.urls import path  # noqa: F401

app_name = "careers"

urlpatterns: list = [
]
