"""The talent pages, grouped by sub-domain."""

app_name = "talent"

urlpatterns: list = []
