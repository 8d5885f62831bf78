"""What `flask export archive` writes, and what `flask import archive` refuses."""
import hashlib
import json
from pathlib import Path

from lxml import etree
from sqlalchemy import func, select

from tests.exporting.test_archive_round_trip import run_command
from webapp.models import Event, Talk

SCHEDULE_XSD = str(Path(__file__).resolve().parents[2] / "webapp/importing/frab_schema/schedule.xml.xsd")


def exported(runner, folder, *options):
    result = runner.invoke(args=["export", "archive", str(folder), *options])
    assert result.exit_code == 0, result.output
    return json.loads((folder / "manifest.json").read_text())


def test_the_manifest_lists_every_file_with_its_checksum_and_public_leaves_drafts_out(rich_archive, runner,
                                                                                     tmp_path):
    manifest = exported(runner, tmp_path / "full")
    files = {path.relative_to(tmp_path / "full").as_posix() for path in (tmp_path / "full").rglob("*")
             if path.is_file()} - {"manifest.json"}
    assert set(manifest["files"]) == files
    assert all(hashlib.sha256((tmp_path / "full" / name).read_bytes()).hexdigest() == checksum
               for name, checksum in manifest["files"].items())
    assert manifest["counts"] == {"decks": 2, "events": 2, "files": 11, "redirects": 1, "series": 1,
                                  "speakers": 2, "tags": 4, "talks": 4, "transcripts": 1}
    talk = json.loads((tmp_path / "full/mednum-2016/videos/levallois.json").read_text())
    assert talk["title"] == "La politique des bibliothèques de Levallois"
    assert talk["speakers"] == ["Léa Dupré", "Marc Élie"]
    record = talk["causeries"]["talk"]
    assert record["summary_source"] == "Des *ateliers* numériques."
    assert record["lessons_source"] == "Écouter." and record["status"] == "published"
    assert [deck["deck"]["version"] for deck in talk["causeries"]["decks"]] == [1, 2]
    assert "uploaded_by_id" not in talk["causeries"]["decks"][0]["deck"]

    public = exported(runner, tmp_path / "public", "--public")
    assert public["counts"] == {"decks": 1, "events": 1, "files": 8, "redirects": 1, "series": 1,
                                "speakers": 2, "tags": 3, "talks": 2, "transcripts": 1}
    assert not (tmp_path / "public/en-preparation").exists()
    assert not (tmp_path / "public/mednum-2016/videos/brouillon.json").exists()
    schema = etree.XMLSchema(etree.parse(SCHEDULE_XSD))
    for folder in ("full/mednum-2016", "full/en-preparation", "public/mednum-2016"):
        schedule = etree.parse(str(tmp_path / folder / "schedule.xml"))
        assert schema.validate(schedule), schema.error_log
    titles = etree.parse(str(tmp_path / "public/mednum-2016/schedule.xml")).xpath("//event/title/text()")
    assert "Brouillon de bilan" not in titles and "Python à la médiathèque" in titles


def test_an_export_refuses_a_folder_that_holds_anything_but_a_previous_export(rich_archive, runner, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    for options in ((), ("--force",)):
        result = runner.invoke(args=["export", "archive", str(other), *options])
        assert result.exit_code == 1 and (other / "notes.txt").exists(), result.output
    assert "not empty" in result.output and "nothing was deleted" in result.output
    exported(runner, tmp_path / "archive")
    assert runner.invoke(args=["export", "archive", str(tmp_path / "archive")]).exit_code == 1
    assert exported(runner, tmp_path / "archive", "--force", "--public")["public_only"] is True


def emptied(db):
    db.session.remove()
    db.drop_all()
    db.create_all()


def test_a_corrupted_or_missing_file_or_a_full_database_is_refused_and_nothing_is_imported(
        app, db, rich_archive, runner, tmp_path):
    archive = tmp_path / "archive"
    exported(runner, archive)
    refused = run_command(app, "import", "archive", str(archive))
    assert refused.exit_code == 1 and "empty database" in refused.output, refused.output
    emptied(db)
    talk_file = archive / "mednum-2016/videos/levallois.json"
    original = talk_file.read_bytes()
    talk_file.write_bytes(original.replace(b"Levallois", b"Levalloi$"))
    corrupted = run_command(app, "import", "archive", str(archive))
    assert corrupted.exit_code == 1 and "mednum-2016/videos/levallois.json is corrupted" in corrupted.output
    talk_file.unlink()
    missing = run_command(app, "import", "archive", str(archive))
    assert missing.exit_code == 1 and "missing, e.g. mednum-2016/videos/levallois.json" in missing.output
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0
    assert not (tmp_path / "uploads-restored").exists()

    talk_file.write_bytes(original)
    restored = run_command(app, "import", "archive", str(archive))
    assert restored.exit_code == 0 and "4 talks" in restored.output, restored.output
    assert db.session.scalar(select(Talk.title).where(Talk.slug == "brouillon")) == "Brouillon de bilan"
    event = db.session.scalar(select(Event).where(Event.slug == "mednum-2016"))
    new_talk = Talk(slug="nouveau", title="Après la restauration", event=event)  # the ids go on after
    db.session.add(new_talk)
    db.session.commit()
    assert new_talk.id > max(db.session.scalars(select(Talk.id).where(Talk.slug != "nouveau")))


def rewritten(archive, relative: str, change) -> None:
    """Changes one file of the archive and its checksum in the manifest, as a forger would."""
    path = archive / relative
    path.write_bytes(change(path.read_bytes()))
    manifest = json.loads((archive / "manifest.json").read_text())
    manifest["files"][relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    (archive / "manifest.json").write_text(json.dumps(manifest))


def test_a_forged_archive_is_sanitised_or_refused_as_a_whole(app, db, rich_archive, runner, tmp_path):
    archive = tmp_path / "archive"
    exported(runner, archive)
    emptied(db)
    talk = "mednum-2016/videos/levallois.json"
    rewritten(archive, talk, lambda body: body.replace(b"Des <em>ateliers</em>", b"<script>alert(1)</script>"))
    outside = tmp_path / "secret.txt"
    outside.write_text("not for the archive")
    (archive / "_causeries/files/link.txt").symlink_to(outside)
    linked = run_command(app, "import", "archive", str(archive))
    assert linked.exit_code == 1 and "link.txt is a symbolic link" in linked.output, linked.output
    (archive / "_causeries/files/link.txt").unlink()

    rewritten(archive, "mednum-2016/category.json", lambda body: body.replace(b'"event"', b'"evenement"'))
    broken = run_command(app, "import", "archive", str(archive))
    assert broken.exit_code == 1 and "cannot be restored (KeyError" in broken.output, broken.output
    assert db.session.scalar(select(func.count()).select_from(Talk)) == 0
    rewritten(archive, "mednum-2016/category.json", lambda body: body.replace(b'"evenement"', b'"event"'))

    assert run_command(app, "import", "archive", str(archive)).exit_code == 0
    summary = db.session.scalar(select(Talk.summary).where(Talk.slug == "levallois"))
    assert summary == "<p> numériques.</p>"  # the script is gone, the rest restored
