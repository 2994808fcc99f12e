"""Writes of the API: tokens (made, revoked, used), and the staff-register change sets, applied through the import
engine (``clo.core.imports.engine``) with the importers' own rules: one copy of the validation, all or nothing."""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clo.api.models import ApiToken, ChangeSet, ChangeSetPage, Scope
from clo.core.imports import engine, parsing, registry
from clo.core.security import secret_hash  # noqa: F401  (the API's tokens are looked up by it)

PREFIX = "clo_"
KINDS = ("units", "positions", "employees", "requirements")  # the order a change set is written in
PAGE_ROWS = 5000  # at most, per page


@transaction.atomic
def api_token_create(*, name: str, scopes: list[str], expires_at: dt.datetime, created_by, unit=None
                     ) -> tuple[ApiToken, str]:
    """A new token and its secret (shown once: only its hash is kept)."""
    prefix = secrets.token_hex(4)
    secret = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(name=name.strip(), prefix=prefix, secret_hash=secret_hash(secret),
                     scopes=sorted(set(scopes)), expires_at=expires_at, created_by=created_by, unit=unit)
    if not token.scopes or not set(token.scopes) <= set(Scope.values):
        raise ValidationError({"scopes": _("Choose at least one scope.")})
    if unit is not None and Scope.REGISTER.value in token.scopes:  # the import engine writes the whole register
        raise ValidationError({"scopes": _("A token limited to a unit cannot write the staff register.")})
    if expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    token.full_clean()
    token.save()
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_token_use(*, token: ApiToken, method: str, path: str, status: int, remote_addr: str | None) -> None:
    """Note the use: the token's last-used time, and one entry in the audit trail per request."""
    from auditlog.models import LogEntry

    from clo.core.models import AuditEntry

    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(ApiToken), object_pk=str(token.pk), object_id=token.pk,
        object_repr=str(token)[:200], action=LogEntry.Action.ACCESS, changes={}, actor=token.created_by,
        actor_email=token.created_by.email or None, remote_addr=remote_addr,
        additional_data={"api": True, "method": method, "path": path[:300], "status": status},
    )


# --- Change sets -----------------------------------------------------------------------------------------------------

def change_set_open(*, token: ApiToken, whole_register: bool = False) -> ChangeSet:
    return ChangeSet.objects.create(token=token, whole_register=whole_register)


def change_set_page_add(*, change_set: ChangeSet, kind: str, number: int, rows: list[dict]) -> ChangeSetPage:
    """Store one page (checked when the set is committed, with the whole set, so that a row may name a unit or a
    manager sent in another page). Sending the same page again with the same number replaces it."""
    if change_set.status != ChangeSet.Status.OPEN:
        raise ValidationError(_("This change set is closed."))
    if kind not in KINDS:
        raise ValidationError(_("Unknown kind “%(kind)s”.") % {"kind": kind})
    if not 0 < len(rows) <= PAGE_ROWS:
        raise ValidationError(_("A page has between 1 and %(max)s rows.") % {"max": PAGE_ROWS})
    page, _created = ChangeSetPage.objects.update_or_create(
        change_set=change_set, kind=kind, number=number, defaults={"rows": rows})
    return page


def _table(importer, pages) -> tuple[parsing.Table, list[tuple[int, int, int]]]:
    """The pages of one kind as the engine's table (row numbers go on across pages, from 1), and where each page
    starts: ``[(first row number, page number, rows)]``."""
    header = importer.column_names()
    table, starts, number = parsing.Table(header=header), [], 0
    for page in pages:
        starts.append((number + 1, page.number, len(page.rows)))
        for row in page.rows:
            number += 1
            values = row if isinstance(row, dict) else {}
            table.rows.append((number, ["" if values.get(name) is None else str(values.get(name))
                                        for name in header]))
    return table, starts


def _located(error, kind: str, starts) -> dict:
    page, index = None, None
    for first, page_number, count in starts:
        if first <= error.row < first + count:
            page, index = page_number, error.row - first
    from django.utils.translation import gettext
    return {"kind": kind, "page": page, "index": index, "column": error.column,
            "message": gettext(error.message) % error.params if error.params else gettext(error.message)}


class ChangeSetRejected(Exception):
    def __init__(self, errors: list[dict]) -> None:
        super().__init__(f"{len(errors)} rows in error")
        self.errors = errors


def change_set_commit(*, change_set: ChangeSet, deactivate_at_most: int | None = None) -> dict:
    """Write the whole set in one transaction, kind after kind (units before the employees placed in them), each
    through the import engine. A row in error anywhere rejects the whole set (``ChangeSetRejected``, with every
    row's error and its page): nothing is written, and the set stays open for its pages to be sent again, corrected.
    Committing a committed set again gives its result again."""
    if change_set.whole_register and deactivate_at_most is None:
        deactivate_at_most = 0  # a whole-register sync that deactivates anyone says how many, at most
    errors: list[dict] = []
    counts: dict[str, dict] = {}
    with transaction.atomic():
        change_set = ChangeSet.objects.select_for_update().get(pk=change_set.pk)
        if change_set.status == ChangeSet.Status.COMMITTED:
            return change_set.result
        for kind in KINDS:
            pages = list(change_set.pages.filter(kind=kind).order_by("number"))
            if not pages:
                continue
            importer = registry.get(kind)
            table, starts = _table(importer, pages)
            try:
                plan = engine.run(importer, b"", table=table, whole_register=change_set.whole_register,
                                  deactivate_at_most=deactivate_at_most)
            except engine.ImportRefused as refused:
                errors += [_located(error, kind, starts) for error in refused.plan.errors]
                continue
            counts[kind] = plan.counts()
        if errors:
            raise ChangeSetRejected(errors)  # rolls back the kinds already written
        change_set.status, change_set.result = ChangeSet.Status.COMMITTED, {"counts": counts}
        change_set.finished_at = timezone.now()
        change_set.save(update_fields=["status", "result", "finished_at"])
    return change_set.result
