"""Reads of the learning-records pages."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from clo.api.xapi.models import XapiActivity, XapiCursor, XapiStatement

PAGE = 100


def activities_for_page() -> QuerySet[XapiActivity]:
    """The mapped activities, each with how many of its statements were taken and how many wait for review."""
    return (XapiActivity.objects.select_related("program")
            .annotate(matched=Count("statements", filter=Q(statements__status=XapiStatement.Status.MATCHED)),
                      pending=Count("statements", filter=Q(statements__status=XapiStatement.Status.PENDING))))


def review_list(limit: int = PAGE) -> list[XapiStatement]:
    """The statements waiting for review, oldest first (at most ``limit``)."""
    return list(XapiStatement.objects.filter(status=XapiStatement.Status.PENDING)
                .select_related("activity__program", "employee").order_by("stored", "pk")[:limit])


def review_count() -> int:
    return XapiStatement.objects.filter(status=XapiStatement.Status.PENDING).count()


def last_pull() -> XapiCursor | None:
    return XapiCursor.objects.order_by("-updated_at").first()
