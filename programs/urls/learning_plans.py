"""URLs of learning plans, their PDFs and the bulk PDF jobs."""

from django.urls import path

from programs.views import learning_plans as views

urlpatterns = [
    path("learning-plans/", views.plan_list, name="plan_list"),
    path("learning-plans/generate/", views.plans_generate_units, name="plans_generate_units"),
    path("learning-plans/employees/<int:employee_id>/generate/", views.plan_generate, name="plan_generate"),
    path("learning-plans/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("learning-plans/<int:plan_id>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("learning-plans/<int:plan_id>/items/add/", views.plan_item_add, name="plan_item_add"),
    path("learning-plans/<int:plan_id>/items/<int:item_id>/", views.plan_item_edit, name="plan_item_edit"),
    path("learning-plans/<int:plan_id>/items/<int:item_id>/done/", views.plan_item_done, name="plan_item_done"),
    path("learning-plans/uncovered-gaps/", views.uncovered_gaps, name="uncovered_gaps"),
    path("learning-plans/uncovered-gaps/to-plan/", views.uncovered_gap_to_plan, name="uncovered_gap_to_plan"),
    path("learning-plans/pdf-jobs/", views.pdf_jobs, name="pdf_jobs"),
    path("learning-plans/pdf-jobs/<int:job_id>/", views.pdf_job_detail, name="pdf_job_detail"),
    path("learning-plans/pdf-jobs/<int:job_id>/plans.zip", views.pdf_job_download, name="pdf_job_download"),
]
