"""Aggregated, anonymous statistics: counts per object per day, search queries per day, and the
synonyms and redirects organisers add from searches that found nothing. No IP address, user agent
or visitor identifier is ever stored."""
import enum
from datetime import date, datetime

from sqlalchemy import Date, Enum, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models._base import UTCDateTime, utcnow
from webapp.models.user import User


class Metric(enum.StrEnum):
    TALK_VIEW = "talk_view"
    EVENT_VIEW = "event_view"
    SPEAKER_VIEW = "speaker_view"
    TAG_VIEW = "tag_view"
    DECK_DOWNLOAD = "deck_download"
    SLIDE_PAGE_VIEW = "slide_page_view"  # object: the deck; page: the page number
    SEARCH = "search"  # object 0: all searches


def _enum_column(enum_class, length: int):
    return Enum(enum_class, native_enum=False, length=length,
                values_callable=lambda e: [m.value for m in e], validate_strings=True)


class DailyCount(db.Model):
    """How many counted hits one object had on one day (UTC)."""

    __tablename__ = "daily_counts"
    __table_args__ = (UniqueConstraint("day", "metric", "object_id", "page"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    metric: Mapped[Metric] = mapped_column(_enum_column(Metric, 20))
    object_id: Mapped[int] = mapped_column(Integer, default=0, index=True)
    page: Mapped[int] = mapped_column(Integer, default=0)
    count: Mapped[int] = mapped_column(Integer, default=0)


class SearchQueryDay(db.Model):
    """How often a normalised query was searched on one day, and how often it found nothing."""

    __tablename__ = "search_query_days"
    __table_args__ = (UniqueConstraint("day", "query"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    query: Mapped[str] = mapped_column(String(200))
    count: Mapped[int] = mapped_column(Integer, default=0)
    zero_result_count: Mapped[int] = mapped_column(Integer, default=0)


class SearchRuleKind(enum.StrEnum):
    SYNONYM = "synonym"  # the query also searches the replacement's words
    REDIRECT = "redirect"  # the query opens a page of the archive instead


class SearchRule(db.Model):
    """An organiser's fix for a query: "mednum" -> "médiation numérique"."""

    __tablename__ = "search_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    query: Mapped[str] = mapped_column(String(200), unique=True)  # normalised like SearchQueryDay.query
    kind: Mapped[SearchRuleKind] = mapped_column(_enum_column(SearchRuleKind, 10))
    replacement: Mapped[str] = mapped_column(String(300))  # words, or a local path for a redirect
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<SearchRule {self.kind} {self.query!r}>"
