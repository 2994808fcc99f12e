"""URLs of training delivery: sessions, enrolments, attendance, training record and certificates."""

from django.urls import path

from programs.views import delivery as views

urlpatterns = [
    path("catalogue/<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/request/", views.enrolment_request, name="enrolment_request"),
    path("sessions/<int:pk>/days/<int:day_pk>/attendance/", views.attendance, name="attendance"),
    path("enrolments/requests/", views.enrolment_requests, name="enrolment_requests"),
    path("enrolments/<int:pk>/approve/", views.enrolment_approve, name="enrolment_approve"),
    path("enrolments/<int:pk>/reject/", views.enrolment_reject, name="enrolment_reject"),
    path("enrolments/<int:pk>/cancel/", views.enrolment_cancel, name="enrolment_cancel"),
    path("enrolments/<int:pk>/confirm/", views.enrolment_action, {"action": "confirm"}, name="enrolment_confirm"),
    path("enrolments/<int:pk>/complete/", views.enrolment_action, {"action": "complete"}, name="enrolment_complete"),
    path("enrolments/<int:pk>/no-show/", views.enrolment_action, {"action": "no_show"}, name="enrolment_no_show"),
    path("enrolments/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("training/", views.my_training, name="my_training"),
    path("training/<int:employee_id>/", views.training_record, name="training_record"),
]
