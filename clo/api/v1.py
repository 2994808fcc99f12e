"""``/api/v1/``, with django-ninja: the operations, their token authentication, scopes, rate limit and problem
details. The operations call ``selectors`` and ``services``; nothing here decides a rule of the data."""

from __future__ import annotations

import base64
import hashlib
import json
import time

from auditlog.context import set_actor
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, JsonResponse
from django.utils import timezone
from ninja import NinjaAPI, Schema, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from clo.api import selectors, services
from clo.api.models import ApiToken, ChangeSet, IdempotentResponse, Scope
from clo.api.problems import Problem, problem_response
from clo.core.imports import engine


class TokenAuth(HttpBearer):
    """``Authorization: Bearer clo_…``: a token neither revoked nor expired, within its rate limit."""

    def authenticate(self, request, token: str) -> ApiToken | None:
        found = (ApiToken.objects.select_related("created_by", "unit")
                 .filter(secret_hash=services.secret_hash(token)).first())
        if found is None or found.revoked_at is not None or found.expires_at <= timezone.now():
            return None
        request.api_token = found
        _rate_limit(found)
        return found


def _rate_limit(token: ApiToken) -> None:
    """A fixed window per token and minute, counted in the cache (Redis when configured)."""
    limit = settings.CLO_API_REQUESTS_PER_MINUTE
    window = int(time.time() // 60)
    key = f"api-rate:{token.pk}:{window}"
    cache.add(key, 0, timeout=70)
    try:
        used = cache.incr(key)
    except ValueError:  # the cache lost the key (or is down): count from here
        cache.set(key, 1, timeout=70)
        used = 1
    if used > limit:
        retry = 60 - int(time.time()) % 60
        raise Problem(429, "rate-limited", "Too many requests",
                      f"This token may send {limit} requests a minute; try again in {retry} s.",
                      headers={"Retry-After": str(retry)})


api = NinjaAPI(title="clo API", version="1", urls_namespace="api:api-v1", auth=TokenAuth(), docs=Swagger(),
               docs_url="/docs", openapi_url="/openapi.json",
               description="Staff-register sync for the HR system and figures for BI. Errors are RFC 9457 problem "
                           "details. Authenticate with `Authorization: Bearer <token>` (made on the API tokens "
                           "page).")


@api.exception_handler(Problem)
def _problem(request, exc: Problem):
    return problem_response(request, exc)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return problem_response(request, Problem(401, "unauthenticated", "Authentication required",
                                             "Send a valid, unexpired, unrevoked token as Authorization: Bearer.",
                                             headers={"WWW-Authenticate": "Bearer"}))


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    return problem_response(request, Problem(422, "invalid-request", "The request is not valid",
                                             errors=json.loads(json.dumps(exc.errors, default=str))))


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return problem_response(request, Problem(exc.status_code, "http-error", str(exc)))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problem_response(request, Problem(404, "not-found", "Not found"))


@api.exception_handler(ValidationError)
def _validation(request, exc: ValidationError):
    return problem_response(request, Problem(422, "invalid-request", "The request is not valid",
                                             errors=exc.messages))


def _require(request, scope: Scope) -> ApiToken:
    token = request.auth
    if scope.value not in token.scopes:
        raise Problem(403, "insufficient-scope", "The token lacks a scope",
                      f"This operation needs the scope “{scope.value}”.", required_scope=scope.value)
    return token


# --- Pagination: a cursor past the last id ----------------------------------------------------------------------------

MAX_LIMIT = 1000


def _page(request, queryset, *, cursor: str | None, limit: int) -> dict:
    limit = max(1, min(limit, MAX_LIMIT))
    after = 0
    if cursor:
        try:
            after = int(base64.urlsafe_b64decode(cursor.encode() + b"==").decode())
        except (ValueError, UnicodeDecodeError):
            raise Problem(400, "bad-cursor", "The cursor is not valid", "Send back a next_cursor as it came.")
    items = list(queryset.filter(id__gt=after).order_by("id")[:limit + 1])
    more = len(items) > limit
    items = items[:limit]
    next_cursor = (base64.urlsafe_b64encode(str(items[-1]["id"]).encode()).decode().rstrip("=")
                   if more else None)
    return {"items": items, "next_cursor": next_cursor}


class PageOut(Schema):
    items: list[dict]
    next_cursor: str | None


# --- Figures (BI) ----------------------------------------------------------------------------------------------------

@api.get("/figures/gaps", response=PageOut, tags=["figures"])
def gaps(request, unit: int | None = None, subtree: bool | None = None, competency: int | None = None,
         area: int | None = None, cursor: str | None = None, limit: int = MAX_LIMIT):
    """Gap roll-ups per unit (own people, or the whole subtree) and competency."""
    token = _require(request, Scope.FIGURES)
    return _page(request, selectors.gap_rollups(token, unit=unit, subtree=subtree, competency=competency,
                                                area=area), cursor=cursor, limit=limit)


@api.get("/figures/headcounts", response=PageOut, tags=["figures"])
def headcounts(request, unit: int | None = None, position_group: str | None = None, cursor: str | None = None,
               limit: int = MAX_LIMIT):
    """Active employees per unit (placed directly in it) and civil-service group."""
    token = _require(request, Scope.FIGURES)
    return _page(request, selectors.headcounts(token, unit=unit, position_group=position_group), cursor=cursor,
                 limit=limit)


@api.get("/figures/needs", response=PageOut, tags=["figures"])
def needs(request, year: int | None = None, unit: int | None = None, status: str | None = None,
          cursor: str | None = None, limit: int = MAX_LIMIT):
    token = _require(request, Scope.FIGURES)
    return _page(request, selectors.needs(token, year=year, unit=unit, status=status), cursor=cursor, limit=limit)


@api.get("/figures/plan-actions", response=PageOut, tags=["figures"])
def plan_actions(request, year: int | None = None, cursor: str | None = None, limit: int = MAX_LIMIT):
    token = _require(request, Scope.FIGURES)
    return _page(request, selectors.plan_actions(token, year=year), cursor=cursor, limit=limit)


@api.get("/figures/program-results", response=PageOut, tags=["figures"])
def program_results(request, program: int | None = None, cursor: str | None = None, limit: int = MAX_LIMIT):
    """Level-4 results per program (groups of at least three people on each side)."""
    token = _require(request, Scope.FIGURES)
    return _page(request, selectors.program_results(token, program=program), cursor=cursor, limit=limit)


@api.get("/training/units", response=PageOut, tags=["training"])
def training(request, unit: int | None = None, year: int | None = None, subtree: bool | None = None,
             position_group: str | None = None, cursor: str | None = None, limit: int = MAX_LIMIT):
    """Training per unit, year and civil-service group: hours, completions, cost of the seats."""
    token = _require(request, Scope.TRAINING)
    return _page(request, selectors.training(token, unit=unit, year=year, subtree=subtree,
                                             position_group=position_group), cursor=cursor, limit=limit)


# --- Staff register ----------------------------------------------------------------------------------------------------

@api.get("/register/employees", response=PageOut, tags=["register"])
def register_employees(request, active: bool | None = None, cursor: str | None = None, limit: int = MAX_LIMIT):
    token = _require(request, Scope.REGISTER)
    return _page(request, selectors.register_employees(token, active=active), cursor=cursor, limit=limit)


class ChangeSetIn(Schema):
    whole_register: bool = False


class PageIn(Schema):
    kind: str
    number: int
    rows: list[dict]


class CommitIn(Schema):
    deactivate_at_most: int | None = None


def _idempotent(request, token: ApiToken, write):
    """Run ``write()`` (returning ``(status, body)``) once per ``Idempotency-Key``: the same key with the same
    request gets the stored answer again, with another request a 422 problem."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        status, body = write()
        return status, body
    digest = hashlib.sha256(request.method.encode() + request.path.encode() + request.body).hexdigest()
    stored = IdempotentResponse.objects.filter(token=token, key=key[:200]).first()
    if stored is None:
        try:
            with transaction.atomic():
                status, body = write()
                IdempotentResponse.objects.create(token=token, key=key[:200], request_hash=digest, status=status,
                                                  body=body)
            return status, body
        except IntegrityError:  # the same key sent twice at once: the other one answers
            stored = IdempotentResponse.objects.filter(token=token, key=key[:200]).first()
            if stored is None:
                raise
    if stored.request_hash != digest:
        raise Problem(422, "idempotency-key-reused", "This Idempotency-Key was used for another request",
                      "Use a new key for a new request.")
    return stored.status, stored.body


def _change_set(token: ApiToken, change_set_id: int) -> ChangeSet:
    change_set = ChangeSet.objects.filter(pk=change_set_id, token=token).first()
    if change_set is None:
        raise Http404
    return change_set


def _change_set_body(change_set: ChangeSet) -> dict:
    return {"id": change_set.pk, "status": change_set.status, "whole_register": change_set.whole_register,
            "result": change_set.result}


@api.post("/register/change-sets", tags=["register"])
def change_set_open(request, data: ChangeSetIn):
    """Open a change set; send its pages; commit it."""
    token = _require(request, Scope.REGISTER)

    def write():
        return 201, _change_set_body(services.change_set_open(token=token, whole_register=data.whole_register))
    status, body = _idempotent(request, token, write)
    return JsonResponse(body, status=status)


@api.post("/register/change-sets/{change_set_id}/pages", tags=["register"])
def change_set_page(request, change_set_id: int, data: PageIn):
    """One page of rows of one kind (``units``, ``positions``, ``employees``, ``requirements``), with the columns
    of the CSV import as keys. Sending a page number again replaces that page."""
    token = _require(request, Scope.REGISTER)
    change_set = _change_set(token, change_set_id)

    def write():
        page = services.change_set_page_add(change_set=change_set, kind=data.kind, number=data.number,
                                            rows=data.rows)
        return 201, {"change_set": change_set.pk, "kind": page.kind, "number": page.number,
                     "rows": len(page.rows)}
    status, body = _idempotent(request, token, write)
    return JsonResponse(body, status=status)


@api.post("/register/change-sets/{change_set_id}/commit", tags=["register"])
def change_set_commit(request, change_set_id: int, data: CommitIn):
    """Write the whole set, or nothing: a row in error anywhere rejects it, with every row's error (kind, page,
    index in the page, column, message)."""
    token = _require(request, Scope.REGISTER)
    change_set = _change_set(token, change_set_id)

    def write():
        try:
            with set_actor(token.created_by, remote_addr=request.META.get("REMOTE_ADDR")):  # the audit's actor
                result = services.change_set_commit(change_set=change_set,
                                                    deactivate_at_most=data.deactivate_at_most)
        except services.ChangeSetRejected as rejected:
            raise Problem(422, "change-set-rejected", "The change set has rows in error: nothing was written",
                          f"{len(rejected.errors)} rows in error.", errors=rejected.errors)
        except engine.MoreDeactivations as more:
            raise Problem(409, "more-deactivations", "The sync would deactivate more employees than confirmed",
                          f"It would deactivate {more.plan.deactivate}; send deactivate_at_most to confirm.",
                          deactivate=more.plan.deactivate)
        change_set.refresh_from_db()
        return 200, {**_change_set_body(change_set), "result": result}
    status, body = _idempotent(request, token, write)
    return JsonResponse(body, status=status)
