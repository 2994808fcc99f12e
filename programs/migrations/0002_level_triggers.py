from django.db import migrations

from clo.core.db import LevelInScale


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial"), ("competencies", "0001_initial")]

    operations = [
        LevelInScale("programs_programcompetency", "level_reached", allow_zero=False),
        LevelInScale("programs_learningplanitem", "target_level", allow_zero=False),
    ]
