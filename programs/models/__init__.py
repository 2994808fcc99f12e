"""The models of programs, one module per sub-domain; ``from programs.models import X`` reads them all."""

from programs.models.catalogue import Modality, Program, ProgramCompetency
from programs.models.delivery import Session, Enrolment, ProgramInterest, SessionDay, Attendance
from programs.models.annual_plan import TrainingPlan, PlanAction
from programs.models.needs import (
    NEED_ATTACHMENT_EXTENSIONS, NeedEvent, NeedsCampaign, TrainingNeed, TrainingNeedQuerySet,
)
from programs.models.learning_plans import LearningPlan, LearningPlanItem, PlanPdfJob
from programs.models.feedback import ReactionHour, ReactionInvitation, ReactionResponse, LearningResult, TransferFollowUp
from programs.models.results import ProgramResultSnapshot, UnitTraining
from programs.models.optimiser import PlanProposal, ProposalItem  # noqa: F401
from programs.models.calendar import CalendarFeed  # noqa: F401

__all__ = [
    "Modality",
    "Program",
    "ProgramCompetency",
    "Session",
    "Enrolment",
    "ProgramInterest",
    "SessionDay",
    "Attendance",
    "TrainingPlan",
    "PlanAction",
    "NeedsCampaign",
    "NEED_ATTACHMENT_EXTENSIONS",
    "TrainingNeedQuerySet",
    "TrainingNeed",
    "NeedEvent",
    "LearningPlan",
    "LearningPlanItem",
    "PlanPdfJob",
    "ReactionInvitation",
    "ReactionHour",
    "ReactionResponse",
    "LearningResult",
    "TransferFollowUp",
    "ProgramResultSnapshot",
    "UnitTraining",
]
