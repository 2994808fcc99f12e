"""A deactivated employee can no longer sign in: the statement that sets ``people_employee.active`` to false (an
import of the staff register, HR's page, the admin, a bulk update) also makes their login user inactive, in the
same transaction, for PostgreSQL and SQLite alike. Superusers (the break-glass account) are left alone. Becoming
active again does not reactivate the user: their next sign-in through the identity provider does
(clo.accounts.linking)."""

from django.db import migrations


class DeactivationEndsSignIn(migrations.operations.base.Operation):
    reduces_to_sql = True
    reversible = True
    name = "accounts_employee_deactivation_ends_signin"

    def state_forwards(self, app_label, state):
        pass

    def describe(self):
        return "Trigger: a deactivated employee's user becomes inactive"

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        name = self.name
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {name}_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "UPDATE auth_user u SET is_active = false FROM new_rows n JOIN old_rows o ON o.id = n.id "
                "WHERE u.id = n.user_id AND o.active AND NOT n.active AND u.is_active AND NOT u.is_superuser; "
                "RETURN NULL; END $$"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {name} AFTER UPDATE ON people_employee REFERENCING OLD TABLE AS old_rows "
                f"NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {name}_fn()"
            )
        else:
            schema_editor.execute(
                f"CREATE TRIGGER {name} AFTER UPDATE OF active ON people_employee "
                "WHEN OLD.active AND NOT NEW.active AND NEW.user_id IS NOT NULL BEGIN "
                "UPDATE auth_user SET is_active = 0 WHERE id = NEW.user_id AND is_superuser = 0; END"
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        name = self.name
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON people_employee")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}_fn()")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    initial = True
    dependencies = [("accounts", "0001_invitations"), ("people", "0007_retiring_index"),
                    ("auth", "0012_alter_user_first_name_max_length")]
    operations = [DeactivationEndsSignIn()]
