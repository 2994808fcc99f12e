"""URLs of the needs-detection campaign, triage and the annual training plan."""

urlpatterns: list = []
