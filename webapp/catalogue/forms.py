"""Workspace forms (Flask-WTF, CSRF on). Rich text fields take Markdown.

Editing a rich text field shows the Markdown it was written in (webapp/core/rich_text.py); text
stored as HTML without Markdown (an import) is shown as equivalent Markdown, or as HTML with a note.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    Field,
    IntegerField,
    SelectMultipleField,
    StringField,
    TimeField,
    ValidationError,
)
from wtforms.validators import DataRequired, NumberRange, Optional, StopValidation

from webapp.core.forms import (
    MAX_LINKS,
    MarkdownField,
    at_most,
    choice_field,
    choices,
    field_labels,
    http_url,
    is_http_url,
    lines_field,
    stripped,
    text_field,
)
from webapp.core.licences import licence_choices
from webapp.core.naming import make_slug, normalize_tag
from webapp.core.workspace import MAX_ROW_ID

LANGUAGES = (("", _l("Unknown")), ("fr", _l("French")), ("en", _l("English")))


def valid_slug(form, field) -> None:
    if field.data and make_slug(field.data) != field.data.strip():
        raise ValidationError(_l("Use lower-case letters, digits and hyphens only, such as %(example)s.",
                                 example=make_slug(field.data)))


INVALID_DAY = _l("Enter the day as year, month and day, such as 2026-11-20.")


def day_field(label) -> DateField:
    return DateField(label, [Optional()], invalid_value_message=INVALID_DAY)


def whole_number_field(label, low: int, high: int, invalid: str, out_of_range: str) -> IntegerField:
    return IntegerField(label, [Optional(), NumberRange(low, high, message=out_of_range)],
                        invalid_value_message=invalid)


class EventForm(FlaskForm):
    title = text_field(_l("Title"), 300, required=_l("Give the event a title."))
    slug = text_field(_l("Address (slug)"), 120, valid_slug)
    start_date = day_field(_l("First day"))
    end_date = day_field(_l("Last day"))
    place = text_field(_l("Place"), 300)
    host_organisation = text_field(_l("Host organisation"), 300)
    website_url = text_field(_l("Website"), 500, http_url)
    description = MarkdownField(_l("Description (Markdown)"))
    tags = text_field(_l("Tags, separated by commas"), 1000)
    show_view_counts = BooleanField(_l("Show view counts on the pages of its talks"))

    def validate_end_date(self, field) -> None:
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The last day cannot be before the first day."))


class TalkForm(FlaskForm):
    event_id = choice_field(_l("Event"), _l("Choose the event of this talk from the list."), coerce=int,
                            validators=[DataRequired(message=_l("Choose the event of this talk."))])
    title = text_field(_l("Title"), 400, required=_l("Give the talk a title."))
    slug = text_field(_l("Address (slug)"), 120, valid_slug)
    summary = MarkdownField(_l("Summary (Markdown)"))
    context = MarkdownField(_l("Context"))
    objectives = MarkdownField(_l("Objectives"))
    actions = MarkdownField(_l("What was done"))
    results = MarkdownField(_l("Results"))
    lessons = MarkdownField(_l("Lessons learned"))
    language = choice_field(_l("Language"), _l("Choose the language of the talk from the list."), default="")
    given_on = day_field(_l("Day"))
    start_time = TimeField(_l("Start time"), [Optional()],
                           invalid_value_message=_l("Enter the time as hours and minutes, such as 14:30."))
    duration_minutes = whole_number_field(
        _l("Duration (minutes)"), 1, 1440, _l("Enter the duration in whole minutes, such as 25."),
        _l("Enter a duration from 1 to 1440 minutes (a whole day)."))
    video_url = text_field(_l("Video address"), 500, http_url)
    licence = choice_field(_l("Licence"), _l("Choose a licence from the list."), default="")
    series_title = text_field(_l("Series"), 300)
    series_position = whole_number_field(
        _l("Position in the series"), 1, 1000, _l("Enter the position as a whole number, such as 2."),
        _l("Enter a position from 1 to 1000."))
    tags = text_field(_l("Tags, separated by commas"), 1000)
    speakers = lines_field(_l("Speakers, one per line, in order"), 5000)

    def __init__(self, *args, event_choices=(), current_licence=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event_id.choices = choices(event_choices)
        self.language.choices = choices(LANGUAGES)
        self.licence.choices = choices(licence_choices(_l("No licence given"), current_licence))


class SpeakerForm(FlaskForm):
    name = text_field(_l("Name"), 200, required=_l("Enter the speaker's name."))
    slug = text_field(_l("Address (slug)"), 120, valid_slug)
    headline = text_field(_l("Headline"), 300)
    organisation = text_field(_l("Organisation"), 300)
    bio = MarkdownField(_l("Biography (Markdown)"))
    links = lines_field(_l("Links, one per line: label | https://…"), 10_000)
    aliases = lines_field(_l("Other spellings of the name, one per line"), 5000)

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
    name = text_field(_l("Name"), 80, required=_l("Enter the name of the tag."))


class TagMergeForm(FlaskForm):
    target = text_field(_l("Merge into the tag"), 80,
                        required=_l("Enter the name of the tag that should receive this one's talks."))


def speaker_data(form: SpeakerForm) -> dict:
    """The service's input: links as (label, url) pairs, aliases as a list of names."""
    aliases = [line.strip() for line in (form.aliases.data or "").splitlines() if line.strip()]
    return {**form.data, "links": parse_links(form.links.data), "aliases": aliases}


