"""Reading uploaded transcripts: real SRT and WebVTT files, and hostile ones."""
import pytest

from tests.transcripts.samples import SRT_FR, VTT_EN
from webapp.transcripts.validation import Cue, TranscriptError, parse_transcript, read_limited, write_srt, write_vtt


def test_an_srt_file_is_read_with_its_accents_and_without_its_tags():
    cues = parse_transcript(SRT_FR.encode("utf-8"), max_cues=100)
    assert cues == [
        Cue(1000, 4500, "Bonjour à tous, et merci d'être venus."),
        Cue(5000, 9000, "Aujourd'hui : la médiathèque et son fablab."),
        Cue(754200, 759000, "Nous avons fabriqué un xylophone en carton."),
        Cue(3723000, 3725000, "Œuvre collective, à refaire !"),
    ]


def test_a_webvtt_file_keeps_its_cues_as_plain_text():
    cues = parse_transcript(VTT_EN.encode("utf-8"), max_cues=100)
    assert [cue.text for cue in cues] == ["Hello everyone & welcome.", "The media library <and> its fablab.",
                                          "We built a cardboard xylophone."]
    assert cues[2].seconds == 754


def test_the_windows_1252_a_french_editor_saves_is_read_too():
    data = "1\n00:00:01,000 --> 00:00:02,000\nDéjà l'été, ça !\n".encode("cp1252")
    assert parse_transcript(data, 10)[0].text == "Déjà l'été, ça !"


def test_a_byte_order_mark_and_windows_line_ends_are_accepted():
    data = "\ufeff" + SRT_FR.replace("\n", "\r\n")
    assert len(parse_transcript(data.encode("utf-8"), 10)) == 4


def test_the_archive_writes_its_own_webvtt_and_srt_from_the_cues():
    cues = parse_transcript(VTT_EN.encode("utf-8"), 100)
    vtt = write_vtt(cues)
    assert vtt.startswith("WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\nHello everyone &amp; welcome.\n")
    assert "The media library &lt;and&gt; its fablab." in vtt
    assert parse_transcript(vtt.encode(), 100) == cues  # what it serves reads back the same
    srt = write_srt(cues)
    assert "3\n00:12:34,000 --> 00:12:39,000\nWe built a cardboard xylophone.\n" in srt
    assert parse_transcript(srt.encode(), 100)[0].text == "Hello everyone & welcome."


def test_a_cue_holding_an_arrow_is_written_without_breaking_the_file():
    vtt = write_vtt([Cue(0, 1000, "avant --> après")])
    assert parse_transcript(vtt.encode(), 10) == [Cue(0, 1000, "avant → après")]


HOSTILE = {
    "empty": b"   \n\n",
    "not_text": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    "not_subtitles": "Une transcription sans minutage, à la main.".encode(),
    "no_cues": b"WEBVTT\n\nNOTE nothing but a note\n",
    "malformed": b"WEBVTT\n\n00:xx.000 --> 00:02.000\nbroken time\n",
    "out_of_order": b"1\n00:00:05,000 --> 00:00:06,000\nb\n\n2\n00:00:01,000 --> 00:00:02,000\na\n",
    "overlap": b"WEBVTT\n\n00:01.000 --> 00:09.000\na\n\n00:02.000 --> 00:03.000\nb\n",
    "bad_timing": b"WEBVTT\n\n00:09.000 --> 00:01.000\nends before it starts\n",
}


@pytest.mark.parametrize("code", sorted(HOSTILE))
def test_hostile_files_are_refused_with_a_reason(code):
    with pytest.raises(TranscriptError) as refused:
        parse_transcript(HOSTILE[code], max_cues=100)
    assert (refused.value.status, refused.value.code) == (422, code)
    assert str(refused.value)


def test_a_small_overlap_is_tolerated():
    data = b"WEBVTT\n\n00:01.000 --> 00:03.500\na\n\n00:03.000 --> 00:04.000\nb\n"
    assert len(parse_transcript(data, 10)) == 2


def test_too_many_cues_are_refused():
    data = "".join(f"{n}\n00:00:{n:02d},000 --> 00:00:{n:02d},500\nmot {n}\n\n" for n in range(1, 12)).encode()
    with pytest.raises(TranscriptError) as refused:
        parse_transcript(data, max_cues=10)
    assert (refused.value.status, refused.value.code) == (422, "too_many_cues")


def test_reading_stops_as_soon_as_the_limit_is_passed():
    class Endless:
        read_bytes = 0

        def read(self, size):
            self.read_bytes += size
            return b"x" * size

    stream = Endless()
    with pytest.raises(TranscriptError) as refused:
        read_limited(stream, 200_000)
    assert refused.value.status == 413
    assert stream.read_bytes < 400_000
