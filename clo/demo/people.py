"""Phase 2: the employees (heads first, then staff, unit by unit), the unit heads and the demo logins."""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from clo.core import roles
from clo.people.models import Employee, OrgUnit
from clo.demo.accounts import DEMO_PASSWORD, USERNAMES
from clo.demo.names import NamePicker
from clo.demo.organisation import FAMILIES
from clo.demo.world import Stamps, World

EMAIL_DOMAIN = "vilamar.example"
RETIREMENT_AGE = 67

# username → (unit code, is the head of it, gender, preferred position title)
PERSONAS = {
    "clo": ("HI.RH.FD", True, None, None),
    "rrhh": ("HI.RH.GP", False, None, "Tècnic/a de recursos humans"),
    "directora": ("SP", True, "f", None),
    "empleat": ("SP.SS.BAS", False, "m", "Treballador/a social"),
}
ACCOUNT_GROUPS = {"clo": roles.GROUP_FOR_ROLE[roles.CLO], "rrhh": roles.GROUP_FOR_ROLE[roles.HR],
                  "dpd": roles.GROUP_FOR_ROLE[roles.DATA_PROTECTION]}


def ensure_accounts(w: World) -> None:
    """The demo logins, created or reset; the password is hashed once for all of them."""
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)
    for username in USERNAMES:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.password = password
        user.is_active = True
        user.is_staff = user.is_superuser = username == "admin"
        user.email = f"{username}@{EMAIL_DOMAIN}"
        user.save()
        group = ACCOUNT_GROUPS.get(username)
        user.groups.set([Group.objects.get_or_create(name=group)[0]] if group else [])
        w.user_ids[username] = user.pk


def staff_counts(w: World) -> list[int]:
    """Employees per unit besides the head: proportional to the unit's weight (largest remainder)."""
    units = w.units
    spare = w.size - len(units)
    total = sum(u.weight for u in units)
    exact = [spare * u.weight / total for u in units]
    counts = [int(x) for x in exact]
    order = sorted(range(len(units)), key=lambda i: (counts[i] - exact[i], i))
    for i in order[: spare - sum(counts)]:
        counts[i] += 1
    for code, is_head, _, _ in PERSONAS.values():
        index = w.unit_by_code[code]
        if not is_head and counts[index] < 2:
            donor = max(range(len(units)), key=lambda i: counts[i])
            need = 2 - counts[index]
            counts[donor] -= need
            counts[index] += need
    return counts


def build_employees(w: World) -> None:
    rng = w.rng("employees")
    names = NamePicker(rng)
    counts = staff_counts(w)
    w.first_employee_id = w.loader.ids(Employee, w.size)
    heads: list[int] = []
    index = 0
    for unit in w.units:
        heads.append(index)
        index += 1 + counts[unit.index]
    w.unit_head = heads
    persona_at = {}
    for username, (code, is_head, gender, title) in PERSONAS.items():
        unit = w.unit_by_code[code]
        persona_at[heads[unit] + (0 if is_head else 1)] = (username, gender, title)
    w.personas = {username: at for at, (username, _, _) in persona_at.items()}
    today = w.today.toordinal()
    stamps = Stamps()
    persona_names = {}

    def rows():
        i = 0
        for unit in w.units:
            staff = w.unit_positions[unit.index]
            weights = list(
                itertools.accumulate(
                    next(
                        t.weight
                        for t in FAMILIES[w.positions[p].family].titles
                        if t.title == w.positions[p].title
                    )
                    for p in staff
                )
            )
            parent_head = heads[unit.parent] if unit.parent is not None else -1
            for k in range(1 + counts[unit.index]):
                persona = persona_at.get(i)
                if k == 0:
                    position = w.unit_head_position[unit.index]
                    manager = parent_head
                else:
                    position = rng.choices(staff, cum_weights=weights)[0]
                    if persona and persona[2]:
                        position = next((p for p in staff if w.positions[p].title == persona[2]), position)
                    manager = heads[unit.index]
                family = FAMILIES[w.positions[position].family] if k else None
                female = rng.random() < (family.female_share if family else 0.55)
                if persona and persona[1]:
                    female = persona[1] == "f"
                first_name = names.first_name(female)
                last_name = names.surnames()
                employment = _employment(rng, family, is_head=k == 0)
                age = _age(rng, is_head=k == 0)
                born = dt.date.fromordinal(today - int(age * 365.25))
                retirement = _add_years(born, RETIREMENT_AGE).isoformat()
                service_years = (
                    rng.uniform(0.2, min(9.0, age - 20))
                    if employment in ("interim", "eventual")
                    else rng.uniform(0.5, max(1.0, age - 22))
                )
                hired = today - int(service_years * 365.25) - 1
                language = "es" if rng.random() < 0.14 else "ca"
                user_id = w.user_ids.get(persona[0]) if persona else None
                email = names.email(first_name, last_name, EMAIL_DOMAIN)
                if persona:
                    persona_names[persona[0]] = (first_name, last_name, email)
                w.employee_unit.append(unit.index)
                w.employee_position.append(position)
                w.employee_manager.append(manager)
                w.employee_hired.append(hired)
                number = (i * 611_953 + 104_729) % 1_000_000  # a permutation: unique, not in unit order
                yield (
                    w.employee_id(i),
                    f"E{number:06d}",
                    first_name,
                    last_name,
                    email,
                    w.unit_ids[unit.index],
                    w.positions[position].id,
                    w.employee_id(manager) if manager >= 0 else None,
                    employment,
                    stamps.day(hired),
                    retirement,
                    language,
                    True,
                    user_id,
                )
                i += 1

    w.loader.insert(
        Employee,
        [
            "id",
            "employee_number",
            "first_name",
            "last_name",
            "email",
            "unit",
            "position",
            "manager",
            "employment_type",
            "hire_date",
            "expected_retirement_date",
            "language",
            "active",
            "user",
        ],
        rows(),
    )
    heads_model = OrgUnit.heads.through
    first = w.loader.ids(heads_model, len(w.units))
    w.loader.insert(
        heads_model,
        ["id", "orgunit", "employee"],
        ((first + u.index, w.unit_ids[u.index], w.employee_id(heads[u.index])) for u in w.units),
    )
    _name_accounts(w, persona_names)


def _employment(rng, family, *, is_head: bool) -> str:
    if is_head:
        return "career" if rng.random() < 0.94 else "interim"
    if family.key == "GAB":
        return "eventual" if rng.random() < 0.6 else "career"
    x = rng.random()
    if x < family.labour_share:
        return "labour"
    if x < family.labour_share + family.interim_share:
        return "interim"
    if x > 0.998:
        return "eventual"
    return "career"


def _age(rng, *, is_head: bool) -> float:
    age = rng.triangular(23, 66, 52) if rng.random() < 0.7 else rng.uniform(50, 66.5)
    if is_head:
        age = min(66.5, max(age, 36) + 4)
    return age


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _name_accounts(w: World, persona_names: dict[str, tuple[str, str, str]]) -> None:
    """The logins linked to an employee take the employee's name and email."""
    User = get_user_model()
    users = [
        User(pk=w.user_ids[username], first_name=first, last_name=last[:150], email=email)
        for username, (first, last, email) in persona_names.items()
    ]
    User.objects.bulk_update(users, ["first_name", "last_name", "email"])
