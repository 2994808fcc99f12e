"""Succession pages: critical positions (list, detail, flag), the knowledge-at-risk map and its people, and bench
strength (page, CSV/XLSX, PDF). Every view is scoped: HR and the learning office see everything, a director their
subtree, anyone else (and a director outside it) a 404 whatever the method."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.core.paginator import Paginator
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from clo.core import board_cache, exports
from clo.core.audit import record_read
from clo.core.downloads import disposition, file_name
from clo.core.forms import IdField, SearchForm, query_value
from clo.core.htmx import apply_errors, page_or_partial, redirect_after_post, wants_partial
from clo.core.models import PersonalDataRead
from clo.people.roles import scope_of
from clo.talent.forms.pools import ReadinessCategoryForm
from clo.talent.forms.succession import CriticalityForm, ExpertLevelForm, MapForm
from clo.talent.models import ReadinessCategory
from clo.talent.selectors import pools, transfer
from clo.talent.selectors import succession as selectors
from clo.talent.services import pools as pool_services
from clo.talent.services import succession as services
from competencies import selectors as competency_selectors
from competencies import services as competency_services
from competencies.models import Framework
from clo.talent.tables import succession as tables


POSITIONS_PER_PAGE = 50


@require_safe
def positions(request):
    """The critical positions a page at a time (the downloads: all of them), and the search for a position to
    flag; an HTMX request gets the region it swaps (the list's page, or the search's results)."""
    scope = scope_of(request.user)
    if not selectors.can_see_succession(scope):
        raise Http404
    rows = selectors.critical_positions(paths=selectors.scope_paths(scope))
    if (download := exports.export_response(request, lambda: tables.critical_positions(rows))):
        return download
    query = SearchForm(request.GET).value("q", "") if selectors.can_flag(scope) else ""
    page = Paginator(rows, POSITIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "query": query, "found": selectors.positions_to_flag(query),
               "can_flag": selectors.can_flag(scope), "can_bench": scope.everything}
    return page_or_partial(request, "talent/succession/positions.html", "found" if "q" in request.GET
                           else "positions", context)


@require_safe
def position_detail(request, position_id: int):
    scope = scope_of(request.user)
    position = selectors.position_in_scope(scope, position_id)
    holders = selectors.position_holders(position, paths=selectors.scope_paths(scope))
    plans = transfer.plans_of_holders(position, holders) if position.is_critical else {}
    for holder in holders:
        holder.transfer_plan = plans.get(holder.pk)
    context = {"position": position, "holders": holders, "requirements": selectors.position_requirements(position),
               "can_flag": selectors.can_flag(scope),
               # where the successor pool and the knowledge-transfer plans of this position are, for who may open them
               "pool_open": position.is_critical and pools.position_for_pool(request.user, position.pk) is not None,
               "can_plan": position.is_critical and transfer.can_manage_plans(request.user)}
    return render(request, "talent/succession/position.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def position_flag(request, position_id: int):
    scope = scope_of(request.user)
    if not selectors.can_flag(scope):
        raise Http404
    position = selectors.position_in_scope(scope, position_id)
    initial = {"criticality": position.criticality, "critical_reason": position.critical_reason}
    form = CriticalityForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        try:
            services.position_set_criticality(position=position, criticality=form.cleaned_data["criticality"],
                                              reason=form.cleaned_data["critical_reason"])
            return redirect_after_post(request, reverse("talent:succession_position", args=[position.pk]))
        except ValidationError as error:
            apply_errors(form, error)
    status = 422 if form.is_bound else 200
    return page_or_partial(request, "talent/succession/flag.html", "form", {"position": position, "form": form},
                           status=status)


# The map and the board read stored figures and are kept in the cache (``clo.core.board_cache``) while the data they
# read are unchanged: the people, positions and units, the competencies, the levels and the succession's own tables.
SUCCESSION_SOURCES = ("competencies", "gaps", "people", "succession")


def _cached_region(request, scope, name: str, template: str, context, *, filters: tuple, page_context=None):
    """The region ``template#name`` (the page's swappable partial) of ``filters`` (the values the view read from
    the query string, once checked) from the cache, rendered by ``context()`` when the data changed; the whole page
    around it, or only the region for an HTMX request. The view checks the scope before."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    parts = (request.path, board_cache.viewer_part(request, scope, personal=False),
             filters)
    rendered = board_cache.cached(request, name, parts, lambda: board_cache.Rendered(
        render_to_string(f"{template}#{name}", context(), request=request)), sources=SUCCESSION_SOURCES)
    if wants_partial(request):
        return HttpResponse(rendered.html)
    return render(request, template, {f"{name}_html": mark_safe(rendered.html),  # noqa: S308 - our own rendering
                                      **(page_context or {})})


def _map_of(unit, horizon: int) -> dict:
    return {"map": selectors.risk_map(unit, horizon=horizon), "form": MapForm(initial={"unit": unit.pk,
                                                                                        "horizon": horizon})}


@require_safe
def risk_map(request):
    scope = scope_of(request.user)
    unit_id, horizon = MapForm(request.GET).values()
    unit = selectors.unit_in_scope(scope, unit_id)  # the scope first, then the cache
    if exports.requested_format(request) is not None:
        return exports.export_response(request, lambda: tables.risk_map(selectors.risk_map(unit, horizon=horizon)))
    return _cached_region(request, scope, "map", "talent/succession/map.html", lambda: _map_of(unit, horizon),
                          filters=(unit.pk, horizon))


