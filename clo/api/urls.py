"""``/api/v1/``: the routes of the REST API."""

urlpatterns: list = []
