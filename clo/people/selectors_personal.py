"""What the organisation records about one employee, for their right of access (``clo.core.personal_data``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from clo.core.personal_data import Section


def personal_data(employee) -> list[Section]:
    """The identity section (the employee with position, unit and manager already loaded)."""
    e = employee
    rows = [
        ["employee_number", _("Employee number"), e.employee_number],
        ["first_name", _("First name"), e.first_name],
        ["last_name", _("Surnames"), e.last_name],
        ["email", _("Email"), e.email],
        ["unit", _("Unit"), f"{e.unit.code} {e.unit.name}"],
        ["position", _("Position"), str(e.position)],
        ["civil_service_group", _("Civil-service group"), e.position.get_group_display()],
        ["manager", _("Manager"), e.manager.full_name if e.manager else ""],
        ["employment_type", _("Employment type"), e.get_employment_type_display()],
        ["hire_date", _("Hire date"), e.hire_date],
        ["expected_retirement_date", _("Expected retirement date"), e.expected_retirement_date],
        ["language", _("Preferred language"), e.get_language_display()],
        ["active", _("Active"), e.active],
        ["login", _("Login user"), e.user.get_username() if e.user_id and e.user else ""],
    ]
    return [Section("identity", _("Identity and job"),
                    [("field", _("Field key")), ("label", _("Field")), ("value", _("Value"))], rows,
                    machine_only=("field",))]
