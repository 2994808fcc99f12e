"""The career explorer: a person picks a position or a position family and sees their gap to it and the programs
that would close it. Their own (``explorer``), or a person of a director's subtree (all for HR and the office)."""

from __future__ import annotations

from django.http import Http404
from django.views.decorators.http import require_safe

from clo.careers.forms.explorer import ExplorerForm
from clo.careers.selectors import explorer as selectors
from clo.careers.selectors.itineraries import active_itineraries
from clo.core.htmx import page_or_partial
from clo.people.models import Employee
from clo.people.roles import scope_of


def _person(request, employee_id: int | None) -> Employee:
    scope = scope_of(request.user)
    if employee_id is None:
        employee_id = scope.employee_id
        if employee_id is None:
            raise Http404
    person = (Employee.objects.visible_to(request.user).active().select_related("position")
              .filter(pk=employee_id).first())
    if person is None:
        raise Http404
    return person


@require_safe
def explorer(request, employee_id: int | None = None):
    person = _person(request, employee_id)
    form = ExplorerForm(request.GET or None, families=selectors.job_families(), positions=selectors.positions_for())
    exploration, itineraries, target = None, [], None
    valid = bool(request.GET) and form.is_valid()
    data = getattr(form, "cleaned_data", {})  # what is valid of it, to list the positions again
    form.offer_positions(*selectors.position_choices(
        family=data.get("family", ""), search=data.get("q", ""), selected=data.get("position")))
    if valid and (data.get("family") or data.get("position")):
        target = data["position"] or data["family"]
        exploration = selectors.explore(employee_id=person.pk, position_id=data["position"] and data["position"].pk,
                                        family=data["family"])
        job_family = data["position"].job_family if data["position"] else data["family"]
        itineraries = list(active_itineraries(job_family=job_family)) if job_family else []
    context = {"form": form, "person": person, "own": employee_id is None, "exploration": exploration,
               "target": target, "itineraries": itineraries}
    return page_or_partial(request, "careers/explorer.html", "result", context,
                           status=422 if request.GET and not valid else 200)
