"""Full runs: claim, execute in one transaction, record; and the locks the incremental refreshes share with them.

Claim. On PostgreSQL the process that executes a run holds the session advisory lock ``RUN_LOCK`` for as long as it
runs: a second request that cannot take it reports the run in progress, and a request that can take it knows that
any row still marked ``running`` belongs to a run whose process is gone (worker lost, killed, out of memory) and
marks it failed. On SQLite (the embedded default, one machine) a ``running`` row older than the Celery hard time limit
is the stale one. In both, the partial unique constraint ``evaluations_gaprun_one_running`` refuses a second running
row, and a requested run moves pending → running with a guarded UPDATE that must change exactly one row.

Resume. A run whose worker was lost is not left to the next night: ``resume_lost`` (called when a worker starts and
every 5 minutes from beat) queues it again with its id, and its claim accepts its own orphaned ``running`` row; it
starts from the beginning, since nothing of the lost attempt was committed. A new run that finds an orphan instead
marks it failed (the new run replaces it).

Execute. Consolidation, roll-ups, trend point and the run's "done" are one transaction (REPEATABLE READ on
PostgreSQL, so every statement sees the same data): readers see the previous results until it commits; an error
rolls it all back and the run is marked failed; a process that dies leaves nothing half-written.

Incremental refreshes take ``DATA_LOCK`` shared (and a lock per unit they rewrite); the full run takes it exclusive,
so a refresh never interleaves with a run and one that was queued during a run applies on top of its results.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable
from contextlib import contextmanager

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from clo.core.tasks import queue_on_commit
from evaluations.models import GapRun, GapTrendPoint

logger = logging.getLogger(__name__)

# Advisory lock keys (one bigint each; the per-unit locks use the two-integer form, a separate key space).
RUN_LOCK = 0x636C6F_0001  # "clo" 1: held by the process executing a full run
DATA_LOCK = 0x636C6F_0002  # "clo" 2: full run exclusive, incremental refreshes shared
UNIT_LOCK_CLASS = 0x636C6F  # (class, unit id): one incremental refresh per unit at a time

# Stored in English in ``GapRun.error`` and translated when shown (``GapRun.error_display``).
LOST = gettext_noop("The run stopped without finishing (its worker was lost); its partial work was discarded.")
NEVER_STARTED = gettext_noop("The run was requested but never started.")
NOT_QUEUED = gettext_noop("The run could not be queued because the task queue was not available.")


class GapRunInProgress(Exception):
    def __init__(self, run: GapRun | None) -> None:
        self.run = run
        if run and run.started_at:
            message = _("Gap analysis run #%(id)s is in progress, since %(since)s.") % {
                "id": run.pk, "since": f"{timezone.localtime(run.started_at):%Y-%m-%d %H:%M}",
            }
        else:
            message = _("A gap analysis run is already in progress.")
        super().__init__(message)


def _postgresql() -> bool:
    return connection.vendor == "postgresql"


def stale_after() -> dt.timedelta:
    """No run can live longer than Celery's hard time limit, which kills it."""
    return dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


# --- Locks --------------------------------------------------------------------------------------------------------


@contextmanager
def _run_lock():
    """Try to become the one process running a full run. Yields whether it succeeded (always True on SQLite)."""
    if not _postgresql():
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [RUN_LOCK])
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [RUN_LOCK])


@contextmanager
def _data_lock_exclusive():
    """Wait for the refreshes in flight, then keep new ones waiting until the run has committed."""
    if not _postgresql():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [DATA_LOCK])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [DATA_LOCK])


def lock_data(*, exclusive: bool = False) -> None:
    """Inside a transaction, first thing: an incremental refresh takes ``DATA_LOCK`` shared (a rewrite of subtree rows
    exclusive). Released at commit or rollback."""
    if _postgresql():
        function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
        with connection.cursor() as cursor:
            # The refresh's statements are prepared (sql.execute) and look rows up by one employee or unit: the
            # generic plan is as good as a custom one, and planning is most of their cost.
            cursor.execute(
                f"SELECT {function}(%s), set_config('plan_cache_mode', 'force_generic_plan', true)", [DATA_LOCK]
            )


def lock_units(unit_ids: Iterable[int]) -> None:
    """Inside a transaction: one refresh at a time rewrites a unit's own rows (their old figures are the base of the
    delta). Always taken in ascending order, so two refreshes never deadlock."""
    if _postgresql():
        with connection.cursor() as cursor:
            for unit_id in sorted(set(unit_ids)):
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [UNIT_LOCK_CLASS, int(unit_id)])


