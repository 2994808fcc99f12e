"""URLs of the gap analysis runs (the learning office's "recalculate now")."""

urlpatterns: list = []
