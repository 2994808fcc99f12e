"""URLs of the annual plan's funding: the application, the execution follow-up, the justification, their PDFs, who
applies (the kind of plan) and an action's funding figures."""

from django.urls import path

from programs.views import funding

urlpatterns = [
    path("plan/<int:year>/funding/", funding.funding_application, name="funding_application"),
    path("plan/<int:year>/funding/pdf/", funding.funding_application_pdf, name="funding_application_pdf"),
    path("plan/<int:year>/funding/execution/", funding.funding_execution, name="funding_execution"),
    path("plan/<int:year>/funding/justification/", funding.funding_justification, name="funding_justification"),
    path("plan/<int:year>/funding/justification/pdf/", funding.funding_justification_pdf,
         name="funding_justification_pdf"),
    path("plan/<int:year>/funding/kind/", funding.funding_plan_kind, name="funding_plan_kind"),
    path("plan/<int:year>/funding/actions/<int:pk>/", funding.funding_action_edit, name="funding_action_edit"),
]
