"""Benchmark `flask import pyvideo` on a synthetic 20,000-talk tree (prints figures only).

A pyvideo tree (50 events, ~4,000 speakers, French titles and descriptions) is written to a
temporary folder, a fresh database is created by the migrations (SQLite, or the PostgreSQL database
given by --database-url / BENCH_DATABASE_URL: its tables are dropped first), and the tree is
imported twice: the first run creates everything, the second (idempotent) one changes nothing.

The search writer runs meanwhile as on a live site (`flask search worker` in its own process): the
index lag is the time from the first import's commit until `flask search check` first says the
index matches the database (the queue is polled until empty, then the check runs).
Usage: .venv/bin/python -m bench.import_pyvideo [--talks N] [--events N] [--speakers N]
       [--database-url URL]; BENCH_IMPORT_TALKS gives the default of --talks.
"""
import argparse
import json
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 120
INDEX_LAG_TARGET_SECONDS = 60
INDEX_LAG_GIVE_UP_SECONDS = 1800
ROOT = Path(__file__).resolve().parent.parent

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


def child_environment(app) -> dict[str, str]:
    return {**os.environ, "SECRET_KEY": "bench", "PYTHONPATH": str(ROOT), "SEARCH_WRITER": "off",
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"], "UPLOAD_DIR": app.config["UPLOAD_DIR"]}


def flask_command(app, *arguments: str, **options):
    return [sys.executable, "-m", "flask", "--app", "webapp", *arguments], {
        "env": child_environment(app), "cwd": ROOT, **options}


def start_search_writer(app) -> subprocess.Popen:
    """`flask search worker`, as the elected writer of a live site; it waits on an empty queue."""
    command, options = flask_command(app, "search", "worker", stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True)
    return subprocess.Popen(command, **options)


def stop_search_writer(writer: subprocess.Popen) -> None:
    writer.send_signal(signal.SIGTERM)
    _, errors = writer.communicate(timeout=60)
    if writer.returncode != 0 or "Traceback" in errors:
        print(f"  the search writer failed (exit {writer.returncode}):\n{errors[-2000:]}")


def queued_changes(app) -> int:
    from webapp.extensions import db
    from webapp.search.indexing import queue_length

    with app.app_context():
        length = queue_length()
        db.session.rollback()
        db.session.remove()
    return length


def index_matches(app) -> bool:
    command, options = flask_command(app, "search", "check", capture_output=True, text=True)
    return subprocess.run(command, **options).returncode == 0


def index_lag(app, writer: subprocess.Popen, imported_at: float) -> tuple[float, float, float] | None:
    """(seconds until the queue was empty, the writer's CPU seconds by then, seconds until
    `flask search check` passed) after imported_at; None past INDEX_LAG_GIVE_UP_SECONDS."""
    cpu_before, drained = process_cpu_seconds(writer.pid), None
    while time.perf_counter() - imported_at < INDEX_LAG_GIVE_UP_SECONDS:
        if queued_changes(app):
            time.sleep(0.5)
            continue
        drained = drained or (time.perf_counter() - imported_at, process_cpu_seconds(writer.pid) - cpu_before)
        if index_matches(app):
            return *drained, time.perf_counter() - imported_at
        time.sleep(1)
    return None


def process_cpu_seconds(pid: int) -> float:
    """CPU time a live process used so far (utime + stime): what machine load does not inflate."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def report_index_lag(app, writer: subprocess.Popen, imported_at: float, queued: int, talks: int) -> None:
    lag = index_lag(app, writer, imported_at)
    if lag is None:
        print(f"index lag target (consistent within {INDEX_LAG_TARGET_SECONDS} s): NOT met "
              f"(still not consistent after {INDEX_LAG_GIVE_UP_SECONDS} s)")
        return
    drained, writer_cpu, consistent = lag
    print(f"index: {queued} queued changes drained {drained:.1f} s after the import's commit (the writer "
          f"used {writer_cpu:.1f} s of CPU); `flask search check` consistent after {consistent:.1f} s")
    met = "met" if consistent <= INDEX_LAG_TARGET_SECONDS else "NOT met"
    print(f"index lag target ({talks} talks consistent within {INDEX_LAG_TARGET_SECONDS} s of the import): "
          f"{met} ({consistent:.1f} s)")


def first_import(app, root: Path, workers: int | None) -> float:
    """The import into the empty archive, with the search writer running as on a live site;
    prints its figures and the index lag; returns its seconds."""
    rss_before = peak_rss_mb()
    writer = start_search_writer(app)
    try:
        report, seconds = timed_import(app, root, workers)
        imported_at = time.perf_counter()
        queued = queued_changes(app)
        print(f"first import: {seconds:.1f} s, {report.talks_total / seconds:.0f} talks/s "
              f"({report.talks_created} talks, {report.speakers_created} speakers created, "
              f"{len(report.skipped)} skipped)")
        print(f"peak RSS: {peak_rss_mb():.0f} MB (before the import: {rss_before:.0f} MB; "
              f"largest reading worker: {peak_rss_mb(resource.RUSAGE_CHILDREN):.0f} MB)")
        report_index_lag(app, writer, imported_at, queued, report.talks_created)
    finally:
        stop_search_writer(writer)
    return seconds


def fresh_database(url: str | None, tmp: str) -> str:
    """A SQLite file in tmp, or `url` emptied (every table dropped) for the migrations to fill."""
    if not url:
        return f"sqlite:///{tmp}/bench.db"
    from sqlalchemy import MetaData, create_engine

    from webapp.config import database_uri

    engine = create_engine(database_uri(url))
    tables = MetaData()
    tables.reflect(engine)
    tables.drop_all(engine)
    engine.dispose()
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--talks", type=int, default=int(os.environ.get("BENCH_IMPORT_TALKS", "20000")))
    parser.add_argument("--events", type=int, default=50)
    parser.add_argument("--speakers", type=int, default=4_000)
    parser.add_argument("--workers", type=int, default=None,
                        help="reading processes (default: the importer's own choice)")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="a PostgreSQL database of the benchmark's own (its tables are dropped)")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from webapp import create_app

    with tempfile.TemporaryDirectory(prefix="causeries-bench-") as tmp:
        root = Path(tmp) / "pyvideo"
        started = time.perf_counter()
        write_tree(root, args.talks, args.events, args.speakers)
        print(f"tree: {args.talks} talks, {args.events} events, {args.speakers} speakers "
              f"written in {time.perf_counter() - started:.1f} s")
        app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": fresh_database(args.database_url, tmp),
                          "SEARCH_INDEX_DIR": f"{tmp}/index", "UPLOAD_DIR": f"{tmp}/uploads",
                          "SEARCH_WRITER": "off"})
        with app.app_context():
            upgrade()
        print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}")
        first = first_import(app, root, args.workers)
        report, second = timed_import(app, root, args.workers)
        print(f"second import: {second:.1f} s, {report.talks_unchanged} unchanged, "
              f"{report.talks_updated} updated, {report.talks_created} created")
        met = "met" if first < TARGET_SECONDS else "NOT met"
        print(f"target (20,000 talks in under {TARGET_SECONDS} s): {met} ({first:.1f} s)")


if __name__ == "__main__":
    main()
