"""Every message a form shows is written for people: no field falls back on WTForms' or
Flask-WTF's generic words ("This field is required.", "Field must be between 10 and 1024
characters long.", "Not a valid choice.", "The CSRF token is missing.")."""
import importlib
import pkgutil

import pytest
from wtforms import DateTimeField, DecimalField, FloatField, Form, IntegerField, SelectField
from wtforms.fields import FieldList, FormField

import webapp

# What WTForms and Flask-WTF say when a form gives no message of its own.
GENERIC_MESSAGES = ("This field is required", "Field must be", "Field cannot be longer", "Not a valid",
                    "Number must be", "Invalid Choice", "is not a valid choice", "Invalid email", "Invalid URL",
                    "CSRF token")
# Fields whose value may be unreadable (and, for choices, not among them), with the message saying so.
CONVERSIONS = ((DateTimeField, "invalid_value_message"), (IntegerField, "invalid_value_message"),
               (DecimalField, "invalid_value_message"), (FloatField, "invalid_value_message"),
               (SelectField, "invalid_value_message"), (SelectField, "invalid_choice_message"))


def webapp_form_classes() -> list[type[Form]]:
    for module in pkgutil.walk_packages(webapp.__path__, "webapp."):
        if ".translations" not in module.name:
            importlib.import_module(module.name)
    found, pending = [], list(Form.__subclasses__())
    while pending:
        form_class = pending.pop()
        pending.extend(form_class.__subclasses__())
        if form_class.__module__.startswith("webapp."):
            found.append(form_class)
    return found


def fields_of(form):
    for field in form:
        if isinstance(field, FieldList):
            field.append_entry()
            yield from (sub for entry in field for sub in fields_of(entry.form))
        elif isinstance(field, FormField):
            yield from fields_of(field.form)
        elif field.name != "csrf_token":
            yield field


def generic_messages_of(field) -> list[str]:
    """The validators and conversions of a field that would say WTForms' own words."""
    missing = [f"{type(validator).__name__} without message" for validator in field.validators
               if hasattr(validator, "message") and validator.message is None]
    return missing + [name for field_class, name in CONVERSIONS
                      if isinstance(field, field_class) and getattr(field, name) is None]


def test_the_forms_are_found():
    names = {form_class.__name__ for form_class in webapp_form_classes()}
    assert {"EventForm", "TalkForm", "SpeakerForm", "ProfileForm", "LinkForm", "NewPasswordForm", "LoginForm",
            "ForgotPasswordForm", "SearchRuleForm", "SlideUploadForm", "InviteForm"} <= names


def test_no_field_of_any_form_falls_back_on_a_generic_message(app):
    problems = []
    with app.test_request_context():
        for form_class in webapp_form_classes():
            form = form_class(formdata=None)
            problems += [f"{form_class.__name__}.{field.name}: {problem}"
                         for field in fields_of(form) for problem in generic_messages_of(field)]
    assert problems == []


@pytest.mark.parametrize(("changes", "message"), [
    ({"title": ""}, "Give the talk a title."),
    ({"event_id": "999"}, "Choose the event of this talk from the list."),
    ({"event_id": "abc"}, "Choose the event of this talk."),
    ({"duration_minutes": "-5"}, "Enter a duration from 1 to 1440 minutes (a whole day)."),
    ({"duration_minutes": "une heure"}, "Enter the duration in whole minutes, such as 25."),
    ({"start_time": "25:99"}, "Enter the time as hours and minutes, such as 14:30."),
    ({"given_on": "2024-13-45"}, "Enter the day as year, month and day, such as 2026-11-20."),
    ({"licence": "WTFPL-9"}, "Choose a licence from the list."),
    ({"language": "xx"}, "Choose the language of the talk from the list."),
    ({"series_position": "0"}, "Enter a position from 1 to 1000."),
    ({"summary": "x" * 100_001}, "This text has 100001 characters, more than the 100000 allowed"),
])
def test_a_talk_form_says_what_to_enter(db, manage_client, submit_form, make_event, changes, message):
    event = make_event()
    db.session.commit()
    client, _user = manage_client()
    data = {"event_id": str(event.id), "title": "Le fablab", "language": "", "licence": "", **changes}
    page = submit_form(client, "/manage/talks/new", data).get_data(as_text=True)
    assert message in page
    assert not any(generic in page for generic in GENERIC_MESSAGES)


def test_the_login_form_asks_for_what_is_missing(client, csrf_token):
    client.set_cookie("lang", "en")
    page = client.post("/login", data={"csrf_token": csrf_token(), "email": "", "password": ""}).get_data(as_text=True)
    assert "Enter the email address of your account." in page and "Enter your password." in page
    assert not any(generic in page for generic in GENERIC_MESSAGES)


def test_a_form_sent_without_its_token_is_explained_without_jargon(client):
    client.set_cookie("lang", "en")
    response = client.post("/password/forgot", data={"email": "lea@example.org"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "This form has expired" in page and "Nothing was saved" in page
    assert "CSRF" not in page
