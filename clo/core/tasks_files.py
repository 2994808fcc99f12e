"""Deleting a stored document once the row that pointed at it is gone (queued by the removing service on commit)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="core.stored_file_delete")
def stored_file_delete(name: str) -> None:
    from django.core.files.storage import default_storage

    default_storage.delete(name)  # a name already gone is no error: the task may run twice
