"""The careers models, one module per sub-domain (grades: the horizontal career; itineraries: the career explorer's
paths; badges: verifiable credentials); Django finds them through these imports."""

from clo.careers.models.badges import *  # noqa: F401,F403
from clo.careers.models.grades import *  # noqa: F401,F403
from clo.careers.models.itineraries import *  # noqa: F401,F403
