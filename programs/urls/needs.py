"""URLs of the needs-detection campaign and the triage."""

from django.urls import path

from programs.views import needs

urlpatterns = [
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
]
