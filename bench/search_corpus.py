"""Corpora for bench/search.py: the PyCon FR talks (pyvideo layout) and a synthetic archive.

Imported as bench.search_corpus by bench/search.py and tests/search_index/test_index_bulk.py; it prints
nothing and needs neither Flask nor a database.
"""
import json
import random
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

from slugify import slugify

PYVIDEO_DIRS = (Path(__file__).resolve().parent.parent / "data" / "pyvideo-fr", Path("/work/shared/data/pyvideo-fr"))

FRENCH_WORDS = """médiation numérique médiathèque bibliothèque lecture publique atelier jeunesse patrimoine
numérisation archives collections catalogue usagers public accueil formation bénévoles partenariat
territoire réseau communauté innovation expérimentation projet bilan évaluation retour expérience
pratiques professionnelles savoirs connaissances culture culturelle mémoire histoire école collège
lycée université recherche données ouvertes logiciel libre accessibilité inclusion handicap seniors
familles parents enfants adolescents jeux vidéo musique cinéma images photographie exposition
conférence rencontre débat animation programmation saison budget financement subvention mécénat
politique stratégie gouvernance élus collectivité commune département région ministère service
équipe agents bibliothécaires médiateurs documentalistes archivistes conservateurs outils plateforme
site internet blog réseaux sociaux podcast vidéo tutoriel fablab makerspace impression robotique
programmation code python données visualisation cartographie wikipédia contribution participative
valorisation diffusion signalement fonds ancien manuscrits presse revue ouvrages prêt emprunt
inscription abonnement gratuité horaires ouverture dimanche espace aménagement mobilier lieu tiers-lieu
démarche design usages enquête questionnaire statistiques fréquentation indicateurs chiffres réussite
difficultés obstacles leçons conseils recommandations perspectives avenir transition écologique
sobriété durable éducation artistique illettrisme illectronisme citoyenneté démocratie laïcité
sécurité protection vie privée RGPD droit auteur licences creative commons œuvres domaine public""".split()

ENGLISH_WORDS = """library libraries reading public workshop youth heritage digitisation archives collections
catalogue users audience outreach training volunteers partnership community network innovation
experiment project assessment lessons learned practice professional knowledge culture memory history
school university research open data free software accessibility inclusion disability families
children teenagers games music cinema images photography exhibition conference meeting debate
programme season budget funding grant policy strategy governance council city region service team
staff librarians curators tools platform website blog social media podcast video tutorial maker
printing robotics coding python visualisation mapping wikipedia crowdsourcing discovery metadata
manuscripts newspapers journals books lending membership opening hours space design survey
statistics attendance metrics success challenges advice recommendations future sustainability
education literacy citizenship democracy security privacy copyright licences commons works""".split()

FRENCH_GLUE = "de la le les des et pour avec dans une un du sur en au aux par qui que est son leurs".split()
ENGLISH_GLUE = "the of and to in for with a on by is are from at as that this our".split()
FIRST_NAMES = """Sophie Marie Julie Camille Claire Anne Lucie Emma Léa Chloé Thomas Nicolas Julien Pierre Antoine
Hugo Louis Paul Éric François Hélène Agnès Benoît Cécile Jérôme Zoé Noémie Gaëlle Loïc Maël""".split()
LAST_NAMES = """Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefèbvre
Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Mercier Dupont Lambert Bonnet
François Martinez Perrusson Rousseau Blanc Guérin Muller Henry Roussel Nicolas Perrin Morin""".split()


def _zipf_cumulative(size: int) -> list[float]:
    return list(accumulate(1.0 / (rank + 1) ** 0.8 for rank in range(size)))


ZIPF_CUMULATIVE = {"fr": _zipf_cumulative(len(FRENCH_WORDS)), "en": _zipf_cumulative(len(ENGLISH_WORDS))}
TOWNS = ("Lyon Lille Nantes Rennes Bordeaux Toulouse Grenoble Strasbourg Montpellier Levallois-Perret Paris "
         "Marseille").split()


