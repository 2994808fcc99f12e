"""The talent pages, grouped by sub-domain."""

from django.urls import path

from clo.talent.views import pools, reviews

app_name = "talent"

urlpatterns: list = [
    # successor pools (pools)
    path("succession/positions/<int:position_id>/successors/", pools.pool_page, name="successor_pool"),
    path("succession/positions/<int:position_id>/successors/nominate/", pools.successor_nominate,
         name="successor_nominate"),
    path("succession/positions/<int:position_id>/successors/<int:successor_id>/", pools.successor_update,
         name="successor_update"),
    # talent reviews (reviews)
    path("talent-reviews/", reviews.review_list, name="review_list"),
    path("talent-reviews/<int:review_id>/", reviews.review_detail, name="review_detail"),
    path("talent-reviews/<int:review_id>/status/", reviews.review_status, name="review_status"),
    path("talent-reviews/<int:review_id>/people/<int:employee_id>/rate/", reviews.potential_rate,
         name="potential_rate"),
    path("talent-reviews/<int:review_id>/calibration/", reviews.calibration, name="review_calibration"),
    path("talent-reviews/<int:review_id>/calibration/<int:rating_id>/", reviews.calibrate, name="calibrate"),
    path("talent-reviews/<int:review_id>/nine-box/", reviews.nine_box, name="nine_box"),
]
