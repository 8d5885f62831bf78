from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db


class SlugRedirect(db.Model):
    """An old slug that answers 301 to the current one (stable permalinks)."""

    __tablename__ = "slug_redirects"
    __table_args__ = (UniqueConstraint("kind", "old_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # event | talk | speaker | tag
    old_slug: Mapped[str] = mapped_column(String(200))
    target_id: Mapped[int] = mapped_column(Integer)
