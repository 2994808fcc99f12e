
from django.db import migrations, models

from clo.core.db import DataVersionTriggers


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0006_read_log_training_record'),
    ]

    operations = [
        migrations.CreateModel(
            name='DataVersion',
            fields=[
                ('source', models.CharField(max_length=40, primary_key=True, serialize=False)),
                ('counter', models.BigIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='DataVersionBump',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
            ],
        ),
        DataVersionTriggers(),
    ]
