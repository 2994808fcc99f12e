"""Writes of running an assessment campaign: change its name, dates and threshold (the scope only while in draft),
close it, and hand-pick the peers of an assessed person in a 360° campaign.

Rules, each refused with a message at the field at fault:
- a closed campaign no longer changes;
- once open, its scope (kind of raters, frameworks, competencies, units) and its opening date stay as they were, and
  its deadline cannot move before today;
- peers: at most ``PEERS_PER_PERSON``, active employees of the organisation, never the person themself, each once;
  once the campaign is open a chosen peer stays, answered or not (whether a given peer has answered is never
  shown to anybody but that peer, and a refusal for answered peers only would show it).

Peers' results are released once, when the campaign closes (``peer_results_release``): per person and competency,
the mean of the peers' levels where at least the campaign's anonymity threshold of peers rated it, stored as
``PeerResult`` rows that nothing writes again. Before the close nobody sees any peer figure, so answers arriving one
by one cannot be told apart by differencing.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clo.core.audit import record_bulk_change
from evaluations.models import Assessment, AssessmentCampaign, PeerResult, Rating
from evaluations.services import PEERS_PER_PERSON

CampaignStatus = AssessmentCampaign.Status
Status = Assessment.Status
SCOPE_FIELDS = ("kind", "frameworks", "competencies", "units")


def _locked_campaign(campaign_id: int) -> AssessmentCampaign:
    campaign = AssessmentCampaign.objects.select_for_update().filter(pk=campaign_id).first()
    if campaign is None:
        raise ValidationError(_("This campaign no longer exists."))
    return campaign


def _ids(values) -> set[int]:
    return {value if isinstance(value, int) else value.pk for value in values}


@transaction.atomic
def campaign_update(*, campaign_id: int, name: str, period_start: dt.date, period_end: dt.date, opens_on: dt.date,
                    closes_on: dt.date, peer_anonymity_threshold: int, kind: str | None = None, frameworks=None,
                    competencies=None, units=None, today: dt.date | None = None) -> AssessmentCampaign:
    """Change a campaign in draft (everything) or open (name, period, deadline, threshold). Scope arguments left None
    keep what the campaign has."""
    today = today or timezone.localdate()
    campaign = _locked_campaign(campaign_id)
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(_("A closed campaign can no longer be changed."))
    errors: dict[str, str] = {}
    if campaign.status == CampaignStatus.OPEN:
        current = {"kind": campaign.kind, "frameworks": _ids(campaign.frameworks.all()),
                   "competencies": _ids(campaign.competencies.all()), "units": _ids(campaign.units.all())}
        asked = {"kind": kind, "frameworks": None if frameworks is None else _ids(frameworks),
                 "competencies": None if competencies is None else _ids(competencies),
                 "units": None if units is None else _ids(units)}
        for name_ in SCOPE_FIELDS:
            if asked[name_] is not None and asked[name_] != current[name_]:
                errors[name_] = _("The scope of an open campaign cannot change.")
        if opens_on != campaign.opens_on:
            errors["opens_on"] = _("An open campaign keeps its opening date.")
        if closes_on < today and closes_on != campaign.closes_on:
            errors["closes_on"] = _("Once the campaign is open, its deadline cannot move before today.")
    if errors:
        raise ValidationError(errors)
    campaign.name, campaign.period_start, campaign.period_end = name, period_start, period_end
    campaign.opens_on, campaign.closes_on = opens_on, closes_on
    campaign.peer_anonymity_threshold = peer_anonymity_threshold
    if campaign.status == CampaignStatus.DRAFT and kind is not None:
        campaign.kind = kind
    campaign.full_clean()
    campaign.save(update_fields=["name", "period_start", "period_end", "opens_on", "closes_on",
                                 "peer_anonymity_threshold", "kind"])
    if campaign.status == CampaignStatus.DRAFT:
        for relation, values in (("frameworks", frameworks), ("competencies", competencies), ("units", units)):
            if values is not None:
                getattr(campaign, relation).set(values)
        _drop_peers_out_of_scope(campaign)
    return campaign


def _drop_peers_out_of_scope(campaign: AssessmentCampaign) -> None:
    """A draft holds only hand-picked peers: those of people the campaign no longer assesses go (all of them if it is
    no longer a 360° campaign)."""
    from clo.people.models import Employee

    drafts = campaign.assessments.all()
    if campaign.kind == AssessmentCampaign.Kind.FULL_360:
        paths = list(campaign.units.values_list("path", flat=True))
        if not paths:
            return
        drafts = drafts.exclude(employee__in=Employee.objects.in_units(paths))
    drafts.delete()


@transaction.atomic
def campaign_close(*, campaign_id: int, now: dt.datetime | None = None) -> int:
    """Close an open campaign: no more answers; the assessments still in draft are marked "not submitted"; the peers'
    results are released (``peer_results_release``). Returns how many were left unanswered. Closing twice is refused
    (nothing changes)."""
    campaign = _locked_campaign(campaign_id)
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError(_("Only an open campaign can be closed."))
    drafts = dict(campaign.assessments.filter(status=Status.DRAFT).values_list("pk", "employee_id"))
    peers = set(campaign.assessments.filter(pk__in=list(drafts), role=Assessment.Role.PEER).values_list("pk", flat=True))
    unanswered = Assessment.objects.filter(pk__in=list(drafts), status=Status.DRAFT).update(status=Status.UNANSWERED)
    record_bulk_change(Assessment, changes=dict.fromkeys(drafts, {"status": [Status.DRAFT, Status.UNANSWERED]}),
                       person_ids=drafts, confidential=peers)
    campaign.status = CampaignStatus.CLOSED
    campaign.save(update_fields=["status"])
    peer_results_release(campaign=campaign, now=now)
    return unanswered


def peer_results_release(*, campaign: AssessmentCampaign, now: dt.datetime | None = None) -> int:
    """Fix the peers' results of a closed campaign, once: one ``PeerResult`` per person × competency that at least
    the campaign's anonymity threshold of peers rated (submitted answers), with their mean; nothing below the
    threshold. A campaign already released is left as it is. One INSERT ... SELECT, whatever the campaign's size.
    Returns the rows written. Call it inside the transaction that holds the campaign's row lock."""
    if campaign.status != CampaignStatus.CLOSED or campaign.peers_released_at is not None:
        return 0
    written = 0
    if campaign.kind == AssessmentCampaign.Kind.FULL_360:
        results, ratings, assessments = (m._meta.db_table for m in (PeerResult, Rating, Assessment))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {results} (campaign_id, employee_id, competency_id, answers, mean)"
                f" SELECT a.campaign_id, a.employee_id, r.competency_id, COUNT(*), AVG(r.level * 1.0)"
                f" FROM {ratings} r JOIN {assessments} a ON a.id = r.assessment_id"
                " WHERE a.campaign_id = %s AND a.role = %s AND a.status IN (%s, %s) AND a.blocked_at IS NULL"
                " GROUP BY a.campaign_id, a.employee_id, r.competency_id HAVING COUNT(*) >= %s",
                [campaign.pk, Assessment.Role.PEER, Status.SUBMITTED, Status.VALIDATED,
                 max(campaign.peer_anonymity_threshold, 2)],
            )
            written = max(cursor.rowcount, 0)
    campaign.peers_released_at = now or timezone.now()
    campaign.save(update_fields=["peers_released_at"])
    return written


