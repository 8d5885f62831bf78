"""The organisers' workspace: every route is for organisers and admins only."""
from flask import Blueprint

from webapp.auth.access import manage_required

bp = Blueprint("manage", __name__, url_prefix="/manage")


@bp.before_request
@manage_required
def _only_organisers():
    """Speakers get a 403, anonymous visitors the login page, before any view runs."""
    return None


from webapp.manage import (  # noqa: E402,F401
    views,
    views_events,
    views_speaker_merge,
    views_speakers,
    views_stats,
    views_tags,
    views_talks,
)
