"""Matching the files of a bulk slide upload to the talks of an event, by their names alone."""
from webapp.slides.bulk_matching import TalkChoice, doubled_talks, match_file

TALKS = [
    TalkChoice(11, "grainotheques", "Les grainothèques partagées", 1),
    TalkChoice(12, "fablab-mediatheque", "Fablab en médiathèque", 2),
    TalkChoice(13, "jeux-video", "Le jeu vidéo à la bibliothèque", 3),
    TalkChoice(2, "accueil", "Accueil des publics", 4),
    TalkChoice(15, "accueil-2", "Accueil des publics (suite)", 5),
]


def matched(name: str):
    match = match_file(name, TALKS)
    return match.talk_id, match.reason


def test_the_slug_of_a_talk_matches_it():
    assert matched("fablab-mediatheque.pdf") == (12, "slug")
    assert matched("dossier/jeux-video.pptx") == (13, "slug")


def test_a_title_matches_whatever_its_accents_case_and_punctuation():
    assert matched("LES GRAINOTHEQUES PARTAGEES.pdf") == (11, "title")
    assert matched("Fablab_en_Médiathèque !.odp") == (12, "title")
    assert matched("2016 - le jeu vidéo à la bibliothèque (version finale).pdf") == (13, "title")


def test_a_title_with_a_typo_matches_by_similarity():
    assert matched("grainotheqes partagés.pdf") == (11, "fuzzy")
    assert matched("programme complet.pdf") == (None, None)


def test_a_leading_number_is_the_place_in_the_programme():
    assert matched("03-dupont.pdf") == (13, "position")
    assert matched("01 ouverture.pdf") == (11, "position")
    assert matched("09-dupont.pdf")[0] is None  # no ninth talk
    assert matched("13.pdf") == (13, "id")  # only a number, and no 13th talk: the id


def test_a_slug_after_a_number_wins_over_the_number():
    assert matched("01-jeux-video.pdf") == (13, "slug")


def test_ambiguous_names_match_no_talk_and_say_which_they_may_mean():
    number = match_file("2.pdf", TALKS)  # the second talk (12), or the talk whose id is 2
    assert number.talk_id is None and set(number.candidates) == {12, 2} and number.is_ambiguous
    workshops = [TalkChoice(21, "a", "Atelier numérique, matin", 1), TalkChoice(22, "b", "Atelier numérique, soir", 2)]
    both = match_file("atelier numerique.pdf", workshops)
    assert both.talk_id is None and set(both.candidates) == {21, 22}
    assert match_file("atelier numerique soir.pdf", workshops).talk_id == 22


def test_unmatched_names_and_an_event_without_talks():
    assert matched("zzz.pdf") == (None, None)
    assert match_file("fablab-mediatheque.pdf", []).talk_id is None


def test_two_files_on_one_talk_are_flagged():
    assert doubled_talks([11, 12, None, 11, None]) == {11}
    assert doubled_talks([11, None, None]) == set()
