"""The admin's accounts page in the workspace: who has an account, and ending their sessions."""
from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user

from webapp.accounts import operations as accounts
from webapp.accounts import sessions
from webapp.core.access import admin_required
from webapp.core.audit import record_audit
from webapp.core.blueprints import manage_bp as bp
from webapp.core.workspace import check_button, get_or_404, saved
from webapp.models import User


@bp.get("/accounts")
@admin_required
def accounts_list():
    return render_template("manage/accounts.html", users=accounts.list_users(),
                           session_counts=sessions.live_session_counts())


@bp.post("/accounts/<int:user_id>/end-sessions")
@admin_required
def account_end_sessions(user_id: int):
    """Every login session of the account ends now, wherever its cookies were copied to."""
    user = get_or_404(User, user_id)
    check_button()
    ended = sessions.end_all_sessions(user)
    record_audit(current_user, "end_sessions", user, {"sessions": [str(ended), "0"]})
    return saved(_("%(count)d session(s) of %(email)s ended.", count=ended, email=user.email),
                 "manage.accounts_list")
