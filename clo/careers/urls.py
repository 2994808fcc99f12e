"""The careers pages, grouped by sub-domain."""

from django.urls import path

from clo.careers.views import grades, record
from clo.careers.views import badges, explorer, itineraries, recognition

app_name = "careers"

urlpatterns: list = [
    # horizontal career (grades)
    path("careers/my-career/", grades.my_career, name="my_career"),
    path("careers/people/<int:employee_id>/", grades.person_career, name="person_career"),
    path("careers/eligibility/", grades.eligibility, name="eligibility"),
    path("careers/rules/", grades.rules, name="rules"),
    path("careers/rules/<int:rule_id>/", grades.rule_edit, name="rule_edit"),
    path("careers/rules/<int:rule_id>/delete/", grades.rule_delete, name="rule_delete"),
    path("careers/re-evaluations/<int:job_id>/", grades.evaluation_job, name="evaluation_job"),
    # recognition: credits and badges by unit and group (issue 18, item 5)
    path("careers/recognition/", recognition.recognition_figures, name="recognition_figures"),
    # the training record (record)
    path("careers/my-training-record.pdf", record.my_record, name="my_record"),
    path("careers/people/<int:employee_id>/training-record.pdf", record.record_pdf, name="record_pdf"),
    path("careers/training-records/", record.record_jobs, name="record_jobs"),
    path("careers/training-records/<int:job_id>/", record.record_job, name="record_job"),
    path("careers/training-records/<int:job_id>/download/", record.record_job_download, name="record_job_download"),
    # the career explorer (issue 18, item 3)
    path("careers/explorer/", explorer.explorer, name="explorer"),
    path("careers/explorer/people/<int:employee_id>/", explorer.explorer, name="explorer_person"),
    # itineraries
    path("careers/itineraries/", itineraries.itinerary_list, name="itinerary_list"),
    path("careers/itineraries/people/", itineraries.itinerary_people, name="itinerary_people"),
    path("careers/itineraries/new/", itineraries.itinerary_create_view, name="itinerary_create"),
    path("careers/itineraries/<int:itinerary_id>/", itineraries.itinerary_detail, name="itinerary_detail"),
    path("careers/itineraries/<int:itinerary_id>/enrol/", itineraries.itinerary_enrol_view, name="itinerary_enrol"),
    path("careers/itineraries/<int:itinerary_id>/steps/", itineraries.itinerary_step_add_view,
         name="itinerary_step_add"),
    path("careers/itineraries/<int:itinerary_id>/steps/<int:step_id>/move/", itineraries.itinerary_step_move_view,
         name="itinerary_step_move"),
    path("careers/itineraries/<int:itinerary_id>/steps/<int:step_id>/remove/", itineraries.itinerary_step_remove_view,
         name="itinerary_step_remove"),
    # verifiable badges (item 4)
    path("careers/badges/", badges.badge_list, name="badge_list"),
    path("careers/badges/<int:badge_id>/", badges.badge_detail, name="badge_detail"),
    path("careers/badges/<int:badge_id>/revoke/", badges.badge_revoke, name="badge_revoke"),
    path("careers/badges/<int:badge_id>/badge.<str:fmt>", badges.badge_download, name="badge_download"),
    # public: the verification page and the issuer's documents
    path("badges/verify/<uuid:public_id>/", badges.badge_verify, name="badge_verify"),
    path("badges/issuer/", badges.issuer_profile, name="issuer_profile"),
    path("badges/issuer/jwks.json", badges.issuer_jwks, name="issuer_jwks"),
    path("badges/status/<int:number>/", badges.badge_status_list, name="badge_status_list"),
]
