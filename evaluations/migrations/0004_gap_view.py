"""The view ``evaluations_gap``: every active employee × every requirement in force of their position, joined to the
employee's consolidated current level. Read through the unmanaged model ``evaluations.Gap``.

The same SQL runs on PostgreSQL and SQLite (no GREATEST, booleans compared as such).
"""

from django.db import migrations

GAP_VIEW = """
CREATE VIEW evaluations_gap AS
SELECT e.id AS employee_id,
       r.id AS requirement_id,
       e.unit_id AS unit_id,
       e.position_id AS position_id,
       r.competency_id AS competency_id,
       c.area_id AS area_id,
       r.required_level AS required_level,
       COALESCE(cl.level, 0) AS current_level,
       (cl.id IS NULL) AS not_assessed,
       CASE WHEN r.required_level > COALESCE(cl.level, 0) THEN r.required_level - COALESCE(cl.level, 0) ELSE 0 END
           AS gap,
       r.weight AS weight,
       r.is_critical AS is_critical,
       cl.source AS level_source,
       cl.assessed_on AS assessed_on,
       cl.expires_on AS expires_on
FROM people_employee e
JOIN competencies_requirement r ON r.position_id = e.position_id
JOIN competencies_competency c ON c.id = r.competency_id
JOIN competencies_framework f ON f.id = c.framework_id
LEFT JOIN evaluations_currentlevel cl ON cl.employee_id = e.id AND cl.competency_id = r.competency_id
WHERE e.active AND f.status <> 'archived'
"""


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0003_gap_engine"),
        ("people", "0002_invariants_and_groups"),
        ("competencies", "0003_reference_frameworks"),
    ]

    operations = [migrations.RunSQL(GAP_VIEW, "DROP VIEW IF EXISTS evaluations_gap")]
