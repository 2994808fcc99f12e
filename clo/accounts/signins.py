"""The last sign-in of each login (how and when), for HR's account page."""

from __future__ import annotations

from django.utils import timezone

from clo.accounts.models import SignIn


def sign_in_record(*, user, method: str) -> None:
    SignIn.objects.update_or_create(user=user, defaults={"method": method, "at": timezone.now()})
