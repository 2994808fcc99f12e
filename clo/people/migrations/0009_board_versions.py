"""The tables the dashboards read from this app raise the "people" data version when they change
(``clo.core.versions``): a cached board is served only while its versions are unchanged."""

from django.db import migrations

from clo.core.db import VersionedTables


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0008_position_criticality'),
        ("core", "0007_data_versions"),
    ]

    operations = [
        VersionedTables("people", [
            "people_orgunit",
            "people_orgunit_heads",
            "people_employee",
            "people_position",
            "people_unitheadcount",
        ]),
    ]
