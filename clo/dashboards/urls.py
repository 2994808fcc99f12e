from django.urls import path

from clo.dashboards import views

urlpatterns = [
    path("", views.home, name="home"),
]
