"""Forms of the statistics area (Flask-WTF, CSRF on): a synonym or redirect for a search."""
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, InputRequired

from webapp.core.forms import at_most, choices
from webapp.models import SearchRuleKind
from webapp.search.operations import REPLACEMENT_LENGTH

SEARCH_LABEL = lazy_pgettext("noun", "Search")  # the words searched: a noun, apart from the buttons' verb
CHOOSE_KIND = _l("Choose what the rule does: a synonym or a redirect.")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class SearchRuleForm(FlaskForm):
    query = StringField(SEARCH_LABEL, [DataRequired(message=_l("Enter the search this rule answers.")),
                                       at_most(200)], filters=[_strip])
    kind = RadioField(_l("Rule"), [InputRequired(message=CHOOSE_KIND)], default=SearchRuleKind.SYNONYM.value,
                      invalid_value_message=CHOOSE_KIND, invalid_choice_message=CHOOSE_KIND)
    replacement = StringField(_l("Synonym, or address of the page"), [
        DataRequired(message=_l("Enter the words to look for too, or the address of the page to open.")),
        at_most(REPLACEMENT_LENGTH)], filters=[_strip])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = choices([
            (SearchRuleKind.SYNONYM.value, _l("Synonym: the search also looks for these words")),
            (SearchRuleKind.REDIRECT.value, _l("Redirect: the search opens this page of the archive")),
        ])
