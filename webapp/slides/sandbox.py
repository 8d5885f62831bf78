"""Parse an untrusted slide file in a separate, limited process.

Run as a script (`python -I sandbox.py LIMITS COMMAND ...`), never imported by the web app: it
lowers its own CPU-time and address-space limits before importing any parser, then prints one
JSON object on stdout (LIMITS is "CPU_SECONDS,MEMORY_BYTES"). Commands:

  inspect PDF                      -> {"pages": n} or {"error": "encrypted"|"corrupt", "message"}
  render PDF OUTDIR MAXPAGES       -> writes OUTDIR/manifest.json: text and images of each page
                                      (and OUTDIR/page-N.json as each page is done)
  text-pptx FILE OUTDIR MAXPAGES   -> manifest with the text of each slide (no images)
  text-odp FILE OUTDIR MAXPAGES    -> idem for OpenDocument presentations
  exec PROGRAM ARGUMENT...         -> no JSON: becomes PROGRAM (LibreOffice), under the same limits,
                                      which it and every process it starts inherit

Only the standard library, pypdfium2, Pillow, python-pptx and odfpy are imported here.
"""
import json
import os
import resource
import sys
from pathlib import Path

THUMB_WIDTH = 320
LARGE_WIDTH = 1600
MAX_IMAGE_PIXELS = 1600 * 2400  # a very tall page is rendered narrower


def limit_resources(cpu_seconds: int, memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def fail(kind: str, message: str) -> None:
    print(json.dumps({"error": kind, "message": message}))
    sys.exit(0)


def open_pdf(path: str):
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            fail("encrypted", "The PDF is protected by a password.")
        fail("corrupt", "The PDF is damaged or incomplete.")
    if len(document) < 1:
        fail("corrupt", "The PDF has no pages.")
    return document


def inspect(path: str) -> dict:
    document = open_pdf(path)
    return {"pages": len(document)}


def page_text(page) -> str:
    textpage = page.get_textpage()
    try:
        return textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n").strip()
    finally:
        textpage.close()


def render_image(page, width: int, target: Path) -> tuple[int, int]:
    page_width, page_height = page.get_size()
    scale = width / max(page_width, 1.0)
    pixels = page_width * page_height * scale * scale
    if pixels > MAX_IMAGE_PIXELS:
        scale *= (MAX_IMAGE_PIXELS / pixels) ** 0.5
    image = page.render(scale=scale).to_pil()
    image.save(target, format="WEBP", quality=82, method=2)  # method 2: fast, as small as 4
    return image.size


def announce_page(out: Path, page: dict) -> None:
    """page-N.json appears (atomically) once page N's images are written: progress."""
    partial = out / f"page-{page['number']}.json.part"
    partial.write_text(json.dumps(page), encoding="utf-8")
    partial.rename(out / f"page-{page['number']}.json")


def render_page(page, number: int, out: Path) -> dict:
    render_image(page, THUMB_WIDTH, out / f"{number}-thumb.webp")
    width, height = render_image(page, LARGE_WIDTH, out / f"{number}-large.webp")
    return {"number": number, "text": page_text(page), "thumb": f"{number}-thumb.webp",
            "large": f"{number}-large.webp", "width": width, "height": height}


def render(path: str, outdir: str, max_pages: int) -> dict:
    document = open_pdf(path)
    if len(document) > max_pages:
        fail("too_many_pages", f"The deck has {len(document)} pages; the limit is {max_pages}.")
    pages, out = [], Path(outdir)
    for index in range(len(document)):
        page = document[index]
        pages.append(render_page(page, index + 1, out))
        page.close()
        announce_page(out, pages[-1])
    return {"pages": pages}


def pptx_texts(path: str) -> list[str]:
    from pptx import Presentation

    texts = []
    for slide in Presentation(path).slides:
        parts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        texts.append("\n".join(part.strip() for part in parts if part.strip()))
    return texts


def odp_texts(path: str) -> list[str]:
    from odf import teletype
    from odf.draw import Page
    from odf.opendocument import load
    from odf.text import P

    texts = []
    for page in load(path).getElementsByType(Page):
        lines = [teletype.extractText(p).strip() for p in page.getElementsByType(P)]
        texts.append("\n".join(line for line in lines if line))
    return texts


def text_only(texts: list[str], max_pages: int) -> dict:
    if not texts:
        fail("corrupt", "The presentation has no slides.")
    if len(texts) > max_pages:
        fail("too_many_pages", f"The deck has {len(texts)} slides; the limit is {max_pages}.")
    return {"pages": [{"number": i + 1, "text": text} for i, text in enumerate(texts)]}


def run(command: str, arguments: list[str]) -> dict:
    if command == "inspect":
        return inspect(arguments[0])
    path, outdir, max_pages = arguments[0], arguments[1], int(arguments[2])
    if command == "render":
        result = render(path, outdir, max_pages)
    elif command == "text-pptx":
        result = text_only(pptx_texts(path), max_pages)
    elif command == "text-odp":
        result = text_only(odp_texts(path), max_pages)
    else:
        fail("usage", f"unknown command {command}")
    (Path(outdir) / "manifest.json").write_text(json.dumps(result), encoding="utf-8")
    return {"pages": len(result["pages"])}


def main() -> None:
    cpu_seconds, memory_bytes = (int(value) for value in sys.argv[1].split(","))
    limit_resources(cpu_seconds, memory_bytes)
    if sys.argv[2] == "exec":  # the limits hold across exec: no preexec_fn in the web app
        os.execv(sys.argv[3], sys.argv[3:])
    try:
        result = run(sys.argv[2], sys.argv[3:])
    except (MemoryError, ImportError):  # an import fails first when memory runs out
        fail("limits", "Processing the file needed more memory than allowed.")
    except Exception as error:  # any parser failure on a hostile file is a corrupt file
        fail("corrupt", f"The file could not be read ({type(error).__name__}).")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
