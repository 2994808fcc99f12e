"""The careers pages, grouped by sub-domain."""

from django.urls import path

from clo.careers.views import badges, explorer, itineraries

app_name = "careers"

urlpatterns: list = [
    # the career explorer (issue 18, item 3)
    path("careers/explorer/", explorer.explorer, name="explorer"),
    path("careers/explorer/people/<int:employee_id>/", explorer.explorer, name="explorer_person"),
    # itineraries
    path("careers/itineraries/", itineraries.itinerary_list, name="itinerary_list"),
    path("careers/itineraries/people/", itineraries.itinerary_people, name="itinerary_people"),
    path("careers/itineraries/new/", itineraries.itinerary_create_view, name="itinerary_create"),
    path("careers/itineraries/<int:itinerary_id>/", itineraries.itinerary_detail, name="itinerary_detail"),
    path("careers/itineraries/<int:itinerary_id>/enrol/", itineraries.itinerary_enrol_view, name="itinerary_enrol"),
    path("careers/itineraries/<int:itinerary_id>/steps/", itineraries.itinerary_step_add_view,
         name="itinerary_step_add"),
    # verifiable badges (item 4)
    path("careers/badges/", badges.badge_list, name="badge_list"),
    path("careers/badges/<int:badge_id>/", badges.badge_detail, name="badge_detail"),
    path("careers/badges/<int:badge_id>/revoke/", badges.badge_revoke, name="badge_revoke"),
    path("careers/badges/<int:badge_id>/badge.<str:fmt>", badges.badge_download, name="badge_download"),
    # public: the verification page and the issuer's documents
    path("badges/verify/<uuid:public_id>/", badges.badge_verify, name="badge_verify"),
    path("badges/issuer/", badges.issuer_profile, name="issuer_profile"),
    path("badges/issuer/jwks.json", badges.issuer_jwks, name="issuer_jwks"),
]
