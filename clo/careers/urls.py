"""The careers pages, grouped by sub-domain."""

from django.urls import path

from clo.careers.views import grades, record

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
    # the training record (record)
    path("careers/my-training-record.pdf", record.my_record, name="my_record"),
    path("careers/people/<int:employee_id>/training-record.pdf", record.record_pdf, name="record_pdf"),
    path("careers/training-records/", record.record_jobs, name="record_jobs"),
    path("careers/training-records/<int:job_id>/", record.record_job, name="record_job"),
    path("careers/training-records/<int:job_id>/download/", record.record_job_download, name="record_job_download"),
]