class InviteForm(FlaskForm):
    """On the speaker's page in /manage: the address to send the invitation to."""

    email = EmailField(_l("Email address of the speaker"), filters=[stripped], validators=[
        DataRequired(message=_l("Enter the email address to send the invitation to.")), at_most(320)])


class PublishEventForm(FlaskForm):
    """Publishing an event: the boxes of its ready draft talks, ticked at first, to publish with it.
    The view gives the ready talks; a form posted without any box publishes the event alone."""

    talks = SelectMultipleField(
        _l("Draft talks to publish with the event"), coerce=int,
        invalid_value_message=_l("Choose the talks to publish from the list."),
        invalid_choice_message=_l("Some of the chosen talks cannot be published with this event "
                                  "(another event's, already published or not ready): choose among "
                                  "the ready drafts listed below."))

    def __init__(self, *args, ready_talks=(), **kwargs):
        super().__init__(*args, talks=[talk.id for talk in ready_talks], **kwargs)
        self.talks.choices = choices((talk.id, talk.title) for talk in ready_talks)


class RowIdsField(Field):
    """Row ids sent as repeated values (the ticked boxes of a list): whole numbers an id column
    can hold, each kept once, in the order sent."""

    def __init__(self, label=None, validators=None, invalid_message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.invalid_message = invalid_message

    def process_data(self, value) -> None:
        self.data = list(value or [])

    def process_formdata(self, valuelist) -> None:
        ids = [value for value in valuelist
               if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ROW_ID]
        self.data = list(dict.fromkeys(int(value) for value in ids))  # shown ticked again
        if len(ids) != len(valuelist):
            raise ValueError(self.invalid_message)


BATCH_ACTIONS = ("publish", "unpublish", "tag")
MAX_BATCH = 200


class TalkBatchForm(FlaskForm):
    """The talk list's bulk actions: the ticked talks, then publish, unpublish or add a tag.
    `find_talks(ids)` gives the talks that exist among the ids; `selected_talks` holds them."""

    talks = RowIdsField(_l("Talks"), invalid_message=_l(
        "The selection holds something that is not a talk of the list: reload the list and tick "
        "the talks again."))
    action = choice_field(_l("Action"), _l("Choose what to do with the selected talks: publish them, "
                                          "unpublish them or add a tag."),
                          choices=choices((action, action) for action in BATCH_ACTIONS))
    tag = StringField(_l("Tag to add"), [at_most(80)], filters=[stripped])  # required by "tag" only

    def __init__(self, *args, find_talks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.find_talks = find_talks
        self.selected_talks = []

    def validate_talks(self, field) -> None:
        if field.process_errors:
            raise StopValidation()  # the message says what is wrong already
        if not field.data:
            raise ValidationError(_l("Select at least one talk: tick the box beside its title."))
        if len(field.data) > MAX_BATCH:
            raise ValidationError(_l("Select at most %(max)d talks at a time.", max=MAX_BATCH))
        self.selected_talks = self.find_talks(field.data)
        if len(self.selected_talks) != len(field.data):
            raise ValidationError(_l("Some of the selected talks no longer exist (deleted meanwhile?): "
                                     "reload the list and tick the talks again."))

    def validate_tag(self, field) -> None:
        if self.action.data == "tag" and not normalize_tag(field.data or ""):
            raise ValidationError(_l("Enter the tag to add, such as #mednum."))


def audit_field_labels() -> dict[str, dict]:
    """How the audit journal names the fields the catalogue's operations record: the forms' labels,
    shorter where a label says how to type the value, and names for what only the journal shows."""
    talk = field_labels(TalkForm)
    common = {"status": _l("Status"), "tags": _l("Tags"), "talks": _l("Talks"),
              "merged into": _l("Merged into"), "merged from": _l("Merged from")}
    return {
        "event": {**field_labels(EventForm), **common, "description": _l("Description")},
        "talk": {**talk, **common, "summary": _l("Summary"), "speakers": _l("Speakers"),
                 "event": talk["event_id"], "starts_at": talk["start_time"], "series": talk["series_title"],
                 "position": _l("Position in the programme")},
        "speaker": {**field_labels(SpeakerForm), **common, "bio": _l("Biography"), "links": _l("Links"),
                    "aliases": _l("Other spellings of the name"),
                    "pending": _l("Names waiting for confirmation"),
                    "invitation": _l("Invitation sent to"), "owners": _l("Kept by")},
        "tag": {**field_labels(TagForm), **common},
    }
