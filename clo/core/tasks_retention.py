"""The monthly data-retention job (``clo.core.retention``)."""

from __future__ import annotations

from celery import shared_task


def retention_beat_schedule() -> dict:
    from celery.schedules import crontab

    # The 2nd of every month at 04:15, away from the nightly gap run and the monthly report of the 1st.
    return {"data-retention": {"task": "core.retention_run", "schedule": crontab(minute=15, hour=4, day_of_month=2)}}


@shared_task(name="core.retention_run")
def retention_run() -> None:
    from clo.core.retention import retention_run as run

    run()
