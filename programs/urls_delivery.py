"""URLs of the catalogue, sessions, enrolments, attendance and learning plans."""

urlpatterns: list = []
