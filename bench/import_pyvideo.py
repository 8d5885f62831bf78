"""Benchmark `flask import pyvideo` on a synthetic 20,000-talk tree (prints figures only).

A pyvideo tree (50 events, ~4,000 speakers, French titles and descriptions) is written to a
temporary folder, a fresh SQLite database is created by the migrations, and the tree is
imported twice: the first run creates everything, the second (idempotent) one changes nothing.
Usage: .venv/bin/python -m bench.import_pyvideo [--talks N] [--events N] [--speakers N]
"""
import argparse
import json
import os
import random
import resource
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 120

SUBJECTS = ["La médiation numérique", "Le prêt de liseuses", "Un fablab en bibliothèque",
            "Les archives ouvertes", "La numérisation du patrimoine", "Un portail documentaire",
            "L'éducation aux médias", "Les ateliers de code", "Le dépôt légal du web",
            "Une ludothèque hybride", "La science ouverte", "Les données de la recherche",
            "Un réseau de lecture publique", "L'accueil des publics éloignés du numérique"]
ANGLES = ["retour d'expérience", "bilan après deux ans", "ce qui a marché, ce qui a échoué",
          "de l'idée au service", "méthodes et outils", "une politique formalisée",
          "avec les habitants", "à moyens constants", "en milieu rural", "pour les scolaires"]
PLACES = ["à Lyon", "à Rennes", "en Seine-Saint-Denis", "dans un réseau intercommunal",
          "à la médiathèque départementale", "au musée", "aux Archives municipales", ""]
SENTENCES = [
    "L'équipe a d'abord mené une enquête auprès des usagers et des partenaires.",
    "Le projet s'appuie sur des ateliers hebdomadaires animés par des bibliothécaires.",
    "Nous présentons les choix techniques, le budget et l'organisation du travail.",
    "Les résultats montrent une hausse de la fréquentation des publics adolescents.",
    "La formation des agents a été déterminante pour la réussite du dispositif.",
    "Les supports sont disponibles sur https://example.org/supports sous licence libre.",
    "Nous revenons sur les difficultés rencontrées et les solutions adoptées.",
    "Le dispositif est aujourd'hui intégré au projet d'établissement.",
]
FIRST_NAMES = ["Sophie", "Camille", "Émilie", "Hélène", "Chloé", "Léa", "Anaïs", "Julien",
               "François", "Loïc", "Jérôme", "Mathieu", "Benoît", "Gaëlle", "Noémie", "Thibault",
               "Agnès", "Cédric", "Maëlle", "Stéphane"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
              "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "Bonnet",
              "Lefebvre", "Mercier", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent",
              "Muller", "Faure", "André", "Girard", "Chevalier", "François", "Legrand"]
TAGS = ["médiation numérique", "bibliothèques", "musées", "archives", "patrimoine",
        "mednumsavoirs", "fablab", "éducation aux médias", "science ouverte", "jeunesse"]


def speaker_names(count: int, rng: random.Random) -> list[str]:
    names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    while len(names) < count:  # more people than combinations: add a middle initial
        names.append(f"{rng.choice(FIRST_NAMES)} {chr(65 + len(names) % 26)}. "
                     f"{rng.choice(LAST_NAMES)}-{rng.choice(LAST_NAMES)}")
    return list(dict.fromkeys(names))[:count]


def talk_record(n: int, day: str, speakers: list[str], rng: random.Random) -> dict:
    title = f"{rng.choice(SUBJECTS)} {rng.choice(PLACES)} : {rng.choice(ANGLES)}".replace("  ", " ")
    description = "\n\n".join(" ".join(rng.sample(SENTENCES, 3)) for _ in range(2))
    seconds = rng.randint(900, 3000)
    return {
        "title": f"{title} ({n})" if rng.random() < 0.3 else title,
        "description": description,
        "speakers": rng.sample(speakers, rng.choice((1, 1, 1, 2, 2, 3))),
        "recorded": f"{day}T{rng.randint(9, 17):02d}:{rng.choice((0, 30)):02d}:00+02:00"
                    if rng.random() < 0.5 else day,
        "language": rng.choice(("fra", "fra", "fra", "eng")),
        "duration": seconds * 1000 if rng.random() < 0.05 else seconds,
        "tags": rng.sample(TAGS, rng.randint(0, 3)),
        "copyright_text": "Creative Commons Attribution license (reuse allowed)",
        "videos": [{"type": "mp4", "url": f"https://video.example.org/{n}.mp4"},
                   {"type": "youtube", "url": f"https://www.youtube.com/watch?v=v{n:08d}"}],
    }


