"""Citations built by webapp/catalogue/citation/ (licences: tests/core/test_licences.py).

The formatted references come from citeproc-py since the APA text is no longer written by hand:
its APA 7 output puts a comma before the ampersand ("Martin, A., & Durand, P."), as APA 7 does, and
a talk without speakers gets its ISO 690 reference only (citeproc-py repeats the title of an APA
reference without authors). The family name now starts at a particle ("de la Fontaine").
"""
from datetime import date

import pytest

from webapp.catalogue.citation import citable_talk, cite_talk
from webapp.catalogue.citation.bibtex import bibtex_entry, bibtex_escape
from webapp.catalogue.citation.downloads import content_disposition
from webapp.catalogue.citation.records import person_name


def test_the_family_name_is_the_last_word_or_starts_at_a_particle():
    assert person_name("Jean-Pierre de la Fontaine").inverted == "de la Fontaine, Jean-Pierre"
    beethoven = person_name("Ludwig van Beethoven")
    assert (beethoven.given, beethoven.particle, beethoven.family) == ("Ludwig", "van", "Beethoven")
    assert person_name("Anne-Marie Martin Durand").inverted == "Durand, Anne-Marie Martin"
    assert person_name("Madonna").inverted == "Madonna"
    assert person_name("De Gaulle").inverted == "Gaulle, De"  # a capitalised word is not a particle


def test_bibtex_escapes_special_characters():
    assert bibtex_escape("50% & {x}_#1 ~ \\") == r"50\% \& \{x\}\_\#1 \textasciitilde{} \textbackslash{}"


def _references(app, talk, language):
    with app.test_request_context(headers={"Accept-Language": language}):
        return {ref.label: ref.text for ref in cite_talk(citable_talk(talk)).references}


def test_english_references_with_three_speakers(app, make_talk, make_speaker, make_event):
    event = make_event("Rencontres", place="Lyon", start_date=date(2019, 3, 14))
    people = [make_speaker(n) for n in ("Jean-Pierre Morel", "Anne Martin", "Paul Durand")]
    talk = make_talk("Le fablab.", event=event, speakers=people, slug="fablab", licence="CC-BY-4.0",
                     summary="<p>Un résumé</p>", tags=["mednum"])
    references = _references(app, talk, "en")  # neither the summary, the tags nor the licence
    assert references["APA"] == ("Morel, J.-P., Martin, A., & Durand, P. (2019, March 14). Le fablab "
                                 "[Conference presentation]. Rencontres, Lyon. http://127.0.0.1:8000/talks/fablab")
    assert references["ISO 690"] == (
        "MOREL, Jean-Pierre, MARTIN, Anne and DURAND, Paul, 2019. Le fablab. Online. Presentation at Rencontres. "
        "Lyon. 14 March 2019. Available from: http://127.0.0.1:8000/talks/fablab")


@pytest.mark.usefixtures("compiled_translations")
def test_french_references_follow_iso_690_and_french_apa(app, make_talk, make_speaker, make_event):
    event = make_event("Journée d'étude", place="Villeurbanne", start_date=date(2016, 10, 5))
    talk = make_talk("Médiation numérique", event=event, slug="mediation",
                     speakers=[make_speaker("Sophie Perrusson"), make_speaker("Jean de La Fontaine")])
    references = _references(app, talk, "fr")
    assert list(references) == ["ISO 690", "APA"]
    assert references["ISO 690"].startswith("PERRUSSON, Sophie et DE LA FONTAINE, Jean, 2016. Médiation numérique")
    assert "5 octobre 2016" in references["ISO 690"] and "Journée d'étude" in references["ISO 690"]
    assert references["APA"].startswith("Perrusson, S., & de La Fontaine, J. (2016, 5 octobre). Médiation numérique.")


def test_bibtex_entry(app, make_talk, make_speaker, make_event):
    event = make_event("Journée 100%", place="Paris", start_date=date(2016, 10, 5))
    talk = make_talk("Médiation & savoirs", event=event, licence="CC-BY-4.0", slug="mediation",
                     speakers=[make_speaker("Sophie Perrusson"), make_speaker("Anne Martin")])
    with app.test_request_context():
        entry = bibtex_entry(citable_talk(talk))
    assert entry == (
        "@misc{perrusson2016mediation,\n"
        "  author = {Perrusson, Sophie and Martin, Anne},\n"
        "  title = {{Médiation \\& savoirs}},\n"
        "  howpublished = {Journée 100\\%, Paris},\n"
        "  year = 2016,\n"
        "  month = oct,\n"
        "  url = {http://127.0.0.1:8000/talks/mediation},\n"
        "  note = {Licence: CC BY 4.0},\n"
        "}"
    )


def test_citation_without_speakers_or_date(app, make_talk, make_event):
    talk = make_talk("Sans date", event=make_event("Journée", start_date=None), slug="sans-date")
    assert _references(app, talk, "en") == {
        "ISO 690": "Sans date, [no date]. Online. Presentation at Journée. "
                   "Available from: http://127.0.0.1:8000/talks/sans-date"}
    with app.test_request_context():
        assert "year" not in bibtex_entry(citable_talk(talk))


def test_a_file_name_outside_ascii_is_given_twice_as_rfc_6266_says():
    assert content_disposition('journée "1".ris') == (
        "attachment; filename=\"journee 1.ris\"; filename*=UTF-8''journ%C3%A9e%20%221%22.ris")
