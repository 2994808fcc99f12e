"""The talent pages, grouped by sub-domain."""

from django.urls import path

from clo.talent.views import succession

app_name = "talent"

urlpatterns: list = [
    # succession: critical positions, knowledge at risk, bench strength
    path("succession/positions/", succession.positions, name="succession_positions"),
    path("succession/positions/<int:position_id>/", succession.position_detail, name="succession_position"),
    path("succession/positions/<int:position_id>/criticality/", succession.position_flag,
         name="succession_position_flag"),
    path("succession/knowledge-at-risk/", succession.risk_map, name="succession_map"),
    path("succession/knowledge-at-risk/<int:unit_id>/<int:competency_id>/", succession.risk_people,
         name="succession_map_people"),
    path("succession/bench-strength/", succession.bench, name="succession_bench"),
    path("succession/bench-strength/report.pdf", succession.bench_pdf, name="succession_bench_pdf"),
]
