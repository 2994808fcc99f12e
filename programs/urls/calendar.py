"""URLs of calendars: "My calendar" and the personal feed its secret address opens."""

from django.urls import path

from programs.views import calendar as views

urlpatterns = [
    path("calendar/", views.my_calendar, name="my_calendar"),
    path("calendar/feed/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