# --- Peers ----------------------------------------------------------------------------------------------------------


@transaction.atomic
def peers_set(*, campaign_id: int, employee_id: int, peer_ids: list[int]) -> tuple[int, int]:
    """Make ``peer_ids`` the peers who assess ``employee_id`` in a 360° campaign (in draft: ready for when it
    opens; open: the new peers get their assessment at once). Returns (added, removed). All or nothing."""
    from clo.people.models import Employee

    campaign = _locked_campaign(campaign_id)
    if campaign.kind != AssessmentCampaign.Kind.FULL_360:
        raise ValidationError(_("Only a 360° campaign has peers."))
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(_("A closed campaign can no longer be changed."))
    wanted = list(dict.fromkeys(int(pk) for pk in peer_ids))
    if len(wanted) != len(peer_ids):
        raise ValidationError({"peers": _("Each colleague can be chosen once only.")})
    if employee_id in wanted:
        raise ValidationError({"peers": _("A person cannot be their own peer.")})
    if len(wanted) > PEERS_PER_PERSON:
        raise ValidationError({"peers": _("Choose at most %(count)d peers.") % {"count": PEERS_PER_PERSON}})
    found = set(Employee.objects.filter(pk__in=wanted, active=True).values_list("pk", flat=True))
    if found != set(wanted):
        raise ValidationError({"peers": _("Choose active employees of the organisation only.")})
    current = {a.assessor_id: a for a in campaign.assessments.filter(employee_id=employee_id, role=Assessment.Role.PEER)
               .select_for_update()}
    leaving = [a for assessor_id, a in current.items() if assessor_id not in wanted]
    if leaving and campaign.status != CampaignStatus.DRAFT:
        # Whatever they have answered: a refusal for answered peers only would tell who has answered.
        raise ValidationError({"peers": _("Once the campaign is open, the peers chosen stay: you can add peers but "
                                          "not remove them.")})
    Assessment.objects.filter(pk__in=[a.pk for a in leaving]).delete()
    record_bulk_change(Assessment, action="delete", changes={a.pk: {"assessor": [a.assessor_id, None]} for a in leaving},
                       person_ids={a.pk: employee_id for a in leaving}, confidential=[a.pk for a in leaving])
    added = [Assessment(campaign=campaign, employee_id=employee_id, assessor_id=pk, role=Assessment.Role.PEER)
             for pk in wanted if pk not in current]
    Assessment.objects.bulk_create(added)
    record_bulk_change(Assessment, action="create", person_ids={a.pk: employee_id for a in added if a.pk},
                       changes={a.pk: {"role": [None, a.role], "assessor": [None, a.assessor_id]} for a in added if a.pk},
                       confidential=[a.pk for a in added if a.pk])
    return len(added), len(leaving)
