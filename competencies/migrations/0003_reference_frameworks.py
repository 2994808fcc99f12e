"""Ship the reference content: DigComp 2.2 and clo's transversal dictionary for local government, in ca/es/en."""

from django.db import migrations

from competencies.reference.loader import load_reference_frameworks


class Migration(migrations.Migration):
    dependencies = [("competencies", "0002_level_triggers")]

    operations = [migrations.RunPython(load_reference_frameworks, migrations.RunPython.noop)]
