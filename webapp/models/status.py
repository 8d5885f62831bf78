import enum

from sqlalchemy import Enum
from sqlalchemy.orm import mapped_column


class Status(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


def status_column():
    """A draft/published column; stored as a plain string so both databases agree."""
    return mapped_column(
        Enum(Status, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e],
             validate_strings=True),
        default=Status.DRAFT,
        index=True,
    )
