"""The talk page shows its transcripts cue by cue; public talks offer them as WebVTT and SRT."""
import re

from tests.transcripts.samples import SRT_FR, VTT_EN
from webapp.models import Status


def test_the_talk_page_shows_each_cue_with_its_moment(db, client, english_ui, make_talk, add_transcript):
    talk = make_talk("Le fablab", slug="fablab", language="fr")
    add_transcript(talk, SRT_FR)
    page = client.get("/talks/fablab").get_data(as_text=True)
    assert 'id="transcripts"' in page and "Transcript in French" in page
    cue = re.search(r'<li class="transcript__cue" id="t=754" data-cue-second="754">(.*?)</li>', page, re.S).group(1)
    assert 'href="#t=754" data-transcript-seek="754"><time datetime="PT12M34S">12:34</time></a>' in cue
    assert "Nous avons fabriqué un xylophone en carton." in cue
    assert '<time datetime="PT1H2M3S">1:02:03</time>' in page
    assert "/static/js/transcripts.js" in page
    assert 'href="/talks/fablab/transcripts/fr.vtt"' in page and 'href="/talks/fablab/transcripts/fr.srt"' in page


def test_a_page_without_transcript_has_no_section_nor_script(db, client, make_talk):
    make_talk(slug="muet")
    db.session.commit()
    page = client.get("/talks/muet").get_data(as_text=True)
    assert 'id="transcripts"' not in page and "transcripts.js" not in page


def test_cue_text_is_never_html(db, client, make_talk, add_transcript):
    talk = make_talk(slug="xss")
    add_transcript(talk, 'WEBVTT\n\n00:01.000 --> 00:02.000\n&lt;script&gt;alert(1)&lt;/script&gt; <b>gras</b> '
                         '&lt;img src=x onerror=alert(2)&gt;\n', filename="x.vtt")
    page = client.get("/talks/xss").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; gras &lt;img src=x onerror=alert(2)&gt;" in page


def test_two_languages_are_two_transcripts_the_talks_language_first(db, client, english_ui, make_talk,
                                                                     add_transcript):
    talk = make_talk(slug="deux", language="en")
    add_transcript(talk, SRT_FR, "fr")
    add_transcript(talk, VTT_EN, "en", "en.vtt")
    page = client.get("/talks/deux").get_data(as_text=True)
    assert page.index("Transcript in English") < page.index("Transcript in French")
    assert page.count('id="t=754"') == 1  # the anchor of a moment is given once, in the first transcript


def test_the_webvtt_download_is_text_vtt_for_a_track(db, client, make_talk, add_transcript):
    talk = make_talk(slug="piste")
    add_transcript(talk, SRT_FR)
    response = client.get("/talks/piste/transcripts/fr.vtt")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/vtt; charset=utf-8"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"] == 'inline; filename="piste.fr.vtt"'
    body = response.get_data(as_text=True)
    assert body.startswith("WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.500\nBonjour à tous")
    assert client.get("/talks/piste/transcripts/fr.vtt",
                      headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


def test_the_srt_download_is_an_attachment(db, client, make_talk, add_transcript):
    talk = make_talk(slug="srt")
    add_transcript(talk, VTT_EN, "en", "en.vtt")
    response = client.get("/talks/srt/transcripts/en.srt")
    assert response.status_code == 200 and response.mimetype == "application/x-subrip"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "3\n00:12:34,000 --> 00:12:39,000\nWe built a cardboard xylophone." in response.get_data(as_text=True)


def test_no_download_for_a_draft_an_unknown_language_or_format(db, client, make_talk, add_transcript):
    draft = make_talk(slug="brouillon", status=Status.DRAFT)
    add_transcript(draft, SRT_FR)
    public = make_talk(slug="publique")
    add_transcript(public, SRT_FR)
    for url in ("/talks/brouillon/transcripts/fr.vtt", "/talks/publique/transcripts/en.vtt",
                "/talks/publique/transcripts/fr.txt", "/talks/inconnue/transcripts/fr.vtt"):
        assert client.get(url).status_code == 404, url


def test_the_workspace_talk_page_has_the_section(db, manage_client, make_talk, add_transcript):
    client, _user = manage_client("organiser")
    talk = make_talk(slug="atelier")
    add_transcript(talk, SRT_FR)
    page = client.get(f"/manage/talks/{talk.id}/edit").get_data(as_text=True)
    assert f'action="/manage/talks/{talk.id}/transcripts"' in page
    assert f'action="/manage/talks/{talk.id}/transcripts/fr/delete"' in page
    assert 'href="#transcripts"' in page and "4 cues" in page
    assert client.get(f"/manage/talks/{talk.id}/transcripts").headers["Location"].endswith(
        f"/manage/talks/{talk.id}/edit#transcripts")
