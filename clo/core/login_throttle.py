"""The login throttle: django-axes' database handler with a second, per-address limit.

axes counts failures per combination of its ``AXES_LOCKOUT_PARAMETERS`` and compares every combination with the one
``AXES_FAILURE_LIMIT``: it cannot lock a (username, address) pair after 5 failures *and* an address after 30
failures spread over any usernames. So the pair stays axes' own rule, and this handler adds the address rule:

- ``AXES_FAILURE_LIMIT`` (``LOGIN_FAILURE_LIMIT``) failures for one username from one address lock that pair out;
- ``CLO_LOGIN_ADDRESS_FAILURE_LIMIT`` (``LOGIN_ADDRESS_FAILURE_LIMIT``) failures from one address, whatever the
  usernames, lock that address out (one password sprayed over many accounts);

both for ``AXES_COOLOFF_TIME`` after the last failure counted. The address count is read from the rows axes already
keeps (``AccessAttempt``: one per username, address and browser, with its failures and its last failure's time), so
it needs no other store and ``axes_reset`` clears it too. A locked-out address gets the same page (429) as a locked
pair, whether the usernames tried exist or not.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum


def address_failures(request) -> int:
    """Failed logins from the request's address, over every username, within the cool-off period."""
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def address_locked(request) -> bool:
    return address_failures(request) >= settings.CLO_LOGIN_ADDRESS_FAILURE_LIMIT


class LoginThrottleHandler(AxesDatabaseHandler):
    """``AXES_HANDLER``: axes' per-(username, address) lockout, plus the per-address one."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False) or self.is_whitelisted(request, credentials):
            return
        if address_locked(request):  # this failure reached the address' limit: the lockout page from now on
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send("axes", request=request, username=get_client_username(request, credentials),
                                 ip_address=request.axes_ip_address)
