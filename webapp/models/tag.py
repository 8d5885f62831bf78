from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db

talk_tags = Table(
    "talk_tags",
    db.metadata,
    Column("talk_id", ForeignKey("talks.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
)

event_tags = Table(
    "event_tags",
    db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
)


class Tag(db.Model):
    """A normalised tag: lower case, no leading '#'. Shown as #name."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)

    @property
    def label(self) -> str:
        return f"#{self.name}"

    def __repr__(self) -> str:
        return f"<Tag {self.label}>"
