"""One licence vocabulary (webapp/core/licences.py): codes, names, deeds, other spellings read as
the same licence, and the choices both the talk's form and the slide upload offer."""
import pytest

from webapp.core.licences import (
    ALL_RIGHTS_RESERVED,
    LICENCES,
    is_offered,
    licence_choices,
    licence_label,
    licence_url,
    normalise_licence,
)
from webapp.importing.pyvideo_records import licence_id


@pytest.fixture(autouse=True)
def english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


@pytest.mark.parametrize("code, url, label", [
    ("CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/", "CC BY 4.0 — Attribution"),
    ("CC-BY-NC-SA-3.0-FR", "https://creativecommons.org/licenses/by-nc-sa/3.0/fr/",
     "CC BY-NC-SA 3.0 FR — Attribution-NonCommercial-ShareAlike"),
    ("CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/", "CC0 1.0 — Public domain dedication"),
    ("etalab-2.0", "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
     "Etalab 2.0 — Licence Ouverte / Open Licence"),
    (ALL_RIGHTS_RESERVED, None, "All rights reserved"),
    ("MIT", "https://spdx.org/licenses/MIT.html", "MIT"),
])
def test_licences_are_named_and_linked_to_their_deed(code, url, label):
    assert licence_url(code) == url and licence_label(code) == label


def test_no_licence():
    assert licence_url(None) is None and licence_label("") is None and normalise_licence("  ") is None


@pytest.mark.parametrize("written, code", [
    ("CC-BY-4.0", "CC-BY-4.0"), ("cc-by-4.0", "CC-BY-4.0"), ("CC BY 4.0", "CC-BY-4.0"),
    ("CC BY-SA 4.0", "CC-BY-SA-4.0"), ("cc_by_nc_nd_4.0", "CC-BY-NC-ND-4.0"), (" CC-BY-SA-3.0 ", "CC-BY-SA-3.0"),
    ("https://creativecommons.org/licenses/by-nc/4.0/deed.fr", "CC-BY-NC-4.0"),
    ("http://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0"), ("CC0", "CC0-1.0"), ("cc0 1.0", "CC0-1.0"),
    ("ETALAB-2.0", "etalab-2.0"), ("Tous droits réservés", ALL_RIGHTS_RESERVED),
    ("all rights reserved", ALL_RIGHTS_RESERVED),
    ("MIT", "MIT"),  # outside the vocabulary: kept as it is
])
def test_other_spellings_are_read_as_the_same_licence(written, code):
    assert normalise_licence(written) == code
    assert licence_label(written) == licence_label(code)


def test_the_choices_start_empty_and_offer_every_licence_by_name():
    choices = licence_choices("Choose a licence")
    assert choices[0] == ("", "Choose a licence")
    assert [code for code, _ in choices[1:]] == [licence.code for licence in LICENCES]
    assert ("CC-BY-SA-4.0", "CC BY-SA 4.0 — Attribution-ShareAlike") in choices
    assert (ALL_RIGHTS_RESERVED, "All rights reserved") in choices
    assert all(is_offered(code) for code, _ in choices[1:]) and not is_offered("WTFPL")


def test_a_talk_keeps_a_licence_from_outside_the_list_among_its_choices():
    choices = licence_choices("No licence given", current="cc-by-nc-2.0")
    assert choices[-1] == ("CC-BY-NC-2.0", "CC BY-NC 2.0 — Attribution-NonCommercial")
    assert licence_choices("x", current="CC BY 4.0") == licence_choices("x")


@pytest.mark.parametrize("copyright_text", [
    "Creative Commons Attribution license (reuse allowed)", "CC BY-SA 4.0", "cc-by-nc-nd 3.0",
    "https://creativecommons.org/licenses/by/4.0/", "CC0",
])
def test_imported_licences_are_stored_as_their_code_and_named(copyright_text):
    code = licence_id(copyright_text)
    assert normalise_licence(code) == code
    assert licence_url(code).startswith("https://creativecommons.org/")
    assert " — " in licence_label(code)
