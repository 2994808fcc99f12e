"""The horizontal career's downloads (CSV/XLSX): the rows the eligibility page shows, from the same selector."""

from __future__ import annotations

from django.utils.translation import gettext as _

from clo.core.exports import Table


def eligible_people(rows, *, today) -> Table:
    from clo.careers.selectors.grades import is_eligible

    return Table(_("Eligible for the next grade"),
                 [_("Employee number"), _("Name"), _("Unit"), _("Position"), _("Group"), _("Current grade"),
                  _("In the grade since"), _("Next grade"), _("Training within the period"), _("Training required"),
                  _("Measured in"), _("Minimum years reached on"), _("Favourable evaluation"), _("Eligible today")],
                 [[r.employee.employee_number, r.employee.full_name, r.employee.unit.name, r.employee.position.title,
                   r.rule.group, r.grade, r.grade_since, r.rule.grade, r.training, r.rule.amount,
                   r.rule.get_measure_display(), r.years_met_on,
                   "" if r.evaluated is None else (_("Yes") if r.evaluated else _("No")),
                   _("Yes") if is_eligible(r, today) else _("No")] for r in rows])
