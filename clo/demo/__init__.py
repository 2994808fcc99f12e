"""The demo organisation: a fictional Catalan city council, *Ajuntament de Vilamar*, of 200 to 250 000
people.

``python manage.py seed_demo`` builds it (``seed.seed_demo``); ``python manage.py demo_accounts`` lists the
logins. Modules, in the order the seed runs them:

- ``frameworks``   DigComp 2.2 and the transversal dictionary (looked up, recreated if missing), CLO-TECNIQUES
- ``org``          the unit tree (``organisation`` holds its names), positions and their requirements;
- ``people``       employees, unit heads, the demo logins (``names`` holds the names);
- ``development``  assessment campaigns, assessments, ratings, current levels, learning plans;
- ``training``     the catalogue (``catalogue``), sessions, enrolments, annual plans, training needs;
- ``bulk``         COPY on PostgreSQL, executemany on SQLite; ``world`` the state the phases share.

``benchdata`` is another organisation, synthetic, for the gap engine's benchmark (``manage.py bench_gaps``, and
``bench_dashboards --data bench``).

The app sits on top of every layer (the import-linter contract in pyproject.toml): it writes to all of them, and
nothing imports it but the tests. Its management commands are the demo's (``seed_demo``, ``demo_accounts``) and
the benchmarks' (``bench_gaps``, ``bench_dashboards``, ``bench_imports``, ``bench_pdf``), each printing one JSON line.

Import the entry points from ``clo.demo.seed`` and ``clo.demo.accounts``: this package does not
import models at import time.
"""