# --- Claim --------------------------------------------------------------------------------------------------------


def recover_stale(*, owner_gone: bool = False, keep: Iterable[int] = ()) -> int:
    """Mark failed the runs that can no longer finish, except ``keep`` (runs being resumed). ``owner_gone``: the
    caller holds ``RUN_LOCK``, so every ``running`` row is an orphan. Returns how many rows were marked."""
    now = timezone.now()
    running = GapRun.objects.filter(status=GapRun.Status.RUNNING).exclude(pk__in=list(keep))
    if not owner_gone:
        running = running.filter(started_at__lt=now - stale_after())
    marked = running.update(status=GapRun.Status.FAILED, finished_at=now, error=LOST)
    never_started = GapRun.objects.filter(status=GapRun.Status.PENDING, requested_at__lt=now - stale_after())
    marked += never_started.exclude(pk__in=list(keep)).update(
        status=GapRun.Status.FAILED, started_at=now, finished_at=now, error=NEVER_STARTED
    )
    if marked:
        logger.warning("gap analysis: %s stale run(s) marked failed", marked)
    return marked


def _running() -> GapRun | None:
    return GapRun.objects.filter(status=GapRun.Status.RUNNING).first()


def _claim(*, run_id: int | None, trigger: str, full_consolidation: bool, owner_gone: bool) -> GapRun | None:
    """Make one run ``running``: the requested pending one (None if it is no longer pending) or a new one."""
    now = timezone.now()
    try:
        with transaction.atomic():
            recover_stale(owner_gone=owner_gone, keep=[run_id] if run_id is not None else [])
            if run_id is not None:
                # Its own row still ``running`` means its worker was lost (redelivered, or re-queued by
                # ``resume_lost``): nothing of that attempt was committed, so it simply starts again.
                orphan = Q(status=GapRun.Status.RUNNING)
                if not owner_gone:
                    orphan &= Q(started_at__lt=now - stale_after())
                claimed = GapRun.objects.filter(Q(status=GapRun.Status.PENDING) | orphan, pk=run_id).update(
                    status=GapRun.Status.RUNNING, started_at=now
                )
                return GapRun.objects.get(pk=run_id) if claimed == 1 else None
            return GapRun.objects.create(
                status=GapRun.Status.RUNNING, trigger=trigger, full_consolidation=full_consolidation, started_at=now
            )
    except IntegrityError:
        raise GapRunInProgress(_running()) from None


def release_unqueued(run_id: int) -> None:
    """The broker refused the requested run: mark it failed so that it does not hold the one-pending slot."""
    now = timezone.now()
    GapRun.objects.filter(pk=run_id, status=GapRun.Status.PENDING).update(
        status=GapRun.Status.FAILED, started_at=now, finished_at=now, error=NOT_QUEUED
    )


def resume_window() -> dt.timedelta:
    """A run whose worker was lost is resumed if it was requested within this window (three hard time limits):
    a run that kills its worker every time does not come back for ever; the nightly run repairs instead."""
    return 3 * stale_after()


QUEUE_GRACE = dt.timedelta(minutes=2)  # a pending run younger than this still has its message on the way


def resume_lost() -> list[int]:
    """The runs to queue again (the worker at start-up and a beat job call this): a ``running`` row whose worker is
    gone (on PostgreSQL: nobody holds ``RUN_LOCK``), and a pending one whose message may have been lost (Redis
    restarted empty). Older than ``resume_window`` they are marked failed instead. Returns [] while a run is in
    progress: the pending run's task is waiting for it (retries)."""
    with _run_lock() as held:
        if not held:
            return []
        now = timezone.now()
        with transaction.atomic():
            running = GapRun.objects.filter(status=GapRun.Status.RUNNING)
            if not _postgresql():
                running = running.filter(started_at__lt=now - stale_after())
            lost = list(running.filter(requested_at__gte=now - resume_window()).values_list("pk", flat=True))
            waiting = list(GapRun.objects.filter(
                status=GapRun.Status.PENDING, requested_at__lt=now - QUEUE_GRACE,
            ).values_list("pk", flat=True))
            recover_stale(owner_gone=_postgresql(), keep=lost)
            still = GapRun.objects.filter(pk__in=waiting, status=GapRun.Status.PENDING)  # not marked never-started
            waiting = list(still.values_list("pk", flat=True))
    if lost:
        logger.warning("gap analysis: run(s) %s lost their worker; queued again", lost)
    return lost + waiting


