"""Errors as RFC 9457 problem details (``application/problem+json``)."""

from __future__ import annotations

from django.http import JsonResponse

PROBLEM_TYPE = "application/problem+json"
BASE = "https://clo.invalid/problems/"  # a stable identifier per kind of problem, not a page to open


class Problem(Exception):
    def __init__(self, status: int, kind: str, title: str, detail: str = "", *, headers: dict | None = None,
                 **extra) -> None:
        super().__init__(detail or title)
        self.status, self.kind, self.title, self.detail = status, kind, title, detail
        self.headers, self.extra = headers or {}, extra


def problem_response(request, problem: Problem) -> JsonResponse:
    body = {"type": BASE + problem.kind, "title": problem.title, "status": problem.status,
            **({"detail": problem.detail} if problem.detail else {}), "instance": request.path, **problem.extra}
    response = JsonResponse(body, status=problem.status, content_type=PROBLEM_TYPE,
                            json_dumps_params={"ensure_ascii": False})
    for name, value in problem.headers.items():
        response[name] = value
    return response
