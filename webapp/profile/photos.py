"""Speaker photos: decoded with Pillow, checked, re-encoded, cut to standard squares, stored.

The uploaded bytes are never kept: the image is decoded (JPEG, PNG or WebP, decided by its
content, not its name), turned upright, flattened to RGB and written again as fresh JPEG
squares (PHOTO_SIZES, centre crop) with no metadata at all: no EXIF (GPS included), no ICC
profile, no comments. Files are content-addressed: UPLOAD_DIR/photos/ab/<key>-<size>.jpg, where
key is the SHA-256 of the largest square. Functions flush, never commit.
"""
import hashlib
import io
import math
import os
import re
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from webapp.core.audit import record_change
from webapp.core.i18n import format_file_size
from webapp.extensions import db
from webapp.models import Speaker, User

PHOTO_SIZES = (96, 256, 512)
LARGEST_SQUARE = max(PHOTO_SIZES)
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
JPEG_QUALITY = 85
KEY_PATTERN = re.compile(r"^[0-9a-f]{64}$")


class PhotoError(Exception):
    """A refused photo: status 413 (too big), 415 (not a JPEG, PNG or WebP image) or 422."""

    def __init__(self, status: int, message):
        super().__init__(str(message))
        self.status = status


@dataclass(frozen=True)
class PreparedPhoto:
    """The re-encoded squares of an accepted photo, not stored yet."""

    key: str
    squares: dict[int, bytes]


def _read_limited(stream: BinaryIO) -> bytes:
    limit = current_app.config["PHOTO_MAX_BYTES"]
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise PhotoError(413, _l("The photo is larger than the limit of %(size)s.", size=format_file_size(limit)))
    if not data:
        raise PhotoError(422, _l("The photo file is empty."))
    return data


def _too_many_pixels(limit: int) -> PhotoError:
    return PhotoError(422, _l("The image is too large (more than %(pixels)s million pixels).",
                              pixels=format_decimal(limit / 1_000_000)))


def pixel_limit(image_format: str | None) -> int:
    """A JPEG is decoded at a reduced scale (load_reduced); PNG and WebP only whole, so their
    limit is PHOTO_MAX_DECODED_PIXELS too (a 40-megapixel WebP costs 260 MB to decode)."""
    config = current_app.config
    if image_format == "JPEG":
        return config["PHOTO_MAX_PIXELS"]
    return min(config["PHOTO_MAX_PIXELS"], config["PHOTO_MAX_DECODED_PIXELS"])


def _open(data: bytes) -> Image.Image:
    """Opens (headers only) a JPEG, PNG or WebP image and checks its size before decoding it."""
    try:
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except UnidentifiedImageError:
        raise PhotoError(415, _l("The file is not a JPEG, PNG or WebP image.")) from None
    limit = pixel_limit(image.format)
    if image.width * image.height > limit:
        raise _too_many_pixels(limit)
    return image


def load_reduced(image: Image.Image) -> None:
    """Decode a JPEG at the smallest scale libjpeg offers (1/2, 1/4, 1/8) that still covers the
    largest square: a 40-megapixel photo costs a few megabytes instead of hundreds."""
    if image.format == "JPEG":
        image.draft("RGB", (LARGEST_SQUARE, LARGEST_SQUARE))
    image.load()


def decode_photo(data: bytes) -> Image.Image:
    """The decoded image, no larger than the squares need (see `_shrunk`). Pillow's own bomb
    check is an error too, whatever the warning filters."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            _open(data).verify()  # structure and checksums; the image must be opened again after
            image = _open(data)
            load_reduced(image)
            image = _shrunk(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(pixel_limit(None)) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise PhotoError(422, _l("The image is damaged or incomplete; please try another file.")) from None
    return image


def _shrunk(image: Image.Image) -> Image.Image:
    """Its short side brought down to the largest square's before anything copies it (turning,
    flattening): what PNG and WebP cannot decode smaller costs memory once, not three times.
    A palette image is first made true-colour, so that it is resampled, not picked from."""
    scale = LARGEST_SQUARE / min(image.size)
    if scale >= 1:
        return image
    if image.mode in ("P", "1"):
        image = image.convert("RGBA" if image.mode == "P" else "L")
    image.thumbnail((math.ceil(image.width * scale), math.ceil(image.height * scale)),
                    Image.Resampling.LANCZOS, reducing_gap=3.0)
    return image


def _upright_rgb(image: Image.Image) -> Image.Image:
    """Turned as the camera said (EXIF orientation), transparency flattened onto white."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def _square(image: Image.Image, size: int) -> bytes:
    fitted = ImageOps.fit(image, (size, size), Image.Resampling.LANCZOS, centering=(0.5, 0.5))
    clean = Image.new("RGB", fitted.size)  # a new image carries no info, EXIF or ICC profile
    clean.paste(fitted)
    buffer = io.BytesIO()
    clean.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def prepare_photo(stream: BinaryIO) -> PreparedPhoto:
    """Check and re-encode an upload; PhotoError when refused. Nothing is written."""
    image = _upright_rgb(decode_photo(_read_limited(stream)))
    squares = {size: _square(image, size) for size in PHOTO_SIZES}
    return PreparedPhoto(hashlib.sha256(squares[LARGEST_SQUARE]).hexdigest(), squares)


def photos_root() -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / "photos"


def photo_path(key: str, size: int) -> Path:
    if not KEY_PATTERN.match(key or "") or size not in PHOTO_SIZES:
        raise ValueError(f"not a photo: {key!r} {size!r}")
    return photos_root() / key[:2] / f"{key}-{size}.jpg"


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=".photo-")
    try:
        with os.fdopen(descriptor, "wb") as output:
            output.write(data)
        os.chmod(name, 0o644)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def store_photo(photo: PreparedPhoto) -> str:
    for size, data in photo.squares.items():
        if not photo_path(photo.key, size).is_file():
            _write_atomically(photo_path(photo.key, size), data)
    return photo.key


def set_speaker_photo(user: User | None, speaker: Speaker, photo: PreparedPhoto | None) -> None:
    """Store the photo's files and make it the speaker's photo (None removes it); audited."""
    before = speaker.photo_key
    speaker.photo_key = store_photo(photo) if photo is not None else None
    db.session.flush()
    record_change(user, "update", speaker, {"photo": before}, {"photo": speaker.photo_key})


def find_speaker_by_photo(key: str) -> Speaker | None:
    if not KEY_PATTERN.match(key or ""):
        return None
    return db.session.scalar(db.select(Speaker).where(Speaker.photo_key == key).limit(1))
