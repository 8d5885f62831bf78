"""Small files replaced atomically and durably (CURRENT, a generation's fingerprint and log cursor)."""
import os


def write_durably(directory: str, filename: str, text: str) -> None:
    """Replace `filename` atomically: a reader sees the old text or the new one, never a part."""
    temporary = os.path.join(directory, f".{filename}.{os.getpid()}")  # Whoosh's clean-up skips dot files
    with open(temporary, "w", encoding="ascii") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, os.path.join(directory, filename))
    fsync_directory(directory)


def fsync_directory(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