@require_safe
def risk_people(request, unit_id: int, competency_id: int):
    from competencies.models import Competency

    scope = scope_of(request.user)
    unit = selectors.unit_in_scope(scope, unit_id)
    competency = Competency.objects.select_related("framework").filter(pk=competency_id).first()
    if competency is None:
        raise Http404
    horizon = MapForm(request.GET).values()[1]
    people = selectors.expert_holders(unit, competency)
    record_read(request, PersonalDataRead.What.EMPLOYEE_GAPS, subjects=[p.pk for p in people])
    context = {"unit": unit, "competency": competency, "people": people, "horizon": horizon,
               "cell": selectors.risk_cell(unit, competency.pk, horizon=horizon),
               "threshold": selectors.expert_threshold(competency)}
    return render(request, "talent/succession/people.html", context)


def _bench_unit(request):
    """The unit of the board asked for: the learning office's board (HR too); directors see the map, not the
    board."""
    scope = scope_of(request.user)
    if not scope.everything:
        raise Http404
    return scope, selectors.unit_in_scope(scope, query_value(IdField(), request.GET.get("unit")))


def _bench(unit, *, everything: bool = False):
    """The board of ``unit``; ``everything``: every critical position without a ready-now successor (the downloads
    and the PDF), not only the first the page shows."""
    limit = None if everything else selectors.UNCOVERED_SHOWN
    return selectors.bench_strength(unit, today=timezone.localdate(), uncovered_limit=limit)


@require_safe
def bench(request):
    scope, unit = _bench_unit(request)
    if exports.requested_format(request) is not None:
        return exports.export_response(request, tables.bench_tables(_bench(unit, everything=True)))
    return _cached_region(request, scope, "bench", "talent/succession/bench.html",
                          lambda: {"bench": _bench(unit)}, filters=(unit.pk,), page_context={"unit": unit})


@require_safe
def bench_pdf(request):
    from django.utils.translation import gettext as _

    from clo.core.pdf import render_pdf

    board = _bench(_bench_unit(request)[1], everything=True)
    context = {"bench": board, "organisation_name": settings.CLO_ORGANISATION_NAME, "generated_at": timezone.now()}
    response = HttpResponse(render_pdf("talent/succession/pdf/bench.html", context), content_type="application/pdf")
    response["Content-Disposition"] = disposition(file_name(_("Bench strength"), "pdf"))
    return response


# --- Settings: readiness categories and expert levels (HR and the learning office) ----------------------------------

SETTINGS = "talent/succession/settings.html"


def _settings_only(view):
    """HR and the learning office (who flag critical positions set what they are measured by); anyone else a 404,
    whatever the method."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not selectors.can_flag(scope_of(request.user)):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _expert_form(framework: Framework, levels, data=None) -> ExpertLevelForm:
    top = max((value for value, _ in levels), default=0)
    return ExpertLevelForm(data, prefix=f"fw{framework.pk}", levels=levels, default=framework.expert_threshold(top)
                           if top else 0, initial={"expert_level": framework.expert_level})


def _settings_context(*, bound=None) -> dict:
    """Every form of the page; ``bound``, the one sent back with its errors, takes its place."""
    categories = [bound if bound is not None and getattr(bound, "instance", None) is not None
                  and bound.instance.pk == c.pk else ReadinessCategoryForm(instance=c, prefix=f"rc{c.pk}")
                  for c in ReadinessCategory.objects.all()]
    new = bound if isinstance(bound, ReadinessCategoryForm) and bound.instance.pk is None \
        else ReadinessCategoryForm(prefix="new")
    frameworks = []
    for framework, levels in competency_selectors.framework_expert_levels():
        form = bound if isinstance(bound, ExpertLevelForm) and bound.prefix == f"fw{framework.pk}" \
            else _expert_form(framework, levels)
        frameworks.append((framework, form))
    return {"category_forms": categories, "new_form": new, "frameworks": frameworks}


@_settings_only
@require_safe
def succession_settings(request):
    return render(request, SETTINGS, _settings_context())


@_settings_only
@require_http_methods(["POST"])
def readiness_category_save(request, category_id: int | None = None):
    category = ReadinessCategory() if category_id is None else ReadinessCategory.objects.filter(pk=category_id).first()
    if category is None:
        raise Http404
    form = ReadinessCategoryForm(request.POST, instance=category, prefix="new" if category_id is None
                                 else f"rc{category_id}")
    if form.is_valid():
        try:
            pool_services.readiness_category_save(category=form.save(commit=False))
            return redirect_after_post(request, reverse("talent:succession_settings"))
        except ValidationError as error:
            apply_errors(form, error)
    return page_or_partial(request, SETTINGS, "readiness", _settings_context(bound=form), status=422)


@_settings_only
@require_http_methods(["POST"])
def expert_level_set(request, framework_id: int):
    found = [(fw, levels) for fw, levels in competency_selectors.framework_expert_levels() if fw.pk == framework_id]
    if not found:
        raise Http404
    framework, levels = found[0]
    form = _expert_form(framework, levels, request.POST)
    if form.is_valid():
        try:
            competency_services.framework_set_expert_level(framework=framework,
                                                           expert_level=form.cleaned_data["expert_level"])
            return redirect_after_post(request, reverse("talent:succession_settings"))
        except ValidationError as error:
            apply_errors(form, error)
    return page_or_partial(request, SETTINGS, "frameworks", _settings_context(bound=form), status=422)
