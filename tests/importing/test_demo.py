"""`flask demo load`: the seed study day (#mednumsavoirs) and the PyCon FR talks.

The tests that inspect what the load leaves read a copy of the archive it left (the demo_archive
fixture: one load per pytest run); those about loading (again, --if-empty) run the load."""
from datetime import date

from sqlalchemy import func, select

from webapp.catalogue.queries import series_neighbours
from webapp.core.visibility import is_public_talk, public_speakers, public_tags
from webapp.importing.demo import SEED_EVENT_KEY, SEED_TALK_KEY
from webapp.models import REPORT_SECTIONS, Event, Series, Speaker, Tag, Talk, TalkSpeaker

SEED_TITLE = "Politique de médiation numérique des savoirs – Médiathèques de Levallois-Perret"


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def seed_talk(db) -> Talk:
    return db.session.scalar(select(Talk).where(Talk.import_key == SEED_TALK_KEY))


def load(runner, *options):
    result = runner.invoke(args=["demo", "load", *options])
    assert result.exit_code == 0, result.output
    return result


def test_demo_load_creates_the_seed_study_day(db, demo_archive):
    event = db.session.scalar(select(Event).where(Event.import_key == SEED_EVENT_KEY))
    assert (event.start_date, event.end_date) == (date(2016, 10, 5), date(2016, 10, 5))
    assert "INET" in event.host_organisation and "élèves-conservateurs" in event.description
    talk = seed_talk(db)
    assert talk.title == SEED_TITLE and talk.event == event
    assert (talk.language, talk.given_on, talk.position) == ("fr", date(2016, 10, 5), 1)
    assert is_public_talk(talk)
    assert all(getattr(talk, section) for section in REPORT_SECTIONS)
    assert "Biblioquest" in talk.context and "bilan chiffré" in talk.results


def test_seed_series_speaker_and_tags(db, demo_archive):
    talk = seed_talk(db)
    assert (talk.series.planned_count, talk.series_position) == (6, 1)
    neighbours = series_neighbours(talk)
    assert (neighbours.position, neighbours.total) == (1, 6)
    [speaker] = talk.speakers
    assert speaker.name == "Sophie Perrusson"
    assert speaker.headline == "Directrice adjointe de l'action culturelle – Savoirs et patrimoine"
    assert speaker.organisation == "Médiathèques de Levallois-Perret"
    assert speaker in db.session.scalars(public_speakers()).all()
    names = {tag.name for tag in talk.tags}
    assert {"mednumsavoirs", "médiation-numérique", "bibliothèques"} <= names
    assert "mednumsavoirs" in {tag.name for tag in db.session.scalars(public_tags())}
    assert "#mednumsavoirs" in {tag.label for tag in talk.event.tags}


def test_demo_load_also_imports_the_pycon_fr_talks(db, demo_archive):
    output = demo_archive.load_output  # of the load on an empty archive the copy was taken after
    assert "Talks: 493 (493 created, 0 updated, 0 unchanged)" in output
    assert "Demo talk about Causeries: loaded" in output
    assert "Demo slide deck: 1 deck(s) processed" in output
    assert (count(db, Event), count(db, Talk)) == (12, 495)


def test_loading_twice_changes_nothing(db, runner, demo_archive):
    # The first load is the copy's; this test runs the second one.
    tables = (Event, Talk, Speaker, Series, Tag, TalkSpeaker)
    counts = [count(db, table) for table in tables]
    stamps = {model: dict(db.session.execute(select(model.id, model.updated_at)).all())
              for model in (Event, Talk, Speaker)}
    second = load(runner)
    assert "Seed study day: unchanged" in second.output
    assert "Demo talk about Causeries: unchanged" in second.output and "Demo slide deck" not in second.output
    assert "Talks: 493 (0 created, 0 updated, 493 unchanged)" in second.output
    db.session.expire_all()
    assert [count(db, table) for table in tables] == counts
    for model, before in stamps.items():
        assert dict(db.session.execute(select(model.id, model.updated_at)).all()) == before


def test_if_empty_does_nothing_on_a_non_empty_archive(db, runner, make_event):
    make_event("Une autre journée")
    db.session.commit()
    result = load(runner, "--if-empty")
    assert "nothing loaded" in result.output
    assert count(db, Event) == 1 and count(db, Talk) == 0


def test_if_empty_loads_an_empty_archive(db, runner):
    result = load(runner, "--if-empty")
    assert "Seed study day: loaded" in result.output
    assert seed_talk(db) is not None


def test_a_copy_of_the_loaded_demo_is_a_whole_archive_of_its_own(db, runner, app, demo_archive):
    """What the tests above read: the index matches the database, the summary data is current, every
    stored file of a deck is in the test's own upload folder, and no row names the template's folders."""
    from webapp.core.storage import get_file_store
    from webapp.models import SlideDeck, SlidePage

    for command, current in ((["search", "check"], "The index matches the database."),
                             (["summary", "check"], "The summary data is current.")):
        result = runner.invoke(args=command)
        assert result.exit_code == 0 and current in result.output, result.output
    store = get_file_store()
    assert str(store.path_for("0" * 64)).startswith(app.config["UPLOAD_DIR"])
    keys = set(db.session.scalars(select(SlideDeck.storage_key))) | {
        key for page in db.session.scalars(select(SlidePage)) for key in (page.thumb_key, page.image_key) if key}
    assert keys and all(store.exists(key) for key in keys)
    template_folder = str(demo_archive.search_index_dir.parent)
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            assert not any(template_folder in str(value) for value in row), (table.name, row)
