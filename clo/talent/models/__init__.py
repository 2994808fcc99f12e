"""The talent models, one module per sub-domain; Django finds them through these imports."""

from clo.talent.models.communities import Community, Membership
from clo.talent.models.expertise import ExpertiseConsent, ExpertiseListing
from clo.talent.models.mentoring import MentoringMeeting, MentoringRelationship
from clo.talent.models.pools import ReadinessCategory, Successor
from clo.talent.models.projects import ChallengeProject, ProjectApplication, ProjectCompetency, ProjectRating
from clo.talent.models.reviews import PotentialRating, TalentReview
from clo.talent.models.succession import KnowledgeRisk, RetirementCount
from clo.talent.models.trainers import InternalTrainer
from clo.talent.models.transfer import HandoverItem, TransferPlan

__all__ = ["ChallengeProject", "Community", "ExpertiseConsent", "ExpertiseListing", "HandoverItem", "InternalTrainer",
           "KnowledgeRisk", "Membership", "MentoringMeeting", "MentoringRelationship", "PotentialRating",
           "ProjectApplication", "ProjectCompetency", "ProjectRating", "ReadinessCategory", "RetirementCount",
           "Successor", "TalentReview", "TransferPlan"]
