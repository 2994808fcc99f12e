"""URLs of the annual training plan: the plans, a plan's page, editing, approval and its PDF and workbook."""

from django.urls import path

from programs.views import annual_plan as plan

urlpatterns = [
    path("plan/", plan.plan_list, name="training_plan_list"),
    path("plan/<int:year>/", plan.plan_detail, name="training_plan_detail"),
    path("plan/<int:year>/edit/", plan.plan_edit, name="training_plan_edit"),
    path("plan/<int:year>/actions/<int:pk>/", plan.plan_action_edit, name="training_plan_action_edit"),
    path("plan/<int:year>/approve/", plan.plan_approve, name="training_plan_approve"),
    path("plan/<int:year>/pdf/", plan.plan_pdf, name="training_plan_pdf"),
    path("plan/<int:year>/xlsx/", plan.plan_xlsx, name="training_plan_xlsx"),
]
