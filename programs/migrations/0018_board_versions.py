"""The tables the dashboards read from this app raise the "programs" data version when they change
(``clo.core.versions``): a cached board is served only while its versions are unchanged."""

from django.db import migrations

from clo.core.db import VersionedTables


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0017_plan_action_funding_granted_incurred'),
        ("core", "0007_data_versions"),
    ]

    operations = [
        VersionedTables("programs", [
            "programs_unittraining",
            "programs_program",
            "programs_session",
            "programs_enrolment",
            "programs_attendance",
            "programs_reactionresponse",
            "programs_trainingneed",
            "programs_needscampaign",
            "programs_trainingplan",
            "programs_planaction",
            "programs_learningplan",
        ]),
    ]
