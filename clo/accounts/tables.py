"""The account page's table, for its CSV/XLSX export (``clo.core.exports``)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from clo.accounts import selectors as sel
from clo.core.exports import Table


def accounts(rows) -> Table:
    def row(e):
        last = e.user.last_login if e.user_id else None
        return [e.employee_number, e.last_name, e.first_name, e.unit.name, e.user.username if e.user_id else "",
                str(sel.ACCESS_LABELS[e.access]),
                timezone.localtime(last).strftime("%Y-%m-%d %H:%M") if last else "",
                str(sel.INVITATION_LABELS[e.invitation_state])]

    return Table(
        title=_("Sign-in accounts"),
        columns=[_("Employee number"), _("Surnames"), _("First name"), _("Unit"), _("Username"), _("Signs in with"),
                 _("Last sign-in"), _("Invitation")],
        rows=(row(e) for e in rows.iterator(chunk_size=2000)),
    )
