"""Queueing Celery tasks of a higher layer, by name, once the current transaction commits.

A lower layer (people, competencies) must not import the layers above it (evaluations, programs), yet its writes
change what they compute: it queues their tasks by registered name. When tasks run eagerly (no ``REDIS_URL``) the
task runs in-process right after the commit.
"""

from __future__ import annotations

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def queue_on_commit(task_name: str, *args, **kwargs) -> None:
    """Queue the task registered as ``task_name`` once the current transaction commits (at once outside one).

    Robust: if the broker is down the write itself still succeeds (the error is logged); the periodic jobs repair
    what the task would have done."""
    from celery import current_app

    current_app.loader.import_default_modules()  # registers every app's tasks once (autodiscovery)
    task = current_app.tasks[task_name]
    transaction.on_commit(lambda: task.delay(*args, **kwargs), robust=True)
