"""The talent models, one module per sub-domain; Django finds them through these imports."""

from clo.talent.models.pools import ReadinessCategory, Successor  # noqa: F401
from clo.talent.models.reviews import PotentialRating, TalentReview  # noqa: F401
