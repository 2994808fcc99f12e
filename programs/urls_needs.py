"""URLs of the needs-detection campaign, triage and the annual training plan."""

from django.urls import path

from programs.views import needs, plan

urlpatterns: list = [
    path("needs/", needs.need_list, name="need_list"),
    path("needs/new/", needs.need_create, name="need_create"),
    path("needs/<int:pk>/", needs.need_detail, name="need_detail"),
    path("needs/<int:pk>/edit/", needs.need_edit, name="need_edit"),
    path("needs/<int:pk>/submit/", needs.need_submit, name="need_submit"),
    path("needs/<int:pk>/attachment/", needs.need_attachment, name="need_attachment"),
    path("needs/<int:pk>/more-info/", needs.need_request_info, name="need_request_info"),
    path("needs/<int:pk>/reject/", needs.need_reject, name="need_reject"),
    path("needs/<int:pk>/accept/", needs.need_accept, name="need_accept"),
    path("triage/", needs.triage, name="triage"),
    path("triage/merge/", needs.needs_merge, name="needs_merge"),
    path("campaigns/", needs.campaign_list, name="campaign_list"),
    path("campaigns/<int:pk>/close/", needs.campaign_close, name="campaign_close"),
    path("plan/", plan.plan_list, name="training_plan_list"),
    path("plan/<int:year>/", plan.plan_detail, name="training_plan_detail"),
    path("plan/<int:year>/edit/", plan.plan_edit, name="training_plan_edit"),
    path("plan/<int:year>/actions/<int:pk>/", plan.plan_action_edit, name="training_plan_action_edit"),
    path("plan/<int:year>/approve/", plan.plan_approve, name="training_plan_approve"),
    path("plan/<int:year>/pdf/", plan.plan_pdf, name="training_plan_pdf"),
    path("plan/<int:year>/xlsx/", plan.plan_xlsx, name="training_plan_xlsx"),
]
