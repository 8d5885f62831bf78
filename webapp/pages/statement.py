"""What the accessibility statement says of how the site was measured. Update it with the tests:
tests/browser/test_accessibility.py (axe-core) and tests/browser/test_keyboard.py."""
from datetime import date
from email.utils import parseaddr
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l

# The day the measures below were last taken, and the engine that took them.
MEASURED_ON = date(2026, 12, 2)
AXE_CORE_VERSION = "4.12.1"  # shipped by axe-playwright-python 0.1.8 (pyproject.toml)
RGAA_VERSION = "4.1"
RIGHTS_DEFENDER_FORM = "https://formulaire.defenseurdesdroits.fr/"
RIGHTS_DEFENDER_ADDRESS = "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07"

TESTED_PAGES = (
    _l("home page"), _l("list of events, and events of one year"), _l("event"), _l("talk with slides"),
    _l("talk without slides"), _l("list of speakers"), _l("speaker"), _l("list of tags"), _l("tag"),
    _l("search results"), _l("search without results"), _l("this accessibility statement"),
    _l("page not found"), _l("login"), _l("password reset"), _l("speaker invitation"),
    _l("speaker profile editor"), _l("workspace: dashboard, events, event form, talk form, speaker form, slides, "
                                     "programme"),
)
KEYBOARD_TASKS = (
    _l("search with the search box and choose a suggestion with the arrow keys"),
    _l("open a filter on the search page"),
    _l("page through a slide deck in the viewer"),
    _l("fill in and submit a workspace form (creating an event)"),
)


def contact_email() -> str:
    """ACCESSIBILITY_CONTACT_EMAIL, else the site's mail sender, else accessibilite@ the site's host."""
    config = current_app.config
    host = urlsplit(config["SITE_URL"]).hostname or "localhost"
    sender = parseaddr(config.get("MAIL_DEFAULT_SENDER") or "")[1]
    return config.get("ACCESSIBILITY_CONTACT_EMAIL") or sender or f"accessibilite@{host}"
