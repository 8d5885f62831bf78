"""Demonstration content: the study day the project started from, a talk about Causeries itself
(webapp/importing/demo_talk.py), a curated path through both (demo_path.py), then the PyCon FR talks.

The study day comes from a blog post (its facts are written out below, in French, as the post
states them; nothing is added): on 5 October 2016, a day of experience reports on "médiation
numérique des savoirs" for the INET's élèves-conservateurs, published as a series of 6 posts
under #mednumsavoirs. The first one is the Levallois-Perret libraries' policy.
Loading is idempotent: rows are found again by import key, slug or normalised name.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.importing.demo_path import load_demo_path
from webapp.importing.demo_rows import sync_demo_event, sync_demo_series, sync_demo_speaker, sync_demo_talk
from webapp.importing.demo_talk import DemoTalkReport, load_demo_talk
from webapp.importing.operations import ImportReport, import_pyvideo
from webapp.importing.pyvideo_reading import EventSource, scan_pyvideo_tree
from webapp.importing.pyvideo_records import PYVIDEO_DATA_DIR
from webapp.models import Event
from webapp.sanitize import plain_text_to_html

STUDY_DAY = date(2016, 10, 5)
SEED_EVENT_KEY = "inet-2016-10-05-mednumsavoirs"
SEED_TALK_KEY = "mednumsavoirs-1-levallois-perret"
SEED_SERIES_SLUG = "mednumsavoirs"

SEED_EVENT = {
    "title": "Journée de retours d'expérience : médiation numérique des savoirs",
    "start_date": STUDY_DAY,
    "end_date": STUDY_DAY,
    "host_organisation": "INET (Institut national des études territoriales)",
}
SEED_EVENT_TEXT = {  # rich text, written as HTML
    "description": plain_text_to_html(
        "Journée de retours d'expérience autour de dispositifs de médiation numérique des "
        "savoirs, organisée le 5 octobre 2016 dans le cadre du parcours numérique proposé aux "
        "élèves-conservateurs de l'Institut national des études territoriales (INET).\n\n"
        "La journée était réservée aux élèves-conservateurs. Ses supports sont diffusés dans "
        "une série de 6 billets, autant de retours d'expérience de dispositifs ou de politiques "
        "de médiation numérique des savoirs, sous le mot-dièse #mednumsavoirs."),
}
SEED_EVENT_TAGS = ("mednumsavoirs", "médiation numérique", "bibliothèques", "médiathèques")

SEED_SERIES = {
    "title": "#mednumsavoirs : retours d'expérience de médiation numérique des savoirs",
    "planned_count": 6,
}

SEED_SPEAKER_NAME = "Sophie Perrusson"
SEED_SPEAKER = {
    "headline": "Directrice adjointe de l'action culturelle – Savoirs et patrimoine",
    "organisation": "Médiathèques de Levallois-Perret",
}

SEED_TALK = {
    "title": "Politique de médiation numérique des savoirs – Médiathèques de Levallois-Perret",
    "language": "fr",
    "given_on": STUDY_DAY,
    "position": 1,
    "series_position": 1,
    "published_at": datetime(2016, 10, 5, tzinfo=timezone.utc),
}
SEED_TALK_TEXT = {  # rich text, written as HTML
    "summary": plain_text_to_html(
        "Premier des 6 retours d'expérience de la journée #mednumsavoirs : Sophie Perrusson, "
        "directrice adjointe de l'action culturelle – Savoirs et patrimoine à Levallois-Perret, "
        "présente la politique de médiation numérique des savoirs des médiathèques. Née d'une "
        "formation, cette politique élaborée et formalisée s'appuie sur des blogs thématiques, "
        "dont le support propose un bilan chiffré après 2 ans de fonctionnement, ainsi que l'un "
        "des rares plans formalisés sur le sujet."),
    "context": plain_text_to_html(
        "Sophie Perrusson a découvert la médiation numérique lors d'un stage Biblioquest "
        "organisé par le CNFPT. Elle a ensuite proposé à son équipe une formation en interne."),
    "objectives": plain_text_to_html(
        "Passer de la formation de l'équipe à une politique élaborée et formalisée de médiation "
        "numérique des savoirs : une médiation des savoirs, loin d'une médiation de la culture "
        "numérique."),
    "actions": plain_text_to_html(
        "Stage Biblioquest (CNFPT) suivi par la directrice adjointe.\n"
        "Formation en interne proposée à l'équipe.\n"
        "Élaboration d'une politique formalisée de médiation numérique des savoirs, avec l'un "
        "des rares plans formalisés sur le sujet.\n"
        "Blogs thématiques : des dispositifs de médiation éditoriaux."),
    "results": plain_text_to_html(
        "Après 2 ans de fonctionnement des blogs thématiques, le support présente un bilan "
        "chiffré."),
    "lessons": plain_text_to_html(
        "La mise en œuvre de ce projet illustre les impacts positifs des investissements en "
        "formation dans la fonction publique.\n\n"
        "Choisir des dispositifs de médiation éditoriaux, comme des blogs, est un vrai choix de "
        "gestion des ressources humaines.\n\n"
        "Bien conçus, les dispositifs de médiation sont efficaces au regard de leurs objectifs."),
}
SEED_TALK_TAGS = (*SEED_EVENT_TAGS, "blogs")


@dataclass(frozen=True)
class DemoReport:
    seed_changed: bool
    demo_talk: DemoTalkReport
    is_demo_path_created: bool
    pyvideo: ImportReport


def is_archive_empty() -> bool:
    return not db.session.scalar(select(func.count(Event.id)))


def demo_sources() -> list[EventSource]:
    """The shipped PyCon FR tree, scanned (so a caller can size a progress bar)."""
    return scan_pyvideo_tree(PYVIDEO_DATA_DIR)


def load_demo(sources: list[EventSource], on_progress: Callable[[int], None] = None) -> DemoReport:
    """The seed study day, the talk about Causeries and a curated path through both, then the
    PyCon FR talks. Flushes; the caller commits."""
    seed_changed = load_seed_study_day()
    demo_talk = load_demo_talk()
    is_demo_path_created = load_demo_path()
    return DemoReport(seed_changed, demo_talk, is_demo_path_created, import_pyvideo(sources, on_progress))


def load_seed_study_day() -> bool:
    """Create or refresh the seed event, series, speaker and talk; True when anything changed."""
    event, event_changed = sync_demo_event(SEED_EVENT_KEY, SEED_EVENT, SEED_EVENT_TEXT, SEED_EVENT_TAGS)
    series, series_changed = sync_demo_series(SEED_SERIES_SLUG, SEED_SERIES)
    speaker, speaker_changed = sync_demo_speaker(SEED_SPEAKER_NAME, SEED_SPEAKER)
    _, talk_changed = sync_demo_talk(event, SEED_TALK_KEY, {**SEED_TALK, "series": series}, SEED_TALK_TEXT,
                                     SEED_TALK_TAGS, [speaker])
    return event_changed or series_changed or speaker_changed or talk_changed
