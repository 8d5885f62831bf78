"""Run the parsers of webapp/slides/sandbox.py in a child process with time and memory limits.

The child lowers its own RLIMIT_CPU and RLIMIT_AS before importing any parser (no preexec_fn:
that is unsafe in a threaded web worker); the parent adds a wall-clock timeout and kills it.
PPTX and ODP are converted to PDF by LibreOffice when `soffice` or `libreoffice` is on PATH,
otherwise only their text is extracted.
"""
import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

SANDBOX_SCRIPT = Path(__file__).with_name("sandbox.py")
INSPECT_TIMEOUT_SECONDS = 20  # within a request: under gunicorn's worker timeout
OUTPUT_LIMIT_BYTES = 64 * 1024
PROGRESS_SECONDS = 1.0


class ProcessingError(Exception):
    """The file could not be parsed. kind: encrypted, corrupt, too_many_pages, limits, timeout."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Limits:
    timeout_seconds: int
    memory_bytes: int
    max_pages: int

    @classmethod
    def from_config(cls, timeout_seconds: int | None = None) -> "Limits":
        config = current_app.config
        return cls(timeout_seconds or config["SLIDES_PROCESS_TIMEOUT"],
                   config["SLIDES_PROCESS_MEMORY_MB"] * 1024 * 1024, config["SLIDES_MAX_PAGES"])


def _kill(process: subprocess.Popen) -> None:
    process.kill()
    process.communicate()


def _run(arguments: list[str], timeout: int, on_progress=None) -> tuple[int, bytes]:
    """(return code, stdout) of a child killed after timeout seconds of wall-clock time;
    on_progress() is called every PROGRESS_SECONDS meanwhile."""
    process = subprocess.Popen(arguments, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while True:
        try:
            stdout, _ = process.communicate(
                timeout=max(0.01, min(PROGRESS_SECONDS, deadline - time.monotonic())))
            return process.returncode, stdout
        except subprocess.TimeoutExpired:
            if time.monotonic() >= deadline:
                _kill(process)
                raise ProcessingError("timeout", f"Processing took longer than {timeout} seconds.")
            if on_progress is not None:
                on_progress()
        except BaseException:
            _kill(process)
            raise


def run_sandbox(command: str, arguments: list[str], limits: Limits, on_progress=None) -> dict:
    """Run one sandbox command; its JSON answer, or ProcessingError."""
    cpu = max(1, limits.timeout_seconds)
    returncode, stdout = _run([sys.executable, "-I", str(SANDBOX_SCRIPT),
                               f"{cpu},{limits.memory_bytes}", command, *arguments],
                              limits.timeout_seconds, on_progress)
    if returncode != 0:
        raise ProcessingError("limits", "The file could not be processed within the time and "
                                        "memory limits (the parser stopped).")
    try:
        answer = json.loads(stdout[:OUTPUT_LIMIT_BYTES] or b"null")
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise ProcessingError("corrupt", "The file could not be read.")
    if "error" in answer:
        raise ProcessingError(answer["error"], answer.get("message") or "The file could not be read.")
    return answer


def inspect_pdf(path: Path) -> int:
    """The number of pages of a PDF; ProcessingError when it is encrypted or damaged."""
    limits = Limits.from_config(min(INSPECT_TIMEOUT_SECONDS,
                                    current_app.config["SLIDES_PROCESS_TIMEOUT"]))
    return run_sandbox("inspect", [str(path)], limits)["pages"]


def office_converter() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(path: Path, kind: str, workdir: Path, timeout: int) -> Path:
    """PPTX/ODP -> PDF with LibreOffice headless, in its own throwaway profile."""
    profile = (workdir / "lo-profile").resolve().as_uri()
    source = workdir / f"source.{kind}"
    shutil.copyfile(path, source)  # LibreOffice chooses its import filter by the suffix
    returncode, _ = _run([office_converter(), f"-env:UserInstallation={profile}", "--headless",
                          "--norestore", "--convert-to", "pdf", "--outdir", str(workdir),
                          str(source)], timeout)
    converted = workdir / "source.pdf"
    if returncode != 0 or not converted.is_file():
        raise ProcessingError("corrupt", "LibreOffice could not convert the presentation to PDF.")
    return converted


@dataclass
class RenderedPage:
    number: int
    text: str
    thumb_path: Path | None = None
    image_path: Path | None = None
    width: int | None = None
    height: int | None = None


def _rendered_page(workdir: Path, page: dict) -> RenderedPage:
    thumb, large = page.get("thumb"), page.get("large")
    return RenderedPage(int(page["number"]), str(page.get("text") or ""),
                        workdir / thumb if thumb else None, workdir / large if large else None,
                        page.get("width"), page.get("height"))


def finished_pages(workdir: Path) -> list[RenderedPage]:
    """The pages whose images are done so far (for progress), in order."""
    pages = [json.loads(path.read_text(encoding="utf-8")) for path in workdir.glob("page-*.json")]
    return sorted((_rendered_page(workdir, page) for page in pages), key=lambda p: p.number)


def _read_manifest(workdir: Path) -> list[RenderedPage]:
    manifest = json.loads((workdir / "manifest.json").read_text(encoding="utf-8"))
    return [_rendered_page(workdir, page) for page in manifest["pages"]]


def render_deck(path: Path, kind: str, workdir: Path, limits: Limits,
                on_progress=None) -> list[RenderedPage]:
    """Text (and images when possible) of every page, written under workdir.

    on_progress(pages done so far) is called every few seconds while the parser runs."""
    command, source = "render", path
    if kind in ("pptx", "odp") and office_converter():
        source = convert_to_pdf(path, kind, workdir, limits.timeout_seconds)
    elif kind in ("pptx", "odp"):
        command = f"text-{kind}"
    progress = (lambda: on_progress(finished_pages(workdir))) if on_progress else None
    run_sandbox(command, [str(source), str(workdir), str(limits.max_pages)], limits, progress)
    return _read_manifest(workdir)
