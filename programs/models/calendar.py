"""Personal calendar feeds: one secret address per person, for their calendar application to subscribe to."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarFeed(models.Model):
    """A person's calendar feed. Only the SHA-256 of its secret is stored (the address is shown once, when it is
    made); regenerating replaces the hash, so the old address stops working; revoking deletes the row."""

    employee = models.OneToOneField(
        "people.Employee", on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("employee")
    )
    token_hash = models.CharField(max_length=64, unique=True)  # the feed's lookup (unique: its own index)
    created_at = models.DateTimeField(_("created at"))
    last_read_at = models.DateTimeField(_("last read"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.employee} · {self.created_at:%Y-%m-%d}"
