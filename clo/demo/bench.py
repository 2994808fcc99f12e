"""Small helpers shared by the benchmark commands (bench_gaps, bench_dashboards, bench_load)."""

from __future__ import annotations

from dataclasses import dataclass


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank ``p``-th percentile of ``values`` (0.0 for none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


@dataclass
class Personas:
    """Who the benchmarks sign in as: one user per role, the director's unit, one of its people, a published area
    and an assessment of that person (if any)."""

    users: dict
    unit: object
    person: object
    area: object | None
    assessment: object | None


def bench_personas() -> Personas:
    """The learning office, HR, a director (of the first unit that has a head) and one of that unit's people, from
    the database as it is; accounts are made for the synthetic organisation, whose people have none."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from clo.core.roles import CLO, GROUP_FOR_ROLE, HR
    from clo.people.models import Employee, OrgUnit
    from competencies.models import Area
    from evaluations.models import Assessment

    User = get_user_model()  # noqa: N806

    def in_group(role: str, username: str):
        group = Group.objects.get_or_create(name=GROUP_FOR_ROLE[role])[0]
        user = User.objects.filter(groups=group, is_active=True).order_by("pk").first()
        if user is None:
            user = User.objects.create(username=username)
            user.groups.add(group)
        return user

    unit = OrgUnit.objects.filter(depth=1, heads__isnull=False).order_by("path").first()
    if unit is None:  # a synthetic organisation without heads: the first unit's first person heads it
        unit = OrgUnit.objects.filter(depth=1).order_by("path").first()
        if unit is None:
            raise LookupError("the database has no organisation: seed it first (seed_demo)")
        first = Employee.objects.filter(unit__path__startswith=unit.path, active=True).order_by("pk").first()
        if first is None:
            raise LookupError(f"nobody works in {unit}: seed the database first (seed_demo)")
        unit.heads.add(first)
    head = unit.heads.order_by("pk").first()
    person = (Employee.objects.filter(unit__path__startswith=unit.path, active=True).exclude(pk=head.pk).first()
              if head is not None else None)
    if head is None or person is None:
        raise LookupError(f"{unit} needs a head and one more person: seed the database first (seed_demo)")
    for employee, username in ((head, f"bench.director.{head.pk}"), (person, f"bench.employee.{person.pk}")):
        if employee.user_id is None:
            employee.user = User.objects.create(username=username)
            employee.save(update_fields=["user"])
    return Personas(
        users={"clo": in_group(CLO, "bench.clo"), "hr": in_group(HR, "bench.hr"), "director": head.user,
               "employee": person.user},
        unit=unit, person=person,
        area=Area.objects.filter(framework__status="published").order_by("pk").first(),
        assessment=Assessment.objects.filter(employee=person).order_by("-pk").first(),
    )


def time_views(views: dict, users: dict, requests: int, *, reset=None) -> dict:
    """Time each view of ``views`` (name → (user key, url, headers)) through the test client, signed in as
    ``users[key]``: three warm-up requests, the SQL queries of one, then ``requests`` timed ones. Returns per view the
    median and p95 in milliseconds, the queries, and the p95 as a ratio to the median of the view named "floor".

    With ``reset`` (a function that empties the caches the views keep), every request is timed cold (``reset()``
    before each, outside the timing), then every view again warm (``warm_median_ms``, ``warm_p95_ms``,
    ``warm_queries``, ``warm_p95_vs_floor``: what a second viewer of the same page gets)."""
    import statistics
    import time

    from django.db import connection
    from django.test import Client

    clients = {}
    for key, user in users.items():
        clients[key] = Client()
        clients[key].force_login(user)

    def measure(name: str, who: str, url: str, headers: dict, before) -> dict:
        client = clients[who]
        for _ in range(3):  # warm-up
            before()
            assert client.get(url, **headers).status_code == 200, (name, url)
        captured: list[str] = []

        def capture(execute, sql, *args):
            captured.append(sql)
            return execute(sql, *args)

        before()
        with connection.execute_wrapper(capture):
            client.get(url, **headers)
        times = []
        for _ in range(requests):
            before()
            started = time.perf_counter()
            response = client.get(url, **headers)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (name, url, response.status_code)
        return {"median_ms": round(statistics.median(times), 1), "p95_ms": round(percentile(times, 95), 1),
                "queries": len(captured)}

    result: dict[str, dict] = {}
    for name, (who, url, headers) in views.items():
        result[name] = measure(name, who, url, headers, reset or (lambda: None))
        if reset is not None and name != "floor":
            warm = measure(name, who, url, headers, lambda: None)
            result[name].update({f"warm_{key}": value for key, value in warm.items()})
    floor = result.pop("floor")
    for figures in result.values():
        for prefix in ("", "warm_") if reset is not None else ("",):
            figures[f"{prefix}p95_vs_floor"] = (round(figures[f"{prefix}p95_ms"] / floor["median_ms"], 1)
                                                if floor["median_ms"] else None)
    return {"floor": floor, **result}


def demo_of_size(employees: int, seed: int) -> dict:
    """Seed the demo council of ``employees`` people in an empty database (returns ``{"seed_s": ...}``), or reuse the
    one there if it is about that size (returns ``{}``); a database of another size is refused."""
    import time

    from django.core.management import call_command
    from django.core.management.base import CommandError

    from clo.people.models import Employee

    existing = Employee.objects.count()
    if existing == 0:
        started = time.perf_counter()
        call_command("seed_demo", employees=employees, seed=seed, verbosity=0)
        return {"seed_s": round(time.perf_counter() - started, 1)}
    if abs(existing - employees) > max(employees // 20, 50):
        raise CommandError(f"The database holds {existing} employees, not about {employees}: use another "
                           "database, or seed_demo --reset --employees N first.")
    return {}


def time_call(function, requests: int, *, floor_ms: float) -> dict:
    """Time ``function()`` (a selector, outside any view): three warm-up calls, the SQL queries of one, then
    ``requests`` timed ones; the median and p95 in milliseconds and the p95 as a ratio to ``floor_ms``."""
    import statistics
    import time

    from django.db import connection

    for _ in range(3):  # warm-up
        function()
    captured: list[str] = []

    def capture(execute, sql, *args):
        captured.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(capture):
        function()
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    p95 = round(percentile(times, 95), 1)
    return {"median_ms": round(statistics.median(times), 1), "p95_ms": p95, "queries": len(captured),
            "p95_vs_floor": round(p95 / floor_ms, 1) if floor_ms else None}
