"""Workspace forms (Flask-WTF, CSRF on). Rich text fields take Markdown.

Editing a rich text field shows the stored, sanitised HTML: Markdown accepts HTML as it is,
so saving it again keeps it, and Markdown added around it is rendered.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    TextAreaField,
    TimeField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from webapp.core.forms import MAX_LINKS, choices, http_url, is_http_url, stripped, text_field
from webapp.core.naming import make_slug

LICENCES = ("CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0", "CC-BY-NC-SA-4.0", "CC-BY-ND-4.0",
            "CC-BY-NC-ND-4.0", "CC0-1.0", "CC-BY-3.0", "CC-BY-SA-3.0", "etalab-2.0")
LANGUAGES = (("", _l("Unknown")), ("fr", _l("French")), ("en", _l("English")))


def valid_slug(form, field) -> None:
    if field.data and make_slug(field.data) != field.data.strip():
        raise ValidationError(_l("Use lower-case letters, digits and hyphens only, such as %(example)s.",
                                 example=make_slug(field.data)))


def _rich(label):
    return TextAreaField(label, [Optional(), Length(max=100_000)])


class EventForm(FlaskForm):
    title = text_field(_l("Title"), 300, required=True)
    slug = text_field(_l("Address (slug)"), 120, valid_slug)
    start_date = DateField(_l("First day"), [Optional()])
    end_date = DateField(_l("Last day"), [Optional()])
    place = text_field(_l("Place"), 300)
    host_organisation = text_field(_l("Host organisation"), 300)
    website_url = text_field(_l("Website"), 500, http_url)
    description = _rich(_l("Description (Markdown)"))
    tags = text_field(_l("Tags, separated by commas"), 1000)
    show_view_counts = BooleanField(_l("Show view counts on the pages of its talks"))

    def validate_end_date(self, field) -> None:
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The last day cannot be before the first day."))


class TalkForm(FlaskForm):
    event_id = SelectField(_l("Event"), coerce=int, validators=[DataRequired()])
    title = text_field(_l("Title"), 400, required=True)
    slug = text_field(_l("Address (slug)"), 120, valid_slug)
    summary = _rich(_l("Summary (Markdown)"))
    context = _rich(_l("Context"))
    objectives = _rich(_l("Objectives"))
    actions = _rich(_l("What was done"))
    results = _rich(_l("Results"))
    lessons = _rich(_l("Lessons learned"))
    language = SelectField(_l("Language"), default="")
    given_on = DateField(_l("Day"), [Optional()])
    start_time = TimeField(_l("Start time"), [Optional()])
    duration_minutes = IntegerField(_l("Duration (minutes)"), [Optional(), NumberRange(1, 1440)])
    video_url = text_field(_l("Video address"), 500, http_url)
    licence = SelectField(_l("Licence"), default="")
    series_title = text_field(_l("Series"), 300)
    series_position = IntegerField(_l("Position in the series"), [Optional(), NumberRange(1, 1000)])
    tags = text_field(_l("Tags, separated by commas"), 1000)
    speakers = TextAreaField(_l("Speakers, one per line, in order"), [Optional(), Length(max=5000)])

    def __init__(self, *args, event_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.event_id.choices = choices(event_choices)
        self.language.choices = choices(LANGUAGES)
        self.licence.choices = choices([("", _l("No licence given")),
                                        *((code, code) for code in LICENCES)])


class SpeakerForm(FlaskForm):
    name = text_field(_l("Name"), 200, required=True)
    slug = text_field(_l("Address (slug)"), 120, valid_slug)
    headline = text_field(_l("Headline"), 300)
    organisation = text_field(_l("Organisation"), 300)
    bio = _rich(_l("Biography (Markdown)"))
    links = TextAreaField(_l("Links, one per line: label | https://…"), [Optional(), Length(max=10_000)])
    aliases = TextAreaField(_l("Other spellings of the name, one per line"),
                            [Optional(), Length(max=5000)])

    def validate_links(self, field) -> None:
        pairs = parse_links(field.data)
        if len(pairs) > MAX_LINKS:
            raise ValidationError(_l("At most %(count)s links.", count=MAX_LINKS))
        for _label, url in pairs:
            if not is_http_url(url):
                raise ValidationError(_l("“%(url)s” is not a web address starting with http:// or https://.",
                                         url=url[:100]))


def parse_links(text: str | None) -> list[tuple[str, str]]:
    """'Blog | https://example.org' or a bare address, one per line -> (label, url)."""
    pairs = []
    for line in (text or "").splitlines():
        label, _, url = line.rpartition("|") if "|" in line else ("", "", line)
        if url.strip():
            pairs.append((label.strip()[:100] or url.strip(), url.strip()))
    return pairs


def format_links(links) -> str:
    return "\n".join(f"{link.get('label', '')} | {link.get('url', '')}" for link in links or [])


class TagForm(FlaskForm):
    name = text_field(_l("Name"), 80, required=True)


class TagMergeForm(FlaskForm):
    target = text_field(_l("Merge into the tag"), 80, required=True)


def speaker_data(form: SpeakerForm) -> dict:
    """The service's input: links as (label, url) pairs, aliases as a list of names."""
    aliases = [line.strip() for line in (form.aliases.data or "").splitlines() if line.strip()]
    return {**form.data, "links": parse_links(form.links.data), "aliases": aliases}


class InviteForm(FlaskForm):
    """On the speaker's page in /manage: the address to send the invitation to."""

    email = EmailField(_l("Email address of the speaker"), validators=[DataRequired(), Length(max=320)],
                       filters=[stripped])
