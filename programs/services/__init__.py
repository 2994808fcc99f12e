"""Writes of the programs app, one module per part of the cycle: ``needs`` and ``plan`` (needs-detection campaign,
triage, annual training plan) and ``delivery`` (catalogue, sessions, enrolments, attendance, learning plans)."""
