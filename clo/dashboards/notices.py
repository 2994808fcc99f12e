"""What the home page tells a person before any figure: an assessment of theirs to answer in an open campaign, and
the learning office's recent decisions on the training needs they asked for (a director: of their units too)."""

from __future__ import annotations

import datetime as dt

from clo.core import roles

# A decision on a need stays on the home page this long.
DECIDED_NEEDS_DAYS = 14


def home_notices(scope: roles.Scope, *, now: dt.datetime, today: dt.date) -> dict:
    """``assessments``: the person's assessments to answer whose campaign accepts answers today, soonest deadline
    first; ``decided_needs``: need decisions of the last ``DECIDED_NEEDS_DAYS`` days. Two queries at most."""
    from evaluations.selectors import assessments_to_fill
    from programs.selectors import needs_decided_since

    assessments = []
    if scope.employee_id:
        assessments = [a for a in assessments_to_fill(scope.employee_id)
                       if a.campaign.opens_on <= today <= a.campaign.closes_on]
    decided = needs_decided_since(scope, since=now - dt.timedelta(days=DECIDED_NEEDS_DAYS))
    return {"assessments": assessments, "decided_needs": decided}
