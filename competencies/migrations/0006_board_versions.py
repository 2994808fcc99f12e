"""The tables the dashboards read from this app raise the "competencies" data version when they change
(``clo.core.versions``): a cached board is served only while its versions are unchanged."""

from django.db import migrations

from clo.core.db import VersionedTables


class Migration(migrations.Migration):

    dependencies = [
        ('competencies', '0005_framework_expert_level'),
        ("core", "0007_data_versions"),
    ]

    operations = [
        VersionedTables("competencies", [
            "competencies_framework",
            "competencies_area",
            "competencies_competency",
            "competencies_requirement",
            "competencies_proficiencyscale",
            "competencies_level",
        ]),
    ]
