"""Cards on disk: drawn once per key in SHARE_CARD_DIR (default instance/share-cards), then served
from there. A key is a hash of everything a card draws, so a changed talk gets a new file at a new
address, and a file once written never changes."""
import os
import tempfile
from pathlib import Path

from flask import current_app
from PIL import Image

from webapp.core.storage import get_file_store
from webapp.sharing.cards import card_layout, draw_card, draw_slide_card
from webapp.sharing.queries import TalkCard


def card_folder() -> Path:
    folder = Path(current_app.config["SHARE_CARD_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _drawn(card: TalkCard) -> bytes:
    if card.slide_key:
        with Image.open(get_file_store().path_for(card.slide_key)) as slide:
            return draw_slide_card(slide)
    return draw_card(card_layout(card.content))


def _write_whole(path: Path, data: bytes) -> None:
    """Written beside, then renamed: a worker serving the file meanwhile never reads half of it."""
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=".card-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def card_file(card: TalkCard) -> Path:
    """The card's PNG, drawn now if no worker drew it before."""
    path = card_folder() / f"{card.digest}.png"
    if not path.is_file():
        _write_whole(path, _drawn(card))
    return path
