"""Forms of the statistics area (Flask-WTF, CSRF on): a synonym or redirect for a search."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from webapp.core.forms import choices
from webapp.models import SearchRuleKind
from webapp.search.operations import REPLACEMENT_LENGTH


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class SearchRuleForm(FlaskForm):
    query = StringField(_l("Search"), [DataRequired(), Length(max=200)], filters=[_strip])
    kind = RadioField(_l("Rule"), [InputRequired()], default=SearchRuleKind.SYNONYM.value)
    replacement = StringField(_l("Synonym, or address of the page"),
                              [DataRequired(), Length(max=REPLACEMENT_LENGTH)], filters=[_strip])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = choices([
            (SearchRuleKind.SYNONYM.value, _l("Synonym: the search also looks for these words")),
            (SearchRuleKind.REDIRECT.value, _l("Redirect: the search opens this page of the archive")),
        ])
