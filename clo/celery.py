"""The Celery application of clo (standard Django layout). Configuration lives in settings, prefix CELERY_."""

import logging
import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clo.settings")

app = Celery("clo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)

# Tasks that queue again the long jobs a lost worker left unfinished (each also runs every 5 minutes from beat).
RESUME_TASKS = ("evaluations.gaps_resume_lost", "programs.plan_pdf_jobs_resume_lost",
                "accounts.invitation_jobs_resume_lost", "careers.record_pdf_jobs_resume_lost")


@worker_ready.connect
def resume_lost_jobs(sender=None, **kwargs) -> None:
    """A worker that (re)starts picks up at once the jobs a lost worker left. Run in this process, then its database
    connections and connection pool are closed: processes the worker forks later must not inherit them."""
    from django.db import connections

    for name in RESUME_TASKS:
        try:
            app.tasks[name].apply(throw=True)
        except Exception:  # noqa: BLE001 - a start-up must not fail on it; beat tries again in 5 minutes
            logger.exception("%s failed at worker start-up", name)
    for conn in connections.all(initialized_only=True):
        conn.close()
        close_pool = getattr(conn, "close_pool", None)
        if close_pool is not None and conn.settings_dict["OPTIONS"].get("pool"):
            close_pool()
