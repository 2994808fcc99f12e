"""The talent models, one module per sub-domain; Django finds them through these imports."""

from clo.talent.models.succession import KnowledgeRisk  # noqa: F401
