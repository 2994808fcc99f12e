"""The tables the knowledge-at-risk map and bench strength read from this app raise the "succession" data version
when they change (``clo.core.versions``): a cached map or board is served only while its versions are unchanged."""

from django.db import migrations

from clo.core.db import VersionedTables


class Migration(migrations.Migration):

    dependencies = [
        ("talent", "0007_challenge_projects"),
        ("core", "0007_data_versions"),
    ]

    operations = [
        VersionedTables("succession", [
            "talent_readinesscategory",
            "talent_successor",
            "talent_transferplan",
        ], bulk=[  # rewritten set by set by the knowledge-at-risk refresh and rebuild
            "talent_knowledgerisk",
            "talent_retirementcount",
        ]),
    ]
