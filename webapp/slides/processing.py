"""Run the parsers of webapp/slides/sandbox.py in a child process with time and memory limits.

The child lowers its own RLIMIT_CPU and RLIMIT_AS before importing any parser (no preexec_fn:
that is unsafe in a threaded web worker); the parent adds a wall-clock timeout and kills it, with
every process it started (each child leads its own process group). A child gets a scrubbed
environment (no SECRET_KEY, DATABASE_URL, MAIL_PASSWORD...), and the page files its manifest
names must lie inside its work directory.
PPTX and ODP are converted to PDF by LibreOffice when `soffice` or `libreoffice` is on PATH,
otherwise only their text is extracted. The converter runs in the same sandbox:

- `sandbox.py exec` lowers the same limits, then execs `soffice` (or `bwrap`, which starts it), so
  soffice.bin (the process the launcher starts) inherits them: RLIMIT_CPU of the timeout, RLIMIT_AS
  of SLIDES_CONVERT_MEMORY_MB (LibreOffice maps far more address space than the parsers: a
  two-slide deck needs up to 470 MB);
- its own process group, killed whole on timeout, soffice.bin included;
- a scrubbed environment whose HOME and TMPDIR are the work directory, and a throwaway profile
  there whose registrymodifications.xcu (CONVERTER_SETTINGS) blocks linked content
  (BlockUntrustedRefererLinks: a PPTX's linked image is neither fetched from a URL nor read from a
  local file; LibreOffice 7.4 ignores it for an ODP's linked images), macros, and the update check
  (Debian's build has none; others may);
- the strongest isolation a probe, run once per process, shows to work here:
  - under bubblewrap (`bwrap`), started by `sandbox.py exec` inside the limits: LibreOffice sees a
    root of its own holding, read-only, /usr, /bin, /lib... as on the host, the few parts of /etc
    and /var it reads (CONVERTER_SYSTEM_PATHS) and its installation when outside /usr (such as
    /opt/libreofficeX.Y); a minimal /dev, a /proc of its own PID namespace, an empty /tmp, and its
    work directory (read-write, at the same path). The upload directory's other files, the instance
    directory, the project's checkout and the home directories are not there, so an ODP's linked
    images (which LibreOffice 7.4 loads from any local path) find nothing. It has
    empty network, PID, IPC and UTS namespaces and no capabilities, and dies with its parent.
    bwrap is tried as it is (root, or any user where it may create a user namespace), then with
    --unshare-user (root in a container without CAP_SYS_ADMIN that allows user namespaces);
  - else, without network: in an empty network namespace, with `unshare -n` (root) or `unshare -rn`
    (an unprivileged user namespace); LibreOffice sees the whole file system the slide worker can
    read, so an ODP can show on its slide images any image file the worker can read;
  - else (a container without CAP_SYS_ADMIN and without user namespaces), with the host's network
    and file system: only the profile's settings keep it from loading a PPTX's linked content.
"""
import functools
import json
import os
import shutil
import signal
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
# All a parser's process is given of the web app's environment.
CHILD_PATH = "/usr/local/bin:/usr/bin:/bin"
# Argument prefixes that run a program in an empty network namespace, tried in this order: as
# root; as anyone, in a user namespace (where the kernel allows unprivileged ones).
NETWORK_ISOLATIONS = (("unshare", "-n"), ("unshare", "-rn"))
# bwrap's options for the converter (see the module's docstring), whatever user namespace it needs.
# No --new-session: the converter's process group must hold soffice.bin for the timeout's kill, and
# the converter has no terminal to inject keystrokes into (its session has none; stdin is /dev/null).
BWRAP_OPTIONS = ("--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
                 "--unshare-cgroup-try", "--cap-drop", "ALL", "--die-with-parent")
# bwrap as it is, then in a user namespace (root in a container without CAP_SYS_ADMIN).
BWRAP_VARIANTS = (("bwrap",), ("bwrap", "--unshare-user"))
# Top-level links into /usr on a merged-/usr system (Debian), directories elsewhere: shown as here.
SYSTEM_TOP_LEVEL = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
# All LibreOffice reads of the host's file system under bwrap, read-only, where they exist: programs
# and libraries; fontconfig's settings and cache; the loader's cache; Debian's alternatives and
# LibreOffice's own settings and bundled extensions.
CONVERTER_SYSTEM_PATHS = ("/usr", "/etc/fonts", "/var/cache/fontconfig", "/etc/ld.so.cache",
                          "/etc/alternatives", "/etc/libreoffice", "/var/lib/libreoffice")
# The converter's profile (its registrymodifications.xcu): a PPTX's linked content is not loaded,
# from the network or from local files; no macros; no update check. (node, property, value)
CONVERTER_SETTINGS = (
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "true"),
    ("/org.openoffice.Office.Jobs/Jobs/org.openoffice.Office.Jobs:Job['UpdateCheck']/Arguments",
     "AutoCheckEnabled", "false"),
)


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
    convert_memory_bytes: int

    @classmethod
    def from_config(cls, timeout_seconds: int | None = None) -> "Limits":
        config = current_app.config
        return cls(timeout_seconds or config["SLIDES_PROCESS_TIMEOUT"],
                   config["SLIDES_PROCESS_MEMORY_MB"] * 1024 * 1024, config["SLIDES_MAX_PAGES"],
                   config["SLIDES_CONVERT_MEMORY_MB"] * 1024 * 1024)


