"""The folder an export writes to: new or empty, or with --force a previous export of the same kind."""
import shutil
from pathlib import Path

import click


def prepare_output_folder(folder: Path, force: bool, marker: str) -> None:
    """Refuses a non-empty folder; with force, empties one that holds a previous export (it has
    `marker`), never a folder that may hold anything else."""
    if folder.exists() and not folder.is_dir():
        raise click.ClickException(f"{folder} is not a folder.")
    if folder.is_dir() and any(folder.iterdir()):
        if not force:
            raise click.ClickException(f"{folder} is not empty: choose a new or empty folder, "
                                       "or pass --force to replace a previous export there.")
        if not (folder / marker).is_file():
            raise click.ClickException(f"{folder} is not empty and holds no previous export "
                                       f"(no {marker}): nothing was deleted.")
        for entry in folder.iterdir():
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    folder.mkdir(parents=True, exist_ok=True)
