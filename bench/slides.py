"""Slide processing benchmark: upload validation and sandboxed processing of a large PDF deck.

Prints figures, asserts nothing. BENCH_SLIDE_PAGES (default 200) sets the deck's size.
Target: a 200-page deck processed well within SLIDES_PROCESS_TIMEOUT (300 s), and the upload
request itself (validation included) under 2 s, since processing happens in the background.
"""
import io
import os
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from webapp import create_app
from webapp.extensions import db
from webapp.models import Event, SlideDeck, Status, Talk
from webapp.slides.operations import attach_slides, process_pending_decks

PAGES = int(os.environ.get("BENCH_SLIDE_PAGES", "200"))


def make_deck(pages: int) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=landscape(A4))
    for number in range(1, pages + 1):
        pdf.setFont("Helvetica-Bold", 36)
        pdf.drawString(60, 480, f"Diapositive {number} : retours d'expérience")
        pdf.setFont("Helvetica", 18)
        for line in range(12):
            pdf.drawString(60, 420 - 28 * line, f"Point {line + 1} de la médiation numérique")
        pdf.rect(500, 60, 260, 180, fill=1)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bench-slides-"))
    app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite'}",
                      "UPLOAD_DIR": str(workdir / "uploads"), "TESTING": True,
                      "SEARCH_INDEX_DIR": str(workdir / "index")})
    data = make_deck(PAGES)
    with app.app_context(), app.test_request_context():
        db.create_all()
        event = Event(slug="bench", title="Bench", status=Status.PUBLISHED, start_date=date(2016, 10, 5))
        talk = Talk(slug="bench-talk", title="Bench", event=event, status=Status.PUBLISHED)
        db.session.add(talk)
        db.session.commit()
        started = time.perf_counter()
        deck = attach_slides(talk, io.BytesIO(data), "bench.pdf")
        db.session.commit()
        uploaded = time.perf_counter()
        process_pending_decks()
        finished = time.perf_counter()
        deck = db.session.get(SlideDeck, deck.id)
        print(f"deck: {PAGES} pages, {len(data) / 1e6:.1f} MB, status {deck.status}")
        print(f"upload + validation: {uploaded - started:.2f} s")
        print(f"processing: {finished - uploaded:.1f} s ({(finished - uploaded) / PAGES * 1000:.0f} ms/page)")


if __name__ == "__main__":
    main()
