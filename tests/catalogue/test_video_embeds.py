"""Recognising talk videos (webapp/catalogue/video_embeds.py): the players the talk page may load,
and the addresses that stay plain links."""
import pytest

from webapp.catalogue.video_embeds import player_url, video_embed

UUID = "9c9de5e8-0a1e-484a-b099-e80766180a6d"
SHORT = "kkGMgK9ZtnKfYAgnEtQxbv"

RECOGNISED = [
    # PeerTube, any instance: /w/<short id>, /videos/watch/<uuid>, /videos/embed/<uuid>
    (f"https://framatube.org/w/{SHORT}", "peertube", "framatube.org",
     f"https://framatube.org/videos/embed/{SHORT}?p2p=0", ("https://framatube.org",)),
    (f"https://framatube.org/videos/watch/{UUID}", "peertube", "framatube.org",
     f"https://framatube.org/videos/embed/{UUID}?p2p=0", ("https://framatube.org",)),
    (f"https://peertube.education/videos/embed/{UUID}", "peertube", "peertube.education",
     f"https://peertube.education/videos/embed/{UUID}?p2p=0", ("https://peertube.education",)),
    (f"https://Video.Ploud.FR/w/{SHORT}/", "peertube", "video.ploud.fr",
     f"https://video.ploud.fr/videos/embed/{SHORT}?p2p=0", ("https://video.ploud.fr",)),
    (f"https://tube.example.org:443/w/{UUID}?start=1m5s", "peertube", "tube.example.org",
     f"https://tube.example.org/videos/embed/{UUID}?p2p=0", ("https://tube.example.org",)),
    # YouTube, always through youtube-nocookie.com
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "youtube", "youtube.com",
     "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", ("https://www.youtube-nocookie.com",)),
    ("http://youtube.com/watch?feature=share&v=dQw4w9WgXcQ&list=PL123", "youtube", "youtube.com",
     "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", ("https://www.youtube-nocookie.com",)),
    ("https://m.youtube.com/watch?v=a-B_c1d2E3f", "youtube", "youtube.com",
     "https://www.youtube-nocookie.com/embed/a-B_c1d2E3f", ("https://www.youtube-nocookie.com",)),
    ("https://youtu.be/dQw4w9WgXcQ?si=abcdef", "youtube", "youtube.com",
     "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", ("https://www.youtube-nocookie.com",)),
    ("https://www.youtube.com/embed/dQw4w9WgXcQ", "youtube", "youtube.com",
     "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", ("https://www.youtube-nocookie.com",)),
    ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "youtube", "youtube.com",
     "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", ("https://www.youtube-nocookie.com",)),
    ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "youtube", "youtube.com",
     "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", ("https://www.youtube-nocookie.com",)),
    ("https://www.youtube.com/live/dQw4w9WgXcQ?feature=shared", "youtube", "youtube.com",
     "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", ("https://www.youtube-nocookie.com",)),
    # Vimeo, with dnt=1 (and the hash of an unlisted video)
    ("https://vimeo.com/76979871", "vimeo", "vimeo.com",
     "https://player.vimeo.com/video/76979871?dnt=1", ("https://player.vimeo.com",)),
    ("https://vimeo.com/76979871/8272103f6e", "vimeo", "vimeo.com",
     "https://player.vimeo.com/video/76979871?dnt=1&h=8272103f6e", ("https://player.vimeo.com",)),
    ("https://vimeo.com/channels/staffpicks/76979871", "vimeo", "vimeo.com",
     "https://player.vimeo.com/video/76979871?dnt=1", ("https://player.vimeo.com",)),
    ("https://vimeo.com/groups/shortfilms/videos/76979871", "vimeo", "vimeo.com",
     "https://player.vimeo.com/video/76979871?dnt=1", ("https://player.vimeo.com",)),
    ("https://player.vimeo.com/video/76979871?h=8272103f6e&autoplay=1", "vimeo", "vimeo.com",
     "https://player.vimeo.com/video/76979871?dnt=1&h=8272103f6e", ("https://player.vimeo.com",)),
    # Dailymotion
    ("https://www.dailymotion.com/video/x8abc12", "dailymotion", "dailymotion.com",
     "https://www.dailymotion.com/embed/video/x8abc12",
     ("https://www.dailymotion.com", "https://geo.dailymotion.com")),
    ("https://www.dailymotion.com/video/x2jvvep_conference-mediation-numerique_news", "dailymotion",
     "dailymotion.com", "https://www.dailymotion.com/embed/video/x2jvvep",
     ("https://www.dailymotion.com", "https://geo.dailymotion.com")),
    ("https://dai.ly/x8abc12", "dailymotion", "dailymotion.com", "https://www.dailymotion.com/embed/video/x8abc12",
     ("https://www.dailymotion.com", "https://geo.dailymotion.com")),
    ("https://www.dailymotion.com/embed/video/x8abc12", "dailymotion", "dailymotion.com",
     "https://www.dailymotion.com/embed/video/x8abc12",
     ("https://www.dailymotion.com", "https://geo.dailymotion.com")),
    # Canal-U, where the address carries the video's number
    ("https://www.canal-u.tv/132756", "canal-u", "canal-u.tv", "https://www.canal-u.tv/embed/132756",
     ("https://www.canal-u.tv",)),
    ("https://www.canal-u.tv/embed/174500", "canal-u", "canal-u.tv", "https://www.canal-u.tv/embed/174500",
     ("https://www.canal-u.tv",)),
]


