"""Imported levels become evidence rows of their own (``evaluations.Evidence``): the consolidation no longer reads
them from ``CurrentLevel``, where a newer winner used to overwrite them. The imported levels still standing are
copied; ``CurrentLevel`` stays as it is (derived: the next consolidation keeps it)."""

import django.db.models.deletion
from django.db import migrations, models

from clo.core.db import LevelInScale


def copy_imported_levels(apps, schema_editor):
    CurrentLevel = apps.get_model("evaluations", "CurrentLevel")
    Evidence = apps.get_model("evaluations", "Evidence")
    rows = CurrentLevel.objects.filter(source="import").values_list(
        "employee_id", "competency_id", "level", "assessed_on", "expires_on").order_by("pk").iterator(chunk_size=10000)
    batch = []
    for employee_id, competency_id, level, assessed_on, expires_on in rows:
        batch.append(Evidence(employee_id=employee_id, competency_id=competency_id, source="import", level=level,
                              evidenced_on=assessed_on, expires_on=expires_on))
        if len(batch) == 10000:
            Evidence.objects.bulk_create(batch)
            batch = []
    Evidence.objects.bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ('competencies', '0004_dashboard_indexes'),
        ('evaluations', '0010_gaps_by_position_group'),
        ('people', '0007_retiring_index'),
    ]

    operations = [
        migrations.AlterField(
            model_name='gaprun',
            name='trigger',
            field=models.CharField(choices=[('nightly', 'Nightly schedule'), ('manual', 'Recalculate now (learning office)'), ('command', 'Management command'), ('benchmark', 'Benchmark'), ('framework', "A framework's consolidation rule or evidence validity changed")], max_length=10, verbose_name='trigger'),
        ),
        migrations.CreateModel(
            name='Evidence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(choices=[('import', 'Imported record')], default='import', max_length=10, verbose_name='source')),
                ('level', models.PositiveSmallIntegerField(verbose_name='level')),
                ('evidenced_on', models.DateField(verbose_name='date of the evidence')),
                ('expires_on', models.DateField(blank=True, help_text="Leave empty for the framework's evidence validity.", null=True, verbose_name='expires on')),
                ('reference', models.CharField(blank=True, help_text='Where it comes from: system, file or document.', max_length=200, verbose_name='reference')),
                ('recorded_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                ('competency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='evidence', to='competencies.competency', verbose_name='competency')),
                ('employee', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='evidence', to='people.employee', verbose_name='employee')),
            ],
            options={
                'verbose_name': 'piece of evidence',
                'verbose_name_plural': 'pieces of evidence',
                'ordering': ['-evidenced_on', '-pk'],
                'constraints': [models.UniqueConstraint(fields=('employee', 'competency', 'source', 'evidenced_on'), name='evaluations_evidence_unique_piece', violation_error_message='This employee already has evidence from this source in this competency on this date.'), models.CheckConstraint(condition=models.Q(('expires_on__isnull', True), ('expires_on__gt', models.F('evidenced_on')), _connector='OR'), name='evaluations_evidence_expiry_after', violation_error_message='The expiry date must come after the date of the evidence.')],
            },
        ),
        LevelInScale("evaluations_evidence", "level", allow_zero=True),
        migrations.RunPython(copy_imported_levels, migrations.RunPython.noop),
    ]
