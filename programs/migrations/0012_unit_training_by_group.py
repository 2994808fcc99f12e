from django.db import migrations, models


def rebuild(apps, schema_editor):
    # A database that already holds figures gets them again per position group; a new one has nothing to count.
    UnitTraining = apps.get_model("programs", "UnitTraining")
    if UnitTraining.objects.exists():
        from programs.services.training_rollup import training_rollup_rebuild

        training_rollup_rebuild()


class Migration(migrations.Migration):

    dependencies = [
        ("programs", "0011_unit_training_rollup"),
        ("people", "0006_unit_headcount"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="unittraining", name="programs_unittraining_one_per_year"),
        migrations.AddField(
            model_name="unittraining",
            name="position_group",
            field=models.CharField(default="", max_length=2, verbose_name="civil-service group"),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="unittraining",
            constraint=models.UniqueConstraint(
                fields=("unit", "subtree", "year", "position_group"), name="programs_unittraining_one_per_year",
                violation_error_message="These figures already exist.",
            ),
        ),
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
