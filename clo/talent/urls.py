"""The talent pages, grouped by sub-domain."""

from django.urls import path

from clo.talent.views import communities, expertise, pools, projects, reviews, succession, transfer

app_name = "talent"

urlpatterns: list = [
    path("expertise/", expertise.directory, name="expertise_directory"),
    path("expertise/me/", expertise.my_listing, name="expertise_me"),
    path("expertise/<int:employee_id>/contact/", expertise.contact, name="expertise_contact"),
    # communities of practice (issue 19, item 3)
    path("communities/", communities.community_list, name="community_list"),
    path("communities/new/", communities.community_create, name="community_create"),
    path("communities/<int:community_id>/", communities.community_detail, name="community_detail"),
    path("communities/<int:community_id>/edit/", communities.community_edit, name="community_edit"),
    path("communities/<int:community_id>/join/", communities.community_join, name="community_join"),
    path("communities/<int:community_id>/leave/", communities.community_leave, name="community_leave"),
    path("communities/<int:community_id>/requests/<int:membership_id>/", communities.community_request_decide,
         name="community_request_decide"),
    path("communities/<int:community_id>/members/<int:membership_id>/coordinator/",
         communities.community_coordinator, name="community_coordinator"),
    path("communities/<int:community_id>/meetings/new/", communities.meeting_create, name="community_meeting_create"),
    path("communities/<int:community_id>/meetings/<int:meeting_id>/sign-up/", communities.meeting_sign_up,
         name="community_meeting_sign_up"),
    path("communities/<int:community_id>/meetings/<int:meeting_id>/enrol/", communities.meeting_enrol_members,
         name="community_meeting_enrol"),
    path("communities/<int:community_id>/meetings/<int:meeting_id>/attendance/", communities.meeting_attendance,
         name="community_meeting_attendance"),
    path("communities/<int:community_id>/resources/new/", communities.resource_add, name="community_resource_add"),
    # challenge projects (issue 19, item 4)
    path("projects/", projects.project_list, name="project_list"),
    path("projects/new/", projects.project_create, name="project_create"),
    path("projects/mine/", projects.my_project_applications, name="my_project_applications"),
    path("projects/approvals/", projects.project_approvals, name="project_approvals"),
    path("projects/approvals/<int:application_id>/", projects.application_decide, name="project_application_decide"),
    path("projects/figures/", projects.project_dashboard, name="project_dashboard"),
    path("projects/<int:project_id>/", projects.project_detail, name="project_detail"),
    path("projects/<int:project_id>/status/", projects.project_status, name="project_status"),
    path("projects/<int:project_id>/apply/", projects.project_apply, name="project_apply"),
    path("projects/<int:project_id>/close/", projects.project_close, name="project_close"),
    # knowledge-transfer plans (issue 17, item 5)
    path("succession/transfer-plans/", transfer.transfer_plan_list, name="transfer_plan_list"),
    path("succession/transfer-plans/new/<int:employee_id>/", transfer.transfer_plan_create,
         name="transfer_plan_create"),
    path("succession/transfer-plans/<int:plan_id>/", transfer.transfer_plan_detail, name="transfer_plan_detail"),
    path("succession/transfer-plans/<int:plan_id>/items/", transfer.handover_item_add, name="handover_item_add"),
    path("succession/transfer-plans/<int:plan_id>/items/<int:item_id>/done/", transfer.handover_item_done,
         name="handover_item_done"),
    path("succession/transfer-plans/<int:plan_id>/items/<int:item_id>/validate/", transfer.handover_item_validate,
         name="handover_item_validate"),
    # successor pools (pools)
    path("succession/positions/<int:position_id>/successors/", pools.pool_page, name="successor_pool"),
    path("succession/positions/<int:position_id>/successors/nominate/", pools.successor_nominate,
         name="successor_nominate"),
    path("succession/positions/<int:position_id>/successors/<int:successor_id>/", pools.successor_update,
         name="successor_update"),
    # talent reviews (reviews)
    path("talent-reviews/", reviews.review_list, name="review_list"),
    path("talent-reviews/<int:review_id>/", reviews.review_detail, name="review_detail"),
    path("talent-reviews/<int:review_id>/status/", reviews.review_status, name="review_status"),
    path("talent-reviews/<int:review_id>/people/<int:employee_id>/rate/", reviews.potential_rate,
         name="potential_rate"),
    path("talent-reviews/<int:review_id>/calibration/", reviews.calibration, name="review_calibration"),
    path("talent-reviews/<int:review_id>/calibration/<int:rating_id>/", reviews.calibrate, name="calibrate"),
    path("talent-reviews/<int:review_id>/nine-box/", reviews.nine_box, name="nine_box"),
    # succession: critical positions, knowledge at risk, bench strength
    path("succession/positions/", succession.positions, name="succession_positions"),
    path("succession/positions/<int:position_id>/", succession.position_detail, name="succession_position"),
    path("succession/positions/<int:position_id>/criticality/", succession.position_flag,
         name="succession_position_flag"),
    path("succession/knowledge-at-risk/", succession.risk_map, name="succession_map"),
    path("succession/knowledge-at-risk/<int:unit_id>/<int:competency_id>/", succession.risk_people,
         name="succession_map_people"),
    path("succession/bench-strength/", succession.bench, name="succession_bench"),
    path("succession/bench-strength/report.pdf", succession.bench_pdf, name="succession_bench_pdf"),
    # settings: readiness categories (successor pools) and the frameworks' expert levels (knowledge at risk)
    path("succession/settings/", succession.succession_settings, name="succession_settings"),
    path("succession/settings/readiness/new/", succession.readiness_category_save, name="readiness_category_add"),
    path("succession/settings/readiness/<int:category_id>/", succession.readiness_category_save,
         name="readiness_category_update"),
    path("succession/settings/frameworks/<int:framework_id>/", succession.expert_level_set, name="expert_level_set"),
]