def child_environment(home: Path | None = None) -> dict[str, str]:
    """The whole environment of a parser's process: no secret of the web app's reaches it."""
    environment = {"PATH": CHILD_PATH, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    if home is not None:
        environment["HOME"] = str(home)
    return environment


def _kill(process: subprocess.Popen) -> None:
    """Kill the child and whatever it started (its process group), then reap it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.communicate()


def _run(arguments: list[str], timeout: int, on_progress=None, home: Path | None = None,
         environment: dict[str, str] | None = None) -> tuple[int, bytes]:
    """(return code, stdout) of a child killed, with its process group, after timeout seconds of
    wall-clock time; on_progress() is called every PROGRESS_SECONDS meanwhile. Its environment is
    child_environment(home) unless given whole."""
    process = subprocess.Popen(arguments, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, env=environment or child_environment(home),
                               start_new_session=True)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            try:
                stdout, _ = process.communicate(
                    timeout=max(0.01, min(PROGRESS_SECONDS, deadline - time.monotonic())))
                return process.returncode, stdout
            except subprocess.TimeoutExpired:
                if on_progress is not None and time.monotonic() < deadline:
                    on_progress()  # what it raises (a lost lease) kills the child too
    except BaseException:
        _kill(process)
        raise
    _kill(process)
    raise ProcessingError("timeout", f"Processing took longer than {timeout} seconds.")


def sandbox_command(limits: Limits, memory_bytes: int) -> list[str]:
    """The start of a sandbox.py command line: the script under these CPU and memory limits."""
    cpu_seconds = max(1, limits.timeout_seconds)
    return [sys.executable, "-I", str(SANDBOX_SCRIPT), f"{cpu_seconds},{memory_bytes}"]


def run_sandbox(command: str, arguments: list[str], limits: Limits, on_progress=None) -> dict:
    """Run one sandbox command; its JSON answer, or ProcessingError."""
    returncode, stdout = _run([*sandbox_command(limits, limits.memory_bytes), command, *arguments],
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


def _working_isolation(prefix: tuple[str, ...]) -> tuple[str, ...] | None:
    """prefix, its program's path resolved, when `true` runs under it here; else None."""
    program = shutil.which(prefix[0], path=CHILD_PATH)
    if program is None:
        return None
    isolation = (program, *prefix[1:])
    try:
        probe = subprocess.run([*isolation, "true"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=child_environment(), timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return isolation if probe.returncode == 0 else None


def _first_working_isolation(prefixes) -> tuple[str, ...]:
    """The first of these prefixes that works here (its program's path resolved), or ()."""
    for prefix in prefixes:
        isolation = _working_isolation(prefix)
        if isolation is not None:
            return isolation
    return ()


@functools.cache
def network_isolation() -> tuple[str, ...]:
    """The argument prefix that runs a program in an empty network namespace here, or () when
    the kernel or the container allows none; probed once per process."""
    return _first_working_isolation(NETWORK_ISOLATIONS)


def _system_top_level() -> list[str]:
    """bwrap arguments recreating /bin, /lib... as they are here: links, or read-only binds."""
    arguments = []
    for path in SYSTEM_TOP_LEVEL:
        if os.path.islink(path):
            arguments += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            arguments += ["--ro-bind", path, path]
    return arguments


def converter_root() -> list[str]:
    """bwrap arguments building the converter's file system, its work directory aside: the system
    paths LibreOffice reads, read-only; a minimal /dev, a fresh /proc and an empty /tmp."""
    binds = [argument for path in CONVERTER_SYSTEM_PATHS for argument in ("--ro-bind-try", path, path)]
    return [*binds, *_system_top_level(), "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]


@functools.cache
def filesystem_isolation() -> tuple[str, ...]:
    """The bwrap command line (all but the work directory and the program) that runs a program
    in the converter's own file system and namespaces here, or () when bwrap is missing or does
    not work (no user namespaces, a seccomp policy...); probed once per process."""
    return _first_working_isolation((*variant, *BWRAP_OPTIONS, *converter_root())
                                    for variant in BWRAP_VARIANTS)


def converter_settings() -> str:
    """CONVERTER_SETTINGS as a registrymodifications.xcu."""
    items = "".join(f'<item oor:path="{node}"><prop oor:name="{name}" oor:op="fuse"><value>{value}'
                    f"</value></prop></item>\n" for node, name, value in CONVERTER_SETTINGS)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<oor:items xmlns:oor="http://openoffice.org/2001/registry">\n{items}</oor:items>\n')


def write_converter_profile(workdir: Path) -> str:
    """A throwaway LibreOffice profile under workdir holding CONVERTER_SETTINGS; its URL."""
    profile = workdir / "lo-profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(converter_settings(), encoding="utf-8")
    return profile.resolve().as_uri()


def converter_installation() -> list[str]:
    """bwrap arguments showing LibreOffice's installation, read-only, when it is not under /usr
    (LibreOffice's own packages install in /opt/libreofficeX.Y, soffice in its program/)."""
    installation = Path(os.path.realpath(office_converter())).parent.parent
    if installation.is_relative_to("/usr") or len(installation.parts) < 3:  # never / or /opt
        return []
    return ["--ro-bind", str(installation), str(installation)]


def converter_isolation(workdir: Path) -> tuple[list[str], list[str]]:
    """(the prefix starting the sandbox, what the sandbox execs to start soffice): ([], bwrap
    showing soffice none of the host's data but workdir) where bwrap works, else (`unshare -n`, or
    [] where that does not work either, []): see the module's docstring."""
    bwrap = filesystem_isolation()
    if not bwrap:
        return list(network_isolation()), []
    return [], [*bwrap, *converter_installation(), "--bind", str(workdir), str(workdir), "--"]


def converter_command(source: Path, workdir: Path, profile: str, limits: Limits) -> list[str]:
    """soffice converting source to PDF in workdir with that profile: under the limits, in the
    strongest isolation this machine allows (see the module's docstring)."""
    outside, inside = converter_isolation(workdir)
    return [*outside, *sandbox_command(limits, limits.convert_memory_bytes), "exec", *inside,
            office_converter(), f"-env:UserInstallation={profile}", "--headless", "--norestore",
            "--convert-to", "pdf", "--outdir", str(workdir), str(source)]


def converter_environment(workdir: Path) -> dict[str, str]:
    """The scrubbed environment, with the converter's home and temporary files in workdir."""
    return {**child_environment(workdir), "TMPDIR": str(workdir)}


def convert_to_pdf(path: Path, kind: str, workdir: Path, limits: Limits, on_progress=None) -> Path:
    """PPTX/ODP -> PDF with LibreOffice headless, sandboxed (see the module's docstring);
    on_progress() is called every PROGRESS_SECONDS meanwhile (the slide worker renews its lease)."""
    workdir = workdir.resolve()  # bwrap shows it at this path: the profile's URL must lie in it
    source = workdir / f"source.{kind}"
    shutil.copyfile(path, source)  # LibreOffice chooses its import filter by the suffix
    command = converter_command(source, workdir, write_converter_profile(workdir), limits)
    returncode, _ = _run(command, limits.timeout_seconds, on_progress,
                         environment=converter_environment(workdir))
    if returncode != 0:  # soffice answers 0, with no PDF, for a file it cannot read
        raise ProcessingError("limits", "LibreOffice stopped before converting the presentation "
                                        "(over the time or memory limits, or it crashed).")
    converted = workdir / "source.pdf"
    if not converted.is_file():
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


def _page_file(workdir: Path, name) -> Path | None:
    """A page image the child names, which must be a file inside the work directory."""
    if not name:
        return None
    path = (workdir / str(name)).resolve()
    if not path.is_relative_to(workdir.resolve()) or path == workdir.resolve():
        raise ProcessingError("corrupt", "The parser named a file outside its work directory.")
    return path


def _whole_number(value) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ProcessingError("corrupt", "The parser gave a malformed page description.")
    return value


def _rendered_page(workdir: Path, page) -> RenderedPage:
    """A page as the child described it (its manifest is untrusted: checked here)."""
    if not isinstance(page, dict) or not isinstance(page.get("number"), int):
        raise ProcessingError("corrupt", "The parser gave a malformed page description.")
    return RenderedPage(_whole_number(page["number"]), str(page.get("text") or ""),
                        _page_file(workdir, page.get("thumb")), _page_file(workdir, page.get("large")),
                        _whole_number(page.get("width")), _whole_number(page.get("height")))


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ProcessingError("corrupt", "The parser left an unreadable page description.") from error


def finished_pages(workdir: Path) -> list[RenderedPage]:
    """The pages whose images are done so far (for progress), in order."""
    pages = [_read_json(path) for path in workdir.glob("page-*.json")]
    return sorted((_rendered_page(workdir, page) for page in pages), key=lambda p: p.number)


def _read_manifest(workdir: Path) -> list[RenderedPage]:
    manifest = _read_json(workdir / "manifest.json")
    if not isinstance(manifest, dict) or not isinstance(manifest.get("pages"), list):
        raise ProcessingError("corrupt", "The parser gave a malformed page description.")
    return [_rendered_page(workdir, page) for page in manifest["pages"]]


def render_deck(path: Path, kind: str, workdir: Path, limits: Limits,
                on_progress=None) -> list[RenderedPage]:
    """Text (and images when possible) of every page, written under workdir.

    on_progress(pages done so far) is called every second while the converter and the parser
    run (with no pages while converting)."""
    command, source = "render", path
    if kind in ("pptx", "odp") and office_converter():
        source = convert_to_pdf(path, kind, workdir, limits, on_progress and (lambda: on_progress([])))
    elif kind in ("pptx", "odp"):
        command = f"text-{kind}"
    progress = (lambda: on_progress(finished_pages(workdir))) if on_progress else None
    run_sandbox(command, [str(source), str(workdir), str(limits.max_pages)], limits, progress)
    return _read_manifest(workdir)
