"""`flask export archive` then `flask import archive` into an emptied database and a new folder:
every public answer is the same, byte for byte."""
import json

from tests.exporting.answers import close_app, public_answers
from webapp import create_app
from webapp.search.indexing import drain_queue


def restored_copy(app, db, archive, tmp_path):
    """A second app on the same database, emptied, with its own folders; the archive restored there."""
    db.session.remove()
    db.drop_all()
    db.create_all()
    config = {key: app.config[key] for key in ("TESTING", "SECRET_KEY", "SERVER_NAME", "PAGE_CACHE")}
    restored = create_app({**config, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                           "UPLOAD_DIR": str(tmp_path / "restored-uploads"),
                           "SEARCH_INDEX_DIR": str(tmp_path / "restored-index"),
                           "PAGE_CACHE_DIR": str(tmp_path / "restored-page-cache")})
    result = run_command(restored, "import", "archive", str(archive))
    assert result.exit_code == 0, result.output
    return restored


def run_command(app, *args):
    """The command in that app's context (the CLI runner would use the test's app, already pushed)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


def drained(app) -> None:
    with app.app_context():
        while drain_queue():
            pass


def test_a_restored_archive_answers_every_public_request_byte_for_byte(app, db, rich_archive, client, runner,
                                                                       tmp_path):
    drained(app)
    before = public_answers(client)
    archive = tmp_path / "archive"
    result = runner.invoke(args=["export", "archive", str(archive)])
    assert result.exit_code == 0, result.output

    restored = restored_copy(app, db, archive, tmp_path)
    try:
        drained(restored)
        after = public_answers(restored.test_client())
        check = run_command(restored, "search", "check")
        summary = run_command(restored, "summary", "check")
    finally:
        close_app(restored)
    # Nothing is normalised: ids, slugs, timestamps, files and the index come back as they were.
    assert sorted(after) == sorted(before)
    assert [(url, after[url][:2]) for url in before if after[url] != before[url]] == []
    assert check.exit_code == 0 and "The index matches the database." in check.output, check.output
    assert summary.exit_code == 0, summary.output
    pages = [url for url in before if url.startswith(("/talks/", "/speakers/", "/tags/", "/events/"))]
    assert {"/talks/levallois", "/speakers/lea-dupre", "/events/mednum-2016", "/"} <= set(before)
    assert len(pages) >= 15 and any(url.startswith("/slides/") for url in before)
    assert any(url.startswith("/photos/") for url in before)
    assert before["/talks/ancien-levallois"].endswith("/talks/levallois")
    assert b"Des <em>ateliers</em>" in before["/talks/levallois"][2]
    assert json.loads(before["/api/v1/search?q=numerique"])["results"]  # accents folded by the index
    assert json.loads(before["/api/v1/search?q=grainotheque"])["results"]  # said in the transcript only
    assert "/talks/levallois/transcripts/fr.vtt" in before
