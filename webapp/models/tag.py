from sqlalchemy import Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, false
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.summary import UNDATED

# The listing columns (is_public, listed_on, talk_position) are summary data, copied from the talk
# and its event by webapp/catalogue/summary/: a tag page reads its talks newest first from the
# index, instead of sorting every talk of the tag.
talk_tags = Table(
    "talk_tags",
    db.metadata,
    Column("talk_id", ForeignKey("talks.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    Column("is_public", Boolean, nullable=False, default=False, server_default=false()),
    Column("listed_on", Date, nullable=False, default=UNDATED, server_default=UNDATED.isoformat()),
    Column("talk_position", Integer, nullable=False, default=0, server_default="0"),
)
Index("ix_talk_tags_listing", talk_tags.c.tag_id, talk_tags.c.is_public, talk_tags.c.listed_on.desc(),
      talk_tags.c.talk_position, talk_tags.c.talk_id)

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
    # Summary data (webapp/catalogue/summary/): its public talks, and the public events they were given at.
    public_talk_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    public_event_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    @property
    def label(self) -> str:
        return f"#{self.name}"

    def __repr__(self) -> str:
        return f"<Tag {self.label}>"


# The most used first: the tag cloud reads the first rows.
Index("ix_tags_by_talk_count", Tag.public_talk_count.desc(), Tag.name)
