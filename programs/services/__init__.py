"""Writes of the programs app, one module per sub-domain, with the names the models use: ``catalogue`` (programs and
the interest in them), ``delivery`` (sessions, enrolments, attendance, completion), ``needs`` (campaign and triage),
``annual_plan``, ``learning_plans`` (with ``learning_plans.pdfs``: a plan's PDF and the bulk PDF jobs), ``feedback``
(Kirkpatrick levels 1-3), ``results`` (level 4 snapshots) and ``training_rollup`` (the per-unit training figures the
dashboards read)."""
