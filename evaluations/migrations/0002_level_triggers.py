from django.db import migrations

from clo.core.db import LevelInScale


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial"), ("competencies", "0001_initial")]

    operations = [
        LevelInScale("evaluations_rating", "level", allow_zero=True),
        LevelInScale("evaluations_currentlevel", "level", allow_zero=True),
    ]
