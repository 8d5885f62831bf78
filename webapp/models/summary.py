"""Summary data of the public archive: counts and orderings the public pages read instead of
counting or sorting the whole archive on every request.

Nothing here is written by hand: webapp/catalogue/summary/ recomputes the rows a change touches,
in the same transaction as the change, and `flask summary rebuild` recomputes everything.
"""
from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db

# The day an undated talk or event is listed under: before every real day, so newest-first lists
# end with them. Listing columns are never NULL, so one index order serves SQLite and PostgreSQL
# alike (they disagree on where NULLs go).
UNDATED = date(1, 1, 1)


class Facet:
    """What an ArchiveCount row counts, and by what."""

    EVENTS_BY_YEAR = "events_by_year"  # public events that start that year ("" = undated)
    TALKS_BY_YEAR = "talks_by_year"  # public talks of those events
    TALKS_BY_PLACE = "talks_by_place"  # public talks of the public events held there
    TALKS_BY_ORGANISATION = "talks_by_organisation"  # ... hosted by that organisation
    SPEAKERS_BY_LETTER = "speakers_by_letter"  # public speakers under that letter of the A-Z index
    PUBLIC_TAGS = "public_tags"  # tags with at least one public talk (one row, value "")


class ArchiveCount(db.Model):
    """One number of the archive: the talks held in Lyon, the public events of 2016..."""

    __tablename__ = "archive_counts"

    facet: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(300), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class TagEvent(db.Model):
    """A public event with public talks under a tag, and how many: the tag page's events."""

    __tablename__ = "tag_events"

    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True, index=True)
    listed_on: Mapped[date] = mapped_column(Date)  # the event's (Event.listed_on)
    talk_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ReadingListEntry(db.Model):
    """A public talk with a written experience report: the home page's reading selection."""

    __tablename__ = "reading_list"

    talk_id: Mapped[int] = mapped_column(ForeignKey("talks.id", ondelete="CASCADE"), primary_key=True)
    has_slides: Mapped[bool] = mapped_column(Boolean)  # its current deck is ready
    listed_on: Mapped[date] = mapped_column(Date)  # the day it was given, else its event's, else UNDATED


# The largest first (a page reads the first rows of the index, whatever the archive's size).
Index("ix_archive_counts_ranking", ArchiveCount.facet, ArchiveCount.count.desc(), ArchiveCount.value)
# A tag's events, newest first.
Index("ix_tag_events_listing", TagEvent.tag_id, TagEvent.listed_on.desc(), TagEvent.event_id)
# With slides first, then the newest.
Index("ix_reading_list_order", ReadingListEntry.has_slides.desc(), ReadingListEntry.listed_on.desc(),
      ReadingListEntry.talk_id.desc())
