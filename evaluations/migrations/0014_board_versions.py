"""The tables the dashboards read from this app raise the "gaps" data version when they change
(``clo.core.versions``): a cached board is served only while its versions are unchanged."""

from django.db import migrations

from clo.core.db import VersionedTables


class Migration(migrations.Migration):

    dependencies = [
        ('evaluations', '0013_project_evidence_source'),
        ("core", "0007_data_versions"),
    ]

    operations = [
        VersionedTables("gaps", [
            "evaluations_gaprun",
            "evaluations_gaptrendpoint",
        ], bulk=[
            "evaluations_unitcompetencygap",
            "evaluations_unitgroupcompetencygap",
            "evaluations_unitareagap",
            "evaluations_unitgap",
            "evaluations_currentlevel",
        ]),
    ]
