"""A talk's share card (its og:image): a 1200×630 PNG drawn with Pillow in the site's colours.

card_layout() decides what is drawn, line by line (the title wrapped and ellipsised, speakers, event
and main tag each on one line): the tests read it, since they cannot read the image. draw_card()
draws a layout; draw_slide_card() fits a talk's first slide on a card instead. The fonts are
shipped in static/fonts (DejaVu, Bitstream Vera licence): Pillow's own default font has no accented
letters, and a system font may be missing, or differ from one machine to the next.
"""
import io
import json
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from hashlib import sha256
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
TEXT_WIDTH = WIDTH - 2 * MARGIN
BAND_HEIGHT, RULE_HEIGHT = 96, 8
TITLE_TOP = 150
# (font size, most lines): the largest size whose lines hold the whole title; else the last one, ellipsised.
TITLE_SIZES = ((64, 3), (56, 3), (48, 4))
LINE_HEIGHT = 1.22
SITE_SIZE, SPEAKER_SIZE, EVENT_SIZE, TAG_SIZE = 40, 34, 30, 30
TAG_PADDING, TAG_GAP = 16, 28
ELLIPSIS = "…"
# The site's colours (static/css/site.css).
PAPER, INK, INK_SOFT, ACCENT, ACCENT_DARK, TAG_BG, BAND_TEXT = (
    "#fbf8f2", "#1f2430", "#4a5160", "#8a2f2a", "#6b211d", "#efe4d2", "#ffffff")
FONTS = Path(__file__).resolve().parent.parent / "static" / "fonts"
SERIF_BOLD, SANS = "DejaVuSerif-Bold.ttf", "DejaVuSans.ttf"
# Part of every card's key: change it when the drawing changes, so that every card is drawn again.
CARD_DESIGN = "2"


@dataclass(frozen=True)
class CardContent:
    """Everything a card shows."""

    site_name: str
    title: str
    speakers: tuple[str, ...] = ()
    event: str | None = None  # "Event title · 2016"
    tag: str | None = None  # "#mednumsavoirs"


@dataclass(frozen=True)
class CardLayout:
    site_name: str
    title_size: int
    title_lines: tuple[str, ...]
    speakers: str | None
    event: str | None
    tag: str | None


NO_BREAK_SPACE = "\u00a0"
SPACES = re.compile(r"[^\S\u00a0]+")  # any run of white space but the no-break space
# French puts a space before : ; ? ! » and after «; a line never starts or ends on that space.
BEFORE_PUNCTUATION, AFTER_QUOTE = re.compile(r" (?=[:;?!»])"), re.compile(r"(?<=«) ")


def words(text: str) -> list[str]:
    """The words of a text, French punctuation kept with its word (by a no-break space)."""
    text = SPACES.sub(" ", text).strip()
    return AFTER_QUOTE.sub(NO_BREAK_SPACE, BEFORE_PUNCTUATION.sub(NO_BREAK_SPACE, text)).split(" ")


@lru_cache(maxsize=32)
def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / name), size)


def ellipsize(text: str, face: ImageFont.FreeTypeFont, width: float) -> str:
    """text, or as much of it as fits in width followed by an ellipsis (at a word when possible)."""
    kept_words = words(text)
    text = " ".join(kept_words)
    if face.getlength(text) <= width:
        return text
    while len(kept_words) > 1 and face.getlength(" ".join(kept_words) + ELLIPSIS) > width:
        kept_words.pop()
    kept = " ".join(kept_words)
    while kept and face.getlength(kept + ELLIPSIS) > width:
        kept = kept[:-1]
    return kept.rstrip(" ,;:—-" + NO_BREAK_SPACE) + ELLIPSIS


def _split_word(word: str, face, width: float) -> list[str]:
    """A word wider than the line, in pieces that fit."""
    pieces, piece = [], ""
    for character in word:
        if piece and face.getlength(piece + character) > width:
            pieces.append(piece)
            piece = ""
        piece += character
    return pieces + [piece]


