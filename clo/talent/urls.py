"""The talent pages, one list of routes per sub-domain (``clo/talent/urls_<sub-domain>.py``)."""

app_name = "talent"

urlpatterns: list = []
