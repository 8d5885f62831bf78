"""The demo's curated path: the seed talk, then the talk about Causeries, under #mednumsavoirs.

Written for the demo and marked as such in its introduction; its notes say only what the seed's blog
post and the demo talk say. It is a sample for an archive that has no curated path yet: once there
is one (this one, however an organiser has since renamed or unpublished it, or their own), loading
the demo again adds none.
"""
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import CuratedPath, Talk
from webapp.paths.operations import add_talk, create_path, publish_path

DEMO_PATH_TITLE = "Parcours : médiation numérique des savoirs"
DEMO_PATH_INTRODUCTION = (
    "Parcours de démonstration, livré avec Causeries : il montre comment un organisateur relie des "
    "interventions de plusieurs événements en une lecture suivie, avec une note pour chacune.")
DEMO_PATH_NOTES = {  # import key of the talk -> its note, in the path's order
    "mednumsavoirs-1-levallois-perret":
        "Le premier retour d'expérience publié sous #mednumsavoirs : la politique des médiathèques de "
        "Levallois-Perret, de la formation de l'équipe aux blogs thématiques.",
    "causeries-demonstration-publier-une-journee":
        "Publier à son tour une journée comme celle-ci, et la partager sous le même mot-clé.",
}


def load_demo_path() -> bool:
    """Create and publish the demo path when the archive has no curated path; True when it did. Flushes."""
    if db.session.scalar(select(CuratedPath.id).limit(1)) is not None:
        return False
    path = create_path(None, DEMO_PATH_TITLE, DEMO_PATH_INTRODUCTION)
    for import_key, note in DEMO_PATH_NOTES.items():
        talk = db.session.scalar(select(Talk).where(Talk.import_key == import_key))
        add_talk(None, path, talk, note)
    publish_path(None, path)
    return True
