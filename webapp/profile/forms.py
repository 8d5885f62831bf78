"""Forms of the profile area (Flask-WTF, CSRF on every one)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, FieldList, Form, FormField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from webapp.core.forms import (
    MAX_LINKS,
    RICH_TEXT_LENGTH,
    MarkdownField,
    at_most,
    choice_field,
    field_labels,
    http_url,
    lines_field,
    text_field,
)

EMPTY_LINK_ROWS = 2
LINK_LABEL_LENGTH = 100
LINK_CHOICES = (("website", _l("Website")), ("mastodon", "Mastodon"), ("bluesky", "Bluesky"),
                ("linkedin", "LinkedIn"), ("orcid", "ORCID"), ("other", _l("Other")))
LANGUAGE_CHOICES = (("", _l("No preference")), ("fr", _l("French")), ("en", _l("English")))


class LinkForm(Form):
    """One row of the links table: a kind from a fixed list, an optional label, an http(s) address."""

    kind = choice_field(_l("Kind of link"), _l("Choose the kind of link from the list."), default="website",
                        choices=[SelectChoice(value, label) for value, label in LINK_CHOICES])
    label_text = text_field(_l("Label"), LINK_LABEL_LENGTH)  # not "label": every field has one
    url = text_field(_l("Address"), 500, http_url)


class ProfileForm(FlaskForm):
    name = text_field(_l("Name"), 200, required=_l("Enter your name, as programmes should show it."))
    headline = text_field(_l("Headline"), 300)
    organisation = text_field(_l("Organisation"), 300)
    bio_source = MarkdownField(_l("Biography (Markdown)"), column="bio")
    photo = FileField(_l("Photo (JPEG, PNG or WebP)"))
    remove_photo = BooleanField(_l("Remove the current photo"))
    links = FieldList(FormField(LinkForm), max_entries=MAX_LINKS)
    aliases = lines_field(_l("Other spellings of your name, one per line"), 5000)
    preferred_language = choice_field(
        _l("Preferred language"), _l("Choose French, English or no preference."), default="",
        choices=[SelectChoice(value, label) for value, label in LANGUAGE_CHOICES])

    def add_empty_link_rows(self) -> None:
        """Blank rows to add links without JavaScript (only on a form not yet sent)."""
        if not self.is_submitted():
            for _row in range(EMPTY_LINK_ROWS):
                self.links.append_entry()


def audit_field_labels() -> dict[str, dict]:
    """How the audit journal names what the profile editor records beside the catalogue's fields."""
    return {"speaker": {"photo": _l("Photo"),
                        "preferred_language": field_labels(ProfileForm)["preferred_language"]}}


class PreviewForm(FlaskForm):
    bio_source = TextAreaField(validators=[Optional(), at_most(RICH_TEXT_LENGTH)])


class ClaimConfirmForm(FlaskForm):
    """Attach the profile to the logged-in account: only the CSRF token."""


def profile_data(form: ProfileForm) -> dict:
    """The service's input: links as (kind, label, url), aliases as a list of names."""
    links = [(row.kind.data, row.label_text.data, row.url.data) for row in form.links if row.url.data]
    aliases = [line.strip() for line in (form.aliases.data or "").splitlines() if line.strip()]
    return {"name": form.name.data, "headline": form.headline.data, "organisation": form.organisation.data,
            "bio_source": form.bio_source.data, "links": links, "aliases": aliases,
            "preferred_language": form.preferred_language.data}