def pyvideo_directory() -> Path | None:
    return next((path for path in PYVIDEO_DIRS if path.is_dir()), None)


def pyvideo_talks() -> list[dict]:
    """The PyCon FR talks as search documents (read straight from the JSON files)."""
    root = pyvideo_directory()
    if root is None:
        return []
    talks = []
    for number, path in enumerate(sorted(root.glob("*/videos/*.json")), start=1):
        record = json.loads(path.read_text(encoding="utf-8"))
        event = json.loads((path.parent.parent / "category.json").read_text(encoding="utf-8")).get("title", "")
        talks.append(_pyvideo_document(number, path, record, event))
    return talks


def _pyvideo_document(number: int, path: Path, record: dict, event: str) -> dict:
    recorded = record.get("recorded")
    speakers = record.get("speakers") or []
    return {"id": f"talk:{number}", "type": "talk", "slug": path.stem, "title": record.get("title") or path.stem,
            "summary": record.get("description") or "", "sections": "", "speakers": speakers,
            "speaker_slugs": [slugify(name) for name in speakers],
            "tags": [t.lower() for t in record.get("tags") or []],
            "event": event, "event_slug": path.parent.parent.name,
            "date": date.fromisoformat(recorded) if recorded else None,
            "language": {"fra": "fr", "eng": "en"}.get(record.get("language")), "has_slides": False, "slides": [],
            "version": "1"}


class SyntheticArchive:
    """A deterministic archive of French/English talks with a Zipf-like vocabulary."""

    def __init__(self, size: int, seed: int = 20240601):
        self.size, self.seed = size, seed
        rng = random.Random(seed)
        self.tags = sorted({slugify(" ".join(rng.sample(FRENCH_WORDS, 2))) for _ in range(400)}) + ["mednumsavoirs"]
        self.speakers = sorted({f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(3000)})
        self.speaker_slugs = {name: slugify(name) for name in self.speakers}
        self.events = [(f"journee-{n}", f"Journée {rng.choice(FRENCH_WORDS)} {rng.choice(TOWNS)} {2005 + n % 20}")
                       for n in range(1500)]

    def __iter__(self):
        rng = random.Random(self.seed + 1)
        for number in range(1, self.size + 1):
            yield self.talk(rng, number)

    def __len__(self):
        return self.size

    def _text(self, rng, language: str, words: int) -> str:
        vocabulary, glue = (FRENCH_WORDS, FRENCH_GLUE) if language == "fr" else (ENGLISH_WORDS, ENGLISH_GLUE)
        content = rng.choices(vocabulary, cum_weights=ZIPF_CUMULATIVE[language], k=words)
        glued = rng.choices(glue, k=words)
        return " ".join(w if rng.random() > 0.35 else f"{w} {g}" for w, g in zip(content, glued))

    def talk(self, rng, number: int) -> dict:
        language = rng.choices(["fr", "en", None], weights=[70, 25, 5])[0]
        text_language = language or "fr"
        speakers = rng.sample(self.speakers, rng.choice([1, 1, 1, 2, 3]))
        event_slug, event_title = rng.choice(self.events)
        has_slides = rng.random() < 0.3
        title = self._text(rng, text_language, rng.randint(4, 9)).capitalize()
        return {"id": f"talk:{number}", "type": "talk", "slug": f"talk-{number}", "title": title,
                "summary": self._text(rng, text_language, rng.randint(30, 70)),
                "sections": self._text(rng, text_language, rng.randint(60, 160)),
                "speakers": speakers, "speaker_slugs": [self.speaker_slugs[name] for name in speakers],
                "tags": rng.sample(self.tags, rng.randint(1, 3)), "event": event_title, "event_slug": event_slug,
                "date": date(2005, 1, 1) + timedelta(days=rng.randrange(7300)), "language": language,
                "has_slides": has_slides, "version": str(number),
                "slides": [{"page": page, "text": self._text(rng, text_language, rng.randint(10, 25))}
                           for page in range(1, rng.randint(3, 8))] if has_slides else []}
