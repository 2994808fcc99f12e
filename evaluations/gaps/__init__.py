"""The gap analysis engine: required vs assessed, for every employee, kept current.

This docstring is the one place where the rules are written down; the SQL in ``sql.py`` implements them and the
property test in ``tests/gaps`` checks them against an independent plain-Python oracle.

Consolidation: an employee's current level in a competency
------------------------------------------------------------
Evidence (each piece has a level, a date and an expiry):

- a rating of a *submitted* or *validated* assessment whose role is ``self`` or ``manager``, dated by the day (in
  ``settings.TIME_ZONE``) a manager's assessment was validated (validated ones) or any assessment was submitted.
  A self-rating stands at the employee's own level (``Rating.original_level`` when the manager adjusted it);
- the manager's validation of a self-assessment: a *validated manager rating* at the level the manager validated
  (adjusted or not), dated by the day of the validation. Draft assessments never count; peer ratings never set a
  level, nor does their aggregate (released once, when the campaign closes, as ``PeerResult``: an individual
  peer's level must not become anybody's current level);
- a *completed* enrolment (``completed_on`` set) in a program whose ``ProgramCompetency`` certifies the competency,
  at the program's ``level_reached``, dated ``completed_on``;
- a level *imported* from another system: a row of ``Evidence`` (source ``import``), dated ``evidenced_on``. Every
  imported level is its own row, written by ``evaluations.services.evidence_record`` (or the admin) and never by the
  consolidation: one that is outranked stays evidence, and is the current level again once what outranked it expires;
- a challenge project's owner's rating of a competency a participant exercised (``clo.talent``, at the project's
  close): a row of ``Evidence`` with source ``project``, dated ``evidenced_on``, written through the same service. It
  has no expiry of its own (its ``expires_on`` is ignored): it expires like a rating, with the framework's validity.

A piece of evidence expires ``Framework.evidence_validity_months`` months after its date (calendar months; the 31st
becomes the last day of a shorter month), or at its own ``expires_on`` for an imported level that has one. It counts
on day *D* while its expiry is after *D*.

Among the evidence that counts, the framework's ``consolidation_rule`` picks the current level:

``manager_over_self`` (default) and ``manager_only``
    Each piece has a rank: 4 — a manager rating of a validated assessment, a completed training, an imported level,
    a challenge-project rating;
    3 — a manager rating of a submitted assessment; 2 — a self-rating of a validated assessment; 1 — a self-rating of
    a submitted assessment. ``manager_only`` ignores self-ratings. The highest rank wins; within a rank the newest
    date; on the same date the highest level. (A validated manager rating therefore outranks any self-rating, a newer
    rating outranks an older one of the same source, and a newer training outranks an older validated rating.)
``average_self_manager``
    The newest self-rating and the newest manager rating (submitted or validated) are averaged, rounded down
    (a level counts as reached only when both sides reach it on average), dated by the newer of the two and expiring
    with the older; either alone stands for itself. That combined rating and the newest training, imported level or
    challenge-project rating compete by date (newest wins; same date: highest level).

Ties on rank, date and level go to the source in this order: project > average > import > training > manager > self.

The result is one ``CurrentLevel`` row per employee × competency with ``source``
manager/self/average/training/import/project,
``assessed_on`` the winning date and ``expires_on`` the winning expiry: derived data, rewritten by the engine only.
(An employee has at most one imported level per competency and day, so the winning piece is always one row.) No valid evidence → no row ("not assessed").
A level 0 rating is a real assessment at 0 ("not demonstrated"), distinct from no row.

Gaps
----
For every active employee × every requirement of their position whose framework is not archived (the view
``evaluations_gap``, model ``evaluations.Gap``): required level, current level (0 without a row, with
``not_assessed``), gap = max(required − current, 0), weight, critical. The view is always current; nothing per pair is
stored.

Roll-ups
--------
``UnitCompetencyGap``, ``UnitAreaGap`` and ``UnitGap`` hold sums and counts per unit × competency, per unit × area and
per unit (all competencies), once for the unit's own people (``subtree=False``) and once for the unit and everything
under it by path prefix (``subtree=True``). ``UnitGroupCompetencyGap`` holds the same as ``UnitCompetencyGap`` for the
people of each civil-service position group (``people.Position.group``, the view's ``position_group``): a unit's rows
of every group add up to its ``UnitCompetencyGap`` rows. ``GapFigures`` derives mean gap, weighted gap, % met and % not assessed.
A requirement is met when its gap is 0. ``people`` counts each person once (per area, per unit); for one competency
it equals the number of pairs. A row exists only while at least one person is concerned. ``GapTrendPoint``: the
whole organisation at the end of each full run.

Keeping it current
------------------
- Incremental refreshes (``services``), queued on commit by the services that change things:
  ``gaps_refresh_employee(evidence_only=True)`` after a rating or a completed training re-consolidates the employee
  and adds the difference between their pairs before and after along their unit's path (cost: one employee);
  ``gaps_refresh_employee`` after a move or a position change, ``gaps_refresh_position`` after a requirement change
  and ``gaps_refresh_units`` recount the own rows of the units concerned and add the difference along their paths
  (``people.services.positions_regrouped`` asks for the latter when positions change group);
  ``gaps_refresh_unit_move`` recomputes the subtree rows of the units a moved unit left and joined. All idempotent.
- A framework archived or brought back recounts, like a requirement change, the units where its positions have
  holders; a new consolidation rule or evidence validity queues a full run with full consolidation
  (``competencies.services.framework_changed``, on commit).
- The daily expiry sweep (``services.gaps_sweep_expired``, beat 00:20): the employees with a level whose evidence
  expired are re-consolidated and their difference added, like a refresh — time is the only thing that changes a
  level without a write.
- The full run (nightly, "recalculate now", ``manage.py gap_analysis``), in one transaction: sweeps what is left,
  aggregates every pair per unit × position group × competency (the floor's statement with one more grouping
  column) and compares it, summed per unit × competency and as it is, with the stored competency rows, repairing what
  no refresh reported (an import, a script, a lost task, a position moved to another group) along the paths; recounts the area
  and unit rows of the units so repaired; recomputes the subtree rows if the unit tree changed behind the refreshes'
  back; adds a trend point. A reader sees the previous results until it commits; a failed run leaves them in place
  (``runs.py``). ``full_consolidation`` (the weekly run) re-consolidates every level from all the evidence and
  recounts and recomputes everything.
- Limits of the nightly repair: a level whose evidence changed without a refresh waits for the weekly run (the
  nightly run re-consolidates expired levels only); two changes without a refresh that exactly compensate each
  other in one unit's per-competency sums leave its per-area people counts for the weekly run to recount.
"""
