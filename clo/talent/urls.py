"""The talent pages, grouped by sub-domain."""

from django.urls import path

from clo.talent.views import expertise, transfer

app_name = "talent"

urlpatterns: list = [
    path("expertise/", expertise.directory, name="expertise_directory"),
    path("expertise/me/", expertise.my_listing, name="expertise_me"),
    path("expertise/<int:employee_id>/contact/", expertise.contact, name="expertise_contact"),
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
]
