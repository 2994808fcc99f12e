"""factory_boy factories for every model. Units go through the service so their paths are right."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from clo.people import services as people_services
from clo.people.models import Employee, OrgUnit, Position
from competencies.models import Area, Competency, CompetencyLevelDescriptor, Framework, Level, ProficiencyScale, Requirement
from evaluations.models import Assessment, AssessmentCampaign, CurrentLevel, Evidence, Rating
from programs.models import (
    Enrolment,
    LearningPlan,
    LearningPlanItem,
    Modality,
    PlanAction,
    Program,
    ProgramCompetency,
    Session,
    TrainingNeed,
    TrainingPlan,
)

PASSWORD = "clo-test-pass-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@ajuntament.example")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        from django.contrib.auth.models import Group

        self.save()
        for name in extracted or ():
            self.groups.add(Group.objects.get_or_create(name=name)[0])


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"Servei {n}")
    kind = OrgUnit.Kind.SERVICE
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return people_services.orgunit_create(
            code=kwargs["code"], name=kwargs["name"], kind=kwargs["kind"], parent=kwargs.get("parent")
        )


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    code = factory.Sequence(lambda n: f"LT{n:04d}")
    title = factory.Sequence(lambda n: f"Tècnic/a {n}")
    group = Position.Group.A2
    job_family = "Administració general"
    is_critical = False
    # A critical position has a criticality (people_position_criticality_flag): the middle one unless a test says.
    criticality = factory.LazyAttribute(lambda position: 2 if position.is_critical else None)


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    employee_number = factory.Sequence(lambda n: f"E{n:06d}")
    first_name = factory.Iterator(["Laia", "Jordi", "Núria", "Pau", "Montserrat", "Arnau", "Mercè", "Oriol"])
    last_name = factory.Iterator(["Puig i Serra", "Vila Roca", "Ferrer Soler", "Casals Mas", "Riera Pons"])
    email = factory.LazyAttribute(lambda o: f"{o.employee_number.lower()}@ajuntament.example")
    unit = factory.SubFactory(OrgUnitFactory)
    position = factory.SubFactory(PositionFactory)
    hire_date = dt.date(2015, 3, 1)
    expected_retirement_date = dt.date(2045, 3, 1)


class ScaleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProficiencyScale
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"scale-{n}")
    name = "Escala de 4 nivells"

    @factory.post_generation
    def levels(self, create, extracted, **kwargs):
        count = extracted if extracted is not None else 4
        for value in range(1, count + 1):
            Level.objects.create(scale=self, value=value, label=f"Nivell {value}")


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework

    code = factory.Sequence(lambda n: f"FW{n}")
    name = factory.Sequence(lambda n: f"Marc {n}")
    status = Framework.Status.PUBLISHED
    scale = factory.SubFactory(ScaleFactory)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"A{n}")
    name = factory.Sequence(lambda n: f"Àrea {n}")


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency

    area = factory.SubFactory(AreaFactory)
    framework = factory.SelfAttribute("area.framework")
    code = factory.Sequence(lambda n: f"C{n}")
    name = factory.Sequence(lambda n: f"Competència {n}")
    kind = Competency.Kind.TRANSVERSAL


class DescriptorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetencyLevelDescriptor

    competency = factory.SubFactory(CompetencyFactory)
    level = 1
    indicators = "Fa la feina amb suport."


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requirement

    position = factory.SubFactory(PositionFactory)
    competency = factory.SubFactory(CompetencyFactory)
    required_level = 3
    weight = 1


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentCampaign

    name = factory.Sequence(lambda n: f"Campanya {n}")
    period_start = dt.date(2026, 1, 1)
    period_end = dt.date(2026, 12, 31)
    opens_on = dt.date(2026, 3, 1)
    closes_on = dt.date(2026, 4, 30)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    campaign = factory.SubFactory(CampaignFactory)
    employee = factory.SubFactory(EmployeeFactory)
    assessor = factory.SelfAttribute("employee")
    role = Assessment.Role.SELF


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    assessment = factory.SubFactory(AssessmentFactory)
    competency = factory.SubFactory(CompetencyFactory)
    level = 2


class CurrentLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CurrentLevel

    employee = factory.SubFactory(EmployeeFactory)
    competency = factory.SubFactory(CompetencyFactory)
    level = 2
    source = CurrentLevel.Source.MANAGER
    assessed_on = dt.date(2026, 2, 1)

    @factory.post_generation
    def imported(obj, create, extracted, **kwargs):
        """An imported level stands on its evidence row (the consolidation derives the level from it)."""
        if create and obj.source == CurrentLevel.Source.IMPORT:
            Evidence.objects.create(employee=obj.employee, competency=obj.competency, level=obj.level,
                                    evidenced_on=obj.assessed_on, expires_on=obj.expires_on)


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    employee = factory.SubFactory(EmployeeFactory)
    competency = factory.SubFactory(CompetencyFactory)
    level = 2
    evidenced_on = dt.date(2026, 2, 1)


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    code = factory.Sequence(lambda n: f"P{n:04d}")
    title = factory.Sequence(lambda n: f"Curs {n}")
    modality = Modality.FACE_TO_FACE
    hours = Decimal("10.0")
    cost = Decimal("120.00")


class ProgramCompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramCompetency

    program = factory.SubFactory(ProgramFactory)
    competency = factory.SubFactory(CompetencyFactory)
    level_reached = 3


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    program = factory.SubFactory(ProgramFactory)
    code = factory.Sequence(lambda n: f"S{n:05d}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=4))
    place = "Sala de formació, Plaça de la Vila 1"
    capacity = 20


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    session = factory.SubFactory(SessionFactory)
    employee = factory.SubFactory(EmployeeFactory)


class TrainingPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingPlan
        django_get_or_create = ("year",)

    year = 2027
    title = factory.LazyAttribute(lambda o: f"Pla de formació {o.year}")
    budget = Decimal("150000.00")


class PlanActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanAction

    plan = factory.SubFactory(TrainingPlanFactory)
    title = factory.Sequence(lambda n: f"Acció {n}")


class TrainingNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingNeed

    unit = factory.SubFactory(OrgUnitFactory)
    submitted_by = factory.SubFactory(EmployeeFactory)
    year = 2027
    title = factory.Sequence(lambda n: f"Necessitat {n}")


class LearningPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningPlan

    employee = factory.SubFactory(EmployeeFactory)
    period_start = dt.date(2027, 1, 1)
    period_end = dt.date(2027, 12, 31)


class LearningPlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningPlanItem

    plan = factory.SubFactory(LearningPlanFactory)
    kind = LearningPlanItem.Kind.MENTORING
    title = "Mentoria amb la cap de servei"
