from django.db import migrations

from clo.core.db import UnitNotUnderItself


def create_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ("learning_office", "hr"):
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [
        UnitNotUnderItself(),
        migrations.RunPython(create_role_groups, migrations.RunPython.noop),
    ]
