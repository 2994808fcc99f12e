"""Queueing Celery tasks once the current transaction commits: ``queue_on_commit``, the only way the apps queue.

A lower layer (people, competencies) must not import the layers above it (evaluations, programs), yet its writes
change what they compute: it queues their tasks by registered name. When tasks run eagerly (no ``REDIS_URL``) the
task runs in-process right after the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from celery import Task

logger = logging.getLogger(__name__)


class QueueUnavailable(Exception):
    """The broker could not take a job the user asked for (Redis down); the row that asked for it was released."""

    def __init__(self) -> None:
        super().__init__(_("The job could not be queued because the task queue is not available. Try again later."))


def queue_on_commit(task: str | Task, *args, release: Callable[[], object] | None = None, **kwargs) -> None:
    """The one way to queue a task: once the current transaction commits (at once outside one). ``task`` is a task,
    or the name it is registered under (for a lower layer queueing the work of a layer above it).

    Without ``release`` (a refresh or a notice that follows a write): robust, if the broker is down the write itself
    still succeeds and the error is logged; the periodic jobs repair what the task would have done.

    With ``release`` (a job a person asked for and is waiting for): a broker that cannot take the job is reported:
    ``release()`` runs (it marks the committed row that asked for the job failed, so it does not hold the slot and can
    be asked for again) and ``QueueUnavailable`` is raised from the commit, for the view to say so. The publish gives
    up within a few seconds (``CELERY_BROKER_CONNECTION_TIMEOUT``, ``CELERY_TASK_PUBLISH_RETRY_POLICY``). Eager mode
    (no broker) runs the task as ``delay`` does."""
    if isinstance(task, str):
        from celery import current_app

        if task not in current_app.tasks:  # registers every app's tasks (autodiscovery): once, it is costly (the
            current_app.loader.import_default_modules()  # Django fixup runs every system check on each call)
        task = current_app.tasks[task]
    if release is None:
        transaction.on_commit(partial(task.delay, *args, **kwargs), robust=True)
        return

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


def announce(event: str, payload: dict) -> None:
    """Tell the systems that subscribed to ``event`` (the API's outbound webhooks, ``clo.api.webhooks``, a layer
    above every app that announces), once the transaction commits. ``payload`` is plain JSON."""
    queue_on_commit("api.webhook_event", event, payload)
