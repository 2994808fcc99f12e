"""URLs of learning plans, their PDFs and the bulk PDF jobs."""

urlpatterns: list = []
