"""The OAI-PMH view of the archive (webapp/oai/): one row per talk that has ever been public.

A row is kept current in the transaction of every change to what the record shows (webapp/oai/
tracking.py), and survives the talk: no foreign key, so an unpublished or deleted talk answers as
a deleted record (a tombstone) from then on. `source` holds what the record shows, as JSON, so that
a page of records is read from this table alone; `datestamp` moves only when it changes.
"""
from datetime import datetime

from sqlalchemy import JSON, Boolean, Index, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models._base import UTCDateTime


class OaiRecord(db.Model):
    __tablename__ = "oai_records"

    talk_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    datestamp: Mapped[datetime] = mapped_column(UTCDateTime)  # the last public change, whole seconds
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    digest: Mapped[str] = mapped_column(String(64))  # of `source`: tells whether a change shows
    source: Mapped[dict] = mapped_column(JSON)  # what the record shows (the last public state)


class OaiRecordSet(db.Model):
    """A record's sets (event:<slug>, tag:<name>), as of its last public state."""

    __tablename__ = "oai_record_sets"

    set_spec: Mapped[str] = mapped_column(String(300), primary_key=True)
    talk_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


# Incremental harvests (from/until) find the changed records without reading the others.
Index("ix_oai_records_datestamp", OaiRecord.datestamp, OaiRecord.talk_id)
Index("ix_oai_record_sets_talk", OaiRecordSet.talk_id)
