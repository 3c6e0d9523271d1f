from initiatives.models.consultation import (
    COMMENT_MAX_LENGTH,
    Comment,
    Consultation,
    Delegate,
    MemberState,
    previews,
)
from initiatives.models.document import Footnote, Paragraph, Section
from initiatives.models.initiative import Initiative, Participation
from initiatives.models.publication import Publication
from initiatives.models.reference import Organization, Region, Theme

__all__ = [
    "COMMENT_MAX_LENGTH",
    "Comment",
    "Consultation",
    "Delegate",
    "Footnote",
    "Initiative",
    "MemberState",
    "Organization",
    "Paragraph",
    "Participation",
    "Publication",
    "Region",
    "Section",
    "Theme",
    "previews",
]