def wrap(text: str, face: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Greedy wrapping at spaces; a word wider than a line is broken."""
    lines, line = [], ""
    for word in words(text):
        if not word:
            continue
        candidate = f"{line} {word}" if line else word
        if face.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        *whole, line = _split_word(word, face, width)
        lines.extend(whole)
    return lines + [line] if line else lines


def title_lines(title: str) -> tuple[int, tuple[str, ...]]:
    """(font size, lines) of the title: the largest size that holds it whole; else the smallest,
    its last line ellipsised."""
    for size, most in TITLE_SIZES:
        lines = wrap(title, font(SERIF_BOLD, size), TEXT_WIDTH)
        if len(lines) <= most:
            return size, tuple(lines)
    face = font(SERIF_BOLD, size)
    last = ellipsize(" ".join(lines[most - 1:]), face, TEXT_WIDTH)  # they do not fit on one line
    return size, tuple(lines[:most - 1]) + (last,)


def _tag_width(tag: str | None) -> float:
    return font(SANS, TAG_SIZE).getlength(tag) + 2 * TAG_PADDING if tag else 0


def card_layout(content: CardContent) -> CardLayout:
    """What the card draws, line by line."""
    size, lines = title_lines(content.title)
    tag = ellipsize(content.tag, font(SANS, TAG_SIZE), TEXT_WIDTH / 2 - 2 * TAG_PADDING) if content.tag else None
    event_width = TEXT_WIDTH - (_tag_width(tag) + TAG_GAP if tag else 0)
    speakers = ", ".join(content.speakers)
    return CardLayout(
        site_name=ellipsize(content.site_name, font(SERIF_BOLD, SITE_SIZE), TEXT_WIDTH),
        title_size=size, title_lines=lines,
        speakers=ellipsize(speakers, font(SANS, SPEAKER_SIZE), TEXT_WIDTH) if speakers else None,
        event=ellipsize(content.event, font(SANS, EVENT_SIZE), event_width) if content.event else None,
        tag=tag,
    )


def content_digest(content: CardContent, slide_key: str | None = None) -> str:
    """The key of a card: everything it draws, and the design it is drawn with."""
    drawn = {"design": CARD_DESIGN, "fonts": [SERIF_BOLD, SANS], "slide": slide_key, **asdict(content)}
    return sha256(json.dumps(drawn, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:20]


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _draw_bottom_line(draw: ImageDraw.ImageDraw, layout: CardLayout) -> None:
    baseline = HEIGHT - MARGIN
    if layout.event:
        draw.text((MARGIN, baseline), layout.event, font=font(SANS, EVENT_SIZE), fill=INK, anchor="ls")
    if layout.tag:
        face = font(SANS, TAG_SIZE)
        left = WIDTH - MARGIN - _tag_width(layout.tag)
        _, top, _, bottom = face.getbbox("#Hg", anchor="ls")  # from the capitals' top to the descenders
        pill = (left, baseline + top - TAG_PADDING * 0.75, WIDTH - MARGIN, baseline + bottom + TAG_PADDING * 0.75)
        draw.rounded_rectangle(pill, radius=8, fill=TAG_BG)
        draw.text((left + TAG_PADDING, baseline), layout.tag, font=face, fill=ACCENT_DARK, anchor="ls")


def draw_card(layout: CardLayout) -> bytes:
    """The PNG of a layout: the site's band, the title, the speakers, then event and tag."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, BAND_HEIGHT), fill=INK)
    draw.rectangle((0, BAND_HEIGHT, WIDTH, BAND_HEIGHT + RULE_HEIGHT), fill=ACCENT)
    draw.text((MARGIN, BAND_HEIGHT / 2), layout.site_name, font=font(SERIF_BOLD, SITE_SIZE), fill=BAND_TEXT,
              anchor="lm")
    step, y = round(layout.title_size * LINE_HEIGHT), TITLE_TOP
    for line in layout.title_lines:
        draw.text((MARGIN, y), line, font=font(SERIF_BOLD, layout.title_size), fill=INK, anchor="la")
        y += step
    if layout.speakers:
        draw.text((MARGIN, y + 24), layout.speakers, font=font(SANS, SPEAKER_SIZE), fill=INK_SOFT, anchor="la")
    _draw_bottom_line(draw, layout)
    return _png(image)


def draw_slide_card(slide: Image.Image) -> bytes:
    """The PNG of a card showing a slide whole, centred on the site's ink."""
    image = Image.new("RGB", (WIDTH, HEIGHT), INK)
    slide = slide.convert("RGB")
    slide.thumbnail((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
    if slide.width < WIDTH and slide.height < HEIGHT:  # a small slide image: enlarged to fit
        scale = min(WIDTH / slide.width, HEIGHT / slide.height)
        slide = slide.resize((round(slide.width * scale), round(slide.height * scale)), Image.Resampling.LANCZOS)
    image.paste(slide, ((WIDTH - slide.width) // 2, (HEIGHT - slide.height) // 2))
    return _png(image)
