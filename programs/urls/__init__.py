"""URLs of the programs app (namespace ``programs``): one list per sub-domain, with the names the models, selectors,
services, views and forms use."""

from programs.urls import (
    annual_plan,
    calendar,
    catalogue,
    delivery,
    feedback,
    funding,
    learning_plans,
    needs,
    optimiser,
)

app_name = "programs"

urlpatterns = [
    *needs.urlpatterns,
    *annual_plan.urlpatterns,
    *funding.urlpatterns,
    *optimiser.urlpatterns,
    *catalogue.urlpatterns,
    *delivery.urlpatterns,
    *learning_plans.urlpatterns,
    *feedback.urlpatterns,
    *calendar.urlpatterns,
]