def request_run(*, trigger: str, requested_by=None, full_consolidation: bool = False) -> tuple[GapRun, bool]:
    """Record a run to be executed by a worker. Returns (the run, True), or (the run already pending or running,
    False) — the "recalculate now" button shows that one instead of queueing a second."""
    with transaction.atomic():
        owner_alive = True
        if _postgresql():
            # Nobody holds the run lock → whatever is marked running is an orphan.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [RUN_LOCK])
                owner_alive = not cursor.fetchone()[0]
        recover_stale(owner_gone=not owner_alive)
        current = GapRun.objects.filter(status__in=[GapRun.Status.PENDING, GapRun.Status.RUNNING]).first()
        if current:
            return current, False
        try:
            with transaction.atomic():
                run = GapRun.objects.create(
                    status=GapRun.Status.PENDING, trigger=trigger, requested_by=requested_by,
                    full_consolidation=full_consolidation,
                )
        except IntegrityError:  # a concurrent request created it first
            return GapRun.objects.filter(  # type: ignore[return-value]  # the concurrent run exists
                status__in=[GapRun.Status.PENDING, GapRun.Status.RUNNING]).first(), False
    return run, True


# --- Execute ------------------------------------------------------------------------------------------------------


def execute(*, trigger: str, run_id: int | None = None, full_consolidation: bool = False,
            today: dt.date | None = None) -> GapRun | None:
    """Claim and execute a full run. Raises ``GapRunInProgress`` if another one runs; returns None if ``run_id``
    is no longer pending (already executed or failed); re-raises the error of a failed run after recording it."""
    today = today or timezone.localdate()
    with _run_lock() as held:
        if not held:
            raise GapRunInProgress(_running())
        # On PostgreSQL holding the run lock proves that no other process is running one.
        run = _claim(run_id=run_id, trigger=trigger, full_consolidation=full_consolidation, owner_gone=_postgresql())
        if run is None:
            return None
        try:
            with _data_lock_exclusive():
                _compute(run, today=today)
        except BaseException as exc:
            logger.exception("gap analysis run #%s failed", run.pk)
            try:
                GapRun.objects.filter(pk=run.pk, status=GapRun.Status.RUNNING).update(
                    status=GapRun.Status.FAILED, finished_at=timezone.now(), error=f"{type(exc).__name__}: {exc}"[:4000]
                )
            except Exception:  # the database itself is gone: the next run will find this one stale
                logger.exception("gap analysis run #%s could not be marked failed", run.pk)
            raise
    run.refresh_from_db()
    if run.status == GapRun.Status.DONE and run.trigger != GapRun.Trigger.BENCHMARK:
        # Level 4 per program reads the gaps this run left: the programs app stores it (queued by name: a lower
        # layer does not import a higher one).
        queue_on_commit("programs.results_snapshot", run.pk)
        # The knowledge-at-risk figures read the same levels, and their horizons move with the date.
        queue_on_commit("talent.knowledge_risk_rebuild")
    return run


def _compute(run: GapRun, *, today: dt.date) -> None:
    from evaluations.gaps import consolidation, rollups

    started = time.monotonic()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if _postgresql():
            with connection.cursor() as cursor:
                if outermost:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                # Server memory for the run's hash aggregates (not this process's): avoids spilling to disk.
                cursor.execute("SET LOCAL work_mem = '256MB'")
        signature = rollups.tree_signature()
        previous = GapRun.objects.filter(status=GapRun.Status.DONE).order_by("-finished_at", "-pk").first()
        if run.full_consolidation:
            levels = consolidation.consolidate_all(today=today)
            result = rollups.rebuild_all(complete=True)
        else:
            result = rollups.rebuild_all(
                complete=False, sweep_today=today, tree_changed=previous is None or previous.tree_signature != signature
            )
            levels = result["levels"]
        figures = result["figures"]
        GapTrendPoint.objects.create(run=run, as_of=today, **figures)
        finished = GapRun.objects.filter(pk=run.pk, status=GapRun.Status.RUNNING).update(
            status=GapRun.Status.DONE, finished_at=timezone.now(), as_of=today, employees=figures["people"],
            pairs=figures["requirements"], levels_changed=levels, rollups_changed=result["changed"], error="",
            tree_signature=signature,
        )
        if finished != 1:  # marked failed meanwhile (it looked stale): its results must not be published
            raise RuntimeError(f"run #{run.pk} is no longer running; its results were discarded")
    logger.info("gap analysis run #%s done in %.1f s (%s levels, %s roll-up rows written, %s units recounted)",
                run.pk, time.monotonic() - started, levels, result["changed"], result["recounted_units"])
