"""Open sessions end when their user no longer may sign in.

A deactivated employee's user is made inactive in the same statement that deactivates them (a database trigger,
migration 0001: imports and HR pages alike). Django then no longer loads that user from the session; this
middleware also ends the session itself (flushed: a new key, nothing of it kept) and logs it, at the next request.
It reads nothing more than the user the authentication middleware loads anyway.
"""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY

from clo.core.security import log_refusal


class InactiveSignOutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_KEY) and not request.user.is_authenticated:
            log_refusal(request, "session ended: user no longer active", session_user=session.get(SESSION_KEY))
            session.flush()
        return self.get_response(request)
