from decimal import Decimal

from django.db import migrations

DEFAULTS = [
    ("Preparat/da ara", "Preparado/a ahora", "Ready now", Decimal("0.25"), True),
    ("Preparat/da en 1–2 anys", "Preparado/a en 1–2 años", "Ready in 1–2 years", Decimal("1.00"), False),
    ("Preparat/da en 3 anys o més", "Preparado/a en 3 años o más", "Ready in 3+ years", None, False),
]


def add_defaults(apps, schema_editor):
    Category = apps.get_model("talent", "ReadinessCategory")
    if not Category.objects.exists():
        Category.objects.bulk_create(
            Category(name_ca=ca, name_es=es, name_en=en, max_weighted_gap=bound, counts_as_ready_now=ready)
            for ca, es, en, bound, ready in DEFAULTS
        )


class Migration(migrations.Migration):
    dependencies = [("talent", "0003_successor_pools_talent_reviews")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
