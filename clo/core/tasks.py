"""Queueing Celery tasks of a higher layer, by name, once the current transaction commits.

A lower layer (people, competencies) must not import the layers above it (evaluations, programs), yet its writes
change what they compute: it queues their tasks by registered name. When tasks run eagerly (no ``REDIS_URL``) the
task runs in-process right after the commit.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class QueueUnavailable(Exception):
    """The broker could not take a job the user asked for (Redis down); the row that asked for it was released."""

    def __init__(self) -> None:
        super().__init__(_("The job could not be queued because the task queue is not available. Try again later."))


def queue_on_commit(task_name: str, *args, **kwargs) -> None:
    """Queue the task registered as ``task_name`` once the current transaction commits (at once outside one).

    Robust: if the broker is down the write itself still succeeds (the error is logged); the periodic jobs repair
    what the task would have done."""
    from celery import current_app

    current_app.loader.import_default_modules()  # registers every app's tasks once (autodiscovery)
    task = current_app.tasks[task_name]
    transaction.on_commit(lambda: task.delay(*args, **kwargs), robust=True)


def delay_on_commit_or_release(task, *args, release, **kwargs) -> None:
    """Queue ``task`` once the current transaction commits (at once outside one), for a job a person is waiting for.

    Unlike ``delay_on_commit``, a broker that cannot take the job is reported: ``release()`` runs (it marks the
    committed row that asked for the job failed, so it does not hold the slot) and ``QueueUnavailable`` is raised from
    the commit, for the view to say so. The publish gives up within a few seconds (``CELERY_BROKER_CONNECTION_TIMEOUT``,
    ``CELERY_TASK_PUBLISH_RETRY_POLICY``). Eager mode (no broker) runs the task as ``delay`` does."""

    def send() -> None:
        if task.app.conf.task_always_eager:
            task.delay(*args, **kwargs)
            return
        try:
            task.delay(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - with a broker, delay only publishes: any error means "not queued"
            logger.error("could not queue %s%r: %s: %s", task.name, args, type(exc).__name__, exc)
            release()
            raise QueueUnavailable from exc

    transaction.on_commit(send)
