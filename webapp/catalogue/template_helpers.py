"""Jinja filters and globals for the public templates: dates, licences, section headings."""
from datetime import date

from babel.dates import format_interval
from flask import url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BuildError

from webapp.catalogue import bp, structured_data
from webapp.catalogue.citation import DC_SCHEMA, FORMATS
from webapp.core.i18n import format_day, language_name, with_french_ordinals
from webapp.core.licences import licence_label, licence_url

REPORT_SECTION_HEADINGS = {
    "context": _l("Context"),
    "objectives": _l("Objectives"),
    "actions": _l("What was done"),
    "results": _l("Results"),
    "lessons": _l("Lessons learned"),
}


@bp.app_template_filter("long_date")
def long_date(day: date | None) -> str:
    """'5 octobre 2016' / 'October 5, 2016'."""
    return format_day(day, "long") if day else ""


@bp.app_template_filter("date_span")
def date_span(start: date | None, end: date | None = None) -> str:
    """One day, or a range written the local way: '5–6 octobre 2016' / 'October 5 – 6, 2016'."""
    if start is None:
        return ""
    if end is None or end <= start:
        return long_date(start)
    return with_french_ordinals(format_interval(start, end, "yMMMMd", locale=get_locale()))


@bp.app_template_global()
def optional_url(endpoint: str, **values) -> str | None:
    """A URL for another area's endpoint, or None when that area is not registered.

    Feeds and search are separate blueprints; a deployment without one keeps working pages.
    """
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


@bp.app_template_global()
def report_heading(name: str) -> str:
    return str(REPORT_SECTION_HEADINGS.get(name, name))


bp.add_app_template_global(licence_url, "licence_url")
bp.add_app_template_global(licence_label, "licence_label")
bp.add_app_template_global(DC_SCHEMA, "dc_schema")
bp.add_app_template_global(FORMATS, "citation_formats")  # the search page links to its downloads too


bp.add_app_template_filter(language_name, "language_name")
bp.add_app_template_filter(structured_data.describe, "describe")
for _builder in (structured_data.event_jsonld, structured_data.talk_jsonld,
                 structured_data.speaker_jsonld, structured_data.tag_jsonld):
    bp.add_app_template_global(_builder)
