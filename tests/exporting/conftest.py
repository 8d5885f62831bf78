"""Fixtures of the export tests: a rich archive, and every public answer of a site."""
import io
from datetime import date, datetime, timezone

import pytest
from PIL import Image

from webapp.models import Series, SlugRedirect, SpeakerAlias, Status
from webapp.profile.photos import prepare_photo, set_speaker_photo
from webapp.slides.operations import attach_slides, process_pending_decks
from webapp.transcripts.operations import save_transcript

TRANSCRIPT = ("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nBonjour à toutes et à tous.\n\n"
              "00:12:34.000 --> 00:12:40.000\nLa grainothèque a changé la médiathèque.\n")


def photo_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (600, 400), (200, 90, 40)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def rich_archive(db, make_event, make_talk, make_speaker, make_pdf):
    """Published and draft events and talks, with speakers (a photo, links, aliases), tags, a series,
    report sections from Markdown, two versions of a processed deck, and an old slug's redirect."""
    day = make_event("Journée : médiation numérique des savoirs", slug="mednum-2016", tags=("médiation",),
                     place="Lyon", host_organisation="INET", description="<p>Une <em>journée</em>.</p>",
                     description_source="Une *journée*.", website_url="https://example.org/jour")
    draft_event = make_event("Rencontre en préparation", slug="en-preparation", status=Status.DRAFT)
    lea = make_speaker("Léa Dupré", slug="lea-dupre", headline="Bibliothécaire", organisation="Médiathèque",
                       bio="<p>Elle anime des <strong>ateliers</strong>.</p>",
                       bio_source="Elle anime des **ateliers**.",
                       links=[{"label": "Site", "url": "https://example.org/lea"}])
    lea.aliases = [SpeakerAlias(name="Léa Dupre", name_key="lea dupre", is_confirmed=True)]
    marc = make_speaker("Marc Élie", slug="marc-elie")
    series = Series(slug="mednumsavoirs", title="Médiation numérique des savoirs", planned_count=3)
    db.session.add(series)
    first = make_talk("La politique des bibliothèques de Levallois", event=day, speakers=[lea, marc],
                      tags=("médiation", "bibliothèques"), slug="levallois", series=series, series_position=1,
                      summary="<p>Des <em>ateliers</em> numériques.</p>", summary_source="Des *ateliers* numériques.",
                      context="<p>Une ville.</p>", context_source="Une ville.", lessons="<p>Écouter.</p>",
                      lessons_source="Écouter.", licence="CC-BY-4.0", language="fr",
                      given_on=date(2016, 10, 5), starts_at=datetime(2016, 10, 5, 8, 30, tzinfo=timezone.utc),
                      duration_minutes=40, video_url="https://www.youtube.com/watch?v=abc", position=1)
    make_talk("Python à la médiathèque", event=day, speakers=[marc], tags=("python",), slug="python-mediatheque",
              series=series, series_position=2, given_on=date(2016, 10, 5), position=2)
    make_talk("Brouillon de bilan", event=day, speakers=[lea], tags=("brouillon",), slug="brouillon",
              status=Status.DRAFT, position=3)
    make_talk("Atelier à venir", event=draft_event, speakers=[lea], slug="a-venir")
    db.session.add(SlugRedirect(kind="talk", old_slug="ancien-levallois", target_id=first.id))
    set_speaker_photo(None, lea, prepare_photo(io.BytesIO(photo_bytes())))
    save_transcript(first, "fr", io.BytesIO(TRANSCRIPT.encode()), "levallois.vtt", None)
    attach_slides(first, io.BytesIO(make_pdf("Première version")), "levallois-v1.pdf", None, "CC-BY-4.0")
    db.session.commit()
    attach_slides(first, io.BytesIO(make_pdf("Médiation numérique", "Les ateliers")), "levallois.pdf", None,
                  "CC-BY-4.0")
    db.session.commit()
    process_pending_decks()
    db.session.commit()
    return day
