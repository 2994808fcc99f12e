from django.db import migrations

from clo.core.db import LevelInScale


class Migration(migrations.Migration):
    dependencies = [("competencies", "0001_initial")]

    operations = [
        LevelInScale("competencies_requirement", "required_level", allow_zero=False),
        LevelInScale("competencies_competencyleveldescriptor", "level", allow_zero=False),
    ]
