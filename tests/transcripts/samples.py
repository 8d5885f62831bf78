"""Real SRT and WebVTT files written for the tests, with French accents, and how to read a form's token."""
import re

SRT_FR = """1
00:00:01,000 --> 00:00:04,500
Bonjour à tous, et merci d'être venus.

2
00:00:05,000 --> 00:00:09,000
<i>Aujourd'hui</i> : la médiathèque
et son fablab.

3
00:12:34,200 --> 00:12:39,000
Nous avons fabriqué un xylophone en carton.

4
01:02:03,000 --> 01:02:05,000
Œuvre collective, à refaire !
"""

VTT_EN = """WEBVTT - English subtitles

NOTE written by hand for the tests

STYLE
::cue(.loud) { color: yellow }

intro
00:00:01.000 --> 00:00:04.000 align:start line:0
<v Anne>Hello everyone &amp; welcome.</v>

00:00:05.000 --> 00:00:09.000
The <c.loud>media library</c> &lt;and&gt; its fablab.

00:12:34.000 --> 00:12:39.000
We built a cardboard xylophone.
"""

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def token_of(page: str) -> str:
    return TOKEN.search(page).group(1)
