"""Communities of practice (issue 19, item 3): people who share a competency and learn from each other.

A community has a name, a description, the competencies it works on, coordinators and members. Joining is open (a
person joins at once) or on request (a coordinator accepts or refuses, a refusal with its reason); a member may leave.
Its meetings are sessions of its own program (modality "community of practice", one program per community), so that
enrolment, attendance, hours, the training figures and roll-ups and the person's calendar feed all count them with no
second definition. It has no forum: it may link to the council's own tool (Teams, Viva Engage...).

Who sees a community: the learning office and HR (all), the directors of its unit's subtree, its members and
coordinators, and, once published, every employee of its unit's subtree (of the whole council when it has no unit).
Who manages it: the learning office and its coordinators.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clo.people import roles
from clo.talent.models.projects import _in_paths


def published_to(employee_id: int) -> Q:
    """The published communities of the whole council and of the units above or at the person's own (their unit's
    path, "/1/5/9/", names them). One query."""
    from clo.people.models import Employee

    path = Employee.objects.filter(pk=employee_id).values_list("unit__path", flat=True).first() or ""
    ancestors = [int(part) for part in path.split("/") if part.isdigit()]
    return Q(published=True) & (Q(unit__isnull=True) | Q(unit_id__in=ancestors))


class CommunityQuerySet(models.QuerySet["Community"]):
    def visible_to(self, user) -> "CommunityQuerySet":
        scope = roles.scope_of(user)
        if scope.everything:
            return self
        condition = _in_paths("unit", scope.unit_paths)
        if scope.employee_id:
            condition |= published_to(scope.employee_id) | Q(Exists(
                Membership.objects.filter(community=OuterRef("pk"), employee_id=scope.employee_id)))
        return self.filter(condition)

    def manageable_by(self, user) -> "CommunityQuerySet":
        scope = roles.scope_of(user)
        if scope.is_learning_office:
            return self
        if scope.employee_id is None:
            return self.none()
        coordinating = Membership.objects.filter(community=OuterRef("pk"), employee_id=scope.employee_id,
                                                 role=Membership.Role.COORDINATOR, status=Membership.Status.MEMBER)
        return self.filter(Exists(coordinating))


class Community(models.Model):
    class Joining(models.TextChoices):
        OPEN = "open", pgettext_lazy("community joining", "Open: anyone it is published to joins at once")
        REQUEST = "request", pgettext_lazy("community joining", "On request: a coordinator accepts")

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=3000)
    competencies = models.ManyToManyField("competencies.Competency", related_name="+", blank=True,
                                          verbose_name=_("competencies"))
    unit = models.ForeignKey(
        "people.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="communities",
        verbose_name=_("unit"), help_text=_("Published to this unit and the units under it; empty: the whole council."))
    joining = models.CharField(_("joining"), max_length=8, choices=Joining.choices, default=Joining.OPEN)
    published = models.BooleanField(_("published"), default=False)
    tool_url = models.URLField(
        _("link to the community's space"), max_length=500, blank=True,
        help_text=_("The council's own tool where the community talks (Teams, Viva Engage...): an https:// address."))
    # Its meetings are the sessions of this program (modality "community of practice"), made with the community.
    program = models.OneToOneField("programs.Program", on_delete=models.PROTECT, related_name="community",
                                   verbose_name=_("program"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("community of practice")
        verbose_name_plural = _("communities of practice")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="talent_community_unique_name",
                                    violation_error_message=_("A community with this name already exists.")),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("talent:community_detail", args=[self.pk])


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", pgettext_lazy("community role", "Member")
        COORDINATOR = "coordinator", pgettext_lazy("community role", "Coordinator")

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("community membership", "Waiting for a coordinator")
        MEMBER = "member", pgettext_lazy("community membership", "Member")
        REFUSED = "refused", pgettext_lazy("community membership", "Refused")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships",
                                  verbose_name=_("community"))
    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="community_memberships",
                                 verbose_name=_("employee"))
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    refusal_reason = models.CharField(_("reason for the refusal"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("community membership")
        verbose_name_plural = _("community memberships")
        ordering = ["community", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["community", "employee"], name="talent_membership_once",
                                    violation_error_message=_("This person is already in this community.")),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""), name="talent_membership_refusal_reason",
                violation_error_message=_("A refusal needs its reason.")),
            models.CheckConstraint(
                condition=Q(role="member") | Q(status="member"), name="talent_membership_coordinator_is_member",
                violation_error_message=_("A coordinator is a member of the community.")),
        ]
        indexes = [
            # "my communities" and the visibility check: a person's memberships.
            models.Index(fields=["employee", "status"], name="talent_membership_employee"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} · {self.community}"