@pytest.mark.parametrize(("url", "provider", "site", "embed_url", "frame_sources"), RECOGNISED)
def test_a_known_video_address_gets_its_provider_player(url, provider, site, embed_url, frame_sources):
    embed = video_embed(url)
    assert embed is not None, url
    assert (embed.provider, embed.site, embed.embed_url, embed.frame_sources) == (
        provider, site, embed_url, frame_sources)


LINKS_ONLY = [
    None, "", "   ", "not a url", "/talks/relative",
    # other schemes, hidden schemes
    "javascript:alert(1)", "JavaScript:alert(document.domain)//https://youtu.be/dQw4w9WgXcQ",
    "data:text/html,<script>alert(1)</script>", "data:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox(1)", "file:///etc/passwd", "ftp://youtube.com/watch?v=dQw4w9WgXcQ",
    "//www.youtube.com/watch?v=dQw4w9WgXcQ", " https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ\n", "https://www.you\ttube.com/watch?v=dQw4w9WgXcQ",
    # credentials, odd ports
    "https://user:pass@www.youtube.com/watch?v=dQw4w9WgXcQ", "https://evil.org@www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com@evil.org/watch?v=dQw4w9WgXcQ", "https://www.youtube.com\\@evil.org/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ", "https://vimeo.com:80/76979871",
    f"https://framatube.org:8080/w/{SHORT}", "https://www.youtube.com:99999/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com:abc/watch?v=dQw4w9WgXcQ",
    # look-alike hosts
    "https://youtube.com.evil.org/watch?v=dQw4w9WgXcQ", "https://www.youtube.com.evil.org/embed/dQw4w9WgXcQ",
    "https://evilyoutube.com/watch?v=dQw4w9WgXcQ", "https://youtu.be.evil.org/dQw4w9WgXcQ",
    "https://www.youtube.com./watch?v=dQw4w9WgXcQ", "https://vimeo.com.evil.org/76979871",
    "https://www.dailymotion.com.evil.org/video/x8abc12", "https://dai.ly.evil.org/x8abc12",
    "https://www.canal-u.tv.evil.org/132756", "https://www.yοutube.com/watch?v=dQw4w9WgXcQ",  # Greek omicron
    "https://xn--yutube-wqf.com/watch?v=dQw4w9WgXcQ",
    # not a video, or an id of the wrong shape
    "https://www.youtube.com/", "https://www.youtube.com/watch?v=short", "https://www.youtube.com/watch",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ%22onload%3D", "https://www.youtube.com/channel/UCabcdefghij",
    "https://www.youtube.com/embed/dQw4w9WgXcQ/../../evil", "https://youtu.be/dQw4w9WgXcQ/extra",
    "https://vimeo.com/", "https://vimeo.com/staff", "https://player.vimeo.com/76979871",
    "https://www.dailymotion.com/user/someone", "https://www.dailymotion.com/video/",
    "https://www.canal-u.tv/chaines/cnum/le-numerique-et-l-ecole",
    "https://www.canal-u.tv/video/ecole_normale_superieure_de_lyon/gouvernement.3118",
    # PeerTube-shaped paths, but not over https, on an address, or with a hostile id
    f"http://framatube.org/w/{SHORT}", f"https://127.0.0.1/w/{SHORT}", f"https://localhost/w/{SHORT}",
    f"https://[::1]/w/{SHORT}", "https://framatube.org/w/p/kkGMgK9ZtnKfYAgnEtQxbv",
    "https://framatube.org/w/..%2F..%2Fadmin", "https://framatube.org/w/0OIl0OIl0OIl0OIl0OIl0O",
    f"https://framatube.org/videos/watch/{UUID}/../../../evil", f"https://youtube.com/w/{SHORT}",
    "https://example.org/video.mp4", "https://example.org/" + "a" * 600,
]


@pytest.mark.parametrize("url", LINKS_ONLY)
def test_any_other_address_stays_a_link(url):
    assert video_embed(url) is None


def test_the_player_starts_where_it_is_asked_to():
    peertube = video_embed(f"https://framatube.org/w/{SHORT}")
    youtube = video_embed("https://youtu.be/dQw4w9WgXcQ")
    vimeo = video_embed("https://vimeo.com/76979871/8272103f6e")
    dailymotion = video_embed("https://dai.ly/x8abc12")
    canal_u = video_embed("https://www.canal-u.tv/132756")
    assert player_url(peertube, 754) == f"https://framatube.org/videos/embed/{SHORT}?p2p=0&start=754"
    assert player_url(youtube, 90) == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=90"
    assert player_url(vimeo, 90) == "https://player.vimeo.com/video/76979871?dnt=1&h=8272103f6e#t=90s"
    assert player_url(dailymotion, 90) == "https://www.dailymotion.com/embed/video/x8abc12?start=90"
    assert player_url(canal_u, 90) == "https://www.canal-u.tv/embed/132756"  # Canal-U takes no offset
    assert player_url(youtube, 0) == player_url(youtube, -5) == youtube.embed_url


@pytest.mark.parametrize(("url", "seconds"), [
    ("https://youtu.be/dQw4w9WgXcQ?t=90", 90),
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1m30s", 90),
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1h2m3s", 3723),
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&start=42", 42),
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=soon", 0),
    (f"https://framatube.org/w/{SHORT}?start=2m", 120),
    ("https://vimeo.com/76979871#t=75s", 75),
    ("https://www.dailymotion.com/video/x8abc12?start=30", 30),
])
def test_the_offset_an_address_asks_for_is_kept(url, seconds):
    assert video_embed(url).start_seconds == seconds
