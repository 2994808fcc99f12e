from django.urls import path

from clo.dashboards import views, views_results
from clo.dashboards.privacy import views as views_privacy

urlpatterns = [
    path("audit/", views_privacy.audit_log, name="audit_log"),
    path("audit/export.<str:fmt>", views_privacy.audit_export, name="audit_export"),
    path("my-data/", views_privacy.my_data_page, name="my_data"),
    path("my-data/download.<str:fmt>", views_privacy.my_data_download, name="my_data_download"),
    path("data-retention/", views_privacy.retention_page, name="data_retention"),
    path("", views.home, name="home"),
    path("dashboards/learning-office/", views.clo_dashboard, name="dashboard_clo"),
    path("dashboards/director/", views.director_dashboard, name="dashboard_director"),
    path("dashboards/<str:which>/export/<slug:table>.<str:fmt>", views.board_export, name="dashboard_export"),
    path("dashboards/<str:which>/critical-positions/", views.critical_positions, name="dashboard_critical"),
    path("dashboards/learning-office/training-results/", views_results.training_results,
         name="dashboard_training_results"),
    path("dashboards/people/", views.people_behind, name="dashboard_people"),
    path("dashboards/reports/", views.reports, name="dashboard_reports"),
    path("dashboards/reports/<int:report_id>/download/", views.report_download, name="dashboard_report_download"),
    path("dashboards/organisation-workbook/", views.workbooks, name="dashboard_workbooks"),
    path("dashboards/organisation-workbook/<int:workbook_id>/download/", views.workbook_download,
         name="dashboard_workbook_download"),
    path("dashboards/people/export.<str:fmt>", views.people_export, name="dashboard_people_export"),
    path("dashboards/people/<int:employee_id>/", views.employee_gaps, name="dashboard_employee"),
    path(
        "dashboards/director/enrolments/<int:enrolment_id>/<str:decision>/",
        views.enrolment_decide,
        name="dashboard_enrolment_decide",
    ),
]
