"""The monthly data-retention job (``clo.core.retention``)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="core.retention_run")
def retention_run() -> None:
    from clo.core.retention import retention_run as run

    run()