def write_tree(root: Path, talks: int, events: int, speaker_count: int) -> None:
    rng = random.Random(20161005)
    speakers = speaker_names(speaker_count, rng)
    for e in range(events):
        folder = root / f"journee-{2000 + e // 4}-{e:02d}"
        (folder / "videos").mkdir(parents=True)
        (folder / "category.json").write_text(json.dumps({"title": f"Journée d'étude n° {e + 1}"}))
        day = f"{2000 + e // 4}-{(e % 12) + 1:02d}-15"
        for t in range(e, talks, events):
            record = talk_record(t, day, speakers, rng)
            (folder / "videos" / f"talk-{t:05d}.json").write_text(json.dumps(record))


def timed_import(app, root: Path, workers: int | None):
    from webapp.extensions import db
    from webapp.importing.operations import import_pyvideo
    from webapp.importing.pyvideo_reading import scan_pyvideo_tree

    with app.app_context():
        started, cpu = time.perf_counter(), cpu_seconds()
        report = import_pyvideo(scan_pyvideo_tree(root), workers=workers)
        db.session.commit()
        elapsed = time.perf_counter() - started
        db.session.remove()
    main_cpu, workers_cpu = (after - before for after, before in zip(cpu_seconds(), cpu))
    print(f"  CPU: {main_cpu:.1f} s in this process, {workers_cpu:.1f} s in reading workers; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return report, elapsed


def cpu_seconds() -> tuple[float, float]:
    """(this process, its finished children): figures that other load on the machine
    does not inflate, unlike wall time."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time(), children.ru_utime + children.ru_stime


def peak_rss_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--talks", type=int, default=20_000)
    parser.add_argument("--events", type=int, default=50)
    parser.add_argument("--speakers", type=int, default=4_000)
    parser.add_argument("--workers", type=int, default=None,
                        help="reading processes (default: the importer's own choice)")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from webapp import create_app

    with tempfile.TemporaryDirectory(prefix="causeries-bench-") as tmp:
        root = Path(tmp) / "pyvideo"
        started = time.perf_counter()
        write_tree(root, args.talks, args.events, args.speakers)
        print(f"tree: {args.talks} talks, {args.events} events, {args.speakers} speakers "
              f"written in {time.perf_counter() - started:.1f} s")
        app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": f"sqlite:///{tmp}/bench.db",
                          "SEARCH_INDEX_DIR": f"{tmp}/index", "UPLOAD_DIR": f"{tmp}/uploads"})
        with app.app_context():
            upgrade()
        rss_before = peak_rss_mb()
        report, first = timed_import(app, root, args.workers)
        print(f"first import: {first:.1f} s, {report.talks_total / first:.0f} talks/s "
              f"({report.talks_created} talks, {report.speakers_created} speakers created, "
              f"{len(report.skipped)} skipped)")
        print(f"peak RSS: {peak_rss_mb():.0f} MB (before the import: {rss_before:.0f} MB; "
              f"largest reading worker: {peak_rss_mb(resource.RUSAGE_CHILDREN):.0f} MB)")
        report, second = timed_import(app, root, args.workers)
        print(f"second import: {second:.1f} s, {report.talks_unchanged} unchanged, "
              f"{report.talks_updated} updated, {report.talks_created} created")
        met = "met" if first < TARGET_SECONDS else "NOT met"
        print(f"target (20,000 talks in under {TARGET_SECONDS} s): {met} ({first:.1f} s)")


if __name__ == "__main__":
    main()
