from initiatives.models.document import Footnote, Paragraph, Section
from initiatives.models.initiative import Initiative, Participation
from initiatives.models.publication import Publication
from initiatives.models.reference import Organization, Region, Theme

__all__ = [
    "Footnote",
    "Initiative",
    "Organization",
    "Paragraph",
    "Participation",
    "Publication",
    "Region",
    "Section",
    "Theme",
]
