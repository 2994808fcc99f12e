"""Celery tasks of the organisation: thin wrappers that call a service."""

from celery import shared_task


@shared_task(name="people.orgunit_rebuild_paths")
def orgunit_rebuild_paths() -> int:
    """Recompute every unit's path and depth from its parent (after an HR import or a bulk load)."""
    from clo.people import services

    return services.orgunit_rebuild_paths()
