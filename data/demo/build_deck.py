"""Builds causeries-demo.pdf, the slide deck of the demo talk about Causeries itself.

`flask demo load` ships this PDF as the deck of its demonstration talk, so that `make run` shows
the slide viewer and the search inside slides. The PDF is written by the project, from the text
below, with reportlab (a test dependency: the archive itself never writes PDFs). Its output is
invariant (no dates, no random ids), so building it again gives the same bytes:
tests/importing/test_demo_talk.py checks that the shipped file is this script's output.

    .venv/bin/python data/demo/build_deck.py   # rewrites data/demo/causeries-demo.pdf
"""
import sys
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas

DECK_PATH = Path(__file__).with_name("causeries-demo.pdf")
PAGE_SIZE = (960, 540)  # points, 16:9
PAPER, INK, INK_SOFT, ACCENT = (HexColor(colour) for colour in ("#fbf8f2", "#1f2430", "#4a5160", "#8a2f2a"))
TITLE = "Publier une journée d'études avec Causeries"

# (heading, lines): the first slide is the title slide.
SLIDES = (
    (TITLE, ("Intervention de démonstration, écrite pour l'archive", "L'équipe Causeries")),
    ("1. Créer l'événement", (
        "Un brouillon : titre, dates, lieu, organisation d'accueil",
        "Des mots-dièses pour le retrouver, comme #mednumsavoirs",
        "Rien n'est public avant la publication",
    )),
    ("2. Remplir le programme", (
        "Saisir les interventions une à une, dans l'ordre de la journée",
        "Ou importer un programme frab ou pretalx, ou un tableur CSV ou XLSX",
        "Les intervenant·es sont retrouvé·es par leur nom et leurs graphies",
    )),
    ("3. Déposer les diaporamas", (
        "PDF, PowerPoint ou OpenDocument, vérifiés par leur contenu",
        "Chaque diapositive devient une image et un texte",
        "Le texte des diapositives est cherché comme le reste de l'archive",
    )),
    ("4. Vidéo et transcription", (
        "Lecteur PeerTube, YouTube, Vimeo, Dailymotion ou Canal-U, chargé au clic",
        "Aucune requête vers un tiers avant ce clic",
        "Transcription WebVTT ou SRT, lue réplique par réplique et cherchée",
    )),
    ("5. Publier et partager", (
        "Pages en français et en anglais, accessibles au clavier",
        "Flux Atom, plan du site et OAI-PMH pour les catalogues des bibliothèques",
        "Export complet de l'archive, à tout moment",
    )),
    ("Merci !", (
        "Cette intervention est un exemple livré avec Causeries.",
        "La vidéo liée est une vidéo d'exemple : la présentation de PeerTube par Framasoft.",
    )),
)


def draw_slide(canvas: Canvas, number: int, heading: str, lines: tuple[str, ...]) -> None:
    width, height = PAGE_SIZE
    canvas.setFillColor(PAPER)
    canvas.rect(0, 0, width, height, stroke=0, fill=1)
    canvas.setFillColor(ACCENT)
    canvas.rect(0, height - 18, width, 18, stroke=0, fill=1)
    is_title = number == 1
    canvas.setFillColor(INK)
    canvas.setFont("Helvetica-Bold", 40 if is_title else 34)
    canvas.drawString(64, height - (220 if is_title else 110), heading)
    canvas.setFont("Helvetica", 24)
    y = height - (290 if is_title else 190)
    for line in lines:
        canvas.setFillColor(INK_SOFT if is_title else INK)
        canvas.drawString(64 if is_title else 88, y, line)
        if not is_title:
            canvas.setFillColor(ACCENT)
            canvas.circle(70, y + 8, 5, stroke=0, fill=1)
        y -= 56
    canvas.setFillColor(INK_SOFT)
    canvas.setFont("Helvetica", 14)
    canvas.drawRightString(width - 40, 28, f"Causeries · {number} / {len(SLIDES)}")


def build_deck(path: Path = DECK_PATH) -> Path:
    canvas = Canvas(str(path), pagesize=PAGE_SIZE, invariant=1, pageCompression=1)
    canvas.setTitle(TITLE)
    canvas.setAuthor("Causeries")
    canvas.setSubject("Intervention de démonstration")
    for number, (heading, lines) in enumerate(SLIDES, start=1):
        draw_slide(canvas, number, heading, lines)
        canvas.showPage()
    canvas.save()
    return path


if __name__ == "__main__":
    print(build_deck(Path(sys.argv[1]) if len(sys.argv) > 1 else DECK_PATH))
