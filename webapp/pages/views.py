"""The accessibility statement, in the reader's language (French first, English too)."""
from flask import redirect, render_template, url_for

from webapp.pages import bp, statement


@bp.get("/accessibilite")
def accessibility():
    return render_template("pages/accessibility.html", statement=statement,
                           contact_email=statement.contact_email())


@bp.get("/accessibility")
def accessibility_in_english():
    """The address an English reader may type: the same page, which follows the interface language."""
    return redirect(url_for("pages.accessibility"), 301)
