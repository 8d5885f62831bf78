"""Citations and BibTeX built by webapp/catalogue/citation.py (licences: tests/core/test_licences.py)."""
from datetime import date

from webapp.catalogue.citation import (
    bibtex_escape,
    format_bibtex,
    format_citation,
    split_name,
)


def test_split_name_takes_the_last_word_as_family_name():
    assert split_name("Jean-Pierre de la Fontaine") == ("Jean-Pierre de la", "Fontaine")
    assert split_name("Madonna") == ("", "Madonna")


def test_bibtex_escapes_special_characters():
    assert bibtex_escape("50% & {x}_#1 ~ \\") == r"50\% \& \{x\}\_\#1 \textasciitilde{} \textbackslash{}"


def test_english_citation_with_three_speakers(app, make_talk, make_speaker, make_event):
    event = make_event("Rencontres", place="Lyon", start_date=date(2019, 3, 14))
    people = [make_speaker(n) for n in ("Jean-Pierre Morel", "Anne Martin", "Paul Durand")]
    talk = make_talk("Le fablab.", event=event, speakers=people)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        text = format_citation(talk, "https://example.org/t")
    assert text == ("Morel, J.-P., Martin, A. & Durand, P. (2019, March 14). Le fablab "
                    "[Conference presentation]. Rencontres, Lyon. https://example.org/t")


def test_bibtex_entry(app, make_talk, make_speaker, make_event):
    event = make_event("Journée 100%", place="Paris", start_date=date(2016, 10, 5))
    talk = make_talk("Médiation & savoirs", event=event, licence="CC-BY-4.0",
                     speakers=[make_speaker("Sophie Perrusson"), make_speaker("Anne Martin")])
    with app.test_request_context():
        entry = format_bibtex(talk, "https://example.org/t")
    assert entry == (
        "@misc{perrusson2016mediation,\n"
        "  author = {Perrusson, Sophie and Martin, Anne},\n"
        "  title = {{Médiation \\& savoirs}},\n"
        "  howpublished = {Journée 100\\%, Paris},\n"
        "  year = 2016,\n"
        "  month = oct,\n"
        "  url = {https://example.org/t},\n"
        "  note = {Licence: CC BY 4.0},\n"
        "}"
    )


def test_citation_without_speakers_or_date(app, make_talk, make_event):
    talk = make_talk("Sans date", event=make_event("Journée", start_date=None))
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert format_citation(talk, "u") == "(n.d.). Sans date [Conference presentation]. Journée. u"
        assert "year" not in format_bibtex(talk, "u")
