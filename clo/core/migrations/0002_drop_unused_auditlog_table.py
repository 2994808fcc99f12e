"""django-auditlog's migrations create its own ``auditlog_logentry`` table even though the entries are written to
``core_auditentry`` (AUDITLOG_LOGENTRY_MODEL). The unused table only gets in the way: its foreign keys to the content
types and users make PostgreSQL refuse to TRUNCATE those tables (test databases are flushed that way). Drop it."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("auditlog", "0017_add_actor_email"),
        ("core", "0001_initial_audit_retention"),
    ]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS auditlog_logentry", migrations.RunSQL.noop),
    ]
